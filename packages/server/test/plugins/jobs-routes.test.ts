/**
 * Bad input and refusals on the job routes: each gets the right status and a message naming the field, the
 * plugin, the job or the rule.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_BOARD_ACTOR } from "../../src/domain/actor.js";
import { ENGINES } from "../support/database.js";
import { copyPackage, JOB_FIXTURES, type JobsNode, startJobsNode } from "./fixtures/jobs/bed.js";

const PLUGIN = "fixtures.jobs";

describe.each(ENGINES)("job routes: bad input (%s)", (engine) => {
  let node: JobsNode;
  let folder: string;
  let pluginId: string;
  let dir: string;

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "pc-jobs-routes-"));
    node = await startJobsNode(engine);
    dir = copyPackage(path.join(JOB_FIXTURES, "jobs-plugin"), folder);
    const record = await node.install(dir);
    pluginId = record.id;
    await node.scheduler.syncPlugin(record);
  });

  afterAll(async () => {
    await node?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it("answers 404 for an unknown plugin, job or run", async () => {
    const plugin = await node.request("GET", "/api/plugins/no.such.plugin/jobs");
    expect(plugin).toMatchObject({ status: 404, body: { error: "Plugin not found" } });
    const job = await node.request("GET", `/api/plugins/${PLUGIN}/jobs/nope/runs`);
    expect(job.status).toBe(404);
    expect(job.body.error).toBe(`Job "nope" not found for plugin ${PLUGIN}`);
    const trigger = await node.request("POST", `/api/plugins/${PLUGIN}/jobs/nope/trigger`);
    expect(trigger.status).toBe(404);
    const run = await node.request("POST", `/api/plugins/${PLUGIN}/jobs/flaky/runs/not-a-run/retry`);
    expect(run.status).toBe(404);
    expect(run.body.error).toBe("Run not-a-run not found for job flaky");
    const missing = await node.request(
      "GET",
      `/api/plugins/${PLUGIN}/jobs/flaky/runs/00000000-0000-4000-8000-000000000000`,
    );
    expect(missing.status).toBe(404);
  });

  it("accepts a job's uuid or its key, and the plugin's uuid or its key", async () => {
    const byKey = (await node.request("GET", `/api/plugins/${PLUGIN}/jobs/hourly`)).body;
    const byId = await node.request("GET", `/api/plugins/${pluginId}/jobs/${byKey.id}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(byKey);
  });

  it("refuses bad filters on the lists (400 naming the parameter)", async () => {
    const status = await node.request("GET", `/api/plugins/${PLUGIN}/jobs?status=sleeping`);
    expect(status.status).toBe(400);
    expect(status.body.error).toBe('status must be one of: active, paused, failed (got "sleeping")');
    for (const limit of ["0", "501", "ten", "2.5"]) {
      const response = await node.request("GET", `/api/plugins/${PLUGIN}/jobs/hourly/runs?limit=${limit}`);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe(`limit must be an integer from 1 to 500 (got "${limit}")`);
    }
    expect((await node.request("GET", `/api/plugins/${PLUGIN}/jobs/hourly/runs?limit=500`)).status).toBe(200);
  });

  it("refuses bad job settings, naming the field and the rule", async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{}, /must NOT have fewer than 1 properties/],
      [{ timeZone: "Mars/Olympus_Mons" }, /^timeZone: "Mars\/Olympus_Mons" is not a valid IANA time zone/],
      [{ misfirePolicy: "catch_up_all" }, /misfirePolicy must be one of/],
      [{ timeoutMs: 0 }, /timeoutMs must be >= 1/],
      [{ timeoutMs: "fast" }, /timeoutMs must be integer,null/],
      [{ retry: { maxAttempts: 1 } }, /^retry\.maxAttempts must be a whole number from 2 to 10/],
      [
        { retry: { maxAttempts: 3, backoffMs: 5 } },
        /^retry\.backoffMs must be a whole number of milliseconds from 100/,
      ],
      [{ retry: { maxAttempts: 3, multiplier: 50 } }, /^retry\.multiplier must be a number from 1 to 10/],
      [{ retry: { maxAttempts: 3, backoffMs: 5_000, maxBackoffMs: 1_000 } }, /^retry\.maxBackoffMs must be/],
      [{ retry: { backoffMs: 1_000 } }, /retry\.maxAttempts is required/],
      // The schedule belongs to the manifest: an unknown property here, refused rather than silently dropped.
      [{ schedule: "* * * * *" }, /^Validation error: body\.schedule is not a known property/],
    ];
    for (const [body, message] of cases) {
      const response = await node.request("PATCH", `/api/plugins/${PLUGIN}/jobs/hourly`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error, JSON.stringify(body)).toMatch(message);
    }
    const unchanged = (await node.request("GET", `/api/plugins/${PLUGIN}/jobs/hourly`)).body;
    expect(unchanged.settings).toEqual({ timeZone: null, misfirePolicy: null, timeoutMs: null, retry: null });
  });

  it("refuses to trigger a job whose worker is not running here (400), then runs it once it is back", async () => {
    const record = await node.runtime.registry.require(PLUGIN);
    await node.runtime.workers.deactivate(record.id);
    const refused = await node.request("POST", `/api/plugins/${PLUGIN}/jobs/manual/trigger`);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe(
      `The worker of plugin ${PLUGIN} is not running on this host; try again when it is`,
    );
    await node.runtime.workers.activate(record);
    const accepted = await node.request("POST", `/api/plugins/${PLUGIN}/jobs/manual/trigger`);
    expect(accepted.status).toBe(200);
  });

  it("syncs again when an upgraded worker comes up: a job the new manifest drops is paused", async () => {
    const manifest = path.join(dir, "manifest.js");
    const text = fs.readFileSync(manifest, "utf8");
    fs.writeFileSync(
      manifest,
      text.replace(/\n\s*\{ jobKey: "morning"[^\n]*/, "").replace('version: "1.0.0"', 'version: "1.1.0"'),
    );
    const upgraded = await node.runtime.lifecycle.upgrade(PLUGIN, undefined, { actor: LOCAL_BOARD_ACTOR });
    expect(upgraded).toMatchObject({ status: "ready", version: "1.1.0" });
    await node.scheduler.tick();
    const jobs = (await node.request("GET", `/api/plugins/${PLUGIN}/jobs`)).body;
    expect(jobs.map((j: { jobKey: string; status: string }) => [j.jobKey, j.status])).toEqual([
      ["flaky", "active"],
      ["hourly", "active"],
      ["manual", "active"],
      ["morning", "paused"],
      ["secret", "active"],
      ["slow", "active"],
    ]);
    const refused = await node.request("POST", `/api/plugins/${PLUGIN}/jobs/morning/trigger`);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe(
      `Job morning of plugin ${PLUGIN} is paused (the plugin no longer declares it)`,
    );
  });

  it("refuses to trigger a job of a disabled plugin (400 naming its status)", async () => {
    await node.runtime.lifecycle.disable(PLUGIN, "maintenance", {
      actor: { type: "user", id: "u", isInstanceAdmin: true },
    });
    const refused = await node.request("POST", `/api/plugins/${PLUGIN}/jobs/hourly/trigger`);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe(`Plugin ${PLUGIN} is disabled, not ready: its jobs cannot run`);
  });
});
