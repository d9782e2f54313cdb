// Scheduled backups (docs/backups.md): `backupSchedule` is an interval ("30m", "6h", "1d") or a 5-field cron
// expression (UTC); after each scheduled backup only the newest `backupKeep` scheduled backups are kept.
import { Cron } from "croner";
import type { Logger } from "pino";
import type { Database } from "../db/database.js";
import { createBackup, pruneBackups } from "./backups.js";
import type { BackupSchedule } from "./schedule-setting.js";

export interface BackupScheduler {
  stop(): void;
}

/** Start taking scheduled backups of the embedded database `db`; one at a time, failures logged. */
export function scheduleBackups(options: {
  db: Database;
  dataDir: string;
  schedule: BackupSchedule;
  keep: number;
  logger: Logger;
}): BackupScheduler {
  const { db, dataDir, schedule, keep, logger } = options;
  let running = false;
  const take = async () => {
    if (running) return;
    running = true;
    try {
      const backup = await createBackup(db, dataDir, "scheduled");
      const pruned = pruneBackups(dataDir, keep);
      logger.info(
        { backup: backup.file, size: backup.size, pruned },
        `Scheduled backup ${backup.file} (${backup.size} bytes); ${pruned.length} old one(s) removed`,
      );
    } catch (error) {
      logger.error({ err: error }, `Scheduled backup failed: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  if (schedule.kind === "interval") {
    const timer = setInterval(() => void take(), schedule.everyMs);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }
  const cron = new Cron(schedule.text, { mode: "5-part", timezone: "UTC", unref: true }, () => void take());
  return { stop: () => cron.stop() };
}
