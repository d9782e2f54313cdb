// What the job routes and the CLI do: list jobs and runs, change a job's settings, trigger a job, re-run a
// failed run. Errors are DomainErrors whose messages name the plugin, the job and the rule.
import { badRequest, notFound } from "../../errors.js";
import { assertSchedule, CronScheduleError, nextTick } from "./cron.js";
import { isUuid } from "./job-store.js";
import {
  effectiveTimeZone,
  type JobRow,
  type JobStatus,
  type PluginJobRecord,
  type PluginJobRunRecord,
  toJobRecord,
  toRunRecord,
} from "./records.js";
import type { JobPluginDirectory, JobScheduler, JobWorkerGateway } from "./scheduler.js";
import { applySettingsPatch, type JobSettingsPatch } from "./settings.js";

export interface JobServiceDeps {
  scheduler: JobScheduler;
  directory: JobPluginDirectory;
  gateway: JobWorkerGateway;
}

type FoundPlugin = NonNullable<Awaited<ReturnType<JobPluginDirectory["findPlugin"]>>>;

export interface TriggerResult {
  runId: string;
  jobId: string;
}

export class JobService {
  constructor(private readonly deps: JobServiceDeps) {}

  private get store() {
    return this.deps.scheduler.store;
  }

  /** The plugin, with its jobs synced for the worker running here. */
  async requirePlugin(idOrKey: string): Promise<FoundPlugin> {
    const plugin = await this.deps.directory.findPlugin(idOrKey);
    if (!plugin) throw notFound("Plugin not found", { pluginId: idOrKey });
    await this.deps.scheduler.syncIfStale(plugin);
    return plugin;
  }

  async requireJob(plugin: FoundPlugin, jobIdOrKey: string): Promise<JobRow> {
    const job = await this.store.findJob(plugin.id, jobIdOrKey);
    if (!job) {
      throw notFound(`Job "${jobIdOrKey}" not found for plugin ${plugin.pluginKey}`, {
        pluginId: plugin.id,
        jobId: jobIdOrKey,
      });
    }
    return job;
  }

  async listJobs(pluginIdOrKey: string, status?: JobStatus): Promise<PluginJobRecord[]> {
    const plugin = await this.requirePlugin(pluginIdOrKey);
    const rows = await this.store.listJobs(plugin.id, status);
    return rows.map((row) => toJobRecord(row, this.deps.scheduler.defaults));
  }

  async getJob(pluginIdOrKey: string, jobIdOrKey: string): Promise<PluginJobRecord> {
    const plugin = await this.requirePlugin(pluginIdOrKey);
    return toJobRecord(await this.requireJob(plugin, jobIdOrKey), this.deps.scheduler.defaults);
  }

  async listRuns(pluginIdOrKey: string, jobIdOrKey: string, limit: number): Promise<PluginJobRunRecord[]> {
    const plugin = await this.requirePlugin(pluginIdOrKey);
    const job = await this.requireJob(plugin, jobIdOrKey);
    return (await this.store.listRuns(job.id, limit)).map(toRunRecord);
  }

  async getRun(pluginIdOrKey: string, jobIdOrKey: string, runId: string): Promise<PluginJobRunRecord> {
    const plugin = await this.requirePlugin(pluginIdOrKey);
    const job = await this.requireJob(plugin, jobIdOrKey);
    const run = await this.store.getRun(job.id, runId);
    if (!run) throw notFound(`Run ${runId} not found for job ${job.job_key}`, { jobId: job.id, runId });
    return toRunRecord(run);
  }

  /** Recent runs of every job of the plugin (dashboard). */
  async recentRuns(pluginId: string, limit = 10): Promise<PluginJobRunRecord[]> {
    return (await this.store.recentRuns(pluginId, limit)).map(toRunRecord);
  }

  async updateSettings(
    pluginIdOrKey: string,
    jobIdOrKey: string,
    patch: JobSettingsPatch,
  ): Promise<PluginJobRecord> {
    const plugin = await this.requirePlugin(pluginIdOrKey);
    let job = await this.requireJob(plugin, jobIdOrKey);
    const { status, ...settingsPatch } = patch;
    // Pausing a job the manifest dropped makes it the operator's pause (kept if the manifest declares it again).
    if (status === "paused" && !(job.status === "paused" && job.operator_paused)) {
      job = await this.store.pause(job.id, this.deps.scheduler.now());
    }
    if (status === "active" && job.status === "paused") job = await this.resume(plugin, job);
    if (Object.keys(settingsPatch).length === 0 && status !== undefined) {
      return toJobRecord(job, this.deps.scheduler.defaults);
    }
    return this.applySettings(job, settingsPatch);
  }

  /** Resume an operator-paused job: its next tick is computed from now (the ticks it missed are not run). */
  private async resume(plugin: FoundPlugin, job: JobRow): Promise<JobRow> {
    if (!job.operator_paused) {
      throw badRequest(
        `Job ${job.job_key} of plugin ${plugin.pluginKey} is paused because the plugin no longer declares it; it ` +
          "cannot be resumed",
        { status: job.status, pausedBy: "manifest" },
      );
    }
    const now = this.deps.scheduler.now();
    const timeZone = effectiveTimeZone(job, this.deps.scheduler.defaults);
    let schedule: { status: JobStatus; nextRunAt: Date | null; error: string | null };
    if (job.schedule === "") schedule = { status: "active", nextRunAt: null, error: null };
    else {
      try {
        assertSchedule(job.schedule, timeZone);
        schedule = { status: "active", nextRunAt: nextTick(job.schedule, timeZone, now), error: null };
      } catch (error) {
        if (!(error instanceof CronScheduleError)) throw error;
        schedule = { status: "failed", nextRunAt: null, error: error.message };
      }
    }
    const resumed = await this.store.resume(job.id, schedule, now);
    this.deps.scheduler.wake();
    return resumed;
  }

  private async applySettings(job: JobRow, patch: JobSettingsPatch): Promise<PluginJobRecord> {
    const defaults = this.deps.scheduler.defaults;
    const settings = applySettingsPatch(
      {
        timeZone: job.time_zone,
        misfirePolicy: job.misfire_policy,
        timeoutMs: job.timeout_ms,
        retry: job.retry_policy,
      },
      patch,
    );
    const now = this.deps.scheduler.now();
    const timeZone = settings.timeZone ?? defaults.timeZone;
    let schedule: { status: JobStatus; nextRunAt: Date | null; error: string | null };
    if (job.schedule === "") schedule = { status: "active", nextRunAt: null, error: null };
    else {
      try {
        assertSchedule(job.schedule, timeZone);
        // A new time zone moves the next tick; otherwise keep it (a missed tick stays visible to the misfire policy).
        const keep =
          timeZone === effectiveTimeZone(job, defaults) && job.status === "active" && job.next_run_at;
        schedule = {
          status: "active",
          nextRunAt: keep ? new Date(job.next_run_at as Date) : nextTick(job.schedule, timeZone, now),
          error: null,
        };
      } catch (error) {
        if (!(error instanceof CronScheduleError)) throw error;
        throw badRequest(`Job ${job.job_key}: ${error.message}`);
      }
    }
    const updated = await this.store.updateSettings(job.id, settings, schedule, now);
    return toJobRecord(updated, defaults);
  }

  /** Queue a manual run; returns at once (the run starts on the next scheduler pass, woken now). */
  async trigger(pluginIdOrKey: string, jobIdOrKey: string): Promise<TriggerResult> {
    const plugin = await this.requirePlugin(pluginIdOrKey);
    const job = await this.requireJob(plugin, jobIdOrKey);
    this.assertRunnable(plugin, job);
    const now = this.deps.scheduler.now();
    const run = await this.store.enqueueRun({
      jobId: job.id,
      pluginId: plugin.id,
      trigger: "manual",
      scheduledAt: now,
      runAfter: now,
      attempt: 1,
      retryOf: null,
    });
    if (!run) throw alreadyActive(plugin, job);
    this.deps.scheduler.wake();
    return { runId: run.id, jobId: job.id };
  }

  /** Re-run a failed (or cancelled) run with trigger "retry". */
  async retry(
    pluginIdOrKey: string,
    jobIdOrKey: string,
    runId: string,
  ): Promise<TriggerResult & { retryOf: string }> {
    const plugin = await this.requirePlugin(pluginIdOrKey);
    const job = await this.requireJob(plugin, jobIdOrKey);
    const previous = isUuid(runId) ? await this.store.getRun(job.id, runId) : null;
    if (!previous) throw notFound(`Run ${runId} not found for job ${job.job_key}`, { jobId: job.id, runId });
    if (previous.status !== "failed" && previous.status !== "cancelled") {
      throw badRequest(
        `Run ${runId} of job ${job.job_key} is ${previous.status}: only failed or cancelled runs can be retried`,
        { status: previous.status },
      );
    }
    this.assertRunnable(plugin, job);
    const now = this.deps.scheduler.now();
    const run = await this.store.enqueueRun({
      jobId: job.id,
      pluginId: plugin.id,
      trigger: "retry",
      scheduledAt: now,
      runAfter: now,
      attempt: previous.attempt + 1,
      retryOf: previous.id,
    });
    if (!run) throw alreadyActive(plugin, job);
    this.deps.scheduler.wake();
    return { runId: run.id, jobId: job.id, retryOf: previous.id };
  }

  /** Reference §6: a job runs only while active, and only where the plugin's worker runs (400 otherwise). */
  private assertRunnable(plugin: FoundPlugin, job: JobRow): void {
    if (job.status !== "active") {
      throw badRequest(
        `Job ${job.job_key} of plugin ${plugin.pluginKey} is ${job.status}` +
          (job.status === "paused"
            ? job.operator_paused
              ? ' (paused by an operator: PATCH it with {"status": "active"} to resume it)'
              : " (the plugin no longer declares it)"
            : `: ${job.last_error ?? "see lastError"}`),
        { status: job.status },
      );
    }
    if (plugin.status !== "ready") {
      throw badRequest(`Plugin ${plugin.pluginKey} is ${plugin.status}, not ready: its jobs cannot run`, {
        status: plugin.status,
      });
    }
    if (!this.deps.gateway.isRunning(plugin.id)) {
      throw badRequest(
        `The worker of plugin ${plugin.pluginKey} is not running on this host; try again when it is`,
      );
    }
  }
}

function alreadyActive(plugin: FoundPlugin, job: JobRow) {
  return badRequest(
    `Job ${job.job_key} of plugin ${plugin.pluginKey} already has a queued or running run; runs of one job never overlap`,
  );
}
