// Issues created per second through the HTTP API with 16 concurrent clients, on the embedded database
// (PGlite, data on disk) and on the local PostgreSQL. Each create also writes its activity row and its
// `issue.created` + `activity.logged` outbox events in the same transaction.
// Per engine, one fresh host per case: no plugin, 1 and 10 subscribed plugins (the events fixture worker,
// subscribed to issue.created, counting in memory), and the hello-world example (which writes plugin state
// and an activity row per event). Ratios are against the no-plugin case of the same run; the lag is from the
// issue's createdAt (the host's clock as its transaction began) to the first subscriber's handler, over every
// issue of the measured phase.
// The host runs as a real `paperclip start` child process; clients run here. Bounded: at most
// ISSUES issues or MAX_SECONDS per case.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { post as postJson } from "./http-client.mjs";
import {
  eventPluginFolder,
  percentile,
  printTable,
  repoRoot,
  round,
  scratchPostgres,
  writeResults,
} from "./lib.mjs";

const CLIENTS = 16;
const WARMUP = 400;
const ISSUES = Number(process.env.BENCH_ISSUES ?? 6000);
const MAX_SECONDS = 10;
const ROUNDS = Number(process.env.BENCH_DOMAIN_ROUNDS ?? 2);
const DRAIN_LIMIT_MS = 60_000;
const now = () => performance.timeOrigin + performance.now();
const cli = join(repoRoot, "packages/server/dist/cli/main.js");

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function startHost(extraArgs) {
  const dataDir = mkdtempSync(join(tmpdir(), "paperclip-bench-"));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      cli,
      "start",
      "--data-dir",
      dataDir,
      "--port",
      String(port),
      "--no-seed",
      "--log-level",
      "error",
      ...extraArgs,
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const response = await fetch(`${base}/api/health`);
      if (response.ok) {
        return {
          base,
          async stop() {
            child.kill("SIGTERM");
            await new Promise((resolve) => child.once("exit", resolve));
            rmSync(dataDir, { recursive: true, force: true });
          },
        };
      }
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error("host did not become healthy");
}

async function post(url, body, expected = 201) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (response.status !== expected) {
    throw new Error(`POST ${url} → ${response.status} ${JSON.stringify(json)}`);
  }
  return json;
}

async function install(base, folder) {
  const plugin = await post(`${base}/api/plugins/install`, { packageName: folder, isLocalPath: true }, 200);
  if (plugin.status !== "ready") throw new Error(`plugin ${folder} did not start: ${plugin.lastError}`);
  return plugin.id;
}

const action = (base, pluginId, companyId, key) =>
  post(`${base}/api/plugins/${pluginId}/actions/${key}`, { companyId, params: {} }, 200).then(
    (answer) => answer.data ?? answer,
  );

/** Wait until every subscriber has handled `count` events (null when they have not within the limit). */
async function drained(base, companyId, subscribers, count) {
  const deadline = performance.now() + DRAIN_LIMIT_MS;
  let stats = [];
  while (performance.now() < deadline) {
    stats = await Promise.all(subscribers.map((id) => action(base, id, companyId, "stats")));
    if (stats.every((s) => s.count >= count)) return stats;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return null;
}

/** `count` issues created by CLIENTS concurrent loops; returns issues/s and latency percentiles. */
async function createIssues(base, companyId, count, deadline) {
  let next = 0;
  const latencies = [];
  const created = [];
  // node:http with keep-alive, as the other HTTP benches: fetch costs the client far more CPU per request, and
  // on a 2-core machine that CPU comes out of the host's share.
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const url = `${base}/api/companies/${companyId}/issues`;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < count && performance.now() < deadline) {
        const n = next++;
        const sentAt = now();
        const issue = JSON.parse(
          await postJson(agent, url, JSON.stringify({ title: `Bench issue ${n}`, priority: "medium" })),
        );
        const answeredAt = now();
        latencies.push(answeredAt - sentAt);
        created.push({ id: issue.id, createdAt: Date.parse(issue.createdAt), answeredAt });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p) =>
    round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN);
  return {
    issues: latencies.length,
    seconds: round(seconds),
    perSecond: round(latencies.length / seconds, 0),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    created,
  };
}

const CASES = [
  { name: "no plugin", subscribers: 0 },
  { name: "1 subscribed plugin", subscribers: 1 },
  { name: "10 subscribed plugins", subscribers: 10 },
  { name: "hello-world example", example: "examples/hello-world" },
];

async function benchCase(engine, extraArgs, scenario) {
  const host = await startHost(extraArgs);
  const folder = mkdtempSync(join(tmpdir(), "paperclip-domain-bench-"));
  try {
    const company = await post(`${host.base}/api/companies`, { name: `Bench ${engine}` });
    const subscribers = [];
    for (let i = 0; i < (scenario.subscribers ?? 0); i++) {
      const config = { subscriptions: [{ pattern: "issue.created" }], trackEntity: i === 0 };
      subscribers.push(await install(host.base, eventPluginFolder(folder, `bench.domain-sub${i}`, config)));
    }
    if (scenario.example) await install(host.base, join(repoRoot, scenario.example));
    await createIssues(host.base, company.id, WARMUP, performance.now() + 10_000);
    if (subscribers.length > 0) {
      if (!(await drained(host.base, company.id, subscribers, WARMUP)))
        throw new Error("warm-up not delivered");
      for (const id of subscribers) await action(host.base, id, company.id, "reset");
    }
    const { created, ...result } = await createIssues(
      host.base,
      company.id,
      ISSUES,
      performance.now() + MAX_SECONDS * 1000,
    );
    const lag = {};
    if (subscribers.length > 0) {
      const lastAnswer = Math.max(...created.map((issue) => issue.answeredAt));
      const stats = await drained(host.base, company.id, subscribers, created.length);
      if (!stats) throw new Error(`the subscribers did not receive ${created.length} events in time`);
      const [first] = stats;
      const lags = created.map((issue) => first.handledAt[issue.id] - issue.createdAt).sort((a, b) => a - b);
      lag.lagP50Ms = round(percentile(lags, 50));
      lag.lagP99Ms = round(percentile(lags, 99));
      lag.drainAfterLastMs = round(Math.max(...stats.map((s) => s.lastAt)) - lastAnswer);
    }
    return { engine, case: scenario.name, clients: CLIENTS, ...result, ...lag };
  } finally {
    await host.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Every case on one engine, each on a fresh host and database (`database()` gives its extra start arguments),
 * ROUNDS times in turn; each case keeps its best round (on a shared machine, neighbours only ever slow a run down).
 */
async function benchEngine(engine, database) {
  const best = new Map();
  for (let pass = 0; pass < ROUNDS; pass++) {
    for (const scenario of CASES) {
      const { args, drop } = await database();
      try {
        const row = await benchCase(engine, args, scenario);
        const kept = best.get(scenario.name);
        if (!kept || row.perSecond > kept.perSecond) best.set(scenario.name, row);
      } finally {
        await drop();
      }
    }
  }
  const rows = [...best.values()];
  const baseline = rows[0].perSecond;
  for (const row of rows) row.vsNoPlugin = round(row.perSecond / baseline);
  return rows;
}

const rows = await benchEngine("pglite", async () => ({ args: [], drop: async () => {} }));
const probe = await scratchPostgres();
if (probe.skipped) {
  console.log(`note: PostgreSQL skipped: ${probe.skipped}`);
} else {
  await probe.drop();
  rows.push(
    ...(await benchEngine("postgresql", async () => {
      const scratch = await scratchPostgres();
      return { args: ["--database-url", scratch.url], drop: scratch.drop };
    })),
  );
}
printTable(
  "Issues created per second via POST /api/companies/:id/issues, 16 clients (goals on PGlite: ≥ 1,000/s, and ≥ 90% of the no-plugin rate with 1 and 10 subscribers; original ≈ 79/s)",
  rows.map((row) => ({
    engine: row.engine,
    case: row.case,
    "issues/s": row.perSecond,
    "vs no plugin": row.vsNoPlugin,
    "POST p50 ms": row.p50Ms,
    "POST p99 ms": row.p99Ms,
    "lag p50 ms": row.lagP50Ms ?? "",
    "lag p99 ms": row.lagP99Ms ?? "",
    "drained after ms": row.drainAfterLastMs ?? "",
  })),
);
const pglite = rows.filter((row) => row.engine === "pglite");
const check = (ok) => (ok ? "✓" : "✗");
const byCase = (name) => pglite.find((row) => row.case === name);
console.log(
  `\ngoals (PGlite): ${["1 subscribed plugin", "10 subscribed plugins"]
    .map((name) => {
      const row = byCase(name);
      return `${name}: ${row.perSecond}/s, ${row.vsNoPlugin}× ${check(row.perSecond >= 1000 && row.vsNoPlugin >= 0.9)}`;
    })
    .join("; ")}`,
);
writeResults("domain", {
  goal: { pglitePerSecond: 1000, withSubscribersVsNone: 0.9 },
  rounds: ROUNDS,
  originalPerSecond: 79,
  results: rows,
  skipped: probe.skipped ?? null,
});
