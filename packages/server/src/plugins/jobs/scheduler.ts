// The job scheduler of one host node. Every pass: fail runs whose host died (expired lease), sync the jobs of
// plugins newly running here, claim due cron ticks (applying the misfire policy), then start queued runs of
// plugins whose worker runs on this node, up to the concurrency limit. Claims happen in the database (JobStore),
// so several nodes on one PostgreSQL never run the same tick twice. While a run is in flight its lease is
// renewed; on shutdown unfinished runs are recorded failed.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import type { PluginJobContext } from "@paperclipai/plugin-sdk/types";
import type { Logger } from "pino";
import type { Database } from "../../db/database.js";
import { type Clock, systemClock } from "../../domain/actor.js";
import { nextTick } from "./cron.js";
import { type JobDeclaration, JobStore, type NewRun, type StartedRun, type SyncReport } from "./job-store.js";
import { effectiveTimeZone, type JobDefaults, type JobRow, type RetryPolicy, toDate } from "./records.js";
import type { RunLogCapture } from "./run-logs.js";
import { retryDelayMs } from "./settings.js";

/** What the scheduler needs from the plugin runtime of this node. */
export interface JobWorkerGateway {
  /** Plugins whose worker is running on this node now. */
  runningPluginIds(): string[];
  isRunning(pluginId: string): boolean;
  /**
   * Changes whenever the plugin's worker (re)started here (e.g. the time it answered initialize): the jobs are
   * synced again then, so an upgrade's new manifest is picked up even without an activation hook.
   */
  workerGeneration?(pluginId: string): number | string | null;
  /** `runJob {job}` with no company (instance scope); rejects with the worker's JSON-RPC error. */
  runJob(pluginId: string, job: PluginJobContext, options: { timeoutMs?: number }): Promise<void>;
}

export interface JobPluginDirectory {
  findPlugin(idOrKey: string): Promise<{
    id: string;
    pluginKey: string;
    status: string;
    manifestJson: { jobs?: readonly JobDeclaration[] | null };
  } | null>;
}

export interface JobSchedulerOptions {
  db: Database;
  gateway: JobWorkerGateway;
  directory: JobPluginDirectory;
  logger: Logger;
  defaults: JobDefaults;
  clock?: Clock;
  /** This node's name in run records. Default: a fresh uuid per process. */
  nodeId?: string;
  /** Time between passes; 0 = no timer (tests call tick()). Default 1 000. */
  pollIntervalMs?: number;
  /** A running run's lease; renewed every third of it, swept when it expires. Default 60 000. */
  leaseMs?: number;
  /** A tick later than this counts as missed (misfire policy). Default 60 000. */
  misfireGraceMs?: number;
  /** Runs in flight on this node at most. Default 10. */
  maxConcurrentRuns?: number;
  /** On stop, wait this long for runs in flight before recording them failed. Default 5 000. */
  shutdownGraceMs?: number;
  /** Collects each run's log lines (see run-logs.ts). */
  runLogs?: RunLogCapture;
}

export interface TickReport {
  /** Runs started on this node in this pass. */
  started: string[];
  /** Runs failed because their host stopped (expired leases). */
  swept: string[];
}

interface InFlight {
  run: StartedRun;
  done: Promise<void>;
}

const DUE_BATCH = 100;

export class JobScheduler {
  readonly store: JobStore;
  readonly nodeId: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly misfireGraceMs: number;
  private readonly maxConcurrentRuns: number;
  private readonly shutdownGraceMs: number;
  private readonly inFlight = new Map<string, InFlight>();
  /** Plugins whose jobs were synced for their current worker here, with that worker's generation. */
  private readonly synced = new Map<string, number | string | null>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;
  private pass: Promise<TickReport> | null = null;
  private wakeRequested = false;
  private lastHeartbeat = 0;
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: JobSchedulerOptions) {
    this.store = new JobStore(options.db);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.nodeId = options.nodeId ?? randomUUID();
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.misfireGraceMs = options.misfireGraceMs ?? 60_000;
    this.maxConcurrentRuns = options.maxConcurrentRuns ?? 10;
    this.shutdownGraceMs = options.shutdownGraceMs ?? 5_000;
  }

  get defaults(): JobDefaults {
    return this.options.defaults;
  }

  /** The scheduler's clock (injected in tests). */
  now(): Date {
    return this.clock.now();
  }

  /** Sweep runs left by stopped hosts, then pass every pollIntervalMs. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    await this.tick();
    this.schedule();
  }

  /**
   * Stop passing; give runs in flight shutdownGraceMs to finish, then record the rest failed (their worker
   * calls may still settle later; the record is not overwritten).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.pass?.catch(() => undefined);
    const pending = [...this.inFlight.values()];
    if (pending.length === 0) return;
    await Promise.race([
      Promise.allSettled(pending.map((entry) => entry.done)),
      new Promise((resolve) => setTimeout(resolve, this.shutdownGraceMs).unref()),
    ]);
    const left = [...this.inFlight.values()];
    const now = this.clock.now();
    for (const { run } of left) {
      const recorded = await this.store
        .finishRun(
          run.id,
          this.nodeId,
          {
            status: "failed",
            error: `The host shut down during the run (node ${this.nodeId})`,
            logs: [],
            finishedAt: now,
            durationMs: Math.max(0, now.getTime() - toDate(run.started_at ?? now).getTime()),
          },
          null,
        )
        .catch((error: Error) => {
          this.logger.error(
            { runId: run.id, err: error },
            `Could not record job run ${run.id} as failed at shutdown`,
          );
          return false;
        });
      if (recorded)
        this.logger.warn({ runId: run.id, jobKey: run.job_key }, `Job run ${run.id} failed: host shut down`);
    }
  }

  /** Wait until every run started here has settled (after stop() and the workers' shutdown; before closing the database). */
  async drain(): Promise<void> {
    await this.idle();
  }

  /** Ask for a pass now (a manual trigger or retry was queued). */
  wake(): void {
    if (this.stopped || !this.running) return;
    if (this.pass) {
      this.wakeRequested = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.tick().finally(() => this.schedule());
  }

  /** One pass (see the file comment). Concurrent calls share the pass in progress. */
  tick(): Promise<TickReport> {
    this.pass ??= this.runPass().finally(() => {
      this.pass = null;
    });
    return this.pass;
  }

  /** Resolves when no run is in flight on this node (tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0)
      await Promise.allSettled([...this.inFlight.values()].map((entry) => entry.done));
  }

  get inFlightRunIds(): string[] {
    return [...this.inFlight.keys()];
  }

  /** Sync the manifest's jobs (plugin activated or upgraded). */
  async syncPlugin(plugin: {
    id: string;
    pluginKey: string;
    manifestJson: { jobs?: readonly JobDeclaration[] | null };
  }): Promise<SyncReport> {
    const report = await this.store.syncDeclarations(
      plugin.id,
      plugin.manifestJson.jobs ?? [],
      this.clock.now(),
      this.options.defaults,
    );
    this.synced.set(plugin.id, this.generationOf(plugin.id));
    for (const failure of report.failed) {
      this.logger.error(
        { pluginId: plugin.id, jobKey: failure.jobKey },
        `Job ${failure.jobKey} of plugin ${plugin.pluginKey} cannot be scheduled: ${failure.error}`,
      );
    }
    if (report.paused.length > 0) {
      this.logger.info(
        { pluginId: plugin.id, paused: report.paused },
        `Plugin ${plugin.pluginKey} no longer declares job(s) ${report.paused.join(", ")}: paused`,
      );
    }
    return report;
  }

  /**
   * Sync now when the plugin's worker runs here and its jobs were not synced for this worker yet (the API reads
   * right after an install or upgrade see the new jobs without waiting for the next pass).
   */
  async syncIfStale(plugin: {
    id: string;
    pluginKey: string;
    manifestJson: { jobs?: readonly JobDeclaration[] | null };
  }): Promise<void> {
    if (!this.options.gateway.isRunning(plugin.id)) return;
    if (this.synced.has(plugin.id) && this.synced.get(plugin.id) === this.generationOf(plugin.id)) return;
    await this.syncPlugin(plugin);
  }

  /** The plugin's worker stopped on this node: sync again when it comes back (it may be an upgrade). */
  pluginDeactivated(pluginId: string): void {
    this.synced.delete(pluginId);
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────

  private schedule(): void {
    if (this.stopped || !this.running || this.pollIntervalMs <= 0) return;
    if (this.timer) clearTimeout(this.timer);
    const delay = this.wakeRequested ? 0 : this.pollIntervalMs;
    this.wakeRequested = false;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick().finally(() => this.schedule());
    }, delay);
    this.timer.unref();
  }

  private async runPass(): Promise<TickReport> {
    const report: TickReport = { started: [], swept: [] };
    try {
      await this.heartbeat();
      report.swept = await this.sweep();
      const running = this.options.gateway.runningPluginIds();
      await this.syncNewPlugins(running);
      if (this.stopped) return report;
      await this.claimDueTicks(running);
      if (this.stopped) return report;
      const free = this.maxConcurrentRuns - this.inFlight.size;
      const now = this.clock.now();
      const started = await this.store.startQueued(
        running,
        now,
        free,
        this.nodeId,
        new Date(now.getTime() + this.leaseMs),
      );
      for (const run of started) {
        report.started.push(run.id);
        this.execute(run);
      }
    } catch (error) {
      this.logger.error({ err: error }, `Job scheduler pass failed: ${(error as Error).message}`);
    }
    return report;
  }

  private async heartbeat(): Promise<void> {
    const now = this.clock.now().getTime();
    if (this.inFlight.size === 0 || now - this.lastHeartbeat < this.leaseMs / 3) return;
    this.lastHeartbeat = now;
    await this.store.renewLeases(this.inFlightRunIds, this.nodeId, new Date(now + this.leaseMs));
  }

  private async sweep(): Promise<string[]> {
    const now = this.clock.now();
    if (now.getTime() - this.lastSweep < this.leaseMs / 2) return [];
    this.lastSweep = now.getTime();
    const swept = await this.store.failExpired(now);
    for (const run of swept) {
      this.logger.warn(
        { runId: run.id, jobKey: run.job_key },
        `Job run ${run.id} (${run.job_key}) failed: ${run.error}`,
      );
      const retry = this.retryPlan(run, run.retry_policy, now);
      if (retry) await this.store.enqueueRun(retry);
    }
    return swept.map((run) => run.id);
  }

  private generationOf(pluginId: string): number | string | null {
    return this.options.gateway.workerGeneration?.(pluginId) ?? null;
  }

  private async syncNewPlugins(running: string[]): Promise<void> {
    for (const pluginId of running) {
      if (this.synced.has(pluginId) && this.synced.get(pluginId) === this.generationOf(pluginId)) continue;
      const plugin = await this.options.directory.findPlugin(pluginId);
      if (!plugin) continue;
      await this.syncPlugin(plugin).catch((error: Error) => {
        this.logger.error({ pluginId, err: error }, `Syncing the jobs of plugin ${plugin.pluginKey} failed`);
      });
    }
  }

  private async claimDueTicks(running: string[]): Promise<void> {
    const now = this.clock.now();
    const due = await this.store.dueJobs(running, now, DUE_BATCH);
    for (const job of due) {
      if (this.stopped) return;
      await this.claimTick(job, now).catch((error: Error) => {
        this.logger.error({ jobId: job.id, err: error }, `Claiming a tick of job ${job.job_key} failed`);
      });
    }
  }

  /** Decide what the due tick of `job` becomes (run, or skipped as missed) and claim it. */
  private async claimTick(job: JobRow, now: Date): Promise<void> {
    if (!job.next_run_at) return;
    const due = toDate(job.next_run_at);
    const timeZone = effectiveTimeZone(job, this.options.defaults);
    let newNext: Date | null;
    try {
      newNext = nextTick(job.schedule, timeZone, now);
    } catch (error) {
      this.logger.error({ jobId: job.id }, `Job ${job.job_key}: ${(error as Error).message}`);
      return;
    }
    const missed = now.getTime() - due.getTime() > this.misfireGraceMs;
    const policy = job.misfire_policy ?? this.options.defaults.misfirePolicy;
    const runAt = missed && policy === "skip" ? null : due;
    const claim = await this.store.claimTick(job, due, newNext, runAt, now);
    if (!claim.won) return;
    if (missed) {
      this.logger.info(
        { jobId: job.id, jobKey: job.job_key, due: due.toISOString(), policy },
        policy === "skip"
          ? `Job ${job.job_key}: tick ${due.toISOString()} was missed (no node could run it); skipped (misfire policy skip)`
          : `Job ${job.job_key}: tick ${due.toISOString()} was missed; running it once now (misfire policy run_once)`,
      );
    }
    if (runAt && !claim.run) {
      this.logger.info(
        { jobId: job.id, jobKey: job.job_key },
        `Job ${job.job_key}: tick ${due.toISOString()} skipped, the previous run is still queued or running`,
      );
    }
  }

  private execute(run: StartedRun): void {
    const entry: InFlight = { run, done: Promise.resolve() };
    entry.done = this.runToEnd(run).finally(() => {
      this.inFlight.delete(run.id);
      if (this.inFlight.size < this.maxConcurrentRuns) this.wake();
    });
    this.inFlight.set(run.id, entry);
  }

  private async runToEnd(run: StartedRun): Promise<void> {
    const job: PluginJobContext = {
      jobKey: run.job_key,
      runId: run.id,
      trigger: run.trigger,
      scheduledAt: toDate(run.scheduled_at).toISOString(),
    };
    const timeoutMs = run.timeout_ms ?? undefined;
    const capture = this.options.runLogs;
    const buffer = capture?.newBuffer();
    const startedAt = performance.now();
    let error: string | null = null;
    try {
      const call = () => this.options.gateway.runJob(run.plugin_id, job, { timeoutMs });
      await (capture && buffer ? capture.capture(buffer, call) : call());
    } catch (failure) {
      error = describeRunFailure(failure, timeoutMs);
    }
    const finishedAt = this.clock.now();
    const status = error === null ? "succeeded" : "failed";
    const retry = error === null ? null : this.retryPlan(run, run.retry_policy, finishedAt);
    const recorded = await this.store
      .finishRun(
        run.id,
        this.nodeId,
        {
          status,
          error: retry
            ? `${error} (retry ${retry.attempt} of ${run.retry_policy?.maxAttempts} queued)`
            : error,
          logs: buffer?.result() ?? [],
          finishedAt,
          durationMs: Math.round(performance.now() - startedAt),
        },
        retry,
      )
      .catch((failure: Error) => {
        this.logger.error({ runId: run.id, err: failure }, `Could not record the end of job run ${run.id}`);
        return false;
      });
    if (recorded && error) {
      this.logger.warn(
        { runId: run.id, jobKey: run.job_key, pluginId: run.plugin_id },
        `Job ${run.job_key} failed: ${error}`,
      );
    }
  }

  private retryPlan(
    run: { id: string; job_id: string; plugin_id: string; attempt: number },
    policy: RetryPolicy | null,
    now: Date,
  ): NewRun | null {
    if (!policy || run.attempt >= policy.maxAttempts) return null;
    const runAfter = new Date(now.getTime() + retryDelayMs(policy, run.attempt));
    return {
      jobId: run.job_id,
      pluginId: run.plugin_id,
      trigger: "retry",
      scheduledAt: runAfter,
      runAfter,
      attempt: run.attempt + 1,
      retryOf: run.id,
    };
  }
}

/** Why a runJob call failed, in words an operator can act on. */
export function describeRunFailure(error: unknown, timeoutMs: number | undefined): string {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case PLUGIN_RPC_ERROR_CODES.TIMEOUT:
      return timeoutMs !== undefined
        ? `The run timed out after ${timeoutMs} ms (job timeoutMs): ${message}`
        : `The run timed out (the plugin's runJob timeout): ${message}`;
    case PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE:
      return `The worker was not available: ${message}`;
    default:
      return message;
  }
}
