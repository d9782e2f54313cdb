// plugin_jobs and plugin_job_runs. Everything that must happen once across host nodes is decided here, in the
// database: a tick is claimed by moving the job's next_run_at from the value a node read (compare-and-set) and
// inserting its run (unique per job and tick); a queued run is started by the node that locks it first
// (FOR UPDATE SKIP LOCKED); at most one queued-or-running run per job (a unique partial index) prevents overlap.
import type { Database, Tx } from "../../db/database.js";
import { nextTick } from "./cron.js";
import {
  effectiveTimeZone,
  type JobDefaults,
  type JobRow,
  type JobSettings,
  type JobStatus,
  type RetryPolicy,
  type RunRow,
  type RunStatus,
  type RunTrigger,
} from "./records.js";

export interface JobDeclaration {
  jobKey: string;
  displayName: string;
  description?: string;
  schedule?: string;
}

export interface SyncReport {
  created: string[];
  updated: string[];
  paused: string[];
  failed: Array<{ jobKey: string; error: string }>;
}

/** A run a node just started, with what it needs to run it. */
export interface StartedRun extends RunRow {
  job_key: string;
  timeout_ms: number | null;
  retry_policy: RetryPolicy | null;
}

export interface NewRun {
  jobId: string;
  pluginId: string;
  trigger: RunTrigger;
  scheduledAt: Date;
  runAfter: Date;
  attempt: number;
  retryOf: string | null;
}

export interface RunOutcome {
  status: Extract<RunStatus, "succeeded" | "failed" | "cancelled">;
  error: string | null;
  logs: string[];
  finishedAt: Date;
  durationMs: number;
}

/** A run whose host stopped (lease expired), as swept. */
export interface SweptRun extends RunRow {
  job_key: string;
  retry_policy: RetryPolicy | null;
}

type Q = Pick<Tx, "query">;

function scheduleState(
  schedule: string,
  timeZone: string,
  now: Date,
): { status: JobStatus; nextRunAt: Date | null; error: string | null } {
  if (schedule === "") return { status: "active", nextRunAt: null, error: null };
  try {
    return { status: "active", nextRunAt: nextTick(schedule, timeZone, now), error: null };
  } catch (error) {
    return { status: "failed", nextRunAt: null, error: (error as Error).message };
  }
}

export class JobStore {
  constructor(private readonly db: Database) {}

  /**
   * Reference §6 sync: one row per (plugin, jobKey); new → active; declared again → schedule refreshed and
   * paused → active; no longer declared → paused (its queued runs cancelled). An unchanged active job keeps its
   * next_run_at, so ticks missed while the host was down are still seen (misfire policy).
   */
  async syncDeclarations(
    pluginId: string,
    declarations: readonly JobDeclaration[],
    now: Date,
    defaults: JobDefaults,
  ): Promise<SyncReport> {
    const report: SyncReport = { created: [], updated: [], paused: [], failed: [] };
    await this.db.transaction(async (tx) => {
      const existing = new Map(
        (
          await tx.query<JobRow>(
            "jobs_lock_plugin",
            "SELECT * FROM plugin_jobs WHERE plugin_id = $1 FOR UPDATE",
            [pluginId],
          )
        ).map((row) => [row.job_key, row]),
      );
      const declared = new Set<string>();
      for (const declaration of declarations) {
        declared.add(declaration.jobKey);
        const schedule = declaration.schedule?.trim() ?? "";
        const row = existing.get(declaration.jobKey);
        if (!row) {
          const state = scheduleState(schedule, defaults.timeZone, now);
          await tx.query(
            "jobs_insert",
            `INSERT INTO plugin_jobs (plugin_id, job_key, display_name, description, schedule, status, last_error,
               next_run_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
             ON CONFLICT (plugin_id, job_key) DO NOTHING`,
            [
              pluginId,
              declaration.jobKey,
              declaration.displayName,
              declaration.description ?? null,
              schedule,
              state.status,
              state.error,
              state.nextRunAt,
              now,
            ],
          );
          report.created.push(declaration.jobKey);
          if (state.error) report.failed.push({ jobKey: declaration.jobKey, error: state.error });
          continue;
        }
        const recompute =
          row.schedule !== schedule || row.status !== "active" || (schedule !== "" && !row.next_run_at);
        // An operator's pause outlives syncs: the job stays paused until the operator resumes it.
        const state = row.operator_paused
          ? { status: "paused" as JobStatus, nextRunAt: null, error: row.last_error }
          : recompute
            ? scheduleState(schedule, effectiveTimeZone(row, defaults), now)
            : { status: row.status, nextRunAt: row.next_run_at, error: row.last_error };
        await tx.query(
          "jobs_sync_update",
          `UPDATE plugin_jobs SET display_name = $2, description = $3, schedule = $4, status = $5, last_error = $6,
             next_run_at = $7, updated_at = $8
           WHERE id = $1`,
          [
            row.id,
            declaration.displayName,
            declaration.description ?? null,
            schedule,
            state.status,
            state.error,
            state.nextRunAt,
            now,
          ],
        );
        report.updated.push(declaration.jobKey);
        if (state.error) report.failed.push({ jobKey: declaration.jobKey, error: state.error });
      }
      const removed = [...existing.values()].filter(
        (row) => !declared.has(row.job_key) && row.status !== "paused",
      );
      if (removed.length > 0) {
        const ids = removed.map((row) => row.id);
        await tx.query(
          "jobs_pause_removed",
          "UPDATE plugin_jobs SET status = 'paused', next_run_at = NULL, updated_at = $2 WHERE id = ANY($1::uuid[])",
          [ids, now],
        );
        await cancelQueued(tx, ids, "The job is no longer declared by the plugin's manifest (paused)", now);
        report.paused.push(...removed.map((row) => row.job_key));
      }
    });
    return report;
  }

  async listJobs(pluginId: string, status?: JobStatus): Promise<JobRow[]> {
    return status
      ? this.db.query<JobRow>(
          "jobs_list_status",
          "SELECT * FROM plugin_jobs WHERE plugin_id = $1 AND status = $2 ORDER BY job_key",
          [pluginId, status],
        )
      : this.db.query<JobRow>(
          "jobs_list",
          "SELECT * FROM plugin_jobs WHERE plugin_id = $1 ORDER BY job_key",
          [pluginId],
        );
  }

  /** `jobIdOrKey`: the job's uuid or its jobKey. */
  async findJob(pluginId: string, jobIdOrKey: string): Promise<JobRow | null> {
    const rows = isUuid(jobIdOrKey)
      ? await this.db.query<JobRow>(
          "jobs_by_id",
          "SELECT * FROM plugin_jobs WHERE plugin_id = $1 AND id = $2",
          [pluginId, jobIdOrKey],
        )
      : await this.db.query<JobRow>(
          "jobs_by_key",
          "SELECT * FROM plugin_jobs WHERE plugin_id = $1 AND job_key = $2",
          [pluginId, jobIdOrKey],
        );
    return rows[0] ?? null;
  }

  async updateSettings(
    jobId: string,
    settings: JobSettings,
    schedule: { status: JobStatus; nextRunAt: Date | null; error: string | null },
    now: Date,
  ): Promise<JobRow> {
    const rows = await this.db.query<JobRow>(
      "jobs_update_settings",
      `UPDATE plugin_jobs SET time_zone = $2, misfire_policy = $3, timeout_ms = $4, retry_policy = $5::jsonb,
         status = CASE WHEN status = 'paused' THEN status ELSE $6 END,
         last_error = $7,
         next_run_at = CASE WHEN status = 'paused' THEN next_run_at ELSE $8 END,
         updated_at = $9
       WHERE id = $1 RETURNING *`,
      [
        jobId,
        settings.timeZone,
        settings.misfirePolicy,
        settings.timeoutMs,
        settings.retry === null ? null : JSON.stringify(settings.retry),
        schedule.status,
        schedule.error,
        schedule.nextRunAt,
        now,
      ],
    );
    if (!rows[0]) throw new Error(`Job ${jobId} disappeared while its settings were saved`);
    return rows[0];
  }

  /** Operator pause: no ticks, queued runs cancelled; kept across manifest syncs until resume(). */
  async pause(jobId: string, now: Date): Promise<JobRow> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<JobRow>(
        "jobs_pause",
        `UPDATE plugin_jobs SET status = 'paused', operator_paused = true, next_run_at = NULL, updated_at = $2
         WHERE id = $1 RETURNING *`,
        [jobId, now],
      );
      if (!row) throw new Error(`Job ${jobId} disappeared while it was paused`);
      await cancelQueued(tx, [jobId], "The job was paused by an operator", now);
      return row;
    });
  }

  /** Resume an operator-paused job with its schedule state (next tick, or failed when it cannot be evaluated). */
  async resume(
    jobId: string,
    schedule: { status: JobStatus; nextRunAt: Date | null; error: string | null },
    now: Date,
  ): Promise<JobRow> {
    const [row] = await this.db.query<JobRow>(
      "jobs_resume",
      `UPDATE plugin_jobs SET status = $2, operator_paused = false, next_run_at = $3, last_error = $4, updated_at = $5
       WHERE id = $1 RETURNING *`,
      [jobId, schedule.status, schedule.nextRunAt, schedule.error, now],
    );
    if (!row) throw new Error(`Job ${jobId} disappeared while it was resumed`);
    return row;
  }

  /** Active jobs of these plugins whose next tick is due. */
  async dueJobs(pluginIds: readonly string[], now: Date, limit: number): Promise<JobRow[]> {
    if (pluginIds.length === 0) return [];
    return this.db.query<JobRow>(
      "jobs_due",
      `SELECT * FROM plugin_jobs WHERE status = 'active' AND next_run_at <= $2 AND plugin_id = ANY($1::uuid[])
       ORDER BY next_run_at LIMIT $3`,
      [pluginIds, now, limit],
    );
  }

  /**
   * Claim the tick `expectedNext` of a job: move next_run_at to `newNext` only if nobody moved it yet, and queue
   * a run for `runScheduledAt` (null: the tick is skipped by the misfire policy). `won` false: another node
   * claimed it. `run` null while won: an earlier run of the job is still queued or running (no overlap).
   */
  async claimTick(
    job: JobRow,
    expectedNext: Date,
    newNext: Date | null,
    runScheduledAt: Date | null,
    now: Date,
  ): Promise<{ won: boolean; run: RunRow | null }> {
    return this.db.transaction(async (tx) => {
      const moved = await tx.query(
        "jobs_claim_tick",
        `UPDATE plugin_jobs SET next_run_at = $3, updated_at = $4
         WHERE id = $1 AND status = 'active' AND next_run_at = $2 RETURNING id`,
        [job.id, expectedNext, newNext, now],
      );
      if (moved.length === 0) return { won: false, run: null };
      if (!runScheduledAt) return { won: true, run: null };
      const run = await insertRun(tx, {
        jobId: job.id,
        pluginId: job.plugin_id,
        trigger: "schedule",
        scheduledAt: runScheduledAt,
        runAfter: now,
        attempt: 1,
        retryOf: null,
      });
      return { won: true, run };
    });
  }

  /** Queue a manual run or a retry; null when the job already has a queued or running run. */
  async enqueueRun(run: NewRun): Promise<RunRow | null> {
    return insertRun(this.db, run);
  }

  /** Start up to `limit` queued runs of these plugins that are due, on this node, with a lease. */
  async startQueued(
    pluginIds: readonly string[],
    now: Date,
    limit: number,
    nodeId: string,
    leaseUntil: Date,
  ): Promise<StartedRun[]> {
    if (pluginIds.length === 0 || limit <= 0) return [];
    return this.db.query<StartedRun>(
      "jobs_start_queued",
      `WITH picked AS (
         SELECT id FROM plugin_job_runs
         WHERE status = 'queued' AND run_after <= $2 AND plugin_id = ANY($1::uuid[])
         ORDER BY run_after LIMIT $3 FOR UPDATE SKIP LOCKED
       ), started AS (
         UPDATE plugin_job_runs r SET status = 'running', started_at = $2, node_id = $4, lease_expires_at = $5
         FROM picked WHERE r.id = picked.id RETURNING r.*
       ), touched AS (
         UPDATE plugin_jobs j SET last_run_at = $2 FROM started s WHERE j.id = s.job_id RETURNING j.id
       )
       SELECT s.*, j.job_key, j.timeout_ms, j.retry_policy FROM started s JOIN plugin_jobs j ON j.id = s.job_id`,
      [pluginIds, now, limit, nodeId, leaseUntil],
    );
  }

  /** Heartbeat: extend the leases of the runs this node is running. */
  async renewLeases(runIds: readonly string[], nodeId: string, leaseUntil: Date): Promise<void> {
    if (runIds.length === 0) return;
    await this.db.query(
      "jobs_renew_leases",
      `UPDATE plugin_job_runs SET lease_expires_at = $3
       WHERE id = ANY($1::uuid[]) AND node_id = $2 AND status = 'running'`,
      [runIds, nodeId, leaseUntil],
    );
  }

  /**
   * Record how a run ended, if this node still holds it (false: it was already recorded, e.g. failed at
   * shutdown). `retry` queues the next attempt in the same transaction.
   */
  async finishRun(
    runId: string,
    nodeId: string,
    outcome: RunOutcome,
    retry: NewRun | null,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const done = await tx.query(
        "jobs_finish_run",
        `UPDATE plugin_job_runs SET status = $3, error = $4, logs = $5::jsonb, finished_at = $6, duration_ms = $7,
           lease_expires_at = NULL
         WHERE id = $1 AND node_id = $2 AND status = 'running' RETURNING id`,
        [
          runId,
          nodeId,
          outcome.status,
          outcome.error,
          JSON.stringify(outcome.logs),
          outcome.finishedAt,
          outcome.durationMs,
        ],
      );
      if (done.length === 0) return false;
      if (retry) await insertRun(tx, retry);
      return true;
    });
  }

  /** Runs whose host stopped without finishing them (lease expired) are failed, never left running. */
  async failExpired(now: Date): Promise<SweptRun[]> {
    return this.db.query<SweptRun>(
      "jobs_fail_expired",
      `WITH swept AS (
         UPDATE plugin_job_runs SET status = 'failed', finished_at = $1,
           duration_ms = GREATEST(0, (EXTRACT(EPOCH FROM ($1::timestamptz - started_at)) * 1000)::integer),
           error = format('The host running it (node %s) stopped during the run: its lease expired at %s without a heartbeat',
             coalesce(node_id, 'unknown'), to_char(lease_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
           lease_expires_at = NULL
         WHERE status = 'running' AND lease_expires_at < $1 RETURNING *
       )
       SELECT s.*, j.job_key, j.retry_policy FROM swept s JOIN plugin_jobs j ON j.id = s.job_id`,
      [now],
    );
  }

  async listRuns(jobId: string, limit: number): Promise<RunRow[]> {
    return this.db.query<RunRow>(
      "jobs_list_runs",
      `SELECT r.*, j.job_key FROM plugin_job_runs r JOIN plugin_jobs j ON j.id = r.job_id
       WHERE r.job_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT $2`,
      [jobId, limit],
    );
  }

  async recentRuns(pluginId: string, limit: number): Promise<RunRow[]> {
    return this.db.query<RunRow>(
      "jobs_recent_runs",
      `SELECT r.*, j.job_key FROM plugin_job_runs r JOIN plugin_jobs j ON j.id = r.job_id
       WHERE r.plugin_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT $2`,
      [pluginId, limit],
    );
  }

  async getRun(jobId: string, runId: string): Promise<RunRow | null> {
    if (!isUuid(runId)) return null;
    const rows = await this.db.query<RunRow>(
      "jobs_get_run",
      `SELECT r.*, j.job_key FROM plugin_job_runs r JOIN plugin_jobs j ON j.id = r.job_id
       WHERE r.job_id = $1 AND r.id = $2`,
      [jobId, runId],
    );
    return rows[0] ?? null;
  }
}

async function insertRun(on: Q, run: NewRun): Promise<RunRow | null> {
  const rows = await on.query<RunRow>(
    "jobs_insert_run",
    `INSERT INTO plugin_job_runs (job_id, plugin_id, trigger, status, scheduled_at, run_after, attempt, retry_of, created_at)
     VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7, now())
     ON CONFLICT DO NOTHING RETURNING *`,
    [run.jobId, run.pluginId, run.trigger, run.scheduledAt, run.runAfter, run.attempt, run.retryOf],
  );
  return rows[0] ?? null;
}

async function cancelQueued(on: Q, jobIds: string[], reason: string, now: Date): Promise<void> {
  await on.query(
    "jobs_cancel_queued",
    `UPDATE plugin_job_runs SET status = 'cancelled', error = $2, finished_at = $3
     WHERE job_id = ANY($1::uuid[]) AND status = 'queued'`,
    [jobIds, reason, now],
  );
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}
