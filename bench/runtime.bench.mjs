// Plugin runtime speed (DESIGN §7):
//  1. enable → ready: `POST /enable`'s work (lifecycle.enable: registry claim, worker spawned, `initialize`
//     answered, configs replayed, status written) against the time to spawn and reap a bare `node -e 0`,
//     measured in the same run. Goal ≤ 2× node start (the original takes 185 ms).
//  2. worker→host `state.set` + `state.get` round trip from an action: host→worker `performAction` whose handler
//     sets and reads a state key, against the same action without host calls.
// Both on PGlite (data on disk, as `paperclip start` uses it) and on the local PostgreSQL (skipped with a note
// when unreachable). Runs in-process against packages/server/dist (run `npx tsc -b` first).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pino } from "pino";
import { percentile, printTable, repoRoot, round, scratchPostgres, writeResults } from "./lib.mjs";

const dist = (path) => join(repoRoot, "packages/server/dist", path);
const { openDatabase } = await import(dist("db/database.js"));
const { runMigrations } = await import(dist("db/migrate.js"));
const { createServices } = await import(dist("domain/services.js"));
const { LOCAL_BOARD_ACTOR } = await import(dist("domain/actor.js"));
const { createPluginRuntime } = await import(dist("plugins/runtime/index.js"));
const { createPluginHostServicesFactory } = await import(dist("plugins/host-services/index.js"));
const { HOST_VERSION } = await import(dist("version.js"));

const NODE_STARTS = Number(process.env.BENCH_NODE_STARTS ?? 20);
const ENABLES = Number(process.env.BENCH_ENABLES ?? 20);
const ROUND_TRIPS = Number(process.env.BENCH_STATE_ROUND_TRIPS ?? 2000);
const PLUGIN_DIR = join(repoRoot, "packages/server/test/plugins/fixtures/runtime/basic-plugin");

const median = (values) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** Spawn → exit of `node -e 0`, the floor any worker start pays. */
async function nodeStartMs() {
  const samples = [];
  for (let i = 0; i < NODE_STARTS; i++) {
    const started = performance.now();
    await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["-e", "0"], { stdio: "ignore" });
      child.on("error", reject);
      child.on("exit", resolve);
    });
    samples.push(performance.now() - started);
  }
  return median(samples);
}

async function benchEngine(label, options) {
  const folder = mkdtempSync(join(tmpdir(), "paperclip-runtime-bench-"));
  const db = await openDatabase(
    options.kind === "pglite" ? { kind: "pglite", dataDir: join(folder, "db") } : options,
  );
  const logger = pino({ level: "warn" });
  const services = createServices(db);
  let runtime;
  let factory;
  try {
    await runMigrations(db);
    await services.companies.create(LOCAL_BOARD_ACTOR, { name: "Bench Co" });
    factory = createPluginHostServicesFactory({
      db,
      services,
      logger,
      dataDir: null,
      startLogRetention: false,
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
    const context = { actor: LOCAL_BOARD_ACTOR };
    const plugin = await runtime.lifecycle.install({ packageName: PLUGIN_DIR, isLocalPath: true }, context);
    if (plugin.status !== "ready") throw new Error(`fixture plugin did not start: ${plugin.lastError}`);

    const enableMs = [];
    const spawnToReadyMs = [];
    for (let i = 0; i < ENABLES; i++) {
      await runtime.lifecycle.disable(plugin.id, null, context);
      const started = performance.now();
      const enabled = await runtime.lifecycle.enable(plugin.id, context);
      enableMs.push(performance.now() - started);
      if (enabled.status !== "ready") throw new Error(`enable failed: ${enabled.lastError}`);
      spawnToReadyMs.push(runtime.workers.diagnostics(plugin.id).spawnToReadyMs);
    }

    const call = (key, params) => runtime.callPlugin(plugin.id, "performAction", { key, params }, null);
    const timed = async (key, params) => {
      const samples = [];
      for (let i = 0; i < ROUND_TRIPS / 10; i++) await call(key, params(i)); // warm-up
      for (let i = 0; i < ROUND_TRIPS; i++) {
        const started = performance.now();
        await call(key, params(i));
        samples.push(performance.now() - started);
      }
      return samples.sort((a, b) => a - b);
    };
    const bare = await timed("whoami", () => ({}));
    const state = await timed("state-roundtrip", (i) => ({ key: `k${i % 50}`, value: { i } }));
    return {
      engine: label,
      enableP50Ms: median(enableMs),
      spawnToReadyP50Ms: median(spawnToReadyMs),
      actionP50Ms: percentile(bare, 50),
      stateActionP50Ms: percentile(state, 50),
      stateActionP99Ms: percentile(state, 99),
    };
  } finally {
    await runtime?.stop();
    await factory?.dispose();
    await db.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

const nodeMs = await nodeStartMs();
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

const table = rows.map((row) => ({
  engine: row.engine,
  "node -e 0 (ms)": round(nodeMs),
  "enable→ready p50 (ms)": round(row.enableP50Ms),
  "× node start": round(row.enableP50Ms / nodeMs),
  "spawn→initialized p50 (ms)": round(row.spawnToReadyP50Ms),
  "action p50 (ms)": round(row.actionP50Ms, 3),
  "action + state.set/get p50 (ms)": round(row.stateActionP50Ms, 3),
  "… p99 (ms)": round(row.stateActionP99Ms, 3),
  "state.set+get cost p50 (ms)": round(row.stateActionP50Ms - row.actionP50Ms, 3),
}));
printTable(
  "Plugin runtime: enable → ready (goal ≤ 2× node start; original 185 ms) and state round trip",
  table,
);
writeResults("runtime", {
  nodeStartMs: round(nodeMs),
  enables: ENABLES,
  roundTrips: ROUND_TRIPS,
  rows: rows.map((row) => ({ ...row, enableVsNodeStart: round(row.enableP50Ms / nodeMs) })),
  skipped,
});
