import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pino } from "pino";
import {
  eventPluginFolder,
  percentile,
  printTable,
  repoRoot,
  round,
  scratchPostgres,
  writeResults,
} from "./lib.mjs";

const dist = (path) => join(repoRoot, "packages/server/dist", path);
const { openDatabase } = await import(dist("db/database.js"));
const { runMigrations } = await import(dist("db/migrate.js"));
const { createServices } = await import(dist("domain/services.js"));
const { LOCAL_BOARD_ACTOR } = await import(dist("domain/actor.js"));
const { buildApp } = await import(dist("http/app.js"));
const { createPluginRuntime } = await import(dist("plugins/runtime/index.js"));
const { createPluginHostServicesFactory } = await import(dist("plugins/host-services/index.js"));
const { createPluginEventDelivery, DurablePluginEventSink, OutboxAppender } = await import(
  dist("plugins/events/index.js")
);
const { HOST_VERSION } = await import(dist("version.js"));

const LAG_ISSUES = Number(process.env.BENCH_LAG_ISSUES ?? 300);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const FANOUT = Number(process.env.BENCH_FANOUT ?? 10);
const PHASE_LIMIT_MS = Number(process.env.BENCH_PHASE_LIMIT_MS ?? 60_000);

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check, what) {
  const started = performance.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (performance.now() - started > PHASE_LIMIT_MS) throw new Error(`bench gave up waiting for ${what}`);
    await sleep(5);
  }
}

async function benchEngine(label, options) {
  const folder = mkdtempSync(join(tmpdir(), "paperclip-events-bench-"));
  const db = await openDatabase(
    options.kind === "pglite" ? { kind: "pglite", dataDir: join(folder, "db") } : options,
  );
  // "error": a 20,000-emit burst makes the supervisor pause the emitter's input (a warning) by design.
  const logger = pino({ level: "error" });
  const services = createServices(db);
  let runtime;
  let factory;
  let delivery;
  let app;
  try {
    await runMigrations(db);
    const company = await services.companies.create(LOCAL_BOARD_ACTOR, { name: "Bench Co" });
    // Wired as src/composition/host-plugins.ts does: events.emit answers once the event is committed.
    const appender = new OutboxAppender(db, services.notifier);
    factory = createPluginHostServicesFactory({
      db,
      services,
      logger,
      dataDir: null,
      startLogRetention: false,
      pluginEventSink: new DurablePluginEventSink(appender),
    });
    runtime = await createPluginRuntime({
      db,
      services,
      logger,
      hostServices: factory,
      configs: factory.configStore,
      pluginsDir: join(folder, "plugins"),
      hostVersion: HOST_VERSION,
      deploymentMode: "local_trusted",
      examplesDir: null,
      workerDefaults: { timeouts: { healthIntervalMs: 0 } },
    });
    delivery = createPluginEventDelivery({
      db,
      notifier: services.notifier,
      runtime,
      subscriptions: { list: (pluginId) => factory.listSubscriptions(pluginId) },
      logger,
      appender,
      options: { subscriptionRefreshMs: 200 },
    });
    await delivery.start();
    app = await buildApp({
      db,
      config: { deploymentMode: "local_trusted", bodyLimitBytes: 1 << 20 },
      logger: false,
      services,
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const baseUrl = `http://127.0.0.1:${app.server.address().port}`;
    const context = { actor: LOCAL_BOARD_ACTOR };
    const install = async (id, config) => {
      const record = await runtime.lifecycle.install(
        { packageName: eventPluginFolder(folder, id, config), isLocalPath: true },
        context,
      );
      if (record.status !== "ready") throw new Error(`plugin ${id} did not start: ${record.lastError}`);
      await waitFor(
        () =>
          delivery.dispatcher.streamStatus(record.id)?.leaseHeld || (config.subscriptions ?? []).length === 0,
        `stream of ${id}`,
      );
      return record.id;
    };
    const action = (pluginId, key, params = {}) =>
      runtime.callPlugin(pluginId, "performAction", { key, companyId: company.id, params }, company.id);

    // 1. lag: HTTP POST issue → issue.created handled in the worker.
    const lagPlugin = await install("bench.lag", {
      subscriptions: [{ pattern: "issue.created" }],
      trackEntity: true,
    });
    const createIssue = async (title) => {
      const sentAt = now();
      const response = await fetch(`${baseUrl}/api/companies/${company.id}/issues`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title }),
      });
      const body = await response.json();
      if (response.status !== 201) throw new Error(`issue create failed: ${JSON.stringify(body)}`);
      return { id: body.id, sentAt, answeredAt: now() };
    };
    const commits = [];
    services.notifier.subscribe((commit) => commits.push({ lastSeq: commit.lastSeq, at: now() }));
    for (let i = 0; i < 30; i++) await createIssue(`warm-up ${i}`);
    await waitFor(async () => (await action(lagPlugin, "stats")).count >= 30, "warm-up handled");
    await action(lagPlugin, "reset");
    const created = [];
    for (let i = 0; i < LAG_ISSUES; i++) {
      created.push(await createIssue(`lag ${i}`));
      // A short pause so each event is measured alone rather than queued behind a burst.
      await sleep(1);
    }
    const stats = await waitFor(async () => {
      const s = await action(lagPlugin, "stats");
      return s.count >= LAG_ISSUES ? s : null;
    }, "lag issues handled");
    const seqByIssue = new Map(
      (await services.outbox.read({ eventTypes: ["issue.created"], limit: 10_000 })).map((e) => [
        e.entityId,
        e.seq,
      ]),
    );
    const commitAt = (seq) => commits.find((commit) => commit.lastSeq >= seq)?.at ?? Number.NaN;
    const lagFromCommit = created
      .map((issue) => stats.handledAt[issue.id] - commitAt(seqByIssue.get(issue.id)))
      .sort((a, b) => a - b);
    const lagFromSend = created
      .map((issue) => stats.handledAt[issue.id] - issue.sentAt)
      .sort((a, b) => a - b);
    const lagFromAnswer = created
      .map((issue) => stats.handledAt[issue.id] - issue.answeredAt)
      .sort((a, b) => a - b);
    const apiMs = created.map((issue) => issue.answeredAt - issue.sentAt).sort((a, b) => a - b);
    await runtime.lifecycle.disable(lagPlugin, null, context);

    // 2. throughput: one emitter, then 1 and FANOUT subscribers.
    const emitter = await install("bench.emitter", { subscriptions: [] });
    const throughput = async (subscriberIds) => {
      for (const id of subscriberIds) await action(id, "reset");
      const started = now();
      const result = await action(emitter, "emit", { name: "tick", count: EVENTS, payload: { bench: true } });
      if (result.error) throw new Error(`emit failed: ${result.error}`);
      const emittedAt = now();
      const finals = [];
      for (const id of subscriberIds) {
        finals.push(
          await waitFor(async () => {
            const s = await action(id, "stats");
            return s.count >= EVENTS ? s : null;
          }, `${EVENTS} events at ${id}`),
        );
      }
      const perSubscriber = finals.map((s) => EVENTS / ((s.lastAt - started) / 1000));
      return {
        emitPerSecond: EVENTS / ((emittedAt - started) / 1000),
        minPerSubscriber: Math.min(...perSubscriber),
        avgPerSubscriber: perSubscriber.reduce((a, b) => a + b, 0) / perSubscriber.length,
      };
    };
    const subscriber = { subscriptions: [{ pattern: "plugin.bench.emitter.*" }] };
    const single = [await install("bench.sub0", subscriber)];
    const one = await throughput(single);
    const fanout = [...single];
    for (let i = 1; i < FANOUT; i++) fanout.push(await install(`bench.sub${i}`, subscriber));
    const ten = await throughput(fanout);

    return {
      engine: label,
      lagP50Ms: percentile(lagFromCommit, 50),
      lagP99Ms: percentile(lagFromCommit, 99),
      lagFromSendP50Ms: percentile(lagFromSend, 50),
      lagFromSendP99Ms: percentile(lagFromSend, 99),
      lagAfterResponseP50Ms: percentile(lagFromAnswer, 50),
      apiP50Ms: percentile(apiMs, 50),
      oneSubscriberPerSecond: one.minPerSubscriber,
      oneSubscriberEmitPerSecond: one.emitPerSecond,
      fanoutMinPerSubscriberPerSecond: ten.minPerSubscriber,
      fanoutAvgPerSubscriberPerSecond: ten.avgPerSubscriber,
    };
  } finally {
    await delivery?.stop();
    await runtime?.stop();
    await app?.close();
    await factory?.dispose();
    await db.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

const rows = [await benchEngine("pglite (embedded, on disk)", { kind: "pglite" })];
const scratch = await scratchPostgres();
let skipped = null;
if (scratch.skipped) {
  skipped = scratch.skipped;
  console.log(`note: ${skipped}; PostgreSQL row skipped`);
} else {
  try {
    rows.push(await benchEngine("postgresql (local server)", { kind: "postgres", url: scratch.url }));
  } finally {
    await scratch.drop();
  }
}

printTable(
  "Event lag: HTTP POST issue → issue.created handled in a worker (goal p50 ≤ 5 ms, p99 ≤ 20 ms; durable)",
  rows.map((row) => ({
    engine: row.engine,
    "commit→handler p50 (ms)": round(row.lagP50Ms),
    "commit→handler p99 (ms)": round(row.lagP99Ms),
    "POST sent→handler p50 (ms)": round(row.lagFromSendP50Ms),
    "… p99 (ms)": round(row.lagFromSendP99Ms),
    "201 received→handler p50 (ms)": round(row.lagAfterResponseP50Ms),
    "POST p50 (ms)": round(row.apiP50Ms),
  })),
);
printTable(
  `Plugin-emitted events delivered (${EVENTS} events; goal ≥ 20,000/s to 1, ≥ 5,000/s each to ${FANOUT})`,
  rows.map((row) => ({
    engine: row.engine,
    "1 subscriber (events/s)": Math.round(row.oneSubscriberPerSecond),
    "emit rate (events/s)": Math.round(row.oneSubscriberEmitPerSecond),
    [`${FANOUT} subscribers, slowest (events/s each)`]: Math.round(row.fanoutMinPerSubscriberPerSecond),
    [`${FANOUT} subscribers, mean (events/s each)`]: Math.round(row.fanoutAvgPerSubscriberPerSecond),
  })),
);
writeResults("delivery-events", {
  lagIssues: LAG_ISSUES,
  events: EVENTS,
  fanout: FANOUT,
  rows: rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [key, typeof value === "number" ? round(value, 3) : value]),
    ),
  ),
  skipped,
});
