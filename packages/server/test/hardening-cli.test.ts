// The host as a real process (issue 18, items 3, 4 and 6): the `paperclip` bin works before a build is linked
// and lists every command; an instance started under umask 022 keeps every file 0600 and folder 0700 (the
// embedded database included); a log flood grows neither the database nor the host's log by much; doctor
// creates nothing; a start on a busy port leaves no data folder behind.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import { createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLUGIN_COMMANDS } from "../src/cli/plugin.js";

const SERVER_DIR = fileURLToPath(new URL("..", import.meta.url));
const REPO_ROOT = path.resolve(SERVER_DIR, "../..");
const LIMITS_PLUGIN = fileURLToPath(new URL("./plugins/fixtures/hardening/limits-plugin", import.meta.url));
const run = promisify(execFile);

/** The environment of a child host: no database URL, no npm_* settings of the `npm test` that runs us. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith("npm_")) env[key] = value;
  }
  return { ...env, DATABASE_URL: "", PAPERCLIP_PORT: "", PORT: "", PAPERCLIP_LOG_FORMAT: "json", ...extra };
}

const binPath = (): string => {
  const manifest = JSON.parse(fs.readFileSync(path.join(SERVER_DIR, "package.json"), "utf8"));
  return path.join(SERVER_DIR, manifest.bin.paperclip);
};

async function exec(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  try {
    const { stdout, stderr } = await run(file, args, { env: childEnv(), ...options });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Every entry under `root` (root included) with its permission bits. */
function modes(root: string): Array<{ path: string; dir: boolean; mode: number }> {
  const found: Array<{ path: string; dir: boolean; mode: number }> = [];
  const visit = (at: string) => {
    const info = fs.lstatSync(at);
    if (info.isSymbolicLink()) return;
    found.push({ path: at, dir: info.isDirectory(), mode: info.mode & 0o777 });
    if (info.isDirectory()) for (const name of fs.readdirSync(at)) visit(path.join(at, name));
  };
  visit(root);
  return found;
}

function folderBytes(root: string): number {
  let total = 0;
  for (const entry of modes(root)) if (!entry.dir) total += fs.statSync(entry.path).size;
  return total;
}

describe("the paperclip bin", () => {
  it("is a committed file (not build output), so npm links it on a fresh clone", () => {
    const bin = binPath();
    expect(path.relative(SERVER_DIR, bin)).toBe(path.join("bin", "paperclip.js"));
    expect(fs.statSync(bin).mode & 0o111).not.toBe(0);
    expect(fs.readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it("before a build: npm install links it, and it says how to build the CLI", async () => {
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), "pc-fresh-clone-"));
    try {
      // A workspace shaped like a fresh clone: the server package with its bin, no dist/ yet.
      fs.writeFileSync(
        path.join(temp, "package.json"),
        JSON.stringify({ name: "fresh", private: true, workspaces: ["packages/server"] }),
      );
      const server = path.join(temp, "packages", "server");
      fs.mkdirSync(path.join(server, "bin"), { recursive: true });
      const manifest = JSON.parse(fs.readFileSync(path.join(SERVER_DIR, "package.json"), "utf8"));
      fs.writeFileSync(
        path.join(server, "package.json"),
        JSON.stringify({ name: manifest.name, version: manifest.version, type: "module", bin: manifest.bin }),
      );
      fs.copyFileSync(binPath(), path.join(server, "bin", "paperclip.js"));
      const install = await exec(
        "npm",
        ["install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"],
        {
          cwd: temp,
        },
      );
      expect(install.code, install.stderr).toBe(0);
      const linked = path.join(temp, "node_modules", ".bin", "paperclip");
      expect(fs.existsSync(linked)).toBe(true);
      const before = await exec(linked, ["--help"], { cwd: temp });
      expect(before.code).toBe(1);
      expect(before.stderr).toContain("the CLI is not built yet");
      expect(before.stderr).toContain("npm run build");
    } finally {
      fs.rmSync(temp, { recursive: true, force: true });
    }
  });

  it("after the build: `npx paperclip --help` in the repository lists every command", async () => {
    for (const help of [
      await exec(process.execPath, [binPath(), "--help"]),
      await exec("npx", ["--no-install", "paperclip", "--help"], { cwd: REPO_ROOT }),
    ]) {
      expect(help.code, help.stderr).toBe(0);
      for (const command of ["start", "doctor", "plugin", "help"])
        expect(help.stdout).toContain(`  ${command} `);
      for (const command of PLUGIN_COMMANDS) expect(help.stdout).toMatch(new RegExp(`[ ,]${command}(,|\\n)`));
    }
  });
});

describe("paperclip doctor only reads", () => {
  it("reports a missing instance and creates nothing", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "pc-doctor-home-"));
    try {
      const explicit = path.join(home, "nowhere", "instance");
      const result = await exec(process.execPath, [binPath(), "doctor", "--data-dir", explicit]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`no instance at ${explicit}`);
      expect(fs.existsSync(path.join(home, "nowhere"))).toBe(false);

      // The default instance of a PAPERCLIP_HOME with nothing in it.
      const viaHome = await exec(process.execPath, [binPath(), "doctor"], {
        env: childEnv({ PAPERCLIP_HOME: home }),
      });
      expect(viaHome.code).toBe(1);
      expect(viaHome.stdout).toContain(`no instance at ${path.join(home, "instances", "default")}`);
      expect(fs.readdirSync(home)).toEqual([]);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe("paperclip start on a busy port", () => {
  let busy: Server;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(port, "127.0.0.1", resolve));
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it("fails before creating, migrating or seeding a data folder", async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), "pc-busy-port-"));
    try {
      const dataDir = path.join(parent, "new", "instance");
      const result = await exec(process.execPath, [
        binPath(),
        "start",
        "--data-dir",
        dataDir,
        "--port",
        String(port),
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(fs.readdirSync(parent)).toEqual([]);
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe("an instance started under umask 022", () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), "pc-private-"));
  const dataDir = path.join(parent, "instance");
  let child: ChildProcess;
  let port: number;
  let output = "";
  let exit: Promise<number | null>;
  const url = () => `http://127.0.0.1:${port}`;
  const api = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(url() + route, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    port = await freePort();
    const command = `umask 022 && exec "${process.execPath}" "${binPath()}" start --data-dir "${dataDir}" --port ${port}`;
    child = spawn("sh", ["-c", command], { env: childEnv() });
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    exit = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    for (let attempt = 0; attempt < 600 && !output.includes("listening on"); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(output).toContain("listening on");
  }, 90_000);
  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill("SIGKILL");
      await exit;
    }
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it("keeps every folder it created 0700 while running (the embedded database's included)", async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const entries = modes(dataDir);
    expect(entries.some((entry) => entry.path.endsWith(`${path.sep}db${path.sep}PG_VERSION`))).toBe(true);
    const openFolders = entries.filter((entry) => entry.dir && entry.mode !== 0o700);
    expect(openFolders.map((entry) => `${entry.mode.toString(8)} ${entry.path}`)).toEqual([]);
    const worldWritable = entries.filter((entry) => (entry.mode & 0o002) !== 0);
    expect(worldWritable.map((entry) => `${entry.mode.toString(8)} ${entry.path}`)).toEqual([]);
  });

  it("a plugin logging 100,000 lines of 1 KB grows neither the database nor the host log by much", async () => {
    const installed = await api("POST", "/api/plugins/install", {
      packageName: LIMITS_PLUGIN,
      isLocalPath: true,
    });
    expect(installed.body.status, installed.body.lastError).toBe("ready");
    const pluginId = installed.body.id as string;
    await api("GET", `/api/plugins/${pluginId}/logs`);
    const dbBefore = folderBytes(path.join(dataDir, "db"));
    const logBefore = output.length;
    const flood = await api("POST", `/api/plugins/${pluginId}/actions/log-flood`, {
      params: { count: 100_000, size: 1024 },
    });
    expect(flood.body).toEqual({ data: { logged: 100_000 } });
    const health = (await api("GET", `/api/plugins/${pluginId}/health`)).body;
    const { worker } = (await api("GET", `/api/plugins/${pluginId}/dashboard`)).body;
    // Every line is accounted for: stored, dropped by the log caps, or by the notification flood limit.
    expect(
      health.logs.storedLines + health.logs.droppedLines + worker.droppedNotifications,
    ).toBeGreaterThanOrEqual(100_000);
    expect(health.logs.droppedLines).toBeGreaterThan(10_000);
    expect(health.logs.storedBytes).toBeLessThanOrEqual(1024 * 1024);
    expect(health.warnings.join("\n")).toContain("Log cap reached");
    await api("GET", `/api/plugins/${pluginId}/logs`); // flushes the buffered lines
    const logGrowth = output.length - logBefore;
    const dbGrowth = folderBytes(path.join(dataDir, "db")) - dbBefore;
    // 100 MB were logged: at most 300 lines (the mirror cap) reach the host log, about 1 MB the database.
    expect(logGrowth).toBeLessThan(2 * 1024 * 1024);
    expect(dbGrowth).toBeLessThan(40 * 1024 * 1024);
  }, 120_000);

  it("after stopping, every file is 0600 and every folder 0700", async () => {
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    const entries = modes(dataDir);
    expect(entries.length).toBeGreaterThan(100);
    const notPrivate = entries.filter((entry) => entry.mode !== (entry.dir ? 0o700 : 0o600));
    expect(notPrivate.map((entry) => `${entry.mode.toString(8)} ${entry.path}`)).toEqual([]);
  });
});
