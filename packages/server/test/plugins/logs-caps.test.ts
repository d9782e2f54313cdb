// The plugin log writer's caps (issue 18, item 3): per-minute line and byte caps with drops counted and one
// warning entry, the host-log mirror cap, size retention, and the buffer bound while the database lags.
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PluginIdentity } from "../../src/plugins/host-services/index.js";
import { LOG_ROW_OVERHEAD_BYTES, PluginLogService } from "../../src/plugins/logs/index.js";
import { ENGINES } from "../support/database.js";
import { ServicesBed } from "./fixtures/services/bed.js";

function capturedLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: "debug" }, stream), lines };
}

describe.each(ENGINES)("plugin log caps (%s)", (engine) => {
  let bed: ServicesBed;
  let plugin: PluginIdentity;
  const count = async (pluginId: string) =>
    Number(
      (
        await bed.db.query("t_caps_count", "SELECT count(*) AS n FROM plugin_logs WHERE plugin_id = $1", [
          pluginId,
        ])
      )[0]!.n,
    );

  beforeAll(async () => {
    bed = await ServicesBed.open(engine, {});
    plugin = await bed.plugin({ capabilities: ["events.subscribe"] });
  });
  afterAll(async () => {
    await bed?.close();
  });

  it("stores at most the per-minute lines and bytes, counts the rest, and says so once per minute", async () => {
    let now = 1_000_000;
    const other = await bed.plugin({ capabilities: ["events.subscribe"] });
    const writer = new PluginLogService({
      db: bed.db,
      now: () => now,
      limits: { linesPerMinute: 10, bytesPerMinute: 1_000_000 },
    });
    const admitted = [];
    for (let i = 0; i < 25; i++)
      admitted.push(writer.append({ pluginId: other.pluginId, level: "info", message: `line ${i}` }));
    expect(admitted.filter((a) => a.stored)).toHaveLength(10);
    let stats = writer.stats(other.pluginId);
    expect(stats).toMatchObject({ storedLines: 10, droppedLines: 15 });
    expect(stats.lastDroppedAt).toBe(new Date(now).toISOString());
    // A new minute: the count of the last one is recorded, and lines are stored again.
    now += 60_000;
    expect(writer.append({ pluginId: other.pluginId, level: "info", message: "next minute" }).stored).toBe(
      true,
    );
    await writer.dispose();
    const messages = (await writer.query(other.pluginId, { limit: 100 })).map((row) => row.message);
    expect(messages.filter((m) => m.startsWith("line "))).toHaveLength(10);
    expect(messages.filter((m) => m.startsWith("Log cap reached"))).toHaveLength(1);
    expect(messages).toContain("Dropped 15 log lines (105 bytes) over the per-minute log cap");
    expect(messages).toContain("next minute");
    stats = writer.stats(other.pluginId);
    expect(stats).toMatchObject({ storedLines: 11, droppedLines: 15 });
  });

  it("caps bytes too: one huge line after small ones is dropped", () => {
    const writer = new PluginLogService({
      db: bed.db,
      limits: { linesPerMinute: 1_000, bytesPerMinute: 2_000 },
    });
    expect(
      writer.append({ pluginId: plugin.pluginId, level: "info", message: "a".repeat(1_500) }).stored,
    ).toBe(true);
    expect(writer.append({ pluginId: plugin.pluginId, level: "info", message: "b".repeat(600) }).stored).toBe(
      false,
    );
    expect(writer.append({ pluginId: plugin.pluginId, level: "info", message: "small" }).stored).toBe(true);
    expect(writer.stats(plugin.pluginId)).toMatchObject({ droppedLines: 1, droppedBytes: 600 });
  });

  it("mirrors at most mirrorLinesPerMinute lines to the host log, cut short, then one notice", async () => {
    const { logger, lines } = capturedLogger();
    const writer = new PluginLogService({ db: bed.db, logger, limits: { mirrorLinesPerMinute: 3 } });
    const mirror = { pluginKey: "fixture.mirror" };
    const results = [];
    for (let i = 0; i < 6; i++)
      results.push(
        writer.append(
          { pluginId: plugin.pluginId, level: "warn", message: `m${i} ${"x".repeat(5_000)}` },
          mirror,
        ),
      );
    writer.append(
      { pluginId: plugin.pluginId, level: "metric", message: "metrics are never mirrored" },
      mirror,
    );
    expect(results.map((r) => r.mirrored)).toEqual([true, true, true, false, false, false]);
    const mirrored = lines.filter((line) => /^\[plugin fixture\.mirror\] m\d/.test(line.msg));
    expect(mirrored).toHaveLength(3);
    expect(mirrored[0]!.msg.length).toBeLessThan(2_100);
    expect(mirrored[0]!.msg.endsWith("… (cut)")).toBe(true);
    expect(lines.filter((line) => line.msg.includes("more than 3 log lines this minute"))).toHaveLength(1);
    expect(writer.stats(plugin.pluginId).notMirrored).toBe(3);
    await writer.dispose();
  });

  it("retention by size keeps the newest entries within maxStoredBytes", async () => {
    const sized = await bed.plugin({ capabilities: ["events.subscribe"] });
    const writer = new PluginLogService({ db: bed.db, limits: { maxStoredBytes: 1_000_000 } });
    for (let i = 0; i < 200; i++)
      writer.append({
        pluginId: sized.pluginId,
        level: "info",
        message: `${String(i).padStart(3, "0")} ${"s".repeat(1_000)}`,
      });
    await writer.flush();
    expect(await count(sized.pluginId)).toBe(200);
    const cap = 50 * (1_004 + LOG_ROW_OVERHEAD_BYTES);
    expect(await writer.trimToSize(sized.pluginId, cap)).toBe(150);
    expect(await writer.storedBytes(sized.pluginId)).toBeLessThanOrEqual(cap);
    const kept = (await writer.query(sized.pluginId, { limit: 500 })).map((row) => row.message.slice(0, 3));
    expect(kept[0]).toBe("199");
    expect(kept.at(-1)).toBe("150");
    await writer.dispose();
  });

  it("trims a plugin on its own once it wrote an eighth of its cap, without waiting for the retention job", async () => {
    const busy = await bed.plugin({ capabilities: ["events.subscribe"] });
    const writer = new PluginLogService({
      db: bed.db,
      batchSize: 50,
      limits: { maxStoredBytes: 80 * 1024, linesPerMinute: 100_000, bytesPerMinute: 100 * 1024 * 1024 },
    });
    for (let i = 0; i < 2_000; i++)
      writer.append({ pluginId: busy.pluginId, level: "info", message: "t".repeat(1_000) });
    await writer.dispose();
    // At most the cap plus what was written since the last trim (an eighth of the cap).
    expect(await writer.storedBytes(busy.pluginId)).toBeLessThanOrEqual(80 * 1024 * (1 + 1 / 8) + 2_000);
    expect(writer.stats(busy.pluginId).trimmedLines).toBeGreaterThan(1_500);
  });

  it("bounds the write buffer by bytes while the database cannot keep up", () => {
    const writer = new PluginLogService({
      db: bed.db,
      batchSize: 1_000_000,
      flushIntervalMs: 60_000,
      maxBufferedBytes: 10_000,
      limits: { linesPerMinute: 1_000_000, bytesPerMinute: 100 * 1024 * 1024 },
    });
    for (let i = 0; i < 100; i++)
      writer.append({ pluginId: plugin.pluginId, level: "info", message: "b".repeat(1_000) });
    expect(writer.pending).toBeLessThanOrEqual(10);
    expect(writer.dropped).toBeGreaterThanOrEqual(90);
  });
});
