/**
 * Jobs and webhooks in a real `paperclip start` process (child process, HTTP on 127.0.0.1), driven by the
 * `paperclip plugin jobs|job-run` CLI and plain HTTP: the wiring of the host, the dashboard's recent runs and
 * deliveries, a webhook whose sender sends its own Authorization header, and a host stopped (SIGTERM) during a
 * run — the run is recorded failed, never left running.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyPackage, eventually, JOB_FIXTURES, writeControl } from "./fixtures/jobs/bed.js";
import { REPO_ROOT } from "./fixtures/runtime/support.js";
import { WEBHOOK_FIXTURES } from "./fixtures/webhooks/bed.js";

const execFileAsync = promisify(execFile);
const CLI = path.join(REPO_ROOT, "packages", "server", "dist", "cli", "main.js");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
    server.on("error", reject);
  });
}

function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith("PAPERCLIP_") && key !== "DATABASE_URL" && key !== "PORT",
    ),
  );
}

describe("jobs and webhooks in a running host", () => {
  let folder: string;
  let dataDir: string;
  let port: number;
  let host: { child: ChildProcess; exited: Promise<void>; output: () => string } | null = null;
  let jobsDir: string;

  const api = async (method: string, urlPath: string, init: RequestInit = {}) => {
    const response = await fetch(`http://127.0.0.1:${port}${urlPath}`, { method, ...init });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };

  async function startHost(): Promise<void> {
    const child = spawn(
      process.execPath,
      [CLI, "start", "--data-dir", dataDir, "--port", String(port), "--no-seed", "--log-level", "warn"],
      { env: { ...cleanEnv(), PAPERCLIP_JOBS_SHUTDOWN_GRACE_MS: "300" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    host = { child, exited, output: () => output };
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`paperclip start exited early:\n${output}`);
      return fetch(`http://127.0.0.1:${port}/api/health`).then(
        (response) => response.ok,
        () => false,
      );
    }, "paperclip start to answer /api/health");
  }

  async function stopHost(): Promise<void> {
    if (!host) return;
    if (host.child.exitCode === null) host.child.kill("SIGTERM");
    await host.exited;
    host = null;
  }

  async function paperclip(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const connection = ["--port", String(port), "--data-dir", dataDir];
    try {
      const { stdout, stderr } = await execFileAsync(
        process.execPath,
        [CLI, "plugin", ...args, ...connection],
        {
          env: cleanEnv(),
        },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failure = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failure.code ?? 1, stdout: failure.stdout ?? "", stderr: failure.stderr ?? "" };
    }
  }

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "pc-jobs-host-"));
    dataDir = path.join(folder, "instance");
    port = await freePort();
    jobsDir = copyPackage(path.join(JOB_FIXTURES, "jobs-plugin"), folder);
    await startHost();
    for (const dir of [jobsDir, copyPackage(path.join(WEBHOOK_FIXTURES, "webhooks-plugin"), folder)]) {
      const installed = await paperclip(["install", dir, "--local"]);
      expect(installed.code, installed.stderr).toBe(0);
    }
  });

  afterAll(async () => {
    fs.writeFileSync(path.join(jobsDir, "release"), "");
    await stopHost();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it("lists a plugin's jobs and runs one from the CLI, printing its result and log lines", async () => {
    const listed = await paperclip(["jobs", "fixtures.jobs"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^JOB\s+STATUS\s+SCHEDULE\s+TIME ZONE\s+NEXT RUN\s+LAST RUN$/m);
    expect(listed.stdout).toMatch(
      /^hourly\s+active\s+0 \* \* \* \*\s+UTC\s+\d{4}-\d\d-\d\dT\d\d:00:00\.000Z\s+-$/m,
    );
    expect(listed.stdout).toMatch(/^manual\s+active\s+\(manual\)\s+UTC\s+-\s+-$/m);

    const ran = await paperclip(["job-run", "fixtures.jobs", "manual", "--wait"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(
      /^Run [0-9a-f-]{36} of job manual \(manual, attempt 1\): succeeded in \d+ ms$/m,
    );
    expect(ran.stdout).toMatch(/\[warn\] manual run step two$/m);

    const missing = await paperclip(["job-run", "fixtures.jobs", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Job "nope" not found for plugin fixtures.jobs');
    const usage = await paperclip(["job-run", "fixtures.jobs"]);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain("name the plugin and the job: paperclip plugin job-run <plugin> <jobKey>");

    const dashboard = await api("GET", "/api/plugins/fixtures.jobs/dashboard");
    expect(dashboard.body.recentJobRuns[0]).toMatchObject({ jobKey: "manual", status: "succeeded" });
  });

  it("takes a webhook whose sender sends its own Authorization header, and shows it on the dashboard", async () => {
    const response = await api("POST", "/api/plugins/fixtures.webhooks/webhooks/github", {
      headers: { "content-type": "application/json", authorization: "Bearer from-the-sender" },
      body: '{"zen":"Keep it logically awesome."}',
    });
    expect(response).toMatchObject({ status: 200, body: { status: "success" } });
    const dashboard = await api("GET", "/api/plugins/fixtures.webhooks/dashboard");
    expect(dashboard.body.recentWebhookDeliveries[0]).toMatchObject({
      id: response.body.deliveryId,
      status: "success",
      headers: { authorization: "[REDACTED]" },
    });
    // the rest of the API still refuses bearer credentials in local trusted mode
    const refused = await api("GET", "/api/plugins", { headers: { authorization: "Bearer x" } });
    expect(refused.status).toBe(401);
  });

  it("records a run failed when the host is stopped during it, and the restarted host keeps it failed", async () => {
    writeControl(jobsDir, { hold: true });
    const triggered = await paperclip(["job-run", "fixtures.jobs", "slow", "--json"]);
    expect(triggered.code, triggered.stderr).toBe(0);
    const { runId } = JSON.parse(triggered.stdout);
    const runUrl = `/api/plugins/fixtures.jobs/jobs/slow/runs/${runId}`;
    await eventually(
      async () => (await api("GET", runUrl)).body.status === "running",
      "the slow run to start",
    );

    await stopHost();
    await startHost();
    const run = (await api("GET", runUrl)).body;
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/^The host shut down during the run \(node \S+\)$/);
    writeControl(jobsDir, {});
  });
});
