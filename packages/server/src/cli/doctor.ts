// `paperclip doctor`: checks the instance folder, the database and the migrations, one line per check.
import { accessSync, constants, existsSync, mkdirSync } from "node:fs";
import type { HostConfig } from "../config.js";
import { type Database, openDatabase } from "../db/database.js";
import { acquireFolderLock, type FolderLock, FolderLockedError } from "../db/folder-lock.js";
import { loadMigrations, migrationStatus } from "../db/migrate.js";
import { embeddedDatabaseDir } from "../host.js";

type Print = (line: string) => void;

export async function runDoctor(config: HostConfig, print: Print): Promise<boolean> {
  let ok = true;
  const pass = (message: string) => print(`ok    ${message}`);
  const warn = (message: string) => print(`warn  ${message}`);
  const bad = (message: string) => {
    ok = false;
    print(`FAIL  ${message}`);
  };

  try {
    if (!existsSync(config.dataDir)) mkdirSync(config.dataDir, { recursive: true });
    accessSync(config.dataDir, constants.R_OK | constants.W_OK);
    pass(`instance folder ${config.dataDir} is readable and writable`);
  } catch (error) {
    bad(`instance folder ${config.dataDir}: ${(error as Error).message}`);
    return ok;
  }
  pass(
    config.configFile
      ? `config file ${config.configFile} is valid`
      : "no config file (defaults, environment and flags apply)",
  );

  let lock: FolderLock | null = null;
  try {
    lock = acquireFolderLock(config.dataDir);
  } catch (error) {
    if (!(error instanceof FolderLockedError)) {
      bad(`instance folder lock: ${(error as Error).message}`);
      return ok;
    }
    const owner = error.owner;
    pass(`a host is running on this folder (pid ${owner.pid}, started ${owner.startedAt})`);
    if (!config.databaseUrl) {
      warn(
        "embedded database checks skipped: the running host owns it (stop it to check, or query /api/health)",
      );
      return ok;
    }
  }

  let db: Database | null = null;
  try {
    db = config.databaseUrl
      ? await openDatabase({ kind: "postgres", url: config.databaseUrl, poolMax: 1 })
      : await openDatabase({ kind: "pglite", dataDir: embeddedDatabaseDir(config.dataDir) });
    const [row] = await db.query<{ version: string }>("doctor_version", "SELECT version() AS version", []);
    pass(
      `database answers (${db.kind} at ${db.location}): ${row?.version.split(",")[0] ?? "unknown version"}`,
    );
    const status = await migrationStatus(db, loadMigrations());
    if (status.modified.length > 0)
      bad(`migrations changed after being applied: ${status.modified.join(", ")}`);
    if (status.pending.length > 0) {
      warn(
        `${status.pending.length} migration(s) pending, applied on next start: ${status.pending.join(", ")}`,
      );
    } else if (status.modified.length === 0) {
      pass(`schema is up to date (${status.applied.length} migration(s) applied)`);
    }
  } catch (error) {
    bad(`database (${config.databaseUrl ? "DATABASE_URL" : "embedded"}): ${(error as Error).message}`);
  } finally {
    await db?.close().catch(() => {});
    lock?.release();
  }
  return ok;
}
