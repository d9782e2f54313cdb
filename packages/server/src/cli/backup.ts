// `paperclip backup`, `paperclip restore` and `paperclip migrate status` (docs/backups.md, docs/host.md). A running
// host owns the embedded database: backup asks it over its API (the lock file names its address); with no host
// running, the command opens the database itself under the instance lock. Restore refuses while a host runs.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import {
  BackupError,
  type BackupInfo,
  createBackup,
  PG_DUMP_HINT,
  resolveBackupPath,
  restoreBackup,
} from "../backup/backups.js";
import type { HostConfig } from "../config.js";
import { openDatabase } from "../db/database.js";
import { acquireFolderLock, FolderLockedError, folderLockOwner } from "../db/folder-lock.js";
import { loadMigrations, migrationStatus } from "../db/migrate.js";
import { PRIVATE_DIR_MODE } from "../db/private-files.js";
import { embeddedDatabaseDir } from "../host.js";
import { createPluginApiClient, HostRequestError } from "./plugin-client.js";

export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

function describe(backup: BackupInfo): string {
  return (
    `${backup.path} (${backup.size} bytes, sha256 ${backup.sha256}, host ${backup.hostVersion}, ` +
    `last migration ${backup.lastMigration ?? "none"})`
  );
}

async function backupThroughHost(url: string, io: CommandIo): Promise<BackupInfo> {
  const client = createPluginApiClient(url, fetch, io.env.PAPERCLIP_API_KEY || null);
  try {
    return await client.send<BackupInfo>("POST", "/api/instance/backups");
  } catch (error) {
    if (error instanceof HostRequestError)
      throw new BackupError(`the host at ${url} refused: ${error.message}`);
    throw error;
  }
}

async function backupWithoutHost(config: HostConfig): Promise<BackupInfo> {
  const dir = embeddedDatabaseDir(config.dataDir);
  if (!existsSync(dir)) throw new BackupError(`no embedded database at ${dir}: nothing to back up`);
  const lock = acquireFolderLock(config.dataDir);
  try {
    const db = await openDatabase({ kind: "pglite", dataDir: dir });
    try {
      return await createBackup(db, config.dataDir, "manual");
    } finally {
      await db.close();
    }
  } finally {
    lock.release();
  }
}

/** `paperclip backup [--output file]`; returns the exit code. */
export async function runBackup(config: HostConfig, output: string | null, io: CommandIo): Promise<number> {
  if (config.databaseUrl) {
    io.err(`paperclip: ${PG_DUMP_HINT}`);
    return 1;
  }
  try {
    const owner = folderLockOwner(config.dataDir);
    if (owner && !owner.url) {
      throw new BackupError(
        `the host on this folder (pid ${owner.pid}) is still starting: try again in a moment`,
      );
    }
    const backup = owner?.url ? await backupThroughHost(owner.url, io) : await backupWithoutHost(config);
    io.out(`Backup ${describe(backup)}${owner ? ` taken by the running host (pid ${owner.pid})` : ""}`);
    if (output) {
      copyFileSync(backup.path, resolve(output));
      io.out(`Copied to ${resolve(output)}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof BackupError || error instanceof FolderLockedError) {
      io.err(`paperclip: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

/** `paperclip restore <file>`; returns the exit code. */
export async function runRestore(config: HostConfig, reference: string, io: CommandIo): Promise<number> {
  if (config.databaseUrl) {
    io.err(
      "paperclip: this instance uses PostgreSQL (DATABASE_URL): restore with pg_restore (docs/backups.md)",
    );
    return 1;
  }
  let lock: ReturnType<typeof acquireFolderLock>;
  try {
    // Restoring onto a new machine: the instance folder may not exist yet.
    mkdirSync(config.dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    lock = acquireFolderLock(config.dataDir);
  } catch (error) {
    if (!(error instanceof FolderLockedError)) throw error;
    io.err(
      `paperclip: refusing to restore while a host runs on ${config.dataDir} (pid ${error.owner.pid}, started ` +
        `${error.owner.startedAt}): it has the database open. Stop it (take a last backup first if you need ` +
        "one), then run paperclip restore again",
    );
    return 1;
  }
  try {
    const path = resolveBackupPath(reference, config.dataDir);
    const result = await restoreBackup(path, config.dataDir, embeddedDatabaseDir(config.dataDir));
    io.out(
      `Restored ${path} (taken ${result.manifest.createdAt} by host ${result.manifest.hostVersion}, last ` +
        `migration ${result.manifest.lastMigration ?? "none"}) into ${config.dataDir}`,
    );
    for (const aside of result.keptAside)
      io.out(`Kept the previous ${aside.includes("/db.") ? "database" : "file"} as ${aside}`);
    io.out("Start the host: it applies any migration newer than the backup.");
    return 0;
  } catch (error) {
    if (error instanceof BackupError) {
      io.err(`paperclip: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    lock.release();
  }
}

/** `paperclip migrate status`: applied, pending and modified migrations; 1 when one was modified. */
export async function runMigrateStatus(config: HostConfig, io: CommandIo): Promise<number> {
  let lock: ReturnType<typeof acquireFolderLock> | null = null;
  if (!config.databaseUrl) {
    if (!existsSync(embeddedDatabaseDir(config.dataDir))) {
      io.err(`paperclip: no embedded database at ${embeddedDatabaseDir(config.dataDir)} yet`);
      return 1;
    }
    try {
      lock = acquireFolderLock(config.dataDir);
    } catch (error) {
      if (!(error instanceof FolderLockedError)) throw error;
      io.err(
        `paperclip: a host runs on ${config.dataDir} (pid ${error.owner.pid}) and owns the embedded database; ` +
          "it applied every migration it knows when it started",
      );
      return 1;
    }
  }
  try {
    const db = config.databaseUrl
      ? await openDatabase({ kind: "postgres", url: config.databaseUrl, poolMax: 1 })
      : await openDatabase({ kind: "pglite", dataDir: embeddedDatabaseDir(config.dataDir) });
    try {
      const status = await migrationStatus(db, loadMigrations());
      for (const name of status.applied) io.out(`applied   ${name}`);
      for (const name of status.modified) io.out(`MODIFIED  ${name} (changed after it was applied)`);
      for (const name of status.pending) io.out(`pending   ${name}`);
      io.out(
        `${status.applied.length} applied, ${status.pending.length} pending, ${status.modified.length} modified` +
          (status.pending.length > 0 ? " (paperclip start or paperclip doctor --fix applies them)" : ""),
      );
      return status.modified.length > 0 ? 1 : 0;
    } finally {
      await db.close();
    }
  } finally {
    lock?.release();
  }
}
