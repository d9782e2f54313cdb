// Issue Sync on a real host: `paperclip start --no-seed` as a child process on a scratch instance (PGlite), the
// plugin installed by local path, its worker a real process, the tracker a real HTTP server on 127.0.0.1 that
// the plugin may reach because its egress policy grants that one address. Everything goes over HTTP, as an
// operator and a tracker would: a secret, the config that references it, webhooks with a good and a bad
// signature, two runs of the sync job (the second duplicates nothing). Then the package is packed with
// `npm pack` and the tarball installed on the same host in place of the folder.
// Needs the build (`npx tsc -b`), as `npm test` does first.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { signWebhookPayload } from "@paperclipai/plugin-sdk/webhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTracker } from "./fake-tracker.js";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const repoRoot = path.resolve(packageRoot, "../..");
const CLI = path.join(repoRoot, "packages/server/dist/cli/main.js");
const KEY = "paperclip.issue-sync";
const SECRET_VALUE = "whsec-issue-sync-test";

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

/** A host environment without inherited Paperclip settings (the test names its folder and port). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith("PAPERCLIP_") && key !== "DATABASE_URL" && key !== "PORT",
    ),
  );
}

/** Polls until `check` returns a truthy value (the test's timeout bounds it). */
async function eventually<T>(check: () => Promise<T | null | undefined | false>): Promise<T> {
  for (;;) {
    const value = await check().catch((error: Error & { fatal?: boolean }) => {
      if (error.fatal) throw error;
      return null;
    });
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

class Host {
  private child: ChildProcess | null = null;
  private output = "";
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    const child = spawn(
      process.execPath,
      [CLI, "start", "--no-seed", "--data-dir", this.dataDir, "--port", String(this.port)],
      { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child = child;
    child.stdout!.on("data", (chunk) => (this.output += chunk));
    child.stderr!.on("data", (chunk) => (this.output += chunk));
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    await eventually(async () => {
      if (child.exitCode !== null) {
        throw Object.assign(new Error(`paperclip start exited early:\n${this.output}`), { fatal: true });
      }
      return (await fetch(`${this.url}/api/health`)).ok;
    });
  }

  async stop() {
    if (this.child && this.child.exitCode === null) this.child.kill("SIGTERM");
    await this.exited;
  }

  /** Any request; answers status and parsed body. */
  async call<T = any>(method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.url}${route}`, {
      method,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async api<T = any>(method: string, route: string, body?: unknown): Promise<T> {
    const { status, body: answer } = await this.call<T>(method, route, body);
    if (status >= 400) throw new Error(`${method} ${route} → ${status} ${JSON.stringify(answer)}`);
    return answer;
  }
}

const temp = mkdtempSync(path.join(tmpdir(), "issue-sync-host-"));
const tracker = new FakeTracker();
let trackerUrl: string;
let host: Host;
let companyId: string;
let secretId: string;

/** Installs a package (folder or tarball) and waits for the plugin to be ready. */
async function install(packageName: string, isLocalPath: boolean) {
  await host.api("POST", "/api/plugins/install", { packageName, isLocalPath });
  return eventually(async () => {
    const record = await host.api<{ id: string; status: string; packagePath: string | null }>(
      "GET",
      `/api/plugins/${KEY}`,
    );
    return record.status === "ready" ? record : null;
  });
}

/** Grants the tracker's loopback address and saves the company's config (which binds the secret). */
async function configure() {
  await host.api("PUT", `/api/plugins/${KEY}/egress`, {
    mode: "any-public",
    privateGrants: [new URL(trackerUrl).host],
  });
  await host.api("POST", `/api/plugins/${KEY}/config`, {
    companyId,
    configJson: { trackerUrl, webhookSecret: secretId },
  });
}

function webhook(body: object, secret: string) {
  const rawBody = JSON.stringify(body);
  return host.call("POST", `/api/plugins/${KEY}/webhooks/tracker`, rawBody, {
    "x-tracker-signature": signWebhookPayload({ rawBody, secret, prefix: true }),
  });
}

async function issues() {
  const rows = await host.api<Array<{ id: string; title: string; status: string; originId: string | null }>>(
    "GET",
    `/api/companies/${companyId}/issues`,
  );
  return rows.map((row) => [row.originId, row.title, row.status]).sort();
}

/** Triggers the sync job and waits for its run to finish; answers the run. */
async function runSync() {
  const { runId } = await host.api<{ runId: string }>("POST", `/api/plugins/${KEY}/jobs/sync/trigger`);
  return eventually(async () => {
    const run = await host.api<{ status: string; error: string | null; logs: string[] }>(
      "GET",
      `/api/plugins/${KEY}/jobs/sync/runs/${runId}`,
    );
    return run.status === "succeeded" || run.status === "failed" ? run : null;
  });
}

const event = (action: string, id: string, title: string, updatedAt: string, state = "open") => ({
  action,
  issue: { id, title, description: null, state, updatedAt },
});

beforeAll(async () => {
  for (const built of ["dist/worker.js", "dist/manifest.js"]) {
    if (!existsSync(path.join(packageRoot, built)))
      throw new Error(`examples/issue-sync/${built} is missing: run npx tsc -b first`);
  }
  if (!existsSync(CLI)) throw new Error("packages/server is not built: run npx tsc -b first");
  trackerUrl = await tracker.start();
  host = new Host(path.join(temp, "instance"), await freePort());
  await host.start();
  ({ id: companyId } = await host.api<{ id: string }>("POST", "/api/companies", { name: "Sync Co" }));
  ({ id: secretId } = await host.api<{ id: string }>("POST", `/api/companies/${companyId}/secrets`, {
    name: "tracker-webhook",
    value: SECRET_VALUE,
  }));
}, 120_000);

afterAll(async () => {
  await host?.stop();
  await tracker.stop();
  rmSync(temp, { recursive: true, force: true });
});

describe("issue-sync on a real host (paperclip start)", () => {
  it("installs by local path and takes a config whose webhook secret is a secret reference", {
    timeout: 60_000,
  }, async () => {
    const record = await install(packageRoot, true);
    expect(record.packagePath).toBe(path.resolve(packageRoot));
    await configure();
    const config = await host.api("GET", `/api/plugins/${KEY}/config?companyId=${companyId}`);
    expect(config).toMatchObject({ configJson: { trackerUrl, webhookSecret: secretId }, lastError: null });
  });

  it("accepts a correctly signed webhook and refuses a wrong signature with the plugin's reason", async () => {
    const refused = await webhook(
      event("issue.created", "TRK-100", "Forged", "2026-12-01T08:00:00.000Z"),
      "someone-elses-secret",
    );
    expect(refused.status).toBe(502);
    expect(refused.body).toMatchObject({
      status: "failed",
      error: expect.stringContaining("the signature matches no configured company's webhook secret"),
    });

    const accepted = await webhook(
      event("issue.created", "TRK-1", "Webhook issue", "2026-12-01T09:00:00.000Z"),
      SECRET_VALUE,
    );
    expect(accepted).toMatchObject({ status: 200, body: { status: "success" } });
    expect(await issues()).toEqual([["TRK-1", "Webhook issue", "todo"]]);
  });

  it("creates the tracker's issues in one job run, through the granted loopback address", {
    timeout: 60_000,
  }, async () => {
    tracker.put({
      id: "TRK-1",
      title: "Webhook issue",
      description: null,
      state: "closed",
      updatedAt: "2026-12-02T10:00:00.000Z",
    });
    tracker.put({
      id: "TRK-2",
      title: "Pulled issue",
      description: "From the job",
      state: "open",
      updatedAt: "2026-12-02T11:00:00.000Z",
    });
    const run = await runSync();
    expect(run).toMatchObject({ status: "succeeded", error: null });
    expect(run.logs.join("\n")).toContain("1 created, 1 updated, 0 unchanged");
    expect(await issues()).toEqual([
      ["TRK-1", "Webhook issue", "done"],
      ["TRK-2", "Pulled issue", "todo"],
    ]);
    const outbound = await host.api<{ items: Array<{ host: string; outcome: string; status: number }> }>(
      "GET",
      `/api/plugins/${KEY}/outbound`,
    );
    expect(outbound.items[0]).toMatchObject({
      host: new URL(trackerUrl).host,
      outcome: "completed",
      status: 200,
    });
  });

  it("does not duplicate anything on a second run, which asks only for later changes", {
    timeout: 60_000,
  }, async () => {
    const run = await runSync();
    expect(run).toMatchObject({ status: "succeeded" });
    expect(run.logs.join("\n")).toContain("0 created, 0 updated, 0 unchanged");
    expect(tracker.requests.at(-1)).toBe("2026-12-02T11:00:00.000Z");
    expect(await issues()).toHaveLength(2);
  });

  it("installs from its npm pack tarball (no dependencies) and handles a webhook", {
    timeout: 180_000,
  }, async () => {
    const packDir = path.join(temp, "pack");
    mkdirSync(packDir, { recursive: true });
    // prepack bundles the worker with the SDK inlined, so the tarball needs nothing from a registry.
    const { stdout } = await promisify(execFile)("npm", ["pack", "--json", "--pack-destination", packDir], {
      cwd: packageRoot,
    });
    const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    expect(packed!.files.map((file) => file.path)).toEqual(
      expect.arrayContaining(["dist/worker.js", "dist/manifest.js"]),
    );
    const tarball = path.join(packDir, packed!.filename);

    await host.api("DELETE", `/api/plugins/${KEY}?purge=true`);
    const record = await install(tarball, false);
    expect(record.packagePath).not.toBe(path.resolve(packageRoot));
    await configure();
    const accepted = await webhook(
      event("issue.created", "TRK-3", "From the tarball install", "2026-12-03T09:00:00.000Z"),
      SECRET_VALUE,
    );
    expect(accepted).toMatchObject({ status: 200, body: { status: "success" } });
    expect(await issues()).toContainEqual(["TRK-3", "From the tarball install", "todo"]);
  });
});
