// The cost of the worker sandbox (issue 14): the same plugin on two runtimes in one process, one with the sandbox
// (Node's permission model, its own network namespace where the OS allows it, read paths resolved at each start) and
// one with it switched off (PAPERCLIP_PLUGIN_SANDBOX=off), measured in turns so both see the same machine load:
//  1. enable → ready: `POST /enable`'s work (lifecycle.enable: worker spawned, `initialize` answered, status written).
//  2. a bridge action's round trip: host→worker `performAction` and its answer (no host calls inside).
// Reported as p50s and as sandboxed ÷ unsandboxed ratios. PGlite on disk. Runs against packages/server/dist (npx tsc -b).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pino } from "pino";
import { percentile, printTable, repoRoot, round, writeResults } from "./lib.mjs";

const dist = (path) => join(repoRoot, "packages/server/dist", path);
const { openDatabase } = await import(dist("db/database.js"));
const { runMigrations } = await import(dist("db/migrate.js"));
const { createServices } = await import(dist("domain/services.js"));
const { LOCAL_BOARD_ACTOR } = await import(dist("domain/actor.js"));
const { createPluginRuntime } = await import(dist("plugins/runtime/index.js"));
const { createPluginHostServicesFactory } = await import(dist("plugins/host-services/index.js"));
const { hostSandboxStatus } = await import(dist("plugins/sandbox/index.js"));
const { HOST_VERSION } = await import(dist("version.js"));

const ENABLES = Number(process.env.BENCH_ENABLES ?? 20);
const ROUND_TRIPS = Number(process.env.BENCH_ACTION_ROUND_TRIPS ?? 2000);
const PLUGIN_DIR = join(repoRoot, "packages/server/test/plugins/fixtures/runtime/basic-plugin");
const context = { actor: LOCAL_BOARD_ACTOR };

const median = (values) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** One runtime on its own PGlite folder, with the plugin installed and ready. */
async function openSide(label, sandboxEnabled) {
  const folder = mkdtempSync(join(tmpdir(), `paperclip-sandbox-bench-${label}-`));
  const db = await openDatabase({ kind: "pglite", dataDir: join(folder, "db") });
  await runMigrations(db);
  const logger = pino({ level: "warn" });
  const services = createServices(db);
  await services.companies.create(LOCAL_BOARD_ACTOR, { name: "Bench Co" });
  const factory = createPluginHostServicesFactory({
    db,
    services,
    logger,
    dataDir: null,
    startLogRetention: false,
  });
  const runtime = await createPluginRuntime({
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
    sandbox: { enabled: sandboxEnabled, disabledBy: "bench", hostDataDir: folder },
  });
  const plugin = await runtime.lifecycle.install({ packageName: PLUGIN_DIR, isLocalPath: true }, context);
  if (plugin.status !== "ready")
    throw new Error(`${label}: the fixture plugin did not start: ${plugin.lastError}`);
  const sandboxed = runtime.workers.diagnostics(plugin.id).sandbox.sandboxed;
  if (sandboxed !== sandboxEnabled)
    throw new Error(`${label}: worker sandboxed=${sandboxed}, expected ${sandboxEnabled}`);
  return {
    label,
    runtime,
    plugin,
    enableMs: [],
    spawnToReadyMs: [],
    actionMs: [],
    async close() {
      await runtime.stop();
      await factory.dispose();
      await db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

async function enableOnce(side) {
  await side.runtime.lifecycle.disable(side.plugin.id, null, context);
  const started = performance.now();
  const enabled = await side.runtime.lifecycle.enable(side.plugin.id, context);
  side.enableMs.push(performance.now() - started);
  if (enabled.status !== "ready") throw new Error(`${side.label}: enable failed: ${enabled.lastError}`);
  side.spawnToReadyMs.push(side.runtime.workers.diagnostics(side.plugin.id).spawnToReadyMs);
}

async function actions(side, count, record) {
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await side.runtime.callPlugin(side.plugin.id, "performAction", { key: "whoami", params: {} }, null);
    if (record) side.actionMs.push(performance.now() - started);
  }
}

const host = await hostSandboxStatus({ enabled: true });
const on = await openSide("sandboxed", true);
const off = await openSide("unsandboxed", false);
try {
  // Turns: each enable and each block of 100 actions alternates between the two sides.
  for (let i = 0; i < ENABLES; i++) {
    await enableOnce(i % 2 === 0 ? on : off);
    await enableOnce(i % 2 === 0 ? off : on);
  }
  await actions(on, ROUND_TRIPS / 10, false);
  await actions(off, ROUND_TRIPS / 10, false);
  for (let done = 0; done < ROUND_TRIPS; done += 100) {
    await actions(on, 100, true);
    await actions(off, 100, true);
  }
} finally {
  await on.close();
  await off.close();
}

const summary = (side) => ({
  enableP50Ms: median(side.enableMs),
  spawnToReadyP50Ms: median(side.spawnToReadyMs),
  actionP50Ms: median(side.actionMs),
  actionP99Ms: percentile(
    [...side.actionMs].sort((a, b) => a - b),
    99,
  ),
});
const sandboxed = summary(on);
const unsandboxed = summary(off);
const ratios = {
  enable: sandboxed.enableP50Ms / unsandboxed.enableP50Ms,
  spawnToReady: sandboxed.spawnToReadyP50Ms / unsandboxed.spawnToReadyP50Ms,
  action: sandboxed.actionP50Ms / unsandboxed.actionP50Ms,
};
printTable(
  `Worker sandbox cost (${host.permissionModel.flag ?? "no permission model"}, network: ${host.network.mode})`,
  [
    { "": "sandboxed", ...rounded(sandboxed) },
    { "": "sandbox off", ...rounded(unsandboxed) },
    {
      "": "ratio",
      "enable→ready p50 (ms)": round(ratios.enable),
      "spawn→initialized p50 (ms)": round(ratios.spawnToReady),
      "action p50 (ms)": round(ratios.action),
      "action p99 (ms)": "",
    },
  ],
);
writeResults("sandbox", {
  enables: ENABLES,
  roundTrips: ROUND_TRIPS,
  permissionFlag: host.permissionModel.flag,
  network: host.network.mode,
  sandboxed,
  unsandboxed,
  ratios: Object.fromEntries(Object.entries(ratios).map(([key, value]) => [key, round(value)])),
});

function rounded(row) {
  return {
    "enable→ready p50 (ms)": round(row.enableP50Ms),
    "spawn→initialized p50 (ms)": round(row.spawnToReadyP50Ms),
    "action p50 (ms)": round(row.actionP50Ms, 3),
    "action p99 (ms)": round(row.actionP99Ms, 3),
  };
}
