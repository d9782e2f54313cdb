// `paperclip plugin …` against a real `paperclip start` process: both are child processes talking HTTP on
// 127.0.0.1. Also: the first start installs the bundled examples, and a restarted host re-activates them.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFixture, eventually, REPO_ROOT, tempFolders } from "./fixtures/runtime/support.js";

const execFileAsync = promisify(execFile);
const CLI = path.join(REPO_ROOT, "packages", "server", "dist", "cli", "main.js");
const temp = tempFolders();

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

interface HostProcess {
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

async function startHostProcess(dataDir: string, port: number): Promise<HostProcess> {
  const child = spawn(
    process.execPath,
    [CLI, "start", "--data-dir", dataDir, "--port", String(port), "--log-level", "info"],
    { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`paperclip start exited early:\n${output}`);
    return fetch(`http://127.0.0.1:${port}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
  }, "paperclip start to answer /api/health");
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

async function paperclip(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [CLI, ...args], { env: cleanEnv() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? 1, stdout: failure.stdout ?? "", stderr: failure.stderr ?? "" };
  }
}

describe("paperclip plugin against a running host", () => {
  let dataDir: string;
  let port: number;
  let host: HostProcess;
  let basicFolder: string;

  beforeAll(async () => {
    dataDir = temp.make("cli-instance");
    port = await freePort();
    basicFolder = copyFixture("basic-plugin", temp.make("cli-plugin"));
    host = await startHostProcess(dataDir, port);
  });
  afterAll(async () => {
    await host?.stop();
    temp.cleanup();
  });

  const run = (...args: string[]) => paperclip(["plugin", ...args, "--port", String(port)]);

  it("installed the bundled examples on first start and said so", async () => {
    await eventually(
      () => host.output().includes("First start: installed example plugin paperclip.hello-world"),
      "the first-start log line",
    );
    const list = await run("list");
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^KEY\s+VERSION\s+STATUS\s+SOURCE\s+ID/m);
    expect(list.stdout).toMatch(/paperclip\.hello-world\s+0\.1\.0\s+ready\s+local/);
  });

  it("installs a local folder, printing progress, and manages it", async () => {
    const install = await run("install", basicFolder);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stderr).toContain(
      `Using local package paperclip-plugin-runtime-basic@1.0.0 in place at ${basicFolder}`,
    );
    expect(install.stderr).toMatch(/Plugin runtime\.basic is ready/);
    expect(install.stdout).toMatch(/^Installed runtime\.basic@1\.0\.0: status ready \(id [0-9a-f-]{36}\)$/m);

    const disable = await run("disable", "runtime.basic", "--reason", "cli test");
    expect(disable.code).toBe(0);
    expect(disable.stdout).toContain("Disabled runtime.basic@1.0.0: status disabled");
    expect(disable.stdout).toContain("Reason: cli test");

    const enable = await run("enable", "runtime.basic");
    expect(enable.code).toBe(0);
    expect(enable.stdout).toContain("Enabled runtime.basic@1.0.0: status ready");

    const health = await run("health", "runtime.basic");
    expect(health.code, health.stdout).toBe(0);
    expect(health.stdout).toMatch(/^Healthy \(status ready/);
    expect(health.stdout).toMatch(/ok {3}worker_ping: health answered/);

    const json = await run("list", "--json");
    const plugins = JSON.parse(json.stdout) as Array<{ pluginKey: string; status: string }>;
    expect(plugins.map((p) => p.pluginKey).sort()).toEqual([
      "paperclip.agent-chat",
      "paperclip.company-pulse",
      "paperclip.hello-world",
      "paperclip.issue-sync",
      "paperclip.kitchen-sink",
      "runtime.basic",
    ]);

    const logs = await run("logs", "runtime.basic", "--limit", "5");
    expect(logs.code, logs.stderr).toBe(0);

    const purge = await run("uninstall", "runtime.basic", "--purge");
    expect(purge.code).toBe(0);
    expect(purge.stdout).toContain("Purged runtime.basic@1.0.0");
    expect((await run("list")).stdout).not.toContain("runtime.basic");
  });

  it("exits 1 with the host's message on bad input", async () => {
    const unknown = await run("enable", "no.such.plugin");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("paperclip plugin enable: Plugin not found\n");

    const badStatus = await run("list", "--status", "bogus");
    expect(badStatus.code).toBe(1);
    expect(badStatus.stderr).toMatch(/querystring\.status must be one of/);

    const missing = await run("install", path.join(dataDir, "no-such-folder"), "--local");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/local: the path ".*no-such-folder" does not exist/);

    const noArgument = await run("disable");
    expect(noArgument.code).toBe(1);
    expect(noArgument.stderr).toMatch(/name the plugin: paperclip plugin disable <plugin key or id>/);

    const unknownCommand = await paperclip(["plugin", "frobnicate"]);
    expect(unknownCommand.code).toBe(1);
    expect(unknownCommand.stderr).toMatch(/unknown command "frobnicate"/);

    const badFlag = await run("list", "--colour");
    expect(badFlag.code).toBe(1);
    expect(badFlag.stderr).toMatch(/Unknown option '--colour'/);
  });

  it("says clearly when no host answers", async () => {
    const unused = await freePort();
    const result = await paperclip(["plugin", "list", "--port", String(unused)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`no Paperclip host answers at http://127\\.0\\.0\\.1:${unused}`),
    );
  });

  it("re-activates the example after a restart without installing it again", async () => {
    await host.stop();
    host = await startHostProcess(dataDir, port);
    await eventually(
      () => host.output().includes("Plugin paperclip.hello-world is ready"),
      "the boot activation log line",
    );
    expect(host.output()).not.toContain("First start: installed example plugin");
    const list = await run("list");
    expect(list.stdout).toMatch(/paperclip\.hello-world\s+0\.1\.0\s+ready/);
    expect(fs.existsSync(path.join(dataDir, "plugins"))).toBe(false); // local installs copy nothing
  });
});
