// The outbound call log on a real database: batched writes (nothing waits for the database, a timer or a full
// batch writes), the per-plugin row cap (trimmed as a plugin writes), the age retention by the injected clock,
// rows of a purged plugin skipped, and bounded strings.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OutboundCallLog, type OutboundLogEntry } from "../../src/plugins/egress/index.js";
import type { PluginIdentity } from "../../src/plugins/host-services/index.js";
import { ENGINES } from "../support/database.js";
import { eventually, FakeClock, ServicesBed } from "./fixtures/services/bed.js";

const entry = (
  pluginId: string,
  startedAt: Date,
  overrides: Partial<OutboundLogEntry> = {},
): OutboundLogEntry => ({
  pluginId,
  companyId: null,
  startedAt,
  method: "GET",
  scheme: "https",
  host: "api.example.com",
  path: "/v1/items",
  address: "93.184.216.34",
  outcome: "completed",
  status: 200,
  reason: null,
  requestBytes: 0,
  responseBytes: 512,
  durationMs: 42,
  ...overrides,
});

describe.each(ENGINES)("outbound call log (%s)", (engine) => {
  let bed: ServicesBed;
  let plugin: PluginIdentity;
  const clock = new FakeClock();

  beforeAll(async () => {
    bed = await ServicesBed.open(engine);
    plugin = await bed.plugin({ capabilities: ["http.outbound"] });
  });
  afterAll(async () => bed?.close());

  const count = async (pluginId: string) =>
    Number(
      (
        await bed.db.query(
          "egress_test_count",
          "SELECT count(*)::int AS n FROM plugin_outbound_calls WHERE plugin_id = $1",
          [pluginId],
        )
      )[0]!.n,
    );

  it("buffers entries and writes them in one batch on the timer, a full batch, or flush", async () => {
    const log = new OutboundCallLog({ db: bed.db, clock, batchSize: 5, flushIntervalMs: 60_000 });
    const own = await bed.plugin({ capabilities: ["http.outbound"] });
    for (let i = 0; i < 3; i++) log.record(entry(own.pluginId, clock.now(), { path: `/${i}` }));
    expect(log.pending).toBe(3);
    expect(await count(own.pluginId)).toBe(0);
    for (let i = 3; i < 5; i++) log.record(entry(own.pluginId, clock.now(), { path: `/${i}` }));
    expect(log.pending).toBe(0);
    await eventually(async () => (await count(own.pluginId)) === 5, "a full batch written");
    log.record(entry(own.pluginId, clock.now(), { path: "/6" }));
    await log.flush();
    const page = await log.query(own.pluginId, { limit: 10 });
    expect(page.items.map((call) => call.path)).toEqual(["/6", "/4", "/3", "/2", "/1", "/0"]);
    await log.dispose();

    const timed = new OutboundCallLog({ db: bed.db, clock, flushIntervalMs: 20 });
    timed.record(entry(own.pluginId, clock.now(), { path: "/timed" }));
    await eventually(async () => (await count(own.pluginId)) === 7, "the timer wrote the entry");
    await timed.dispose();
  });

  it("keeps each plugin's newest rows within its cap (plus the eighth it may write before a trim)", async () => {
    const log = new OutboundCallLog({ db: bed.db, clock, maxRowsPerPlugin: 16, batchSize: 4 });
    const busy = await bed.plugin({ capabilities: ["http.outbound"] });
    const quiet = await bed.plugin({ capabilities: ["http.outbound"] });
    log.record(entry(quiet.pluginId, clock.now(), { path: "/quiet" }));
    for (let i = 0; i < 40; i++) {
      log.record(entry(busy.pluginId, clock.now(), { path: `/n${i}` }));
      if (i % 4 === 3) {
        await log.idle();
        expect(await count(busy.pluginId)).toBeLessThanOrEqual(16 + 16 / 8);
      }
    }
    await log.dispose();
    expect(await count(quiet.pluginId)).toBe(1);
    const before = await count(busy.pluginId);
    expect(before).toBeGreaterThanOrEqual(16);
    expect(await log.trim(busy.pluginId)).toBe(before - 16);
    const page = await log.query(busy.pluginId, { limit: 500 });
    expect(page.items.map((call) => call.path)).toEqual(Array.from({ length: 16 }, (_, i) => `/n${39 - i}`));
  });

  it("deletes rows older than the retention by the injected clock, and trims every plugin to its cap", async () => {
    const writer = new OutboundCallLog({ db: bed.db, clock, maxRowsPerPlugin: 1_000 });
    const old = await bed.plugin({ capabilities: ["http.outbound"] });
    const start = clock.now();
    writer.record(entry(old.pluginId, new Date(start.getTime() - 3 * 86_400_000), { path: "/expired" }));
    for (let i = 0; i < 5; i++) writer.record(entry(old.pluginId, start, { path: `/fresh${i}` }));
    await writer.dispose();
    expect(await count(old.pluginId)).toBe(6);
    const retention = new OutboundCallLog({ db: bed.db, clock, retentionDays: 2, maxRowsPerPlugin: 3 });
    expect(await retention.prune()).toBeGreaterThanOrEqual(3);
    const kept = await retention.query(old.pluginId, { limit: 10 });
    expect(kept.items.map((call) => call.path)).toEqual(["/fresh4", "/fresh3", "/fresh2"]);
    clock.advance(3 * 86_400_000);
    await retention.prune();
    expect(await count(old.pluginId)).toBe(0);
    await retention.dispose();
  });

  it("skips rows of a plugin deleted meanwhile, bounds long strings and keeps only company uuids", async () => {
    const log = new OutboundCallLog({ db: bed.db, clock });
    const gone = await bed.plugin({ capabilities: ["http.outbound"] });
    log.record(entry(gone.pluginId, clock.now()));
    log.record(
      entry(plugin.pluginId, clock.now(), {
        host: "h".repeat(1_000),
        path: `/${"p".repeat(5_000)}`,
        reason: "r".repeat(5_000),
        companyId: "not-a-uuid",
        responseBytes: 10 ** 12,
      }),
    );
    await bed.db.query("egress_test_delete_plugin", "DELETE FROM plugins WHERE id = $1", [gone.pluginId]);
    await log.flush();
    expect(await count(gone.pluginId)).toBe(0);
    const [call] = (await log.query(plugin.pluginId, { limit: 1 })).items;
    expect(call!.host).toHaveLength(300);
    expect(call!.path).toHaveLength(2_000);
    expect(call!.reason).toHaveLength(2_000);
    expect(call!.companyId).toBeNull();
    expect(call!.responseBytes).toBe(2_147_483_647);
    await log.dispose();
  });

  it("refuses nonsense bounds when it is built", () => {
    expect(() => new OutboundCallLog({ db: bed.db, maxRowsPerPlugin: 0 })).toThrow(
      /row cap must be at least 1/,
    );
    expect(() => new OutboundCallLog({ db: bed.db, retentionDays: 0 })).toThrow(/positive number of days/);
  });
});
