// Agent runs seen from a plugin (issue 12): the host's own composition (`startHost`, as `paperclip start` builds
// it: run executor, echo adapter, session relay, plugin runtime) on a scratch PGlite instance, with a plugin whose
// worker is a real process. The bench plugin is written to a temporary folder here (it imports the built SDK by
// path) and installed by local path; it times everything inside its own worker:
//  a. wakeup → first output line: `ctx.agents.sessions.sendMessage` called → the first `chunk` of the `echo` run
//     at its `onEvent`, over 200 sequential messages (goal p50 ≤ 20 ms). Baselines in the same run: a plain bridge
//     action round trip (`POST /api/plugins/:id/actions/noop`, timed by this process), and a worker → host call
//     (`ctx.agents.get`, timed in the worker).
//  b. 100 echo runs started at once (100 sessions of one agent allowed 100 concurrent runs, node cap 100): total
//     time, and a check that every run's events arrived complete and in order at `onEvent`.
//  c. The Agent Chat example (examples/agent-chat), end to end: `send-message` posted → the reply's `close`
//     frame at an SSE client of the session's channel, 50 sequential turns (reported, no goal).
// On PGlite, and on PostgreSQL when one answers (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local
// default; see lib.mjs). Runs against packages/server/dist and examples/agent-chat/dist (`npm run build` first).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { percentile, printTable, repoRoot, round, scratchPostgres, writeResults } from "./lib.mjs";

const SEQUENTIAL = Number(process.env.BENCH_AGENTS_SEQUENTIAL ?? 200);
const WARMUP = Number(process.env.BENCH_AGENTS_WARMUP ?? 20);
const CONCURRENT = Number(process.env.BENCH_AGENTS_CONCURRENT ?? 100);
const CHAT_TURNS = Number(process.env.BENCH_AGENTS_CHAT_TURNS ?? 50);
const BRIDGE_CALLS = Number(process.env.BENCH_AGENTS_BRIDGE_CALLS ?? 500);
const PROMPT = "first line\nsecond line\nthird line";

const dist = (path) => pathToFileURL(join(repoRoot, "packages/server/dist", path)).href;
const sdkUrl = pathToFileURL(join(repoRoot, "packages/plugin-sdk/dist/index.js")).href;

// ── the bench plugin (written to a temporary folder) ─────────────────────────────────────────────────────────

const MANIFEST = {
  id: "bench.agents",
  apiVersion: 1,
  version: "0.1.0",
  displayName: "Agents bench",
  description: "Times agent session runs at its onEvent.",
  author: "bench",
  categories: ["automation"],
  capabilities: [
    "agents.read",
    "agent.sessions.create",
    "agent.sessions.list",
    "agent.sessions.send",
    "agent.sessions.close",
  ],
  entrypoints: { worker: "./dist/worker.js" },
};

const WORKER = `
import { performance } from "node:perf_hooks";
import { definePlugin, runWorker } from ${JSON.stringify(sdkUrl)};

/** Sends one message and follows its run to the end; every time is measured from just before sendMessage. */
function follow(ctx, companyId, sessionId, prompt) {
  return new Promise((resolve, reject) => {
    const events = [];
    let firstLineMs = null;
    let queuedMs = null;
    let doneMs = null;
    const started = performance.now();
    // Resolves once both the reply (queued) and the run's last event are in, whichever comes last.
    const settle = () => {
      if (queuedMs !== null && doneMs !== null) resolve({ firstLineMs, queuedMs, doneMs, problem: check(events, prompt) });
    };
    ctx.agents.sessions
      .sendMessage(sessionId, companyId, {
        prompt,
        onEvent(event) {
          const at = performance.now() - started;
          events.push(event);
          if (firstLineMs === null && event.eventType === "chunk" && event.stream === "stdout") firstLineMs = at;
          if (event.eventType === "done" || event.eventType === "error") {
            doneMs = at;
            settle();
          }
        },
      })
      .then(() => {
        queuedMs = performance.now() - started;
        settle();
      }, reject);
  });
}

/** null when the run's events are complete and in order, else what is wrong. */
function check(events, prompt) {
  const runIds = new Set(events.map((event) => event.runId));
  if (runIds.size !== 1) return "events of " + runIds.size + " runs";
  for (let i = 1; i < events.length; i++) {
    if (!(events[i].seq > events[i - 1].seq)) return "seq " + events[i].seq + " after " + events[i - 1].seq;
  }
  const lines = events.filter((e) => e.eventType === "chunk" && e.stream === "stdout").map((e) => e.message);
  const expected = prompt.split("\\n").map((line) => "echo: " + line);
  if (JSON.stringify(lines) !== JSON.stringify(expected)) return "lines " + JSON.stringify(lines);
  const last = events.at(-1);
  if (last.eventType !== "done" || last.message !== prompt) return "ended with " + last.eventType;
  if (events.filter((e) => e.eventType === "done" || e.eventType === "error").length !== 1) return "two ends";
  return null;
}

const plugin = definePlugin({
  async setup(ctx) {
    ctx.actions.register("noop", async () => ({ ok: true }));
    ctx.actions.register("rpc", async (params, call) => {
      const samples = [];
      for (let i = 0; i < params.count; i++) {
        const started = performance.now();
        await ctx.agents.get(params.agentId, call.companyId);
        samples.push(performance.now() - started);
      }
      return { samples };
    });
    ctx.actions.register("sessions", async (params, call) => {
      const sessionIds = [];
      for (let i = 0; i < params.count; i++) {
        sessionIds.push((await ctx.agents.sessions.create(params.agentId, call.companyId)).sessionId);
      }
      return { sessionIds };
    });
    ctx.actions.register("one", async (params, call) => follow(ctx, call.companyId, params.sessionId, params.prompt));
    ctx.actions.register("many", async (params, call) => {
      const started = performance.now();
      const runs = await Promise.all(params.sessionIds.map((id) => follow(ctx, call.companyId, id, params.prompt)));
      return { totalMs: performance.now() - started, runs };
    });
  },
});
export default plugin;
runWorker(plugin, import.meta.url);
`;

function writeBenchPlugin(folder) {
  mkdirSync(join(folder, "dist"), { recursive: true });
  writeFileSync(
    join(folder, "package.json"),
    JSON.stringify({
      name: "paperclip-bench-agents",
      version: "0.1.0",
      type: "module",
      private: true,
      paperclipPlugin: { manifest: "./dist/manifest.js", worker: "./dist/worker.js" },
    }),
  );
  writeFileSync(join(folder, "dist/manifest.js"), `export default ${JSON.stringify(MANIFEST)};\n`);
  writeFileSync(join(folder, "dist/worker.js"), WORKER);
}

// ── HTTP helpers ────────────────────────────────────────────────────────────────────────────────────────────

function request(agent, url, method, body) {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(url, {
      method,
      agent,
      headers:
        text === undefined
          ? {}
          : { "content-type": "application/json", "content-length": Buffer.byteLength(text) },
    });
    req.on("response", (response) => {
      let data = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => {
        data += chunk;
      });
      response.on("end", () => {
        if (response.statusCode >= 300)
          reject(new Error(`${method} ${url} → ${response.statusCode} ${data}`));
        else resolve(data ? JSON.parse(data) : null);
      });
    });
    req.on("error", reject);
    req.end(text);
  });
}

/** Subscribes to a stream channel; resolves `ready` at `:ok` and `closed` (with the message count) at `close`. */
function subscribe(url) {
  let ready;
  const readyPromise = new Promise((resolve) => {
    ready = resolve;
  });
  const closed = new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: "text/event-stream" } });
    req.on("error", reject);
    req.on("response", (response) => {
      let pending = "";
      let messages = 0;
      response.setEncoding("utf8");
      response.on("data", (chunk) => {
        pending += chunk;
        let end = pending.indexOf("\n\n");
        while (end !== -1) {
          const frame = pending.slice(0, end);
          pending = pending.slice(end + 2);
          end = pending.indexOf("\n\n");
          if (frame.startsWith(":ok")) ready();
          else if (frame.includes("\nevent: close\n")) {
            const at = performance.now();
            req.destroy();
            resolve({ at, messages });
            return;
          } else if (frame.startsWith("id: ")) messages++;
        }
      });
    });
  });
  return { ready: readyPromise, closed };
}

const sorted = (values) => [...values].sort((a, b) => a - b);
const stats = (values) => {
  const s = sorted(values);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s.at(-1) };
};

// ── one engine ──────────────────────────────────────────────────────────────────────────────────────────────

/** Starts a host on `databaseUrl` (null: PGlite in a scratch folder), measures a, b and c, stops it. */
async function measure(engine, databaseUrl) {
  const work = mkdtempSync(join(tmpdir(), "paperclip-agents-bench-"));
  const { loadConfig } = await import(dist("config.js"));
  const { startHost } = await import(dist("host.js"));
  const { pino } = await import("pino");
  const config = loadConfig(
    {
      dataDir: join(work, "instance"),
      port: 0,
      seedDemo: false,
      logLevel: "warn",
      ...(databaseUrl ? { databaseUrl } : {}),
    },
    { ...process.env, PAPERCLIP_SEED_DEMO: "false" },
  );
  // The board is not needed; silence its "not built" warning with a level above it.
  const host = await startHost(config, pino({ level: "error" }));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  writeBenchPlugin(join(work, "bench-plugin"));
  try {
    const api = (method, path, body) => request(agent, `${host.url}${path}`, method, body);
    const company = await api("POST", "/api/companies", { name: "Agents Bench" });
    const echo = await api("POST", `/api/companies/${company.id}/agents`, {
      name: "Echo",
      adapterType: "echo",
      runtimeConfig: { maxConcurrentRuns: CONCURRENT },
    });
    const install = (folder) =>
      api("POST", "/api/plugins/install", { packageName: folder, isLocalPath: true }).then((record) => {
        if (record.status !== "ready")
          throw new Error(`${record.pluginKey} did not start: ${record.lastError}`);
        return record;
      });
    const bench = await install(join(work, "bench-plugin"));
    const action = (plugin, key, params) =>
      api("POST", `/api/plugins/${plugin.id}/actions/${key}`, { companyId: company.id, params }).then(
        (reply) => reply.data,
      );

    // Baselines: the bridge action round trip (this process) and a worker → host call (in the worker).
    for (let i = 0; i < 100; i++) await action(bench, "noop", {});
    const bridgeSamples = [];
    for (let i = 0; i < BRIDGE_CALLS; i++) {
      const started = performance.now();
      await action(bench, "noop", {});
      bridgeSamples.push(performance.now() - started);
    }
    const rpc = await action(bench, "rpc", { agentId: echo.id, count: BRIDGE_CALLS + 50 });
    const bridge = stats(bridgeSamples);
    const hostCall = stats(rpc.samples.slice(50));

    // a. Sequential messages on one session.
    const [sessionId] = (await action(bench, "sessions", { agentId: echo.id, count: 1 })).sessionIds;
    for (let i = 0; i < WARMUP; i++) await action(bench, "one", { sessionId, prompt: PROMPT });
    const sequential = [];
    for (let i = 0; i < SEQUENTIAL; i++)
      sequential.push(await action(bench, "one", { sessionId, prompt: PROMPT }));

    // b. Runs at once, one session each.
    const { sessionIds } = await action(bench, "sessions", { agentId: echo.id, count: CONCURRENT });
    const many = await action(bench, "many", { sessionIds, prompt: PROMPT });

    // c. The Agent Chat example: send-message → the reply's close frame on the session's channel.
    const chat = await install(join(repoRoot, "examples/agent-chat"));
    const { conversation } = await action(chat, "open-session", { agentId: echo.id });
    const streamUrl = `${host.url}/api/plugins/${chat.id}/bridge/stream/${encodeURIComponent(conversation.channel)}?companyId=${company.id}`;
    const turnTimes = [];
    let turnFrames = 0;
    for (let i = 0; i < CHAT_TURNS + 5; i++) {
      const stream = subscribe(streamUrl);
      await stream.ready;
      const started = performance.now();
      await action(chat, "send-message", {
        agentId: echo.id,
        sessionId: conversation.sessionId,
        text: PROMPT,
      });
      const { at, messages } = await stream.closed;
      if (i >= 5) {
        turnTimes.push(at - started);
        turnFrames += messages;
      }
    }

    return {
      engine,
      bridge,
      hostCall,
      sequential,
      sequentialProblems: sequential.filter((run) => run.problem !== null),
      firstLine: stats(sequential.map((run) => run.firstLineMs)),
      queued: stats(sequential.map((run) => run.queuedMs)),
      done: stats(sequential.map((run) => run.doneMs)),
      many,
      manyProblems: many.runs.filter((run) => run.problem !== null),
      manyQueued: stats(many.runs.map((run) => run.queuedMs)),
      manyFirst: stats(many.runs.map((run) => run.firstLineMs)),
      manyDone: stats(many.runs.map((run) => run.doneMs)),
      chatTurn: stats(turnTimes),
      framesPerTurn: turnFrames / CHAT_TURNS,
    };
  } finally {
    agent.destroy();
    await host.close();
    rmSync(work, { recursive: true, force: true });
  }
}

// ── main ────────────────────────────────────────────────────────────────────────────────────────────────────

// The node may run every run of part b at once; the echo agent is allowed as many (its runtimeConfig).
process.env.PAPERCLIP_MAX_CONCURRENT_RUNS = String(Math.max(8, CONCURRENT));
const results = [await measure("PGlite", null)];
const postgres = await scratchPostgres();
if (postgres.skipped) console.log(`PostgreSQL skipped: ${postgres.skipped}`);
else {
  try {
    results.push(await measure("PostgreSQL", postgres.url));
  } finally {
    await postgres.drop();
  }
}

const ms = (value, digits = 2) => round(value, digits);
printTable(`a. wakeup → first output line at onEvent: echo agent, ${SEQUENTIAL} sequential messages (ms)`, [
  ...results.map((r) => ({
    engine: r.engine,
    "first line p50": ms(r.firstLine.p50),
    "first line p99": ms(r.firstLine.p99),
    "queued p50": ms(r.queued.p50),
    "done p50": ms(r.done.p50),
    "done p99": ms(r.done.p99),
    "bridge action p50 (baseline)": ms(r.bridge.p50, 3),
    "first line / bridge": ms(r.firstLine.p50 / r.bridge.p50, 1),
    "ctx.agents.get p50": ms(r.hostCall.p50, 3),
  })),
]);
printTable(
  `b. ${CONCURRENT} echo runs at once (${CONCURRENT} sessions, node cap ${process.env.PAPERCLIP_MAX_CONCURRENT_RUNS})`,
  results.map((r) => ({
    engine: r.engine,
    "total ms": ms(r.many.totalMs, 1),
    "runs/s": Math.round((CONCURRENT * 1000) / r.many.totalMs),
    "queued p50 / p99 ms": `${ms(r.manyQueued.p50, 1)} / ${ms(r.manyQueued.p99, 1)}`,
    "first line p50 / p99 ms": `${ms(r.manyFirst.p50, 1)} / ${ms(r.manyFirst.p99, 1)}`,
    "done p50 / p99 ms": `${ms(r.manyDone.p50, 1)} / ${ms(r.manyDone.p99, 1)}`,
    "complete and in order": `${CONCURRENT - r.manyProblems.length} / ${CONCURRENT}`,
  })),
);
printTable(
  `c. Agent Chat example: send-message → the reply's close frame at an SSE client, ${CHAT_TURNS} turns (ms)`,
  results.map((r) => ({
    engine: r.engine,
    p50: ms(r.chatTurn.p50),
    p99: ms(r.chatTurn.p99),
    "frames per turn": ms(r.framesPerTurn, 1),
  })),
);
const check = (ok) => (ok ? "✓" : "✗");
for (const r of results) {
  console.log(
    `goals (${r.engine}): first line p50 ≤ 20 ms → ${ms(r.firstLine.p50)} ms ${check(r.firstLine.p50 <= 20)}; ` +
      `every event complete and in order: sequential ${check(r.sequentialProblems.length === 0)}, ` +
      `${CONCURRENT} at once ${check(r.manyProblems.length === 0)}`,
  );
  for (const run of [...r.sequentialProblems, ...r.manyProblems].slice(0, 5))
    console.log(`  problem: ${run.problem}`);
}

const figures = (value) => ({ p50: ms(value.p50, 3), p99: ms(value.p99, 3) });
writeResults("agents", {
  prompt: PROMPT,
  sequentialMessages: SEQUENTIAL,
  concurrentRuns: CONCURRENT,
  nodeCap: Number(process.env.PAPERCLIP_MAX_CONCURRENT_RUNS),
  chatTurns: CHAT_TURNS,
  engines: Object.fromEntries(
    results.map((r) => [
      r.engine,
      {
        sequential: {
          firstLineMs: { ...figures(r.firstLine), max: ms(r.firstLine.max, 3) },
          queuedMs: figures(r.queued),
          doneMs: figures(r.done),
          notInOrder: r.sequentialProblems.length,
        },
        baseline: { bridgeActionMs: figures(r.bridge), workerHostCallMs: figures(r.hostCall) },
        firstLineP50VsBridge: ms(r.firstLine.p50 / r.bridge.p50, 2),
        concurrent: {
          totalMs: ms(r.many.totalMs, 1),
          queuedMs: figures(r.manyQueued),
          firstLineMs: figures(r.manyFirst),
          doneMs: figures(r.manyDone),
          notInOrder: r.manyProblems.length,
        },
        agentChat: { sendToCloseFrameMs: figures(r.chatTurn), framesPerTurn: ms(r.framesPerTurn, 1) },
        goals: {
          firstLineP50Le20ms: r.firstLine.p50 <= 20,
          allInOrder: r.sequentialProblems.length === 0 && r.manyProblems.length === 0,
        },
      },
    ]),
  ),
});
if (results.some((r) => r.sequentialProblems.length || r.manyProblems.length)) process.exitCode = 1;
