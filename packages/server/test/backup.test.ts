// Backups of the embedded database with real processes (docs/backups.md): `paperclip backup` asks the running host
// while issues are being created, `paperclip restore` refuses while the host runs and restores once it stopped,
// damaged files are refused, retention keeps the newest scheduled backups, PostgreSQL points to pg_dump.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readArchive, sha256, writeArchive } from "../src/backup/archive.js";
import { createBackup, listBackups, pruneBackups, restoreBackup } from "../src/backup/backups.js";
import { scheduleBackups } from "../src/backup/schedule.js";
import { parseBackupSchedule } from "../src/backup/schedule-setting.js";
import { ConfigError, loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/database.js";
import { runMigrations } from "../src/db/migrate.js";
import { startHost as startHostInProcess } from "../src/host.js";
import { createScratchPostgres, ENGINES } from "./support/database.js";

const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const run = promisify(execFile);
const env = { ...process.env, DATABASE_URL: "", PAPERCLIP_PORT: "", PORT: "", PAPERCLIP_BACKUP_SCHEDULE: "" };

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

interface Host {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(): Promise<number | null>;
}

async function startHost(dataDir: string): Promise<Host> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, "start", "--data-dir", dataDir, "--port", String(port)], {
    env,
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  // Started: plugin workers running and the signal handlers in place.
  for (let attempt = 0; attempt < 600 && !/Node \S+ started/.test(output); attempt++) {
    if (child.exitCode !== null) throw new Error(`host exited: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    url,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      return exit;
    },
  };
}

async function json<T>(response: Promise<Response>): Promise<T> {
  const answered = await response;
  if (!answered.ok) throw new Error(`HTTP ${answered.status}: ${await answered.text()}`);
  return (await answered.json()) as T;
}

describe("paperclip backup and restore of the embedded database", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "paperclip-backup-"));
  let host: Host;
  let companyId: string;

  beforeAll(async () => {
    host = await startHost(dataDir);
    const companies = await json<Array<{ id: string }>>(fetch(`${host.url}/api/companies`));
    companyId = companies[0]!.id;
  }, 60_000);
  afterAll(async () => {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a backup taken while issues are being created restores every issue committed before it, whole", async () => {
    const committedBefore = new Set<string>();
    const created: Array<{ identifier: string; sentAt: number; doneAt: number }> = [];
    let writing = true;
    const writer = (async () => {
      for (let index = 0; writing; index++) {
        const sentAt = performance.now();
        const issue = await json<{ identifier: string }>(
          fetch(`${host.url}/api/companies/${companyId}/issues`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ title: `During backup ${index}`, description: "x".repeat(2000) }),
          }),
        );
        created.push({ identifier: issue.identifier, sentAt, doneAt: performance.now() });
      }
    })();
    // Let some issues commit first, then back up while the writer keeps going.
    while (created.length < 10) await new Promise((resolve) => setTimeout(resolve, 20));
    const backupSentAt = performance.now();
    for (const issue of created) committedBefore.add(issue.identifier);
    const backup = await cli(["backup", "--data-dir", dataDir]);
    const backupDoneAt = performance.now();
    while (created.filter((issue) => issue.sentAt > backupDoneAt).length < 3)
      await new Promise((resolve) => setTimeout(resolve, 20));
    writing = false;
    await writer;
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(
      /^Backup .+paperclip-backup-.+\.tar \(\d+ bytes, sha256 [0-9a-f]{64}, host 0\.1\.0/,
    );
    expect(backup.stdout).toContain(`taken by the running host (pid ${host.child.pid})`);

    const listed = await json<{
      backups: Array<{ file: string; reason: string; files: Array<{ name: string }> }>;
    }>(fetch(`${host.url}/api/instance/backups`));
    expect(listed.backups).toHaveLength(1);
    expect(listed.backups[0]!.reason).toBe("manual");
    // The secrets key travels with the database, or sealed company secrets would not open after a restore.
    expect(listed.backups[0]!.files.map((file) => file.name)).toEqual(["database.tar.gz", "secrets.key"]);

    // Restore refuses while the host runs, and touches nothing.
    const refused = await cli(["restore", listed.backups[0]!.file, "--data-dir", dataDir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `refusing to restore while a host runs on ${dataDir} (pid ${host.child.pid}`,
    );

    expect(await host.stop()).toBe(0);
    const restored = await cli(["restore", listed.backups[0]!.file, "--data-dir", dataDir]);
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain("Kept the previous database as ");
    const aside = readdirSync(dataDir).filter((name) => name.startsWith("db.before-restore-"));
    expect(aside).toHaveLength(1);

    host = await startHost(dataDir);
    const issues = await json<Array<{ identifier: string; title: string; description: string }>>(
      fetch(`${host.url}/api/companies/${companyId}/issues?limit=1000`),
    );
    const present = new Set(issues.map((issue) => issue.identifier));
    for (const identifier of committedBefore) expect(present.has(identifier)).toBe(true);
    for (const issue of created.filter((one) => one.sentAt > backupDoneAt))
      expect(present.has(issue.identifier)).toBe(false);
    // No partial rows: every issue whole, and the company's counter (bumped in the same transaction) agrees.
    for (const issue of issues.filter((one) => one.title.startsWith("During backup"))) {
      const detail = await json<{ description: string }>(fetch(`${host.url}/api/issues/${issue.identifier}`));
      expect(detail.description).toBe("x".repeat(2000));
    }
    const numbers = issues.map((issue) => Number(issue.identifier.split("-").pop())).sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, index) => index + 1));
    const company = await json<{ issueCounter: number }>(fetch(`${host.url}/api/companies/${companyId}`));
    expect(company.issueCounter).toBe(issues.length);
    expect(created.filter((one) => one.doneAt < backupSentAt).length).toBeGreaterThanOrEqual(10);
  }, 120_000);

  it("refuses a damaged or truncated backup file and leaves the database alone", async () => {
    expect(await host.stop()).toBe(0);
    const [latest] = listBackups(dataDir);
    const archive = readFileSync(latest!.path);
    const damaged = Buffer.from(archive);
    damaged[Math.floor(archive.length / 2)]! ^= 0xff;
    const damagedPath = join(dataDir, "damaged.tar");
    writeFileSync(damagedPath, damaged);
    const truncatedPath = join(dataDir, "truncated.tar");
    writeFileSync(truncatedPath, archive.subarray(0, 4096));
    const before = readdirSync(dataDir).filter((name) => name.startsWith("db"));

    const bad = await cli(["restore", damagedPath, "--data-dir", dataDir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      `${damagedPath} is not a usable backup: database.tar.gz does not match its sha256`,
    );
    const short = await cli(["restore", truncatedPath, "--data-dir", dataDir]);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain("is not a usable backup: the archive is truncated");
    // The sidecar manifest's digest catches a change to the file in the backups folder itself.
    writeFileSync(latest!.path, damaged);
    const recorded = await cli(["restore", latest!.file, "--data-dir", dataDir]);
    expect(recorded.code).toBe(1);
    expect(recorded.stderr).toContain("its sha256 differs from the one recorded in");
    writeFileSync(latest!.path, archive);
    const missing = await cli(["restore", "nope.tar", "--data-dir", dataDir]);
    expect(missing.stderr).toContain("No backup file nope.tar");
    expect(readdirSync(dataDir).filter((name) => name.startsWith("db"))).toEqual(before);
  }, 60_000);

  it("backs up a stopped instance itself, and copies the file where --output says", async () => {
    const output = join(dataDir, "copy.tar");
    const result = await cli(["backup", "--data-dir", dataDir, "--output", output]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("taken by the running host");
    expect(result.stdout).toContain(`Copied to ${output}`);
    expect(existsSync(join(dataDir, "paperclip.lock"))).toBe(false);
    expect(listBackups(dataDir)).toHaveLength(2);
    expect(readFileSync(output).equals(readFileSync(listBackups(dataDir)[0]!.path))).toBe(true);

    // Onto a new machine: a folder that does not exist yet gets the database and the secrets key.
    const elsewhere = join(mkdtempSync(join(tmpdir(), "paperclip-elsewhere-")), "instance");
    try {
      const restored = await cli(["restore", output, "--data-dir", elsewhere]);
      expect(restored.stderr).toBe("");
      expect(restored.stdout).not.toContain("Kept the previous");
      expect(
        readFileSync(join(elsewhere, "secrets.key")).equals(readFileSync(join(dataDir, "secrets.key"))),
      ).toBe(true);
      const status = await cli(["migrate", "status", "--data-dir", elsewhere]);
      expect(status.stdout).toMatch(/\d+ applied, 0 pending, 0 modified/);
    } finally {
      rmSync(join(elsewhere, ".."), { recursive: true, force: true });
    }
  }, 60_000);
});

describe("backup retention and settings", () => {
  it("keeps the newest N scheduled backups and never deletes manual or pre-upgrade ones", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "paperclip-retention-"));
    const db = await openDatabase({ kind: "pglite", dataDir: join(dataDir, "db") });
    try {
      await runMigrations(db);
      const manual = await createBackup(db, dataDir, "manual");
      const scheduled = [];
      for (let index = 0; index < 4; index++) scheduled.push(await createBackup(db, dataDir, "scheduled"));
      const upgrade = await createBackup(db, dataDir, "pre-upgrade");
      const deleted = pruneBackups(dataDir, 2);
      expect(deleted.sort()).toEqual([scheduled[0]!.file, scheduled[1]!.file].sort());
      expect(
        listBackups(dataDir)
          .map((backup) => backup.file)
          .sort(),
      ).toEqual([manual.file, scheduled[2]!.file, scheduled[3]!.file, upgrade.file].sort());
      expect(readdirSync(join(dataDir, "backups"))).toHaveLength(8);
    } finally {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it("takes scheduled backups on their schedule and prunes them to the newest N", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "paperclip-schedule-"));
    const db = await openDatabase({ kind: "pglite", dataDir: join(dataDir, "db") });
    // The setting accepts a minute at least; the scheduler itself is driven faster here.
    const scheduler = scheduleBackups({
      db,
      dataDir,
      schedule: { kind: "interval", everyMs: 300, text: "300ms" },
      keep: 2,
      logger: pino({ level: "silent" }),
    });
    try {
      await runMigrations(db);
      const seen = new Set<string>();
      while (seen.size < 4) {
        for (const backup of listBackups(dataDir)) seen.add(backup.file);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      scheduler.stop();
      // Let a backup in progress finish, then look.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const kept = listBackups(dataDir);
      expect(kept.length).toBe(2);
      expect(kept.every((backup) => backup.reason === "scheduled")).toBe(true);
      // The two kept are the newest of every backup the schedule took.
      const taken = [...new Set([...seen, ...kept.map((backup) => backup.file)])].sort();
      expect(kept.map((backup) => backup.file).sort()).toEqual(taken.slice(-2));
    } finally {
      scheduler.stop();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it("refuses a backup made by a newer host, whose last migration this host does not know", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "paperclip-newer-"));
    const db = await openDatabase({ kind: "pglite", dataDir: join(dataDir, "db") });
    try {
      await runMigrations(db);
      const backup = await createBackup(db, dataDir, "manual");
      const entries = readArchive(readFileSync(backup.path));
      const manifest = JSON.parse(entries[0]!.data.toString("utf8"));
      manifest.lastMigration = "9999_from_the_future";
      manifest.hostVersion = "9.0.0";
      const newer = join(dataDir, "newer.tar");
      writeFileSync(
        newer,
        writeArchive([
          { name: "manifest.json", data: Buffer.from(JSON.stringify(manifest)) },
          ...entries.slice(1),
        ]),
      );
      expect(sha256(readFileSync(newer))).not.toBe(backup.sha256);
      await expect(restoreBackup(newer, dataDir, join(dataDir, "db"))).rejects.toThrow(
        `${newer} was made by a newer host (9.0.0, migration 9999_from_the_future is unknown to this host 0.1.0)`,
      );
    } finally {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it("reads the schedule as an interval or a cron expression and refuses anything else by name", () => {
    expect(parseBackupSchedule("6h")).toEqual({ kind: "interval", everyMs: 6 * 3_600_000, text: "6h" });
    expect(parseBackupSchedule("30 2 * * *")).toEqual({ kind: "cron", text: "30 2 * * *" });
    const config = loadConfig(
      { dataDir: tmpdir() },
      { PAPERCLIP_BACKUP_SCHEDULE: "1d", PAPERCLIP_BACKUP_KEEP: "3" },
    );
    expect(config.backupSchedule).toMatchObject({ kind: "interval", everyMs: 86_400_000 });
    expect(config.backupKeep).toBe(3);
    expect(loadConfig({ dataDir: tmpdir() }, {}).backupKeep).toBe(7);
    expect(() => loadConfig({ dataDir: tmpdir() }, { PAPERCLIP_BACKUP_SCHEDULE: "every day" })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ dataDir: tmpdir() }, { PAPERCLIP_BACKUP_SCHEDULE: "every day" })).toThrow(
      /Invalid setting "backupSchedule": "every day" is neither an interval \(30m, 6h, 1d\) nor a 5-field cron/,
    );
    expect(() => loadConfig({ dataDir: tmpdir() }, { PAPERCLIP_BACKUP_KEEP: "0" })).toThrow(
      'Invalid setting "backupKeep": must keep at least 1 backup',
    );
  });

  it("on PostgreSQL, paperclip backup and restore point to pg_dump and pg_restore", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "paperclip-pgbackup-"));
    try {
      const url = "postgres://nobody@127.0.0.1:1/none";
      const backup = await cli(["backup", "--data-dir", dataDir, "--database-url", url]);
      expect(backup.code).toBe(1);
      expect(backup.stderr).toContain("back it up with pg_dump -Fc and restore with pg_restore");
      const restore = await cli(["restore", "x.tar", "--data-dir", dataDir, "--database-url", url]);
      expect(restore.code).toBe(1);
      expect(restore.stderr).toContain("restore with pg_restore");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe.each(ENGINES)("POST /api/instance/backups on a started host (%s)", (engine) => {
  it(engine === "pglite" ? "takes and lists a backup" : "answers 409 naming pg_dump", async () => {
    const work = mkdtempSync(join(tmpdir(), "paperclip-backup-route-"));
    const scratch = engine === "postgres" ? await createScratchPostgres() : null;
    const config = loadConfig(
      {
        dataDir: join(work, "instance"),
        port: 0,
        seedDemo: false,
        logLevel: "silent",
        databaseUrl: scratch?.url,
      },
      {},
    );
    const host = await startHostInProcess(config, pino({ level: "silent" }));
    try {
      const taken = await fetch(`${host.url}/api/instance/backups`, { method: "POST" });
      const body = (await taken.json()) as { error?: string; reason?: string; file?: string };
      if (engine === "postgres") {
        expect(taken.status).toBe(409);
        expect(body.error).toContain(
          "No backup taken: this host uses PostgreSQL (DATABASE_URL): back it up with pg_dump",
        );
      } else {
        expect(taken.status).toBe(201);
        expect(body.reason).toBe("manual");
        const listed = (await (await fetch(`${host.url}/api/instance/backups`)).json()) as {
          backups: Array<{ file: string }>;
        };
        expect(listed.backups.map((backup) => backup.file)).toEqual([body.file]);
      }
    } finally {
      await host.close();
      await scratch?.drop();
      rmSync(work, { recursive: true, force: true });
    }
  }, 60_000);
});
