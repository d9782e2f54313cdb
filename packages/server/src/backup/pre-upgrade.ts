// Before a start applies migrations to an existing embedded database (an upgrade), it takes a backup: rolling the
// upgrade back is restoring that backup with the previous version (docs/host.md, "Upgrades").
import type { Logger } from "pino";
import type { Database } from "../db/database.js";
import { migrationStatus } from "../db/migrate.js";
import { type BackupInfo, createBackup } from "./backups.js";

/** Returns the backup taken, or null when none was needed (PostgreSQL, a new database, nothing pending). */
export async function backupBeforeMigrations(
  db: Database,
  dataDir: string,
  logger: Logger,
): Promise<BackupInfo | null> {
  if (!db.snapshot) return null;
  const status = await migrationStatus(db);
  if (status.pending.length === 0 || status.applied.length === 0) return null;
  const started = performance.now();
  const backup = await createBackup(db, dataDir, "pre-upgrade");
  logger.info(
    {
      backup: backup.file,
      size: backup.size,
      ms: Math.round(performance.now() - started),
      pending: status.pending,
    },
    `Upgrade: ${status.pending.length} migration(s) pending; backup ${backup.file} taken first ` +
      "(paperclip restore it with the previous version to roll back)",
  );
  return backup;
}
