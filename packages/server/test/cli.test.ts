// `paperclip` as a real process: start answers /api/health and stops on SIGTERM; a second host on the same
// folder refuses; doctor and --help.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const run = promisify(execFile);
const env = { ...process.env, DATABASE_URL: "", PAPERCLIP_PORT: "", PORT: "" };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function cli(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe("paperclip start", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "paperclip-cli-"));
  let child: ChildProcess;
  let port: number;
  let output = "";
  let exit: Promise<number | null>;

  beforeAll(async () => {
    port = await freePort();
    child = spawn(process.execPath, [CLI, "start", "--data-dir", dataDir, "--port", String(port)], { env });
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    exit = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    for (let attempt = 0; attempt < 300; attempt++) {
      if (output.includes("listening on")) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill("SIGKILL");
      await exit;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("serves /api/health, says which database it uses, and seeds a demo company once", async () => {
    const health = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as unknown;
    expect(health).toMatchObject({ status: "ok", version: "0.1.0", database: { kind: "pglite" } });
    expect(output).toContain(`Using embedded PostgreSQL (PGlite) with data in ${join(dataDir, "db")}`);
    expect(output).toMatch(/First start: seeded a demo company .+Acme Robotics/);
    const companies = (await (await fetch(`http://127.0.0.1:${port}/api/companies`)).json()) as Array<{
      id: string;
    }>;
    expect(companies).toHaveLength(1);
    const issues = await (
      await fetch(`http://127.0.0.1:${port}/api/companies/${companies[0]!.id}/issues`)
    ).json();
    expect(issues).toHaveLength(3);
  });

  it("a second host on the same folder refuses with a clear message", async () => {
    const second = await cli(["start", "--data-dir", dataDir, "--port", String(await freePort())]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`is already used by another Paperclip host (pid ${child.pid}`);
  });

  it("doctor reports the running host without touching its embedded database", async () => {
    const doctor = await cli(["doctor", "--data-dir", dataDir]);
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toContain(`a host is running on this folder (pid ${child.pid}`);
  });

  it("stops cleanly on SIGTERM and releases the folder", async () => {
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(output).toContain("Received SIGTERM, shutting down");
    const doctor = await cli(["doctor", "--data-dir", dataDir]);
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toContain("database answers (pglite");
    expect(doctor.stdout).toContain("schema is up to date");
  });
});

describe("paperclip CLI", () => {
  it("prints help everywhere and refuses unknown commands and flags", async () => {
    expect((await cli(["--help"])).stdout).toContain("Commands:");
    expect((await cli(["start", "--help"])).stdout).toContain("--data-dir <path>");
    expect((await cli(["doctor", "--help"])).stdout).toContain("Usage: paperclip doctor");
    expect((await cli(["--version"])).stdout.trim()).toBe("0.1.0");
    const unknown = await cli(["serve"]);
    expect(unknown).toMatchObject({ code: 1 });
    expect(unknown.stderr).toContain('unknown command "serve"');
    const badFlag = await cli(["start", "--prot", "1"]);
    expect(badFlag.code).toBe(1);
    expect(badFlag.stderr).toContain("--prot");
  });

  it("refuses a non-loopback bind in local trusted mode", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "paperclip-cli-"));
    try {
      const result = await cli(["start", "--data-dir", dataDir, "--host", "0.0.0.0"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("Refusing to bind 0.0.0.0");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("doctor fails when the database cannot be reached", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "paperclip-cli-"));
    try {
      const result = await cli([
        "doctor",
        "--data-dir",
        dataDir,
        "--database-url",
        "postgres://nobody@127.0.0.1:1/none",
      ]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("FAIL  database (DATABASE_URL)");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
