// The `backupSchedule` setting (docs/backups.md): an interval ("30m", "6h", "1d") or a 5-field cron expression
// evaluated in UTC. Kept apart from the scheduler so config.ts can validate it without loading the backup code.
import { Cron } from "croner";

export const DEFAULT_BACKUP_KEEP = 7;
const INTERVAL = /^(\d+)\s*(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export type BackupSchedule =
  | { kind: "interval"; everyMs: number; text: string }
  | { kind: "cron"; text: string };

/** Parse a schedule setting; throws naming the accepted forms. */
export function parseBackupSchedule(text: string): BackupSchedule {
  const trimmed = text.trim();
  const interval = INTERVAL.exec(trimmed);
  if (interval) {
    const everyMs = Number(interval[1]) * UNIT_MS[interval[2] as keyof typeof UNIT_MS];
    if (everyMs < 60_000) throw new Error(`"${text}" is shorter than a minute`);
    return { kind: "interval", everyMs, text: trimmed };
  }
  try {
    new Cron(trimmed, { paused: true, mode: "5-part", timezone: "UTC" }).stop();
  } catch (error) {
    throw new Error(
      `"${text}" is neither an interval (30m, 6h, 1d) nor a 5-field cron expression (${(error as Error).message})`,
    );
  }
  return { kind: "cron", text: trimmed };
}
