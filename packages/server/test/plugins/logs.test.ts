// Plugin logs: ctx.logger notifications, `log` requests, metrics, telemetry and worker stderr persisted in
// batches; GET /api/plugins/:id/logs with its filters and their 400s; the retention job removing old entries on
// its own timer (with a fake clock).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PluginIdentity } from "../../src/plugins/host-services/index.js";
import { PluginLogService } from "../../src/plugins/logs/index.js";
import { ENGINES } from "../support/database.js";
import { eventually, ServicesBed, type TestWorker } from "./fixtures/services/bed.js";
import { type HttpHost, startHttpHost } from "./fixtures/services/http-host.js";

describe.each(ENGINES)("plugin logs (%s)", (engine) => {
  let bed: ServicesBed;
  let host: HttpHost;
  let company: { id: string };
  let plugin: PluginIdentity;
  let worker: TestWorker;

  beforeAll(async () => {
    bed = await ServicesBed.open(engine, { fakeClock: true });
    host = await startHttpHost(bed);
    company = await bed.company();
    plugin = await bed.plugin({
      key: "fixture.logger",
      capabilities: ["metrics.write", "telemetry.track", "events.subscribe"],
    });
    worker = await bed.worker(plugin);
  });

  afterAll(async () => {
    await host?.close();
    await bed?.close();
  });

  const logs = (query = "") => host.request("GET", `/api/plugins/${plugin.pluginId}/logs${query}`);

  it("persists ctx.logger lines with their level, meta and the invocation's company", async () => {
    await worker.action(
      "log",
      { level: "warn", message: "disk almost full", meta: { freeMb: 12 } },
      company.id,
    );
    const response = await logs("?level=warn");
    expect(response.status).toBe(200);
    expect(response.body[0]).toMatchObject({
      pluginId: plugin.pluginId,
      companyId: company.id,
      level: "warn",
      message: "disk almost full",
      meta: { freeMb: 12 },
    });
    // setup()'s own line is there too, as info.
    expect(
      (await logs("?level=info&limit=500")).body.map((row: { message: string }) => row.message),
    ).toContain("setup finished");
  });

  it("persists metrics, telemetry and the request form of `log`", async () => {
    expect(
      (await worker.ctx("metrics.write", ["queue.depth", 42, { queue: "sync" }], company.id)).caught,
    ).toBeUndefined();
    expect(
      (await worker.ctx("telemetry.track", ["sync_done", { items: 3 }], company.id)).caught,
    ).toBeUndefined();
    const badName = await worker.ctx("telemetry.track", ["Sync Done"], company.id);
    expect(badName.caught?.message).toContain('telemetry.track: params.eventName "Sync Done" must match');
    const metric = (await logs("?level=metric")).body[0];
    expect(metric).toMatchObject({
      message: "queue.depth",
      meta: { value: 42, tags: { queue: "sync" } },
      companyId: company.id,
    });
    const telemetry = (await logs("?level=telemetry")).body[0];
    expect(telemetry).toMatchObject({
      message: "plugin.fixture.logger.sync_done",
      meta: { dimensions: { items: 3 } },
    });

    const legacy = await bed.plugin({ capabilities: ["events.subscribe"] });
    const legacyWorker = await bed.worker(legacy, "legacy-ndjson-worker.mjs");
    const answer = await legacyWorker.action(
      "call",
      { method: "log", params: { level: "error", message: "from a request" } },
      company.id,
    );
    expect(answer).toEqual({ result: null });
    const invalid = await legacyWorker.action(
      "call",
      { method: "log", params: { level: "loud", message: "x" } },
      company.id,
    );
    expect(invalid.caught.message).toContain("log: params.level must be one of");
    await bed.factory.logs.flush();
    const stored = await bed.factory.logs.query(legacy.pluginId, { limit: 10 });
    expect(stored.map((row) => [row.level, row.message])).toEqual([["error", "from a request"]]);
  });

  it("keeps the worker's stderr lines", async () => {
    await worker.action("stderr", { line: "warning: something odd" }, null);
    await eventually(
      async () =>
        (await logs("?level=warn")).body.some(
          (row: { message: string }) => row.message === "warning: something odd",
        ),
      "stderr line",
    );
    const row = (await logs("?level=warn")).body.find(
      (r: { message: string }) => r.message === "warning: something odd",
    );
    expect(row.meta).toEqual({ source: "stderr" });
  });

  it("lists newest first, honours limit and since", async () => {
    for (let i = 1; i <= 3; i++) {
      bed.clock!.advance(1_000);
      await worker.action("log", { level: "debug", message: `tick ${i}` }, null);
    }
    const newest = await logs("?level=debug&limit=2");
    expect(newest.body.map((row: { message: string }) => row.message)).toEqual(["tick 3", "tick 2"]);
    const since = newest.body[1].createdAt;
    const recent = await logs(`?level=debug&since=${encodeURIComponent(since)}`);
    expect(recent.body.map((row: { message: string }) => row.message)).toEqual(["tick 3", "tick 2"]);
    expect((await logs()).body.length).toBeLessThanOrEqual(25);
  });

  it("answers 400 for bad filters and 404 for an unknown plugin", async () => {
    for (const [query, fragment] of [
      ["?limit=0", "limit must be an integer from 1 to 500"],
      ["?limit=501", "limit must be an integer from 1 to 500"],
      ["?limit=ten", "limit must be an integer from 1 to 500"],
      ["?level=loud", "level must be one of: debug, info, warn, error, metric, telemetry"],
      ["?since=yesterday", "since must be an ISO 8601 date-time"],
    ] as const) {
      const response = await logs(query);
      expect(response.status, query).toBe(400);
      expect(response.body.error, query).toContain(fragment);
    }
    expect(await host.request("GET", "/api/plugins/nobody/logs")).toEqual({
      status: 404,
      body: { error: "Plugin not found" },
    });
  });

  it("writes in batches: on size, on flush and on dispose", async () => {
    const writer = new PluginLogService({ db: bed.db, batchSize: 3, flushIntervalMs: 60_000 });
    const count = async () =>
      Number(
        (
          await bed.db.query(
            "t_count_batch",
            "SELECT count(*) AS n FROM plugin_logs WHERE message LIKE 'batch %'",
            [],
          )
        )[0]!.n,
      );
    writer.append({ pluginId: plugin.pluginId, level: "info", message: "batch 1" });
    writer.append({ pluginId: plugin.pluginId, level: "info", message: "batch 2" });
    expect(writer.pending).toBe(2);
    expect(await count()).toBe(0);
    writer.append({ pluginId: plugin.pluginId, level: "info", message: "batch 3" });
    await eventually(async () => (await count()) === 3, "size-triggered batch");
    writer.append({ pluginId: plugin.pluginId, level: "info", message: "batch 4" });
    await writer.dispose();
    expect(await count()).toBe(4);
  });

  it("retention removes entries older than the configured days, on its own timer", async () => {
    const retained = await ServicesBed.open(engine, {
      fakeClock: true,
      startLogRetention: true,
      logRetentionDays: 7,
      logRetentionIntervalMs: 25,
    });
    try {
      const other = await retained.plugin({ capabilities: ["events.subscribe"] });
      retained.factory.logs.append({ pluginId: other.pluginId, level: "info", message: "old entry" });
      await retained.factory.logs.flush();
      retained.clock!.advance(6 * 24 * 3600 * 1000);
      retained.factory.logs.append({ pluginId: other.pluginId, level: "info", message: "recent entry" });
      await retained.factory.logs.flush();
      const messages = async () =>
        (await retained.factory.logs.query(other.pluginId, { limit: 10 })).map((r) => r.message);
      const runsBefore = retained.factory.logRetention.runs;
      await eventually(() => retained.factory.logRetention.runs > runsBefore + 1, "retention ran");
      expect(await messages()).toEqual(["recent entry", "old entry"]);
      retained.clock!.advance(2 * 24 * 3600 * 1000);
      await eventually(async () => (await messages()).length === 1, "old entry removed by the job");
      expect(await messages()).toEqual(["recent entry"]);
      expect(retained.factory.logRetention.removed).toBe(1);
    } finally {
      await retained.close();
    }
  });
});
