/**
 * The job scheduler with a real worker process (fixture plugin on our SDK) and the real runtime, on PGlite and
 * (with TEST_DATABASE_URL) PostgreSQL, with a hand-moved clock: manifest sync, cron ticks in a time zone, the
 * PluginJobContext the worker gets, run history with the worker's log lines, misfire policies both ways, no
 * overlap, per-job timeout, retry with backoff, and shutdown during a run.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_BOARD_ACTOR } from "../../src/domain/actor.js";
import { ENGINES } from "../support/database.js";
import {
  copyPackage,
  eventually,
  JOB_FIXTURES,
  type JobsNode,
  ManualClock,
  startJobsNode,
  workerRuns,
  writeControl,
} from "./fixtures/jobs/bed.js";

const PLUGIN = "fixtures.jobs";
const START = "2026-01-05T07:00:30.000Z"; // a Monday, 08:00:30 in Berlin

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pc-jobs-${prefix}-`));
}

describe.each(ENGINES)("job scheduler (%s)", (engine) => {
  let node: JobsNode;
  let dir: string;
  let folder: string;
  const clock = new ManualClock(new Date(START));

  const job = async (jobKey: string) =>
    (await node.request("GET", `/api/plugins/${PLUGIN}/jobs/${jobKey}`)).body;
  const runs = async (jobKey: string) =>
    (await node.request("GET", `/api/plugins/${PLUGIN}/jobs/${jobKey}/runs`)).body;
  const settle = async () => {
    await node.scheduler.tick();
    await node.scheduler.idle();
  };

  beforeAll(async () => {
    folder = tempDir("scheduler");
    node = await startJobsNode(engine, { clock });
    dir = copyPackage(path.join(JOB_FIXTURES, "jobs-plugin"), folder);
    await node.install(dir);
    await node.scheduler.start();
  });

  afterAll(async () => {
    fs.writeFileSync(path.join(dir, "release"), "");
    await node?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it("syncs the manifest's jobs when the plugin's worker comes up: one active row per jobKey", async () => {
    const list = (await node.request("GET", `/api/plugins/${PLUGIN}/jobs`)).body;
    expect(list.map((j: { jobKey: string }) => j.jobKey)).toEqual([
      "flaky",
      "hourly",
      "manual",
      "morning",
      "secret",
      "slow",
    ]);
    const hourly = list.find((j: { jobKey: string }) => j.jobKey === "hourly");
    expect(hourly).toMatchObject({
      status: "active",
      schedule: "0 * * * *",
      displayName: "Hourly",
      timeZone: "UTC",
      misfirePolicy: "skip",
      nextRunAt: "2026-01-05T08:00:00.000Z",
      lastRunAt: null,
    });
    expect(list.find((j: { jobKey: string }) => j.jobKey === "manual")).toMatchObject({
      schedule: "",
      nextRunAt: null,
    });
    expect((await node.request("GET", `/api/plugins/${PLUGIN}/jobs?status=paused`)).body).toEqual([]);
  });

  it("runs a due cron tick once, with the PluginJobContext and the log lines of the run", async () => {
    clock.set("2026-01-05T08:00:02.000Z");
    const report = await node.scheduler.tick();
    expect(report.started).toHaveLength(1);
    await node.scheduler.idle();
    const [run] = await runs("hourly");
    expect(run).toMatchObject({
      id: report.started[0],
      jobKey: "hourly",
      trigger: "schedule",
      status: "succeeded",
      scheduledAt: "2026-01-05T08:00:00.000Z",
      attempt: 1,
      error: null,
      nodeId: node.scheduler.nodeId,
    });
    expect(run.durationMs).toEqual(expect.any(Number));
    expect(run.logs).toEqual([expect.stringMatching(/\[info\] hourly run for 2026-01-05T08:00:00\.000Z$/)]);
    const seen = workerRuns(dir).filter((line) => line.jobKey === "hourly");
    expect(seen).toEqual([
      expect.objectContaining({
        jobKey: "hourly",
        runId: run.id,
        trigger: "schedule",
        scheduledAt: "2026-01-05T08:00:00.000Z",
      }),
    ]);
    expect(await job("hourly")).toMatchObject({
      nextRunAt: "2026-01-05T09:00:00.000Z",
      lastRunAt: "2026-01-05T08:00:02.000Z",
    });
    // the same moment again: nothing new
    expect((await node.scheduler.tick()).started).toEqual([]);
    expect(await runs("hourly")).toHaveLength(1);
  });

  it("evaluates a schedule in the job's time zone", async () => {
    const patched = await node.request("PATCH", `/api/plugins/${PLUGIN}/jobs/morning`, {
      timeZone: "Europe/Berlin",
    });
    expect(patched.status).toBe(200);
    // 09:00 in Berlin (CET, UTC+1) is 08:00Z; it is 08:00:02Z now, so the next one is tomorrow's
    expect(patched.body).toMatchObject({ timeZone: "Europe/Berlin", nextRunAt: "2026-01-06T08:00:00.000Z" });
    expect(patched.body.settings).toMatchObject({ timeZone: "Europe/Berlin", misfirePolicy: null });
    const summer = await node.request("PATCH", `/api/plugins/${PLUGIN}/jobs/morning`, {
      timeZone: "America/New_York",
    });
    expect(summer.body.nextRunAt).toBe("2026-01-05T14:00:00.000Z");
    const reset = await node.request("PATCH", `/api/plugins/${PLUGIN}/jobs/morning`, { timeZone: null });
    expect(reset.body).toMatchObject({ timeZone: "UTC", nextRunAt: "2026-01-05T09:00:00.000Z" });
  });

  it("misfire policy skip: ticks missed while no node could run the job are dropped", async () => {
    clock.set("2026-01-05T12:10:00.000Z"); // hourly was due at 09:00, 10:00, 11:00, 12:00
    const report = await node.scheduler.tick();
    expect(report.started).toEqual([]);
    await node.scheduler.idle();
    expect(await runs("hourly")).toHaveLength(1);
    expect(await job("hourly")).toMatchObject({ nextRunAt: "2026-01-05T13:00:00.000Z" });
  });

  it("misfire policy run_once: one run catches up (scheduledAt = first missed tick), then the schedule goes on", async () => {
    await node.request("PATCH", `/api/plugins/${PLUGIN}/jobs/hourly`, { misfirePolicy: "run_once" });
    clock.set("2026-01-05T15:30:00.000Z"); // missed 13:00, 14:00, 15:00
    await settle();
    await settle();
    const list = await runs("hourly");
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({
      trigger: "schedule",
      status: "succeeded",
      scheduledAt: "2026-01-05T13:00:00.000Z",
    });
    expect(await job("hourly")).toMatchObject({
      misfirePolicy: "run_once",
      nextRunAt: "2026-01-05T16:00:00.000Z",
    });
  });

  it("keeps the log lines of a manual run apart from the worker's other logs", async () => {
    const triggered = await node.request("POST", `/api/plugins/${PLUGIN}/jobs/manual/trigger`);
    expect(triggered.status).toBe(200);
    expect(triggered.body).toEqual({ runId: expect.any(String), jobId: (await job("manual")).id });
    // a log line written outside the run, while it is queued
    const record = await node.runtime.registry.require(PLUGIN);
    await node.runtime.callPlugin(record.id, "performAction", { key: "log-outside-job", params: {} }, null);
    const run = await eventually(async () => {
      const [latest] = await runs("manual");
      return latest?.status === "succeeded" ? latest : null;
    }, "the manual run to succeed");
    expect(run).toMatchObject({ id: triggered.body.runId, trigger: "manual" });
    expect(run.logs).toEqual([
      expect.stringMatching(/\[info\] manual run started, trigger=manual$/),
      expect.stringMatching(/\[warn\] manual run step two$/),
      expect.stringMatching(/\[error\] manual run done$/),
    ]);
    const detail = await node.request("GET", `/api/plugins/${PLUGIN}/jobs/manual/runs/${run.id}`);
    expect(detail.body).toEqual(run);
    expect(node.capture.boundCount).toBe(0);
  });

  it("masks a secret the worker resolved and then logged in the run's log lines", async () => {
    const company = await node.services.companies.create(LOCAL_BOARD_ACTOR, { name: "Secret Co" });
    const secret = await node.hostServices.secrets.create(
      company.id,
      "api-key",
      "s3cr3t-value-42",
      new Date(),
    );
    const record = await node.runtime.registry.require(PLUGIN);
    await node.hostServices.configStore.save(
      { id: record.id, schema: record.manifestJson.instanceConfigSchema },
      company.id,
      { apiKey: secret.id },
    );
    await node.jobs.trigger(PLUGIN, "secret");
    const run = await eventually(async () => {
      const [latest] = await runs("secret");
      return latest && latest.status !== "queued" && latest.status !== "running" ? latest : null;
    }, "the secret run to finish");
    expect(run).toMatchObject({ status: "succeeded", error: null });
    expect(run.logs).toEqual([expect.stringMatching(/\[info\] careless plugin logs the key: \[REDACTED\]$/)]);
    expect(JSON.stringify(run)).not.toContain("s3cr3t-value-42");
  });

  it("records a failed run with the handler's error, and re-runs it on request with trigger retry", async () => {
    writeControl(dir, { fail: true });
    const first = await node.jobs.trigger(PLUGIN, "flaky");
    await eventually(async () => (await runs("flaky"))[0]?.status === "failed", "the flaky run to fail");
    const [failed] = await runs("flaky");
    expect(failed).toMatchObject({ id: first.runId, status: "failed", trigger: "manual", attempt: 1 });
    expect(failed.error).toBe("flaky failed on purpose");
    expect(failed.logs).toEqual([expect.stringMatching(/flaky attempt, trigger=manual$/)]);

    writeControl(dir, {});
    const retried = await node.request("POST", `/api/plugins/${PLUGIN}/jobs/flaky/runs/${failed.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ retryOf: failed.id, jobId: failed.jobId });
    await eventually(async () => (await runs("flaky"))[0]?.status === "succeeded", "the retry to succeed");
    const [retry] = await runs("flaky");
    expect(retry).toMatchObject({ id: retried.body.runId, trigger: "retry", attempt: 2, retryOf: failed.id });
    expect(retry.logs).toEqual([expect.stringMatching(/flaky attempt, trigger=retry$/)]);

    const again = await node.request("POST", `/api/plugins/${PLUGIN}/jobs/flaky/runs/${retry.id}/retry`);
    expect(again.status).toBe(400);
    expect(again.body.error).toMatch(/is succeeded: only failed or cancelled runs can be retried/);
  });

  it("retries a failing job automatically with exponential backoff, up to maxAttempts", async () => {
    const policy = await node.request("PATCH", `/api/plugins/${PLUGIN}/jobs/flaky`, {
      retry: { maxAttempts: 3, backoffMs: 1_000 },
    });
    expect(policy.body.retry).toEqual({
      maxAttempts: 3,
      backoffMs: 1_000,
      multiplier: 2,
      maxBackoffMs: 3_600_000,
    });
    writeControl(dir, { fail: true });
    await node.jobs.trigger(PLUGIN, "flaky");
    await eventually(async () => (await runs("flaky"))[1]?.status === "failed", "attempt 1 to fail");
    let list = await runs("flaky");
    expect(list[0]).toMatchObject({ status: "queued", trigger: "retry", attempt: 2, retryOf: list[1].id });
    expect(list[1].error).toBe("flaky failed on purpose (retry 2 of 3 queued)");
    expect(Date.parse(list[0].scheduledAt) - clock.now().getTime()).toBe(1_000);

    await settle(); // not due yet
    expect((await runs("flaky"))[0].status).toBe("queued");
    clock.advance(1_000);
    await settle();
    list = await runs("flaky");
    expect(list[1]).toMatchObject({
      attempt: 2,
      status: "failed",
      error: "flaky failed on purpose (retry 3 of 3 queued)",
    });
    expect(Date.parse(list[0].scheduledAt) - clock.now().getTime()).toBe(2_000);
    clock.advance(2_000);
    await settle();
    list = await runs("flaky");
    expect(list.slice(0, 3).map((r: { attempt: number; status: string }) => [r.attempt, r.status])).toEqual([
      [3, "failed"],
      [2, "failed"],
      [1, "failed"],
    ]);
    expect(list[0].error).toBe("flaky failed on purpose");
    writeControl(dir, {});
    await node.request("PATCH", `/api/plugins/${PLUGIN}/jobs/flaky`, { retry: null });
  });

  it("never overlaps runs of one job: a second trigger is refused and a due tick is skipped", async () => {
    writeControl(dir, { hold: true });
    const { runId } = await node.jobs.trigger(PLUGIN, "slow");
    await eventually(async () => (await runs("slow"))[0]?.status === "running", "the slow run to start");
    const second = await node.request("POST", `/api/plugins/${PLUGIN}/jobs/slow/trigger`);
    expect(second.status).toBe(400);
    expect(second.body.error).toMatch(/already has a queued or running run; runs of one job never overlap/);

    const due = (await job("slow")).nextRunAt;
    clock.set(new Date(Date.parse(due) + 1_000));
    const report = await node.scheduler.tick();
    expect(report.started).not.toContain(runId);
    expect(await runs("slow")).toHaveLength(1);
    expect(Date.parse((await job("slow")).nextRunAt)).toBeGreaterThan(Date.parse(due));

    fs.writeFileSync(path.join(dir, "release"), "");
    await node.scheduler.idle();
    const list = await runs("slow");
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: runId, status: "succeeded" });
    const phases = workerRuns(dir)
      .filter((line) => line.jobKey === "slow")
      .map((line) => line.phase);
    expect(phases).toEqual(["started", "finished"]);
    fs.rmSync(path.join(dir, "release"));
  });

  it("fails a run that exceeds the job's timeout, naming the timeout", async () => {
    await node.request("PATCH", `/api/plugins/${PLUGIN}/jobs/slow`, { timeoutMs: 300 });
    writeControl(dir, { hold: true });
    const { runId } = await node.jobs.trigger(PLUGIN, "slow");
    await eventually(async () => (await runs("slow"))[0]?.status === "failed", "the slow run to time out");
    const [run] = await runs("slow");
    expect(run.id).toBe(runId);
    expect(run.error).toMatch(/^The run timed out after 300 ms \(job timeoutMs\)/);
    fs.writeFileSync(path.join(dir, "release"), "");
    await node.request("PATCH", `/api/plugins/${PLUGIN}/jobs/slow`, { timeoutMs: null });
    await eventually(
      () => workerRuns(dir).filter((line) => line.runId === runId && line.phase === "finished").length === 1,
      "the held handler to finish",
    );
    fs.rmSync(path.join(dir, "release"));
  });

  it("pauses jobs the manifest no longer declares (cancelling their queued runs) and revives them", async () => {
    const record = await node.runtime.registry.require(PLUGIN);
    const manifest = record.manifestJson;
    const queued = await node.scheduler.store.enqueueRun({
      jobId: (await job("manual")).id,
      pluginId: record.id,
      trigger: "manual",
      scheduledAt: new Date(Date.parse("2030-01-01T00:00:00Z")),
      runAfter: new Date(Date.parse("2030-01-01T00:00:00Z")),
      attempt: 1,
      retryOf: null,
    });
    const hourlyBefore = await job("hourly");
    const report = await node.scheduler.syncPlugin({
      ...record,
      manifestJson: { ...manifest, jobs: (manifest.jobs ?? []).filter((j) => j.jobKey !== "manual") },
    });
    expect(report.paused).toEqual(["manual"]);
    expect(await job("manual")).toMatchObject({ status: "paused" });
    const [cancelled] = await runs("manual");
    expect(cancelled).toMatchObject({ id: queued?.id, status: "cancelled" });
    expect(cancelled.error).toMatch(/no longer declared/);
    const refused = await node.request("POST", `/api/plugins/${PLUGIN}/jobs/manual/trigger`);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/is paused \(the plugin no longer declares it\)/);

    await node.scheduler.syncPlugin(record);
    expect(await job("manual")).toMatchObject({ status: "active" });
    // an unchanged job keeps its next tick (so a tick missed during a restart is still seen)
    expect((await job("hourly")).nextRunAt).toBe(hourlyBefore.nextRunAt);
  });

  it("records a run failed when the host shuts down during it", async () => {
    writeControl(dir, { hold: true });
    const { runId } = await node.jobs.trigger(PLUGIN, "slow");
    await eventually(async () => (await runs("slow"))[0]?.status === "running", "the slow run to start");
    await node.scheduler.stop();
    const run = (await runs("slow"))[0];
    expect(run).toMatchObject({ id: runId, status: "failed" });
    expect(run.error).toBe(`The host shut down during the run (node ${node.scheduler.nodeId})`);
    fs.writeFileSync(path.join(dir, "release"), "");
    await eventually(
      () => workerRuns(dir).some((line) => line.runId === runId && line.phase === "finished"),
      "the held handler to finish",
    );
    // the late answer of the worker does not overwrite the record
    expect((await runs("slow"))[0]).toMatchObject({ id: runId, status: "failed" });
  });
});
