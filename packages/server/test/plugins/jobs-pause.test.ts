// Pausing and resuming a job (PATCH …/jobs/:jobId {status}) with a real worker and a hand-moved clock: a paused
// job does not tick, shows as paused (by the operator) in the list, stays paused across a manifest sync, cannot
// be triggered, and ticks again after it is set back to active.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "../support/database.js";
import { copyPackage, JOB_FIXTURES, type JobsNode, ManualClock, startJobsNode } from "./fixtures/jobs/bed.js";

const PLUGIN = "fixtures.jobs";
const START = "2026-01-05T07:00:30.000Z";

describe.each(ENGINES)("job pause and resume (%s)", (engine) => {
  let node: JobsNode;
  let folder: string;
  const clock = new ManualClock(new Date(START));
  const jobPath = (jobKey: string) => `/api/plugins/${PLUGIN}/jobs/${jobKey}`;
  const runs = async (jobKey: string) =>
    (await node.request("GET", `${jobPath(jobKey)}/runs`)).body as unknown[];

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "pc-jobs-pause-"));
    node = await startJobsNode(engine, { clock });
    const dir = copyPackage(path.join(JOB_FIXTURES, "jobs-plugin"), folder);
    const record = await node.install(dir);
    await node.scheduler.syncPlugin(record);
  });

  afterAll(async () => {
    await node?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it("pauses a job: no ticks, listed as paused by the operator, kept across a sync, not triggerable", async () => {
    const paused = await node.request("PATCH", jobPath("hourly"), { status: "paused" });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({
      jobKey: "hourly",
      status: "paused",
      pausedBy: "operator",
      nextRunAt: null,
    });

    const listed = (await node.request("GET", `/api/plugins/${PLUGIN}/jobs?status=paused`)).body;
    expect(listed.map((job: { jobKey: string }) => job.jobKey)).toEqual(["hourly"]);
    const active = (await node.request("GET", `/api/plugins/${PLUGIN}/jobs`)).body.find(
      (job: { jobKey: string }) => job.jobKey === "morning",
    );
    expect(active).toMatchObject({ status: "active", pausedBy: null });

    // 08:00 and 09:00 pass: morning (09:00) runs, hourly does not.
    clock.set("2026-01-05T09:00:05.000Z");
    await node.scheduler.tick();
    await node.scheduler.idle();
    expect(await runs("morning")).toHaveLength(1);
    expect(await runs("hourly")).toHaveLength(0);

    // A sync (worker restart, host start) keeps the operator's pause.
    const record = await node.runtime.registry.require(PLUGIN);
    await node.scheduler.syncPlugin(record);
    expect((await node.request("GET", jobPath("hourly"))).body).toMatchObject({
      status: "paused",
      pausedBy: "operator",
    });

    const trigger = await node.request("POST", `${jobPath("hourly")}/trigger`);
    expect(trigger.status).toBe(400);
    expect(trigger.body.error).toContain("paused by an operator");
  });

  it("resumes a job: its next tick is computed from now and it runs again", async () => {
    const resumed = await node.request("PATCH", jobPath("hourly"), { status: "active" });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({
      status: "active",
      pausedBy: null,
      nextRunAt: "2026-01-05T10:00:00.000Z",
    });
    clock.set("2026-01-05T10:00:02.000Z");
    const report = await node.scheduler.tick();
    await node.scheduler.idle();
    expect(report.started).toHaveLength(1);
    expect(await runs("hourly")).toHaveLength(1);
    // Settings and status in one PATCH; an unknown status is a 400.
    const both = await node.request("PATCH", jobPath("hourly"), { status: "paused", timeoutMs: 5_000 });
    expect(both.body).toMatchObject({ status: "paused", timeoutMs: 5_000 });
    expect((await node.request("PATCH", jobPath("hourly"), { status: "failed" })).status).toBe(400);
    expect((await node.request("PATCH", jobPath("hourly"), { status: "active" })).body.status).toBe("active");
  });
});
