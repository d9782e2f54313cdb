// Cron for plugin jobs: standard 5-field expressions (minute hour day-of-month month day-of-week) evaluated by
// croner in an IANA time zone, with Vixie semantics (when both day fields are restricted, either may match —
// the original required both). The manifest validator already limits the characters; croner does the rest.
import { Cron } from "croner";

export const DEFAULT_TIME_ZONE = "UTC";

export class CronScheduleError extends Error {
  override readonly name = "CronScheduleError";
}

/** True when `timeZone` is an IANA zone name (or "UTC") this Node knows. */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== "string" || timeZone.trim() === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

const cache = new Map<string, Cron>();
const CACHE_LIMIT = 500;

function cronFor(schedule: string, timeZone: string): Cron {
  const key = `${timeZone}\u0000${schedule}`;
  let cron = cache.get(key);
  if (cron) return cron;
  if (!isValidTimeZone(timeZone)) {
    throw new CronScheduleError(
      `time zone "${timeZone}" is not a valid IANA time zone (e.g. "Europe/Berlin")`,
    );
  }
  try {
    // sloppyRanges: the manifest grammar allows "N/S" steps ("5/15" = from minute 5 every 15).
    cron = new Cron(schedule.trim(), {
      paused: true,
      mode: "5-part",
      sloppyRanges: true,
      timezone: timeZone,
    });
  } catch (error) {
    throw new CronScheduleError(
      `schedule "${schedule}" is not a valid 5-field cron expression: ${(error as Error).message}`,
    );
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, cron);
  return cron;
}

/** Throws CronScheduleError naming the problem when the schedule or the time zone is unusable. */
export function assertSchedule(schedule: string, timeZone: string): void {
  cronFor(schedule, timeZone);
}

/** The first tick strictly after `after`, or null when the expression never fires again. */
export function nextTick(schedule: string, timeZone: string, after: Date): Date | null {
  if (schedule.trim() === "") return null;
  return cronFor(schedule, timeZone).nextRun(after) ?? null;
}

/** How many ticks fell in (from, to], counting at most `limit` (for "skipped N missed ticks" messages). */
export function countTicks(schedule: string, timeZone: string, from: Date, to: Date, limit = 1_000): number {
  let count = 0;
  let cursor: Date | null = from;
  while (count < limit) {
    cursor = nextTick(schedule, timeZone, cursor);
    if (!cursor || cursor > to) break;
    count++;
  }
  return count;
}
