// Several host nodes on one PostgreSQL (docs/scale-out.md), real `paperclip start` processes:
//  1. Plugin-emitted event throughput (emit → outbox → delivered by the node holding the plugin's lease) and
//     bridge action p50/p99 (requests spread round-robin over the nodes) with 1, 2 and 3 nodes; ratios against
//     the 1-node run of the same run.
//  2. Worker stream latency: a worker on node-1 emits (with its send time) → an SSE client on node-2 parses the
//     frame (goal p50 ≤ 5 ms, p99 ≤ 20 ms), and the same-node latency (client on node-1) as the baseline.
// Runs against packages/server/dist (run `npx tsc -b` first) and PostgreSQL (BENCH_DATABASE_URL, else
// TEST_DATABASE_URL, else the local default); skipped without one. Bounded in requests and time.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { percentile, printTable, repoRoot, round, scratchPostgres, writeResults } from "./lib.mjs";

const NODES = Number(process.env.BENCH_CLUSTER_NODES ?? 3);
const EVENTS = Number(process.env.BENCH_CLUSTER_EVENTS ?? 10_000);
const EVENT_ROUNDS = Number(process.env.BENCH_CLUSTER_EVENT_ROUNDS ?? 3);
const ACTIONS = Number(process.env.BENCH_CLUSTER_ACTIONS ?? 2_000);
const STREAM_FRAMES = Number(process.env.BENCH_CLUSTER_STREAM_FRAMES ?? 2_000);
const CLI = join(repoRoot, "packages/server/bin/paperclip.js");
const PLUGIN_DIR = join(repoRoot, "bench/fixtures/cluster-plugin");

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const wallNow = () => performance.timeOrigin + performance.now();

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One `paperclip start` process; resolves once it logged that it started. */
async function startNode(index, databaseUrl, root) {
  const nodeId = `node-${index}`;
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [CLI, "start", "--port", String(port), "--data-dir", join(root, nodeId), "--database-url", databaseUrl],
    {
      env: {
        ...process.env,
        PAPERCLIP_NODE_ID: nodeId,
        PAPERCLIP_LOG_FORMAT: "json",
        PAPERCLIP_LOG_LEVEL: "warn",
        PAPERCLIP_HOME: join(root, nodeId),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  // Started: the API answers and the plugin workers run (the host logs at warn level here, so poll the API).
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${nodeId} exited while starting:\n${output.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`${nodeId} did not start:\n${output.slice(-3000)}`);
    const ready = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    await sleep(100);
  }
  return {
    nodeId,
    url: `http://127.0.0.1:${port}`,
    child,
    agent: new http.Agent({ keepAlive: true, maxSockets: 1 }),
  };
}

function request(node, method, path, body) {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const call = http.request(`${node.url}${path}`, {
      method,
      agent: node.agent,
      headers:
        text === undefined
          ? {}
          : { "content-type": "application/json", "content-length": Buffer.byteLength(text) },
    });
    call.on("response", (response) => {
      let data = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (data += chunk));
      response.on("end", () => {
        const parsed = data === "" ? null : JSON.parse(data);
        if (response.statusCode >= 400)
          reject(new Error(`${method} ${path} → ${response.statusCode} ${data}`));
        else resolve(parsed);
      });
    });
    call.on("error", reject);
    call.end(text);
  });
}

/** Until the node's worker for the plugin answers (a node started before the install picks it up at start). */
async function waitForWorker(node, pluginId, companyId) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await request(node, "POST", `/api/plugins/${pluginId}/actions/echo`, { companyId, params: {} });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(200);
    }
  }
}

async function actionLatency(nodes, pluginId, companyId) {
  const path = `/api/plugins/${pluginId}/actions/echo`;
  const body = { companyId, params: {} };
  for (let i = 0; i < 300; i++) await request(nodes[i % nodes.length], "POST", path, body);
  const samples = new Float64Array(ACTIONS);
  for (let i = 0; i < ACTIONS; i++) {
    const started = performance.now();
    await request(nodes[i % nodes.length], "POST", path, body);
    samples[i] = performance.now() - started;
  }
  samples.sort();
  return { p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) };
}

/** Emit EVENTS through node-1's worker; time until the plugin's cursor reached the outbox head. */
async function eventThroughput(db, node, pluginId, companyId) {
  const rates = [];
  for (let round = 0; round < EVENT_ROUNDS; round++) {
    const started = performance.now();
    await request(node, "POST", `/api/plugins/${pluginId}/actions/burst`, {
      companyId,
      params: { count: EVENTS },
    });
    const { rows } = await db.query("SELECT max(seq)::bigint AS head FROM domain_events");
    const head = Number(rows[0].head);
    for (;;) {
      const cursor = await db.query("SELECT last_seq FROM plugin_event_cursors WHERE plugin_id = $1", [
        pluginId,
      ]);
      if (Number(cursor.rows[0]?.last_seq ?? 0) >= head) break;
      if (performance.now() - started > 120_000)
        throw new Error("event delivery did not finish in 2 minutes");
      await sleep(5);
    }
    rates.push(EVENTS / ((performance.now() - started) / 1000));
  }
  rates.sort((a, b) => a - b);
  return { median: rates[Math.floor(rates.length / 2)], min: rates[0], max: rates.at(-1) };
}

/** An SSE client: resolves once subscribed; `latencies` collects receive − send per message frame. */
async function streamClient(node, pluginId, companyId, channel) {
  const abort = new AbortController();
  const response = await fetch(
    `${node.url}/api/plugins/${pluginId}/bridge/stream/${channel}?companyId=${companyId}`,
    {
      headers: { accept: "text/event-stream" },
      signal: abort.signal,
    },
  );
  if (!response.ok) throw new Error(`stream on ${node.nodeId}: ${response.status}`);
  const latencies = [];
  let closed;
  const done = new Promise((resolve) => (closed = resolve));
  (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of response.body) {
        const receivedAt = wallNow();
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
          if (frame.includes("\nevent: close")) closed();
          const data = /\ndata: (\{"i".*)$/m.exec(frame)?.[1];
          if (data) latencies.push(receivedAt - JSON.parse(data).sentAt);
        }
      }
    } catch {
      // aborted
    }
  })();
  return { latencies, done, close: () => abort.abort() };
}

async function streamLatency(nodes, pluginId, companyId) {
  const channel = `latency-${Date.now()}`;
  const same = await streamClient(nodes[0], pluginId, companyId, channel);
  const other = await streamClient(nodes[1], pluginId, companyId, channel);
  await request(nodes[0], "POST", `/api/plugins/${pluginId}/actions/stream`, {
    companyId,
    params: { channel, count: STREAM_FRAMES, everyMs: 1 },
  });
  await Promise.race([Promise.all([same.done, other.done]), sleep(30_000)]);
  same.close();
  other.close();
  const summary = (values) => {
    const sorted = Float64Array.from(values).sort();
    return {
      frames: sorted.length,
      p50Ms: round(percentile(sorted, 50), 3),
      p99Ms: round(percentile(sorted, 99), 3),
    };
  };
  return { sameNode: summary(same.latencies), otherNode: summary(other.latencies) };
}

async function main() {
  const scratch = await scratchPostgres();
  if (scratch.skipped) {
    console.log(`cluster bench skipped: ${scratch.skipped}`);
    writeResults("cluster", { skipped: scratch.skipped });
    return;
  }
  const root = mkdtempSync(join(tmpdir(), "paperclip-bench-cluster-"));
  const db = new pg.Pool({ connectionString: scratch.url, max: 2 });
  const nodes = [];
  try {
    nodes.push(await startNode(1, scratch.url, root));
    const first = nodes[0];
    const company = await request(first, "POST", "/api/companies", { name: "Bench Co" });
    const plugin = await request(first, "POST", "/api/plugins/install", {
      packageName: PLUGIN_DIR,
      isLocalPath: true,
    });
    if (plugin.status !== "ready") throw new Error(`bench plugin did not start: ${plugin.lastError}`);
    const rows = [];
    let stream = null;
    for (let count = 1; count <= NODES; count++) {
      if (count > 1) nodes.push(await startNode(count, scratch.url, root));
      for (const node of nodes) await waitForWorker(node, plugin.id, company.id);
      const actions = await actionLatency(nodes, plugin.id, company.id);
      const events = await eventThroughput(db, first, plugin.id, company.id);
      rows.push({ nodes: count, actions, events });
      if (count === 2) stream = await streamLatency(nodes, plugin.id, company.id);
    }
    const base = rows[0];
    const table = rows.map((row) => ({
      nodes: row.nodes,
      "events/s (median)": Math.round(row.events.median),
      "events/s range": `${Math.round(row.events.min)}–${Math.round(row.events.max)}`,
      "events vs 1 node": `${round(row.events.median / base.events.median)}×`,
      "action p50 ms": round(row.actions.p50Ms, 3),
      "action p99 ms": round(row.actions.p99Ms, 3),
      "p50 vs 1 node": `${round(row.actions.p50Ms / base.actions.p50Ms)}×`,
    }));
    printTable(
      `Plugin-emitted events (${EVENTS} per round, ${EVENT_ROUNDS} rounds) and bridge actions`,
      table,
    );
    if (stream) {
      printTable(
        `Worker stream latency, ${STREAM_FRAMES} frames, worker on node-1 (goal other node ≤ 5 / 20 ms)`,
        [
          { client: "same node (node-1)", ...stream.sameNode },
          { client: "other node (node-2)", ...stream.otherNode },
        ],
      );
    }
    writeResults("cluster", { events: EVENTS, actions: ACTIONS, rows, stream });
  } finally {
    for (const node of nodes) {
      node.agent.destroy();
      node.child.kill("SIGKILL");
    }
    await db.end();
    await sleep(200);
    await scratch.drop();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
