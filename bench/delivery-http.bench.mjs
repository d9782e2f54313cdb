// HTTP delivery speed (DESIGN §7, issue 5 "Speed"):
//  1. Bridge action `POST /api/plugins/:id/actions/:key` (host → worker performAction → host) against a bare
//     `node:http` server and a bare Fastify route returning the same JSON, in the same run: sequential p50/p99
//     (one request in flight) and requests per second at 32 keep-alive connections. Goals, judged against the
//     bare node:http server (issue 17): p50 ≤ 1.5× bare, ≥ 50% of bare req/s (the original: 1.12 ms,
//     1,531 req/s). The bare Fastify row stays as a second reference. Two phases: first while the host has not
//     yet seen the worker tag a call with an invocation id (its calls then run one at a time, for exact
//     attribution), then after an action that calls the host (calls overlap).
//  2. 10,000 stream events from a worker to an SSE client: from the POST that starts the burst until the
//     client has parsed the closing frame. Goal ≤ 0.3 s.
// The host (and the bare server) run in this process; the load comes from a child process (`--client`), so
// the client never competes with the server for one event loop. Runs against packages/server/dist (run
// `npx tsc -b` first); bounded in requests and time.
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { post, sequential } from "./http-client.mjs";
import { percentile, printTable, repoRoot, round, writeResults } from "./lib.mjs";

const SEQUENTIAL = Number(process.env.BENCH_HTTP_SEQUENTIAL ?? 3000);
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 32);
const LOAD_MS = Number(process.env.BENCH_HTTP_LOAD_MS ?? 3000);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const STREAM_EVENTS = Number(process.env.BENCH_STREAM_EVENTS ?? 10_000);
const STREAM_ROUNDS = Number(process.env.BENCH_STREAM_ROUNDS ?? 5);

// ── the load client (child process) ──────────────────────────────────────────────────────────────

async function concurrent({ url, body, connections, durationMs }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let counting = false;
  let completed = 0;
  let stop = false;
  const lane = async () => {
    while (!stop) {
      await post(agent, url, body);
      if (counting) completed++;
    }
  };
  const lanes = Array.from({ length: connections }, lane);
  await new Promise((resolve) => setTimeout(resolve, 500)); // warm-up: connections open, JIT warm
  counting = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  counting = false;
  const seconds = (performance.now() - started) / 1000;
  stop = true;
  await Promise.all(lanes);
  agent.destroy();
  return { requestsPerSecond: completed / seconds };
}

/** Subscribe, start the burst with a POST, and time until the close frame of the burst is parsed. */
async function streamBurst({ streamUrl, actionUrl, body, events }) {
  return new Promise((resolve, reject) => {
    const request = http.get(streamUrl, { headers: { accept: "text/event-stream" } });
    request.on("error", reject);
    request.on("response", (response) => {
      let pending = "";
      let messages = 0;
      let started = 0;
      response.setEncoding("utf8");
      response.on("data", (chunk) => {
        pending += chunk;
        let end = pending.indexOf("\n\n");
        while (end !== -1) {
          const frame = pending.slice(0, end);
          pending = pending.slice(end + 2);
          if (frame.startsWith(":ok") && started === 0) {
            started = performance.now();
            post(undefined, actionUrl, body).catch(reject);
          } else if (frame.includes("\nevent: close\n")) {
            const elapsed = performance.now() - started;
            request.destroy();
            if (messages !== events) reject(new Error(`received ${messages} of ${events} events`));
            else resolve({ elapsedMs: elapsed, messages });
            return;
          } else if (frame.startsWith("id: ") && !frame.includes("\nevent: ")) {
            JSON.parse(frame.slice(frame.indexOf("\ndata: ") + 7));
            messages++;
          }
          end = pending.indexOf("\n\n");
        }
      });
    });
  });
}

if (process.argv[2] === "--client") {
  const handlers = { sequential, concurrent, streamBurst };
  process.on("message", async ({ id, kind, args }) => {
    try {
      process.send({ id, result: await handlers[kind](args) });
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
  const { default: Fastify } = await import("fastify");
  const { pino } = await import("pino");
  const { openDatabase } = await import(dist("db/database.js"));
  const { runMigrations } = await import(dist("db/migrate.js"));
  const { createServices } = await import(dist("domain/services.js"));
  const { LOCAL_BOARD_ACTOR } = await import(dist("domain/actor.js"));
  const { buildApp } = await import(dist("http/app.js"));
  const { createHostPlugins } = await import(dist("composition/host-plugins.js"));
  const { registerPluginRoutes } = await import(dist("http/plugins/index.js"));
  const pluginDir = join(repoRoot, "packages/server/test/plugins/fixtures/bridge/bridge-kit");

  // The host's own plugin wiring (as `paperclip start` builds it), on an in-memory PGlite.
  const dataDir = mkdtempSync(join(tmpdir(), "paperclip-delivery-bench-"));
  const db = await openDatabase({ kind: "pglite", dataDir: null });
  await runMigrations(db);
  const logger = pino({ level: "warn" });
  const services = createServices(db);
  const company = await services.companies.create(LOCAL_BOARD_ACTOR, { name: "Bench Co" });
  const plugins = await createHostPlugins({
    db,
    services,
    logger,
    dataDir,
    deploymentMode: "local_trusted",
    installExamples: false,
    runtime: { examplesDir: null },
  });
  const { runtime } = plugins;
  const app = await buildApp({
    db,
    config: { deploymentMode: "local_trusted", bodyLimitBytes: 4 * 1024 * 1024 },
    logger: false,
    services,
  });
  registerPluginRoutes(app, plugins);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const plugin = await runtime.lifecycle.install(
    { packageName: pluginDir, isLocalPath: true },
    { actor: LOCAL_BOARD_ACTOR },
  );
  if (plugin.status !== "ready") throw new Error(`bench plugin did not start: ${plugin.lastError}`);
  const hostUrl = `http://127.0.0.1:${app.server.address().port}`;

  const actionUrl = `${hostUrl}/api/plugins/${plugin.id}/actions/echo`;
  const actionBody = JSON.stringify({ companyId: company.id, params: { n: 1 } });
  // The bare baseline answers exactly what the bridge answers.
  const sameJson = await (
    await fetch(actionUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: actionBody,
    })
  ).text();
  const bare = Fastify({ logger: false });
  bare.post("/bare", async (_request, reply) => reply.type("application/json; charset=utf-8").send(sameJson));
  await bare.listen({ port: 0, host: "127.0.0.1" });
  const bareUrl = `http://127.0.0.1:${bare.server.address().port}/bare`;
  // The bare node:http server: reads the body (as any JSON endpoint must) and answers the same JSON.
  const sameJsonBytes = Buffer.from(sameJson);
  const nodeBare = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, {
        "content-type": "application/json; charset=utf-8",
        "content-length": sameJsonBytes.length,
      });
      response.end(sameJsonBytes);
    });
  });
  await new Promise((resolve) => nodeBare.listen(0, "127.0.0.1", resolve));
  const nodeBareUrl = `http://127.0.0.1:${nodeBare.address().port}/bare`;

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
  const ask = (kind, args) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      client.send({ id, kind, args });
    });

  try {
    const median = (values) =>
      percentile(
        [...values].sort((a, b) => a - b),
        50,
      );
    /** ROUNDS rounds of the three servers in turn; the median of each figure per server. */
    const measure = async () => {
      const rounds = { nodeBare: [], bare: [], bridge: [] };
      for (let r = 0; r < ROUNDS; r++) {
        for (const [label, url] of [
          ["nodeBare", nodeBareUrl],
          ["bare", bareUrl],
          ["bridge", actionUrl],
        ]) {
          const seq = await ask("sequential", { url, body: actionBody, count: SEQUENTIAL });
          const load = await ask("concurrent", {
            url,
            body: actionBody,
            connections: CONNECTIONS,
            durationMs: LOAD_MS,
          });
          rounds[label].push({ ...seq, ...load });
        }
      }
      const summary = (label) => ({
        p50Ms: median(rounds[label].map((r) => r.p50Ms)),
        p99Ms: median(rounds[label].map((r) => r.p99Ms)),
        requestsPerSecond: median(rounds[label].map((r) => r.requestsPerSecond)),
      });
      const figures = { nodeBare: summary("nodeBare"), bare: summary("bare"), bridge: summary("bridge") };
      // Goals are judged against the bare node:http server; the Fastify ratios are a second reference.
      return {
        ...figures,
        p50VsNodeHttp: figures.bridge.p50Ms / figures.nodeBare.p50Ms,
        shareOfNodeHttp: figures.bridge.requestsPerSecond / figures.nodeBare.requestsPerSecond,
        p50VsFastify: figures.bridge.p50Ms / figures.bare.p50Ms,
        shareOfFastify: figures.bridge.requestsPerSecond / figures.bare.requestsPerSecond,
      };
    };
    // Phase 1: the fixture's `echo` action never calls the host, so the host has not seen this worker tag a call
    // with an invocation id and runs its calls one at a time (exact attribution, docs/plugin-scopes.md).
    const oneAtATime = await measure();
    // Phase 2: after one action whose handler calls the host (a stream emit) with its invocation id, calls overlap,
    // as they do for any plugin built with our SDK once it has called the host.
    const proof = await fetch(`${hostUrl}/api/plugins/${plugin.id}/actions/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ companyId: company.id, params: { channel: "proof", count: 1 } }),
    });
    if (!proof.ok)
      throw new Error(`the action that calls the host failed: ${proof.status} ${await proof.text()}`);
    const overlapping = await measure();

    const streamTimes = [];
    const channel = "bench";
    for (let r = 0; r < STREAM_ROUNDS; r++) {
      // Bursts at least a second apart: each stays inside the worker's notification budget (20,000/s).
      if (r > 0) await new Promise((resolve) => setTimeout(resolve, 1100));
      const result = await ask("streamBurst", {
        streamUrl: `${hostUrl}/api/plugins/${plugin.id}/bridge/stream/${channel}?companyId=${company.id}`,
        actionUrl: `${hostUrl}/api/plugins/${plugin.id}/actions/stream`,
        body: JSON.stringify({ companyId: company.id, params: { channel, count: STREAM_EVENTS } }),
        events: STREAM_EVENTS,
      });
      streamTimes.push(result.elapsedMs);
    }
    const streamMedianMs = median(streamTimes);

    const row = (route, figures, baseline) => ({
      route,
      "p50 ms": round(figures.p50Ms, 3),
      "p99 ms": round(figures.p99Ms, 3),
      "req/s": Math.round(figures.requestsPerSecond),
      "p50 / node:http": round(figures.p50Ms / baseline.p50Ms, 2),
      "% of node:http req/s": round((100 * figures.requestsPerSecond) / baseline.requestsPerSecond, 1),
    });
    const phaseRows = (phase, bridgeLabel) => [
      row("bare node:http server, same JSON", phase.nodeBare, phase.nodeBare),
      row("bare Fastify route, same JSON", phase.bare, phase.nodeBare),
      {
        ...row(bridgeLabel, phase.bridge, phase.nodeBare),
        "p50 / Fastify": round(phase.p50VsFastify, 2),
        "% of Fastify req/s": round(100 * phase.shareOfFastify, 1),
      },
    ];
    printTable(
      `HTTP bridge action vs bare node:http and bare Fastify (median of ${ROUNDS} rounds per phase; ${CONNECTIONS} connections for req/s)`,
      [
        ...phaseRows(oneAtATime, "POST …/actions/:key, worker not yet seen tagging calls: one at a time"),
        ...phaseRows(overlapping, "POST …/actions/:key, worker has called the host: calls overlap"),
      ],
    );
    printTable(`${STREAM_EVENTS} stream events worker → SSE client (${STREAM_ROUNDS} bursts)`, [
      {
        "median ms": round(streamMedianMs, 1),
        "best ms": round(Math.min(...streamTimes), 1),
        "worst ms": round(Math.max(...streamTimes), 1),
        "events/s (median)": Math.round((STREAM_EVENTS * 1000) / streamMedianMs),
      },
    ]);
    const check = (ok) => (ok ? "✓" : "✗");
    const goals = (phase) =>
      `p50 ≤ 1.5× bare node:http → ${round(phase.p50VsNodeHttp, 2)}× ${check(phase.p50VsNodeHttp <= 1.5)}; ` +
      `req/s ≥ 50% of bare node:http → ${round(100 * phase.shareOfNodeHttp, 1)}% ${check(phase.shareOfNodeHttp >= 0.5)}`;
    console.log(`\ngoals, one call at a time: ${goals(oneAtATime)}`);
    console.log(`goals, calls overlapping: ${goals(overlapping)}`);
    console.log(
      `10,000 stream events ≤ 300 ms → ${round(streamMedianMs, 1)} ms ${check(streamMedianMs <= 300)}`,
    );
    const phaseResult = (phase) => ({
      bareNodeHttp: phase.nodeBare,
      bare: phase.bare,
      bridge: phase.bridge,
      bridgeP50VsBareNodeHttp: round(phase.p50VsNodeHttp, 3),
      bridgeThroughputShareOfBareNodeHttp: round(phase.shareOfNodeHttp, 3),
      bridgeP50VsBare: round(phase.p50VsFastify, 3),
      bridgeThroughputShareOfBare: round(phase.shareOfFastify, 3),
      goals: {
        p50AtMost1_5xNodeHttp: phase.p50VsNodeHttp <= 1.5,
        throughputAtLeastHalfOfNodeHttp: phase.shareOfNodeHttp >= 0.5,
      },
    });
    writeResults("delivery-http", {
      rounds: ROUNDS,
      sequentialRequests: SEQUENTIAL,
      connections: CONNECTIONS,
      loadMs: LOAD_MS,
      oneAtATime: phaseResult(oneAtATime),
      overlapping: phaseResult(overlapping),
      stream: {
        events: STREAM_EVENTS,
        bursts: streamTimes.map((ms) => round(ms, 1)),
        medianMs: round(streamMedianMs, 1),
        within300Ms: streamMedianMs <= 300,
      },
    });
  } finally {
    client.kill();
    await bare.close();
    await new Promise((resolve) => nodeBare.close(resolve));
    await app.close();
    await plugins.stop();
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
