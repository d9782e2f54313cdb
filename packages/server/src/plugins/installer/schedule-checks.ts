/**
 * Job schedules checked at install with croner, the engine the scheduler runs them with: an expression croner
 * refuses (`61 * * * *`: "Invalid value for minute: 61") or one that can never fire (`0 0 31 2 *`) fails the
 * install naming `jobs[i].schedule` and the reason, instead of installing `ready` and failing at every tick.
 * Schedules the SDK's manifest rules already refused are not reported twice.
 */
import { assertSchedule, CronScheduleError, DEFAULT_TIME_ZONE, nextTick } from "../jobs/cron.js";
import { asRecord, issue, type PluginValidationIssue } from "./validation-issues.js";

export function checkJobSchedules(
  manifest: unknown,
  alreadyReported: ReadonlySet<string>,
  now: Date = new Date(),
): PluginValidationIssue[] {
  const jobs = asRecord(manifest)?.jobs;
  if (!Array.isArray(jobs)) return [];
  const issues: PluginValidationIssue[] = [];
  for (const [index, job] of jobs.entries()) {
    const schedule = asRecord(job)?.schedule;
    const path = `jobs[${index}].schedule`;
    if (typeof schedule !== "string" || schedule.trim() === "" || alreadyReported.has(path)) continue;
    try {
      assertSchedule(schedule, DEFAULT_TIME_ZONE);
    } catch (error) {
      if (!(error instanceof CronScheduleError)) throw error;
      issues.push(issue(path, "cron_schedule_invalid", `${path} ${error.message}`));
      continue;
    }
    if (nextTick(schedule, DEFAULT_TIME_ZONE, now) === null) {
      issues.push(
        issue(
          path,
          "cron_schedule_never_fires",
          `${path} "${schedule}" never fires (no such date in any year)`,
        ),
      );
    }
  }
  return issues;
}
