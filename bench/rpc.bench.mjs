// Host→worker RPC cost: raw NDJSON ping-pong vs. our RPC peer calling performAction on SDK workers.
// Every process is pinned to CPU 0 so cross-CPU wake-ups do not decide the result (DESIGN §7).
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RpcPeer } from "@paperclipai/plugin-sdk/protocol";
import { benchManifest } from "./fixtures/action-plugin-body.mjs";
import { benchDir, percentile, printTable, round, writeResults } from "./lib.mjs";

const SEQUENTIAL_CALLS = Number(process.env.BENCH_RPC_SEQUENTIAL ?? 4000);
const PIPELINED_CALLS = Number(process.env.BENCH_RPC_PIPELINED ?? 60000);
const WINDOW = 256;
const ROUNDS = 3;

const pinned = spawnSync("taskset", ["-pc", "0", String(process.pid)], { encoding: "utf8" }).status === 0;
if (!pinned) console.log("note: taskset unavailable; running unpinned");

const fixture = (name) => join(benchDir, "fixtures", name);

/** The raw baseline's host side: write one line per call, match responses by id. */
function rawClient(child) {
  const waiting = new Map();
  let buffered = "";
  let nextId = 1;
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk) => {
    buffered += chunk;
    let newline = buffered.indexOf("\n");
    while (newline !== -1) {
      const message = JSON.parse(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      const resolve = waiting.get(message.id);
      waiting.delete(message.id);
      resolve(message.result);
      newline = buffered.indexOf("\n");
    }
  });
  return (params) =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      const request = { jsonrpc: "2.0", id, method: "performAction", params: { key: "echo", params } };
      child.stdin.write(`${JSON.stringify(request)}\n`);
    });
}

/** Our host side: the SDK's RPC peer, after the initialize handshake. */
async function peerClient(child) {
  const peer = new RpcPeer({
    input: child.stdout,
    output: child.stdin,
    onRequest: (method) => {
      throw Object.assign(new Error(`Host does not handle method "${method}"`), { code: -32601 });
    },
  });
  await peer.call("initialize", {
    manifest: benchManifest,
    config: {},
    instanceInfo: { instanceId: "bench", hostVersion: "0.1.0" },
    apiVersion: 1,
  });
  return (params) => peer.call("performAction", { key: "echo", params, renderEnvironment: null });
}

function start(script) {
  const child = spawn(process.execPath, [script], { stdio: ["pipe", "pipe", "inherit"] });
  return child;
}

async function sequential(call) {
  for (let i = 0; i < 500; i++) await call({ n: i });
  const samples = new Float64Array(SEQUENTIAL_CALLS);
  for (let i = 0; i < SEQUENTIAL_CALLS; i++) {
    const started = process.hrtime.bigint();
    await call({ n: i });
    samples[i] = Number(process.hrtime.bigint() - started) / 1000;
  }
  samples.sort();
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function pipelined(call) {
  let issued = 0;
  const started = process.hrtime.bigint();
  async function lane() {
    while (issued < PIPELINED_CALLS) {
      issued++;
      await call({ n: issued });
    }
  }
  await Promise.all(Array.from({ length: WINDOW }, lane));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return PIPELINED_CALLS / seconds;
}

async function measure(label, script, makeClient) {
  const child = start(script);
  const call = await makeClient(child);
  const seq = [];
  const thr = [];
  for (let r = 0; r < ROUNDS; r++) {
    seq.push(await sequential(call));
    thr.push(await pipelined(call));
  }
  child.stdin.end();
  await new Promise((resolve) => child.once("exit", resolve));
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {
    label,
    p50: median(seq.map((s) => s.p50)),
    p99: median(seq.map((s) => s.p99)),
    callsPerSecond: median(thr),
  };
}

function rssKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
}

async function idleRss(script, initialize) {
  const child = start(script);
  if (initialize) await peerClient(child);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const kb = rssKb(child.pid);
  child.stdin.end();
  await new Promise((resolve) => child.once("exit", resolve));
  return kb / 1024;
}

const raw = await measure("raw NDJSON ping-pong", fixture("raw-echo.mjs"), rawClient);
const ours = await measure("RpcPeer → our SDK worker", fixture("action-worker-ours.mjs"), peerClient);
const published = await measure(
  "RpcPeer → published SDK worker",
  fixture("action-worker-published.mjs"),
  peerClient,
);

const bareRss = await idleRss(fixture("idle-node.mjs"), false);
const oursRss = await idleRss(fixture("action-worker-ours.mjs"), true);
const publishedRss = await idleRss(fixture("action-worker-published.mjs"), true);

const rows = [raw, ours, published].map((r) => ({
  case: r.label,
  "p50 µs": round(r.p50, 1),
  "p99 µs": round(r.p99, 1),
  "p50 / raw": round(r.p50 / raw.p50, 3),
  "calls/s (256 in flight)": Math.round(r.callsPerSecond),
  "% of raw throughput": round((100 * r.callsPerSecond) / raw.callsPerSecond, 1),
}));
printTable(`RPC round trip (${pinned ? "pinned to CPU 0" : "unpinned"}, median of ${ROUNDS} rounds)`, rows);
const memory = [
  { process: "bare node", "idle RSS MB": round(bareRss, 1), "× bare": 1 },
  { process: "our SDK worker", "idle RSS MB": round(oursRss, 1), "× bare": round(oursRss / bareRss, 2) },
  {
    process: "published SDK worker",
    "idle RSS MB": round(publishedRss, 1),
    "× bare": round(publishedRss / bareRss, 2),
  },
];
printTable("Idle worker memory", memory);

const oursVsRaw = { p50Ratio: ours.p50 / raw.p50, throughputShare: ours.callsPerSecond / raw.callsPerSecond };
console.log(
  `\ngoals: p50 ≤ 1.1× raw → ${round(oursVsRaw.p50Ratio, 3)}× ${oursVsRaw.p50Ratio <= 1.1 ? "✓" : "✗"}; ` +
    `throughput ≥ 90% of raw → ${round(100 * oursVsRaw.throughputShare, 1)}% ${oursVsRaw.throughputShare >= 0.9 ? "✓" : "✗"}; ` +
    `idle RSS ≤ 1.3× bare → ${round(oursRss / bareRss, 2)}× ${oursRss / bareRss <= 1.3 ? "✓" : "✗"}`,
);
writeResults("rpc", {
  pinned,
  sequentialCalls: SEQUENTIAL_CALLS,
  pipelinedCalls: PIPELINED_CALLS,
  window: WINDOW,
  rows,
  memory,
});
