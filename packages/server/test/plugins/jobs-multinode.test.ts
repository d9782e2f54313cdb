/**
 * Two host nodes on one database, each with its own runtime, worker process and scheduler (on PostgreSQL each
 * with its own connection pool): every cron tick and every queued run is claimed in the database, so it runs on
 * exactly one node, however the two race.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.js";
import { ENGINES, type TestDatabase } from "../support/database.js";
import {
  copyPackage,
  JOB_FIXTURES,
  type JobsNode,
  ManualClock,
  startJobsNode,
  workerRuns,
} from "./fixtures/jobs/bed.js";

const PLUGIN = "fixtures.jobs";

describe.each(ENGINES)("jobs on two nodes (%s)", (engine) => {
  const clock = new ManualClock(new Date("2026-01-05T07:00:30.000Z"));
  let a: JobsNode;
  let b: JobsNode;
  let secondPool: TestDatabase | null = null;
  let folder: string;
  let dir: string;

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "pc-jobs-nodes-"));
    a = await startJobsNode(engine, { clock });
    dir = copyPackage(path.join(JOB_FIXTURES, "jobs-plugin"), folder);
    await a.install(dir);
    let shared = a.database;
    if (engine === "postgres" && a.database.url) {
      const db = await openDatabase({ kind: "postgres", url: a.database.url, poolMax: 5 });
      secondPool = { db, url: a.database.url, dispose: () => db.close() };
      shared = secondPool;
    }
    b = await startJobsNode(engine, { clock, database: shared });
    const boot = await b.runtime.start();
    expect(boot.ready).toEqual([PLUGIN]);
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
  });

  afterAll(async () => {
    await b?.close();
    await secondPool?.dispose();
    await a?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const hourlyRuns = async () =>
    (await a.request("GET", `/api/plugins/${PLUGIN}/jobs/hourly/runs?limit=500`)).body;

  it("runs each cron tick exactly once while both nodes race for it", async () => {
    const ticks = ["08", "09", "10", "11", "12", "13"].map((hour) => `2026-01-05T${hour}:00:00.000Z`);
    for (const tick of ticks) {
      clock.set(new Date(Date.parse(tick) + 1_500));
      await Promise.all([a.scheduler.tick(), b.scheduler.tick(), b.scheduler.tick(), a.scheduler.tick()]);
      await Promise.all([a.scheduler.idle(), b.scheduler.idle()]);
    }
    const runs = await hourlyRuns();
    expect(runs.map((run: { scheduledAt: string }) => run.scheduledAt).sort()).toEqual(ticks);
    expect(runs.every((run: { status: string }) => run.status === "succeeded")).toBe(true);
    const nodes = new Set(runs.map((run: { nodeId: string }) => run.nodeId));
    for (const nodeId of nodes) expect([a.scheduler.nodeId, b.scheduler.nodeId]).toContain(nodeId);
    // what the two worker processes actually executed (they share the package folder's runs.jsonl)
    const executed = workerRuns(dir).filter((line) => line.jobKey === "hourly");
    expect(executed.map((line) => line.scheduledAt).sort()).toEqual(ticks);
    expect(new Set(executed.map((line) => line.runId)).size).toBe(ticks.length);
  });

  it("starts a queued run on one node only", async () => {
    const { runId } = await a.jobs.trigger(PLUGIN, "manual");
    await Promise.all([a.scheduler.tick(), b.scheduler.tick(), a.scheduler.tick(), b.scheduler.tick()]);
    await Promise.all([a.scheduler.idle(), b.scheduler.idle()]);
    const executed = workerRuns(dir).filter((line) => line.runId === runId);
    expect(executed).toHaveLength(1);
    const run = (await b.request("GET", `/api/plugins/${PLUGIN}/jobs/manual/runs/${runId}`)).body;
    expect(run.status).toBe("succeeded");
  });
});
