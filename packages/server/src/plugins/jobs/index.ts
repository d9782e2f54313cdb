/**
 * Plugin jobs (reference §6, made durable): manifest jobs synced on activation, standard cron with time zones,
 * runs claimed in the database so several host nodes never run one tick twice, no overlap, per-job timeout,
 * misfire policy, retry with backoff, run history with the worker's log lines. See docs/plugin-jobs.md.
 */
export { assertSchedule, CronScheduleError, DEFAULT_TIME_ZONE, isValidTimeZone, nextTick } from "./cron.js";
export { createHostJobs, type HostJobs, type HostJobsOptions } from "./host-jobs.js";
export { JobService, type TriggerResult } from "./job-service.js";
export { type JobDeclaration, JobStore, type SyncReport } from "./job-store.js";
export {
  JOB_STATUSES,
  type JobDefaults,
  type JobSettings,
  MISFIRE_POLICIES,
  type MisfirePolicy,
  type PluginJobRecord,
  type PluginJobRunRecord,
  type RetryPolicy,
  RUN_STATUSES,
  RUN_TRIGGERS,
} from "./records.js";
export { RunLogBuffer, RunLogCapture, type RunLogCaptureOptions } from "./run-logs.js";
export { jobDirectoryFromRuntime, jobGatewayFromRuntime } from "./runtime-gateway.js";
export {
  describeRunFailure,
  type JobPluginDirectory,
  JobScheduler,
  type JobSchedulerOptions,
  type JobWorkerGateway,
  type TickReport,
} from "./scheduler.js";
export {
  JOBS_MISFIRE_POLICY_ENV,
  JOBS_SHUTDOWN_GRACE_ENV,
  JOBS_TIME_ZONE_ENV,
  type JobSettingsPatch,
  jobDefaultsFromEnv,
  shutdownGraceFromEnv,
} from "./settings.js";
