// Overhead of observability on the bridge action (issue 16, docs/observability.md): `POST
// /api/plugins/:id/actions/echo` (host → worker performAction → host) on three hosts in the same run —
// metrics off (PAPERCLIP_METRICS=off), metrics on (the default), metrics and traces on (spans to an in-memory
// exporter, emptied every round) — measured in rotating order, sequential p50/p99 with one request in flight.
// Reports each p50 and its ratio to the metrics-off p50. The hosts run in this process; the load comes from a
// child process (`--client`). Runs against packages/server/dist (run `npx tsc -b` first); bounded in requests.
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sequential } from "./http-client.mjs";
import { percentile, printTable, repoRoot, round, writeResults } from "./lib.mjs";

const SEQUENTIAL = Number(process.env.BENCH_METRICS_SEQUENTIAL ?? 2000);
const ROUNDS = Number(process.env.BENCH_METRICS_ROUNDS ?? 6);

// ── the load client (child process) ──────────────────────────────────────────────────────────────

if (process.argv[2] === "--client") {
  process.on("message", async ({ id, args }) => {
    try {
      process.send({ id, result: await sequential({ ...args, warmup: 300 }) });
    } catch (error) {
      process.send({ id, error: error.message });
    }
  });
} else {
  await main();
}

// ── the host side ───────────────────────────────────────────────────────────────────────────────

async function main() {
  const dist = (path) => join(repoRoot, "packages/server/dist", path);
  const { pino } = await import("pino");
  const { InMemorySpanExporter } = await import("@opentelemetry/sdk-trace-base");
  const { openDatabase } = await import(dist("db/database.js"));
  const { runMigrations } = await import(dist("db/migrate.js"));
  const { createServices } = await import(dist("domain/services.js"));
  const { LOCAL_BOARD_ACTOR } = await import(dist("domain/actor.js"));
  const { buildApp } = await import(dist("http/app.js"));
  const { createHostPlugins } = await import(dist("composition/host-plugins.js"));
  const { registerPluginRoutes } = await import(dist("http/plugins/index.js"));
  const { registerObservabilityRoutes } = await import(dist("http/observability-routes.js"));
  const { createHostObservability } = await import(dist("observability/index.js"));
  const pluginDir = join(repoRoot, "packages/server/test/plugins/fixtures/bridge/bridge-kit");

  /** A host wired as src/host.ts wires it, on an in-memory PGlite, with the bridge-kit fixture installed. */
  async function startHost(env, exporter) {
    const dataDir = mkdtempSync(join(tmpdir(), "paperclip-metrics-bench-"));
    const db = await openDatabase({ kind: "pglite", dataDir: null });
    await runMigrations(db);
    const logger = pino({ level: "warn" });
    const services = createServices(db);
    const company = await services.companies.create(LOCAL_BOARD_ACTOR, { name: "Bench Co" });
    const observability = createHostObservability({ env, tracing: exporter ? { exporter } : {} });
    const plugins = await createHostPlugins({
      db,
      services,
      logger,
      dataDir,
      deploymentMode: "local_trusted",
      installExamples: false,
      observability,
      runtime: { examplesDir: null },
    });
    const app = await buildApp({
      db,
      config: { deploymentMode: "local_trusted", bodyLimitBytes: 4 * 1024 * 1024 },
      logger: false,
      services,
      observability,
    });
    registerPluginRoutes(app, plugins);
    observability.attach({
      db,
      workers: plugins.runtime.workers,
      registry: plugins.runtime.registry,
      streams: plugins.streams,
    });
    registerObservabilityRoutes(app, {
      metrics: observability.metrics,
      plugins: plugins.runtime.registry,
      env,
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const plugin = await plugins.runtime.lifecycle.install(
      { packageName: pluginDir, isLocalPath: true },
      { actor: LOCAL_BOARD_ACTOR },
    );
    if (plugin.status !== "ready") throw new Error(`bench plugin did not start: ${plugin.lastError}`);
    const url = `http://127.0.0.1:${app.server.address().port}/api/plugins/${plugin.id}/actions/echo`;
    return {
      url,
      body: JSON.stringify({ companyId: company.id, params: { n: 1 } }),
      async close() {
        await app.close();
        await plugins.stop();
        await db.close();
        await observability.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }

  const exporter = new InMemorySpanExporter();
  const variants = [
    { label: "metrics off", host: await startHost({ PAPERCLIP_METRICS: "off" }) },
    { label: "metrics on", host: await startHost({}) },
    { label: "metrics + traces", host: await startHost({}, exporter) },
  ];
  const client = fork(fileURLToPath(import.meta.url), ["--client"], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let nextId = 0;
  const waiting = new Map();
  client.on("message", ({ id, result, error }) => {
    const { resolve, reject } = waiting.get(id);
    waiting.delete(id);
    if (error) reject(new Error(error));
    else resolve(result);
  });
  const measure = (args) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      client.send({ id, args });
    });

  try {
    const rounds = new Map(variants.map((variant) => [variant.label, []]));
    for (let r = 0; r < ROUNDS; r++) {
      // Each round starts with the next variant, so none always runs first (or right after another).
      for (let v = 0; v < variants.length; v++) {
        const { label, host } = variants[(r + v) % variants.length];
        rounds.get(label).push(await measure({ url: host.url, body: host.body, count: SEQUENTIAL }));
        exporter.reset();
      }
    }
    const median = (values) =>
      percentile(
        [...values].sort((a, b) => a - b),
        50,
      );
    const figures = variants.map(({ label }) => ({
      label,
      p50Ms: median(rounds.get(label).map((result) => result.p50Ms)),
      p99Ms: median(rounds.get(label).map((result) => result.p99Ms)),
    }));
    const baseline = figures[0].p50Ms;
    printTable(
      `Bridge action p50 with observability (median of ${ROUNDS} rounds × ${SEQUENTIAL} sequential requests)`,
      figures.map((figure) => ({
        variant: figure.label,
        "p50 ms": round(figure.p50Ms, 3),
        "p99 ms": round(figure.p99Ms, 3),
        "p50 ÷ metrics off": round(figure.p50Ms / baseline, 3),
      })),
    );
    writeResults("metrics", {
      sequentialRequests: SEQUENTIAL,
      rounds: ROUNDS,
      variants: figures.map((figure) => ({ ...figure, p50Ratio: figure.p50Ms / baseline })),
    });
  } finally {
    client.kill();
    for (const { host } of variants) await host.close();
  }
}
