// Upgrades with real processes (docs/host.md, "Upgrades"): `paperclip migrate status` lists pending migrations,
// `paperclip doctor --fix` removes a stale lock and applies them after a backup, and `paperclip start` on an
// embedded database with pending migrations takes a backup before applying them.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/database.js";
import { loadMigrations, runMigrations } from "../src/db/migrate.js";

const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const run = promisify(execFile);
const env = { ...process.env, DATABASE_URL: "", PAPERCLIP_PORT: "", PORT: "", PAPERCLIP_BACKUP_SCHEDULE: "" };
const ALL = loadMigrations().map((migration) => migration.name);

async function cli(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

/** An instance whose embedded database is one or more versions behind: its last `behind` migrations pending. */
async function instanceBehind(behind: number): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), "paperclip-upgrade-"));
  const db = await openDatabase({ kind: "pglite", dataDir: join(dataDir, "db") });
  try {
    await runMigrations(db, loadMigrations().slice(0, -behind));
  } finally {
    await db.close();
  }
  return dataDir;
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe("paperclip doctor --fix and migrate status", () => {
  it("lists pending migrations, then doctor --fix removes a stale lock and applies them after a backup", async () => {
    const dataDir = await instanceBehind(2);
    folders.push(dataDir);
    const pending = ALL.slice(-2);

    const before = await cli(["migrate", "status", "--data-dir", dataDir]);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain(`pending   ${pending[0]}\npending   ${pending[1]}\n`);
    expect(before.stdout).toContain(`${ALL.length - 2} applied, 2 pending, 0 modified`);

    const pid = await deadPid();
    writeFileSync(
      join(dataDir, "paperclip.lock"),
      JSON.stringify({ pid, hostname: hostname(), startedAt: "2026-01-01T00:00:00.000Z" }),
    );
    const fixed = await cli(["doctor", "--fix", "--data-dir", dataDir]);
    expect(fixed.stderr).toBe("");
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain(
      `fixed removed the stale lock of host pid ${pid} (started 2026-01-01T00:00:00.000Z, no longer running)`,
    );
    expect(fixed.stdout).toMatch(
      new RegExp(
        `fixed applied 2 pending migration\\(s\\): ${pending.join(", ")} \\(backup paperclip-backup-\\S+\\.tar taken first\\)`,
      ),
    );
    expect(fixed.stdout).toContain("nothing left for the operator");
    expect(fixed.stdout).toContain(`schema is up to date (${ALL.length} migration(s) applied)`);
    expect(existsSync(join(dataDir, "paperclip.lock"))).toBe(false);
    expect(readdirSync(join(dataDir, "backups")).filter((name) => name.endsWith(".tar"))).toHaveLength(1);

    const after = await cli(["migrate", "status", "--data-dir", dataDir]);
    expect(after.stdout).toContain(`${ALL.length} applied, 0 pending, 0 modified`);
    const again = await cli(["doctor", "--fix", "--data-dir", dataDir]);
    expect(again.stdout).not.toContain("fixed ");
    expect(again.stdout).toContain("nothing left for the operator");
  }, 60_000);

  it("leaves an edited migration for the operator and says so", async () => {
    const dataDir = await instanceBehind(1);
    folders.push(dataDir);
    const db = await openDatabase({ kind: "pglite", dataDir: join(dataDir, "db") });
    try {
      // As if the file of an applied migration had been edited since: its recorded checksum no longer matches.
      await db.pool.query("UPDATE paperclip_migrations SET checksum = 'edited' WHERE name = $1", [
        ALL.at(-2),
      ]);
    } finally {
      await db.close();
    }
    const fixed = await cli(["doctor", "--fix", "--data-dir", dataDir]);
    expect(fixed.code).toBe(1);
    expect(fixed.stdout).toContain(`FAIL  migrations changed after being applied: ${ALL.at(-2)}`);
    expect(fixed.stdout).toContain(
      `left for the operator: migrations changed after being applied: ${ALL.at(-2)}`,
    );
    expect(fixed.stdout).not.toContain("fixed applied");
    const status = await cli(["migrate", "status", "--data-dir", dataDir]);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(`MODIFIED  ${ALL.at(-2)} (changed after it was applied)`);
    expect(status.stdout).toContain(`pending   ${ALL.at(-1)}`);
  }, 60_000);

  it("refuses bad input by name", async () => {
    const unknown = await cli(["migrate", "up"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown migrate command "up": only paperclip migrate status exists');
    const empty = mkdtempSync(join(tmpdir(), "paperclip-upgrade-"));
    folders.push(empty);
    const none = await cli(["migrate", "status", "--data-dir", empty]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`no embedded database at ${join(empty, "db")} yet`);
    const noFile = await cli(["restore"]);
    expect(noFile.stderr).toContain("name one backup file: paperclip restore <file>");
  }, 30_000);
});

describe("paperclip start on an embedded database with pending migrations", () => {
  it("takes a pre-upgrade backup, then applies them", async () => {
    const dataDir = await instanceBehind(1);
    folders.push(dataDir);
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const child = spawn(
      process.execPath,
      [CLI, "start", "--data-dir", dataDir, "--port", String(port), "--no-seed"],
      {
        env,
      },
    );
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      for (let attempt = 0; attempt < 600 && !/Node \S+ started/.test(output); attempt++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(output).toMatch(
        /Upgrade: 1 migration\(s\) pending; backup paperclip-backup-\S+\.tar taken first/,
      );
      expect(output).toContain(`Applied 1 migration(s): ${ALL.at(-1)}`);
      const listed = (await (await fetch(`http://127.0.0.1:${port}/api/instance/backups`)).json()) as {
        backups: Array<{ reason: string; lastMigration: string }>;
      };
      expect(listed.backups).toEqual([
        expect.objectContaining({ reason: "pre-upgrade", lastMigration: ALL.at(-2) }),
      ]);
    } finally {
      child.kill("SIGTERM");
      await exit;
    }
  }, 90_000);
});
