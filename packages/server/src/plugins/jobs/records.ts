// Job and run records as the API returns them: the published PluginJobRecord / PluginJobRunRecord fields
// (reference §6, timestamps as ISO strings) plus what this host adds (time zone, misfire policy, timeout, retry
// policy, the tick a run was due for, its attempt number, the node that ran it).

export const JOB_STATUSES = ["active", "paused", "failed"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const RUN_STATUSES = ["pending", "queued", "running", "succeeded", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const RUN_TRIGGERS = ["schedule", "manual", "retry"] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/**
 * What happens to ticks that fell due while no node could run the job (host down, worker down):
 * - skip: they are dropped; the next run is the next tick after now.
 * - run_once: one run catches up (scheduledAt = the first missed tick), then the schedule continues.
 */
export const MISFIRE_POLICIES = ["skip", "run_once"] as const;
export type MisfirePolicy = (typeof MISFIRE_POLICIES)[number];

/** Automatic re-runs of a failed run: attempt n+1 waits backoffMs × multiplier^(n−1), capped at maxBackoffMs. */
export interface RetryPolicy {
  /** Total attempts including the first (2..10). */
  maxAttempts: number;
  backoffMs: number;
  multiplier: number;
  maxBackoffMs: number;
}

/** Operator overrides per job; null = the instance default. */
export interface JobSettings {
  timeZone: string | null;
  misfirePolicy: MisfirePolicy | null;
  /** runJob deadline in ms; null = the plugin's runJob method timeout (default 5 min). */
  timeoutMs: number | null;
  retry: RetryPolicy | null;
}

export interface PluginJobRecord {
  id: string;
  pluginId: string;
  jobKey: string;
  displayName: string;
  description: string | null;
  /** 5-field cron, "" when the job has no schedule (manual only). */
  schedule: string;
  status: JobStatus;
  /** Why a paused job is paused: an operator paused it, or the plugin's manifest no longer declares it. */
  pausedBy: "operator" | "manifest" | null;
  /** Effective time zone (override or instance default). */
  timeZone: string;
  /** Effective misfire policy (override or instance default). */
  misfirePolicy: MisfirePolicy;
  timeoutMs: number | null;
  retry: RetryPolicy | null;
  /** The stored overrides. */
  settings: JobSettings;
  lastError: string | null;
  lastRunAt: string | null;
  nextRunAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PluginJobRunRecord {
  id: string;
  jobId: string;
  jobKey: string;
  pluginId: string;
  companyId: string | null;
  trigger: RunTrigger;
  status: RunStatus;
  /** The tick (or, for manual runs and retries, the moment) the run was due. */
  scheduledAt: string;
  attempt: number;
  /** The failed run this one re-runs. */
  retryOf: string | null;
  durationMs: number | null;
  error: string | null;
  /** Log lines the worker wrote during the run: "<ISO time> [<level>] <message>". */
  logs: string[];
  /** The host node that ran (or runs) it. */
  nodeId: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
}

export interface JobDefaults {
  timeZone: string;
  misfirePolicy: MisfirePolicy;
}

export interface JobRow extends Record<string, unknown> {
  id: string;
  plugin_id: string;
  job_key: string;
  display_name: string;
  description: string | null;
  schedule: string;
  status: JobStatus;
  time_zone: string | null;
  misfire_policy: MisfirePolicy | null;
  timeout_ms: number | null;
  retry_policy: RetryPolicy | null;
  last_error: string | null;
  last_run_at: Date | string | null;
  next_run_at: Date | string | null;
  /** Paused by an operator (PATCH status "paused"), not because the manifest dropped it. */
  operator_paused?: boolean;
  created_at: Date | string;
  updated_at: Date | string;
}

export interface RunRow extends Record<string, unknown> {
  id: string;
  job_id: string;
  job_key?: string;
  plugin_id: string;
  company_id: string | null;
  trigger: RunTrigger;
  status: RunStatus;
  scheduled_at: Date | string;
  run_after: Date | string;
  attempt: number;
  retry_of: string | null;
  node_id: string | null;
  lease_expires_at: Date | string | null;
  duration_ms: number | null;
  error: string | null;
  logs: string[];
  started_at: Date | string | null;
  finished_at: Date | string | null;
  created_at: Date | string;
}

export const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));
const iso = (value: Date | string): string => toDate(value).toISOString();
const isoOrNull = (value: Date | string | null): string | null => (value === null ? null : iso(value));

export function effectiveTimeZone(row: Pick<JobRow, "time_zone">, defaults: JobDefaults): string {
  return row.time_zone ?? defaults.timeZone;
}

export function toJobRecord(row: JobRow, defaults: JobDefaults): PluginJobRecord {
  return {
    id: row.id,
    pluginId: row.plugin_id,
    jobKey: row.job_key,
    displayName: row.display_name,
    description: row.description,
    schedule: row.schedule,
    status: row.status,
    pausedBy: row.status !== "paused" ? null : row.operator_paused === true ? "operator" : "manifest",
    timeZone: effectiveTimeZone(row, defaults),
    misfirePolicy: row.misfire_policy ?? defaults.misfirePolicy,
    timeoutMs: row.timeout_ms,
    retry: row.retry_policy,
    settings: {
      timeZone: row.time_zone,
      misfirePolicy: row.misfire_policy,
      timeoutMs: row.timeout_ms,
      retry: row.retry_policy,
    },
    lastError: row.last_error,
    lastRunAt: isoOrNull(row.last_run_at),
    nextRunAt: isoOrNull(row.next_run_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function toRunRecord(row: RunRow): PluginJobRunRecord {
  return {
    id: row.id,
    jobId: row.job_id,
    jobKey: row.job_key ?? "",
    pluginId: row.plugin_id,
    companyId: row.company_id,
    trigger: row.trigger,
    status: row.status,
    scheduledAt: iso(row.scheduled_at),
    attempt: row.attempt,
    retryOf: row.retry_of,
    durationMs: row.duration_ms,
    error: row.error,
    logs: Array.isArray(row.logs) ? row.logs : [],
    nodeId: row.node_id,
    startedAt: isoOrNull(row.started_at),
    finishedAt: isoOrNull(row.finished_at),
    createdAt: iso(row.created_at),
  };
}
