// The run executor: per-agent and per-node concurrency, two nodes on one database never running a run twice, and a
// host that dies during a run (a real `paperclip start` killed with SIGKILL): on restart the run is failed with the
// reason and its process tree is not left to act.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openDatabase } from "../../src/db/database.js";
import { createScratchPostgres, ENGINES } from "../support/database.js";
import {
  type AgentTestHost,
  createAgent,
  createCompany,
  finished,
  pidAlive,
  runOf,
  scriptAgent,
  startAgentHost,
  until,
  wake,
} from "./support.js";

const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
const at = (value: string) => new Date(value).getTime();

describe.each(ENGINES)("run executor (%s)", (engine) => {
  let host: AgentTestHost;
  let companyId: string;

  beforeAll(async () => {
    host = await startAgentHost(engine);
    companyId = (await createCompany(host)).id;
  });
  afterAll(() => host.close());

  it("runs one run per agent at a time by default, and as many as runtimeConfig.maxConcurrentRuns allows", async () => {
    const serialGate = join(host.dataDir, "serial-gate");
    const serial = await createAgent(host, companyId, scriptAgent("gate", { gate: serialGate }));
    const first = await wake(host, serial.id);
    await until("the first run to run", async () => (await runOf(host, first.id)).status === "running");
    const second = await wake(host, serial.id);
    writeFileSync(serialGate, "");
    const [a, b] = [(await finished(host, first.id)).run, (await finished(host, second.id)).run];
    expect([a.status, b.status]).toEqual(["succeeded", "succeeded"]);
    expect(at(b.startedAt)).toBeGreaterThanOrEqual(at(a.finishedAt));

    const pairGate = join(host.dataDir, "pair-gate");
    const pair = await createAgent(host, companyId, {
      ...scriptAgent("gate", { gate: pairGate }),
      runtimeConfig: { maxConcurrentRuns: 2 },
    });
    const one = await wake(host, pair.id);
    await until("the first run to run", async () => (await runOf(host, one.id)).status === "running");
    const two = await wake(host, pair.id);
    // Both running at once: only possible with a limit of 2.
    await until(
      "both runs to run together",
      async () =>
        (await runOf(host, one.id)).status === "running" && (await runOf(host, two.id)).status === "running",
    );
    writeFileSync(pairGate, "");
    expect((await finished(host, one.id)).run.status).toBe("succeeded");
    expect((await finished(host, two.id)).run.status).toBe("succeeded");
  });

  it("caps the runs of a node across agents", async () => {
    const capped = await startAgentHost(engine, { maxConcurrentRuns: 1 });
    try {
      const company = await createCompany(capped, "Capped");
      const gate = join(capped.dataDir, "gate");
      const x = await createAgent(capped, company.id, scriptAgent("gate", { gate }));
      const y = await createAgent(capped, company.id, scriptAgent("gate", { gate }));
      const runX = await wake(capped, x.id);
      await until("a run to run", async () => (await runOf(capped, runX.id)).status === "running");
      const runY = await wake(capped, y.id);
      writeFileSync(gate, "");
      const [rx, ry] = [(await finished(capped, runX.id)).run, (await finished(capped, runY.id)).run];
      expect(at(ry.startedAt)).toBeGreaterThanOrEqual(at(rx.finishedAt));
    } finally {
      await capped.close();
    }
  });

  it("is woken by commits that touch agents or runs, not by other writes", async () => {
    // Its own host with a poll far beyond the test, so every pass below was caused by a commit.
    const quiet = await startAgentHost(engine, {
      database: host.database,
      exclusiveDatabase: false,
      pollMs: 600_000,
    });
    try {
      const agent = await createAgent(quiet, companyId, { adapterType: "echo" });
      // Creating the agent touched the agents: let the pass it caused end (no call for 300 ms) before counting.
      const passes = vi.spyOn(quiet.services.outbox, "head");
      for (let seen = -1; seen !== passes.mock.calls.length; ) {
        seen = passes.mock.calls.length;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      passes.mockClear();
      for (let i = 0; i < 20; i++) {
        const issue = await quiet.request("POST", `/api/companies/${companyId}/issues`, {
          title: `Quiet ${i}`,
        });
        expect(issue.status).toBe(201);
      }
      // Twenty issues committed (and, on PostgreSQL, twenty notifications heard): no pass read the outbox.
      expect(passes).not.toHaveBeenCalled();
      // A wakeup queues a run: that commit wakes the executor, which runs it without waiting for the poll.
      const run = await wake(quiet, agent.id);
      expect((await finished(quiet, run.id)).run.status).toBe("succeeded");
      expect(passes).toHaveBeenCalled();
    } finally {
      await quiet.close();
    }
  });

  it("two nodes on one database execute every run exactly once", async () => {
    // The second node: its own services and runtime on the same database (its own connection pool on PostgreSQL).
    const db = host.database.url
      ? await openDatabase({ kind: "postgres", url: host.database.url, poolMax: 5 })
      : undefined;
    const other = await startAgentHost(engine, {
      database: db ? { db, url: host.database.url, dispose: () => db.close() } : host.database,
      exclusiveDatabase: false,
    });
    try {
      const agents = await Promise.all(
        Array.from({ length: 6 }, () =>
          createAgent(host, companyId, { adapterType: "echo", runtimeConfig: { maxConcurrentRuns: 3 } }),
        ),
      );
      const runs: string[] = [];
      for (let round = 0; round < 3; round++) {
        for (const agent of agents)
          runs.push((await wake(round % 2 ? other : host, agent.id, { prompt: `r${round}` })).id);
      }
      for (const id of new Set(runs)) {
        const { run, events } = await finished(host, id);
        expect(run.status).toBe("succeeded");
        expect(events.filter((event) => event.payload?.status === "running")).toHaveLength(1);
        expect(events.filter((event) => event.eventType === "chunk")).toHaveLength(1);
      }
    } finally {
      await other.close();
      await db?.close();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Every host this file started: killed at the end even when a test gave up waiting for one. */
const hosts: ChildProcess[] = [];

/** `paperclip start` as a child process; resolves once it listens. */
async function startCli(dataDir: string, port: number, databaseUrl: string): Promise<ChildProcess> {
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PAPERCLIP_PORT: "",
    PORT: "",
    PAPERCLIP_RUN_LEASE_MS: "1000",
    PAPERCLIP_LOG_FORMAT: "json",
  };
  const child = spawn(
    process.execPath,
    [CLI, "start", "--no-seed", "--data-dir", dataDir, "--port", String(port)],
    { env },
  );
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  await until(
    `the host to listen (${output.slice(-500)})`,
    async () => {
      if (child.exitCode !== null) throw new Error(`the host exited: ${output}`);
      return output.includes("listening on");
    },
    120_000,
  );
  return child;
}

describe.each(ENGINES)("a host that dies during a run (%s)", (engine) => {
  const dataDir = mkdtempSync(join(tmpdir(), "paperclip-restart-"));
  let scratch: { url: string; drop(): Promise<void> } | null = null;
  let child: ChildProcess | null = null;

  afterAll(async () => {
    for (const started of hosts)
      if (started.exitCode === null && started.signalCode === null) started.kill("SIGKILL");
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("fails the run with the reason when a host starts again", async () => {
    if (engine === "postgres") scratch = await createScratchPostgres();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(base + path, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return (await response.json()) as any;
    };
    child = await startCli(dataDir, port, scratch?.url ?? "");
    const company = await call("POST", "/api/companies", { name: "Restart Co" });
    const pidFile = join(dataDir, "pids.json");
    const agent = await call("POST", `/api/companies/${company.id}/agents`, {
      name: "Sleeper",
      ...scriptAgent("hang", { pidFile }),
    });
    const run = await call("POST", `/api/agents/${agent.id}/wakeup`, { reason: "test" });
    await until(
      "the agent to run",
      async () =>
        existsSync(pidFile) && (await call("GET", `/api/heartbeat-runs/${run.id}`)).status === "running",
    );
    const pids = JSON.parse(readFileSync(pidFile, "utf8"));

    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    // The agent's tree outlived its host (it could not be told): the test ends it.
    try {
      process.kill(-pids.parent, "SIGKILL");
    } catch {}

    child = await startCli(dataDir, port, scratch?.url ?? "");
    const failed = await until("the run to be failed", async () => {
      const current = await call("GET", `/api/heartbeat-runs/${run.id}`);
      return current.status === "failed" ? current : null;
    });
    expect(failed).toMatchObject({
      error: "the host running this run stopped before it finished",
      errorCode: "host_lost",
    });
    // The terminal event follows the transition (its own transaction).
    const events = await until("the terminal event", async () => {
      const list = (await call("GET", `/api/heartbeat-runs/${run.id}/events`)) as any[];
      return list.at(-1)?.payload?.status === "failed" ? list : null;
    });
    expect(events.at(-1)).toMatchObject({
      eventType: "status",
      payload: { status: "failed", error: failed.error },
    });
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    await until("the leftover tree to be gone", async () => !pidAlive(pids.parent) && !pidAlive(pids.child));
    const stopped = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGTERM");
    await stopped;
  }, 240_000);
});
