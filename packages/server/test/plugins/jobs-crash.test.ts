/**
 * Reliability: a host process killed (SIGKILL) in the middle of a job run leaves no run `running` forever. The
 * run's lease stops being renewed; the next host on the database (a restart, or another node) records it
 * failed, naming the node that stopped. On PGlite the "next host" reopens the same data folder (a restart); on
 * PostgreSQL it is another node.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.js";
import { runMigrations } from "../../src/db/migrate.js";
import { ENGINES, type Engine, openTestDatabase, type TestDatabase } from "../support/database.js";
import {
  copyPackage,
  eventually,
  JOB_FIXTURES,
  startJobsNode,
  workerRuns,
  writeControl,
} from "./fixtures/jobs/bed.js";

const PLUGIN = "fixtures.jobs";
const LEASE_MS = 1_000;
const CHILD = path.join(JOB_FIXTURES, "host-child.mjs");

/** A database both this process and the child can open one after the other. */
async function sharedDatabase(
  engine: Engine,
  folder: string,
): Promise<{ target: string; open(): Promise<TestDatabase> }> {
  if (engine === "postgres") {
    const scratch = await openTestDatabase("postgres");
    const url = scratch.url as string;
    await scratch.db.close();
    return {
      target: url,
      async open() {
        const db = await openDatabase({ kind: "postgres", url, poolMax: 3 });
        return { db, url, dispose: () => db.close() };
      },
    };
  }
  const dataDir = path.join(folder, "pglite");
  return {
    target: `pglite:${dataDir}`,
    async open() {
      const db = await openDatabase({ kind: "pglite", dataDir });
      await runMigrations(db);
      return { db, url: null, dispose: () => db.close() };
    },
  };
}

describe.each(ENGINES)("a host killed during a job run (%s)", (engine) => {
  const cleanups: Array<() => void | Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("is recorded failed by the next host, never left running", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "pc-jobs-crash-"));
    cleanups.push(() => fs.rmSync(folder, { recursive: true, force: true }));
    const shared = await sharedDatabase(engine, folder);

    // Host 1 installs the plugin and queues a run of the slow job (held until a `release` file appears).
    const first = await shared.open();
    const dir = copyPackage(path.join(JOB_FIXTURES, "jobs-plugin"), folder);
    writeControl(dir, { hold: true });
    const setup = await startJobsNode(engine, { database: first });
    const record = await setup.install(dir);
    await setup.scheduler.syncPlugin(record);
    const slow = await setup.scheduler.store.findJob(record.id, "slow");
    const queued = await setup.scheduler.store.enqueueRun({
      jobId: slow?.id as string,
      pluginId: record.id,
      trigger: "manual",
      scheduledAt: new Date(),
      runAfter: new Date(),
      attempt: 1,
      retryOf: null,
    });
    await setup.close();
    await first.dispose();

    // Host 2, a separate process, starts the run; it is killed while the worker holds the run.
    const child: ChildProcess = spawn(process.execPath, [CHILD], {
      env: {
        ...process.env,
        CHILD_DATABASE: shared.target,
        CHILD_PLUGINS_DIR: folder,
        CHILD_NODE_ID: "node-to-be-killed",
        CHILD_LEASE_MS: String(LEASE_MS),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    });
    const started = await eventually(
      () => workerRuns(dir).find((line) => line.runId === queued?.id && line.phase === "started"),
      `the child host to start the run (stderr: ${stderr})`,
    );
    cleanups.push(() => {
      fs.writeFileSync(path.join(dir, "release"), "");
      try {
        process.kill(started.pid, "SIGKILL");
      } catch {
        // the worker already ended with its host
      }
    });
    child.kill("SIGKILL");
    await exited;

    // Host 3 (a restart on the same database) sweeps the run once its lease has expired.
    const again = await shared.open();
    const node = await startJobsNode(engine, { database: again, scheduler: { leaseMs: LEASE_MS } });
    cleanups.push(async () => {
      await node.close();
      await again.dispose();
    });
    const run = await eventually(async () => {
      await node.scheduler.tick();
      const found = (await node.request("GET", `/api/plugins/${PLUGIN}/jobs/slow/runs/${queued?.id}`)).body;
      expect(found.status === "running" || found.status === "failed").toBe(true);
      return found.status === "failed" ? found : null;
    }, "the killed host's run to be recorded failed");
    expect(run).toMatchObject({ id: queued?.id, status: "failed", nodeId: "node-to-be-killed" });
    expect(run.error).toMatch(
      /^The host running it \(node node-to-be-killed\) stopped during the run: its lease expired at \d{4}-\d\d-\d\dT[\d:.]+Z without a heartbeat$/,
    );
    expect(run.finishedAt).toEqual(expect.any(String));
  });
});
