// Issues created per second through the HTTP API with 16 concurrent clients, on the embedded database
// (PGlite, data on disk) and on the local PostgreSQL. Each create also writes its activity row and its
// `issue.created` + `activity.logged` outbox events in the same transaction.
// The host runs as a real `paperclip start` child process; clients run here. Bounded: at most
// ISSUES issues or MAX_SECONDS per engine.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { printTable, repoRoot, round, scratchPostgres, writeResults } from "./lib.mjs";

const CLIENTS = 16;
const WARMUP = 400;
const ISSUES = Number(process.env.BENCH_ISSUES ?? 6000);
const MAX_SECONDS = 15;
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
      "warn",
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

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (response.status !== 201) throw new Error(`POST ${url} → ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** `count` issues created by CLIENTS concurrent loops; returns issues/s and latency percentiles. */
async function createIssues(base, companyId, count, deadline) {
  let next = 0;
  const latencies = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < count && performance.now() < deadline) {
        const n = next++;
        const t0 = performance.now();
        await post(`${base}/api/companies/${companyId}/issues`, {
          title: `Bench issue ${n}`,
          priority: "medium",
        });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p) =>
    round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN);
  return {
    issues: latencies.length,
    seconds: round(seconds),
    perSecond: round(latencies.length / seconds, 0),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}

async function benchEngine(name, extraArgs) {
  const host = await startHost(extraArgs);
  try {
    const company = await post(`${host.base}/api/companies`, { name: `Bench ${name}` });
    await createIssues(host.base, company.id, WARMUP, performance.now() + 10_000);
    const result = await createIssues(host.base, company.id, ISSUES, performance.now() + MAX_SECONDS * 1000);
    return { engine: name, clients: CLIENTS, ...result };
  } finally {
    await host.stop();
  }
}

const rows = [await benchEngine("pglite (embedded, on disk)", [])];
const scratch = await scratchPostgres();
if (scratch.skipped) {
  console.log(`note: PostgreSQL skipped: ${scratch.skipped}`);
} else {
  try {
    rows.push(await benchEngine("postgresql (local server)", ["--database-url", scratch.url]));
  } finally {
    await scratch.drop();
  }
}
printTable(
  "Issues created per second via POST /api/companies/:id/issues (goal ≥ 1,000/s on PGlite; original ≈ 79/s)",
  rows,
);
writeResults("domain", {
  goal: { pglitePerSecond: 1000 },
  originalPerSecond: 79,
  results: rows,
  skipped: scratch.skipped ?? null,
});
