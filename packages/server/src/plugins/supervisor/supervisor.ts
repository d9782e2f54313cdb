/**
 * WorkerSupervisor: owns ONE plugin's worker process for its whole life — start with the
 * `initialize` handshake, liveness pings, crash detection, restarts with backoff, giving up on a
 * crash loop, graceful stop. At most one process exists per supervisor at any time.
 */
import { EventEmitter } from "node:events";
import { performance } from "node:perf_hooks";
import { PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import type { WorkerSandboxReport } from "../sandbox/types.js";
import { resolveWorkerSandbox, tidyTemporaryDataDir } from "../sandbox/worker-sandbox.js";
import { restartDelayMs } from "./backoff.js";
import { DEFAULT_MEMORY_LIMIT_MB } from "./defaults.js";
import { errorText, workerUnavailable } from "./errors.js";
import type { InboundCounters } from "./inbound.js";
import { residentLimitMbFor } from "./memory-watch.js";
import { type ResolvedSettings, resolveSettings } from "./options.js";
import { RateWindow } from "./rate-window.js";
import { killAndReap, shutdownWorkerProcess } from "./shutdown.js";
import { buildExecArgv, buildWorkerEnv, heapLimitMbOf, type SpawnWorkerInput } from "./spawn.js";
import { LineTail } from "./stderr.js";
import type {
  CallWorkerOptions,
  NotifyWorkerOptions,
  SupervisorLogger,
  WorkerCrashCause,
  WorkerCrashInfo,
  WorkerDiagnostics,
  WorkerGaveUpInfo,
  WorkerStartedInfo,
  WorkerStatus,
  WorkerStatusChange,
  WorkerSupervisorOptions,
} from "./types.js";
import { crashCause, describeFailure, type WorkerFailure, WorkerProcess } from "./worker-process.js";

export interface WorkerSupervisorEvents {
  statusChange: [WorkerStatusChange];
  crash: [WorkerCrashInfo];
  gaveUp: [WorkerGaveUpInfo];
  workerStarted: [WorkerStartedInfo];
  stderrLine: [string];
}

interface StartCycle {
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

const silentLogger: SupervisorLogger = { debug() {}, info() {}, warn() {}, error() {} };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export class WorkerSupervisor extends EventEmitter<WorkerSupervisorEvents> {
  readonly pluginId: string;
  /** The manifest id, used in every message. */
  readonly pluginKey: string;

  private readonly options: WorkerSupervisorOptions;
  private readonly settings: ResolvedSettings;
  private readonly logger: SupervisorLogger;
  private readonly random: () => number;
  /** The spawn without its sandbox; `spawnInput` adds the sandbox resolved at the latest deliberate start. */
  private readonly baseSpawnInput: SpawnWorkerInput;
  private spawnInput: SpawnWorkerInput;
  private sandboxReport: WorkerSandboxReport | null = null;
  /** Set while the worker writes to a temporary data folder (tidied on stop). */
  private temporaryDataDir: string | null = null;
  private readonly counters: InboundCounters = { droppedNotifications: 0, ignoredStdoutLines: 0 };
  private readonly stderrTail: LineTail;
  private readonly stderrRate: RateWindow;

  private statusValue: WorkerStatus = "stopped";
  /** What the owner asked for last; a crash only leads to a restart while this is "running". */
  private desired: "running" | "stopped" = "stopped";
  private proc: WorkerProcess | null = null;
  private generation = 0;
  /** start/stop/restart run one after another, in call order. */
  private operations: Promise<unknown> = Promise.resolve();
  /** Set from a crash until the dead process is reaped and the next step is decided. */
  private recovering: Promise<void> | null = null;
  private cycle: StartCycle | null = null;
  private backoffTimer: NodeJS.Timeout | undefined;

  private consecutiveCrashes = 0;
  private totalCrashes = 0;
  private gaveUp = false;
  private lastCrashAt: number | null = null;
  private nextRestartAt: number | null = null;
  private lastExitCode: number | null = null;
  private lastSignal: string | null = null;
  private lastError: string | null = null;
  private lastHealthAt: number | null = null;
  private lastHealth: unknown = null;
  private supportedMethods: string[] = [];
  private spawnToReadyMs: number | null = null;

  constructor(options: WorkerSupervisorOptions) {
    super();
    this.settings = resolveSettings(options);
    this.options = options;
    this.pluginId = options.pluginId;
    this.pluginKey = options.manifest.id;
    this.logger = options.logger ?? silentLogger;
    this.random = options.random ?? Math.random;
    this.stderrTail = new LineTail(this.settings.limits.stderrTailLines);
    this.stderrRate = new RateWindow(this.settings.limits.maxStderrLinesPerSecond);
    this.baseSpawnInput = {
      entrypoint: options.entrypoint,
      packageDir: options.packageDir,
      execArgv: buildExecArgv(options.execArgv, options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB),
      env: buildWorkerEnv({
        ...options.environment,
        pluginId: options.pluginId,
        instanceInfo: options.instanceInfo,
      }),
    };
    this.spawnInput = this.baseSpawnInput;
  }

  get status(): WorkerStatus {
    return this.statusValue;
  }

  /**
   * Start the worker and wait until it is running. A failed attempt is a crash: it is retried with
   * backoff, and the promise rejects (WORKER_UNAVAILABLE) only when the crash policy gives up or
   * the worker is stopped meanwhile. Calling it while starting or running joins the same start.
   */
  async start(): Promise<void> {
    const { ready } = await this.serialise(() => this.beginStart());
    return ready;
  }

  /** Graceful stop: `shutdown` RPC, SIGTERM, SIGKILL, each after its timeout. Never restarts afterwards. */
  stop(): Promise<void> {
    return this.serialise(() => this.performStop());
  }

  async restart(): Promise<void> {
    const { ready } = await this.serialise(async () => {
      await this.performStop();
      return this.beginStart();
    });
    return ready;
  }

  /** Host→worker request. Fails at once with WORKER_UNAVAILABLE unless the worker is running. */
  call<TResult = unknown>(
    method: string,
    params: unknown,
    options: CallWorkerOptions = {},
  ): Promise<TResult> {
    const proc = this.proc;
    if (this.statusValue !== "running" || !proc) return Promise.reject(this.notRunningError());
    const timeoutMs = options.timeoutMs ?? this.callTimeoutMs(method);
    const envelope = options.invocation ? { paperclipInvocation: options.invocation } : undefined;
    return proc.peer.call<TResult>(method, params, { timeoutMs, envelope });
  }

  /** How long a host→worker call of `method` may take before it fails with TIMEOUT. */
  callTimeoutMs(method: string): number {
    return this.settings.methodTimeouts[method] ?? this.settings.timeouts.defaultCallMs;
  }

  /** Host→worker notification (e.g. `onEvent`). Throws WORKER_UNAVAILABLE unless the worker is running. */
  notify(method: string, params: unknown, options: NotifyWorkerOptions = {}): void {
    const proc = this.proc;
    if (this.statusValue !== "running" || !proc) throw this.notRunningError();
    proc.peer.notify(
      method,
      params,
      options.invocation ? { paperclipInvocation: options.invocation } : undefined,
    );
  }

  /** True when the running worker listed `method` in its `initialize` answer. */
  supports(method: string): boolean {
    return this.supportedMethods.includes(method);
  }

  diagnostics(): WorkerDiagnostics {
    const proc = this.proc;
    const readyAt = proc?.readyAt ?? null;
    return {
      pluginId: this.pluginId,
      status: this.statusValue,
      pid: proc?.alive ? (proc.pid ?? null) : null,
      startedAt: proc?.spawnedAt ?? null,
      readyAt,
      spawnToReadyMs: this.spawnToReadyMs,
      uptimeMs: readyAt !== null && this.statusValue === "running" ? Date.now() - readyAt : null,
      consecutiveCrashes: this.consecutiveCrashes,
      totalCrashes: this.totalCrashes,
      gaveUp: this.gaveUp,
      pendingRequests: proc?.peer.pendingCount ?? 0,
      pendingWorkerRequests: proc?.inbound.pendingRequests ?? 0,
      lastCrashAt: this.lastCrashAt,
      nextRestartAt: this.nextRestartAt,
      lastExitCode: this.lastExitCode,
      lastSignal: this.lastSignal,
      lastError: this.lastError,
      lastHealthAt: this.lastHealthAt,
      lastHealth: this.lastHealth,
      supportedMethods: [...this.supportedMethods],
      heapLimitMb: heapLimitMbOf(this.spawnInput.execArgv),
      residentLimitMb: residentLimitMbFor(heapLimitMbOf(this.spawnInput.execArgv)),
      sandbox: this.sandboxReport,
      missedHealthPings: proc?.missedHealthPings ?? 0,
      stderrTail: this.stderrTail.lines(),
      droppedNotifications: this.counters.droppedNotifications,
      ignoredStdoutLines: this.counters.ignoredStdoutLines,
    };
  }

  // ── lifecycle operations (always run through serialise) ─────────────────────────────────────

  private serialise<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.operations.then(operation, operation);
    this.operations = run.catch(() => undefined);
    return run;
  }

  /** Returns the promise of "running" without holding the operation queue while retries happen. */
  private async beginStart(): Promise<{ ready: Promise<void> }> {
    while (this.recovering) await this.recovering;
    if (this.statusValue === "running") return { ready: Promise.resolve() };
    if (this.statusValue === "starting" || this.statusValue === "backoff") return { ready: this.joinCycle() };
    // stopped, or crashed for good: a deliberate start gets a fresh crash budget.
    await this.applySandbox();
    this.desired = "running";
    this.gaveUp = false;
    this.consecutiveCrashes = 0;
    const ready = this.joinCycle();
    void this.launch();
    return { ready };
  }

  /**
   * Resolve the sandbox (settings may have changed since the last start) into the spawn every launch of this start
   * uses, restarts after a crash included. A sandbox that cannot be built refuses the start, naming why.
   */
  private async applySandbox(): Promise<void> {
    const option = this.options.sandbox;
    let resolved: Awaited<ReturnType<typeof resolveWorkerSandbox>>;
    try {
      const settings = typeof option === "function" ? await option() : (option ?? {});
      resolved = await resolveWorkerSandbox({
        pluginId: this.pluginId,
        pluginKey: this.pluginKey,
        packageDir: this.options.packageDir,
        entrypoint: this.options.entrypoint,
        settings,
      });
    } catch (error) {
      this.lastError = `Worker for plugin "${this.pluginKey}" cannot start: ${errorText(error)}`;
      throw workerUnavailable(this.lastError, { status: this.statusValue });
    }
    const base = this.baseSpawnInput;
    this.sandboxReport = resolved.report;
    this.temporaryDataDir = resolved.temporaryDataDir ? resolved.report.dataDir : null;
    this.spawnInput = {
      ...base,
      launcher: resolved.launcher,
      execArgv: [...resolved.execArgv, ...base.execArgv],
      env: { ...base.env, ...resolved.env },
    };
    this.logger.debug(
      { pluginKey: this.pluginKey, sandbox: resolved.report, launcher: resolved.launcher },
      `Worker for plugin "${this.pluginKey}": ${resolved.report.sandboxed ? "sandboxed" : "NOT sandboxed"}`,
    );
  }

  private async performStop(): Promise<void> {
    this.desired = "stopped";
    clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
    this.nextRestartAt = null;
    this.rejectCycle(
      workerUnavailable(`Worker for plugin "${this.pluginKey}" was stopped before it became ready`),
    );
    const proc = this.proc;
    if (proc && !proc.failure) await this.shutdownProcess(proc);
    while (this.recovering) await this.recovering;
    if (this.temporaryDataDir) await tidyTemporaryDataDir(this.temporaryDataDir);
    this.setStatus("stopped");
  }

  private joinCycle(): Promise<void> {
    if (!this.cycle) {
      let resolve!: () => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // Marked handled here; every caller of start() still receives the rejection.
      promise.catch(() => {});
      this.cycle = { promise, resolve, reject };
    }
    return this.cycle.promise;
  }

  private resolveCycle(): void {
    this.cycle?.resolve();
    this.cycle = null;
  }

  private rejectCycle(error: Error): void {
    this.cycle?.reject(error);
    this.cycle = null;
  }

  // ── one start attempt ───────────────────────────────────────────────────────────────────────

  private async launch(): Promise<void> {
    this.nextRestartAt = null;
    const generation = ++this.generation;
    this.setStatus("starting");
    if (this.options.beforeSpawn) {
      try {
        await this.options.beforeSpawn();
      } catch (error) {
        if (generation === this.generation && this.desired === "running") this.refuseStart(errorText(error));
        return;
      }
      // Stopped (or started afresh) while the check ran.
      if (generation !== this.generation || this.desired !== "running") return;
    }
    let proc: WorkerProcess;
    try {
      proc = this.spawnProcess();
    } catch (error) {
      this.lastError = `Worker for plugin "${this.pluginKey}" could not be started: ${errorText(error)}`;
      this.setStatus("crashed");
      this.trackRecovery(this.recover(null, `could not be started: ${errorText(error)}`, "spawn_error"));
      return;
    }
    this.proc = proc;
    await this.announceWorkerStarted(proc);
    if (!this.isCurrent(proc)) return;

    let result: unknown;
    // initialize runs as an instance-scope invocation: calls setup() makes carry its id on current SDKs, which
    // tells the host early that this worker attributes its calls itself (runtime/one-at-a-time.ts).
    const setupInvocation = this.options.beginSetupInvocation?.();
    try {
      result = await proc.peer.call("initialize", this.initializeParams(), {
        timeoutMs: this.settings.timeouts.initializeMs,
        envelope: setupInvocation ? { paperclipInvocation: setupInvocation.envelope } : undefined,
      });
    } catch (error) {
      // WORKER_UNAVAILABLE means the process went away; its exit (or closed pipe) is reported by
      // WorkerProcess with the better reason, e.g. the exit code.
      const lostProcess = (error as { code?: unknown }).code === PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE;
      if (this.isCurrent(proc) && !lostProcess) {
        this.onProcessFailure(proc, { kind: "initialize", message: errorText(error) });
      }
      return;
    } finally {
      setupInvocation?.end();
    }
    if (!this.isCurrent(proc)) return;
    if (!isRecord(result) || result.ok !== true) {
      const answer = JSON.stringify(result) ?? String(result);
      this.onProcessFailure(proc, {
        kind: "initialize",
        message: `initialize answered ${answer.slice(0, 200)} instead of {"ok":true}`,
      });
      return;
    }
    proc.initialized = true;
    proc.readyAt = Date.now();
    this.spawnToReadyMs = performance.now() - proc.spawnedAtHr;
    this.supportedMethods = Array.isArray(result.supportedMethods)
      ? result.supportedMethods.filter((method): method is string => typeof method === "string")
      : [];
    this.setStatus("running");
    this.resolveCycle();
    this.scheduleHealthPing(proc);
    this.scheduleStableReset(proc);
  }

  private spawnProcess(): WorkerProcess {
    return new WorkerProcess({
      pluginKey: this.pluginKey,
      generation: this.generation,
      spawn: this.spawnInput,
      limits: this.settings.limits,
      logger: this.logger,
      counters: this.counters,
      handleWorkerRequest: this.options.handleWorkerRequest,
      handleWorkerNotification: this.options.handleWorkerNotification,
      onStderrLine: this.onStderrLine,
      onFailure: this.onProcessFailure,
    });
  }

  /** Before `initialize`: the host drops registrations of the previous process, so setup() re-creates them once. */
  private async announceWorkerStarted(proc: WorkerProcess): Promise<void> {
    const info: WorkerStartedInfo = { pluginId: this.pluginId, pid: proc.pid, generation: proc.generation };
    try {
      this.emit("workerStarted", info);
      await this.options.onWorkerStarted?.(info);
    } catch (error) {
      this.logger.error(
        { pluginKey: this.pluginKey, error: errorText(error) },
        `workerStarted handler for plugin "${this.pluginKey}" failed: ${errorText(error)}`,
      );
    }
  }

  private initializeParams(): Record<string, unknown> {
    return {
      manifest: this.options.manifest,
      // Bootstrap config is empty by contract; company config is read with config.get.
      config: {},
      instanceInfo: { ...this.options.instanceInfo },
      apiVersion: this.options.manifest.apiVersion,
      databaseNamespace: this.options.databaseNamespace ?? null,
    };
  }

  private isCurrent(proc: WorkerProcess): boolean {
    return proc === this.proc && !proc.failure && !proc.stopRequested;
  }

  private isRunning(proc: WorkerProcess): boolean {
    return this.isCurrent(proc) && this.statusValue === "running";
  }

  // ── liveness ────────────────────────────────────────────────────────────────────────────────

  private scheduleHealthPing(proc: WorkerProcess): void {
    const interval = this.settings.timeouts.healthIntervalMs;
    if (interval <= 0) return;
    proc.healthTimer = setTimeout(() => void this.pingHealth(proc), interval);
    proc.healthTimer.unref();
  }

  private async pingHealth(proc: WorkerProcess): Promise<void> {
    proc.healthTimer = undefined;
    if (!this.isRunning(proc)) return;
    const timeoutMs = this.settings.timeouts.healthTimeoutMs;
    try {
      this.lastHealth = await proc.peer.call("health", {}, { timeoutMs });
      this.lastHealthAt = Date.now();
      proc.missedHealthPings = 0;
    } catch (error) {
      if (!this.isRunning(proc)) return;
      const code = (error as { code?: unknown }).code;
      if (code === PLUGIN_RPC_ERROR_CODES.TIMEOUT) {
        // While the host itself holds the worker's output back (request backlog), silence is ours.
        if (!proc.inbound.throttled) proc.missedHealthPings++;
        if (proc.missedHealthPings >= this.settings.crashPolicy.healthFailureThreshold) {
          this.onProcessFailure(proc, { kind: "hung", missedPings: proc.missedHealthPings, timeoutMs });
          return;
        }
      } else {
        // An error answer is still an answer: the worker is alive, its health handler is not happy.
        this.lastHealth = { error: { code: code ?? null, message: errorText(error) } };
        this.lastHealthAt = Date.now();
        proc.missedHealthPings = 0;
      }
    }
    if (this.isRunning(proc)) this.scheduleHealthPing(proc);
  }

  /** A worker that stays up after initialize has recovered: its next crash starts a new count. */
  private scheduleStableReset(proc: WorkerProcess): void {
    proc.stableTimer = setTimeout(() => {
      if (this.isRunning(proc)) this.consecutiveCrashes = 0;
    }, this.settings.crashPolicy.stableAfterMs);
    proc.stableTimer.unref();
  }

  // ── crashes ─────────────────────────────────────────────────────────────────────────────────

  private readonly onProcessFailure = (proc: WorkerProcess, failure: WorkerFailure): void => {
    if (proc.failure || proc.stopRequested || proc !== this.proc) return;
    proc.failure = failure;
    proc.clearTimers();
    // Every call in flight fails now, not when its own timeout expires; no new call is taken from here on.
    proc.closeConnection(`Worker for plugin "${this.pluginKey}" ${describeFailure(failure)}`);
    this.setStatus("crashed");
    this.trackRecovery(
      (async () => {
        // An exit's cause may be in the last stderr lines (V8's "heap out of memory"), still in the pipe.
        const explained = failure.kind === "exit" ? await proc.explainExit(failure) : failure;
        const reason = describeFailure(explained);
        const message = `Worker for plugin "${this.pluginKey}" ${reason}`;
        this.lastError = message;
        this.logger.error({ pluginKey: this.pluginKey, pid: proc.pid, failure: explained }, message);
        await this.recover(proc, reason, crashCause(explained));
      })(),
    );
  };

  private trackRecovery(recovery: Promise<void>): void {
    this.recovering = recovery;
    void recovery.finally(() => {
      if (this.recovering === recovery) this.recovering = null;
    });
  }

  /** Reap the dead (or deaf, or hung) process, count the crash, then restart later or give up. */
  private async recover(proc: WorkerProcess | null, reason: string, cause: WorkerCrashCause): Promise<void> {
    if (proc) {
      await killAndReap(proc, this.pluginKey, this.settings.timeouts.sigkillWaitMs, this.logger);
      this.noteExit(proc);
      if (this.proc === proc) this.proc = null;
    }
    this.consecutiveCrashes++;
    this.totalCrashes++;
    this.lastCrashAt = Date.now();
    const policy = this.settings.crashPolicy;

    if (this.desired !== "running") {
      this.setStatus("stopped");
      this.emitCrash(reason, cause, null);
      return;
    }
    if (!policy.autoRestart || this.consecutiveCrashes >= policy.maxConsecutiveCrashes) {
      this.desired = "stopped";
      this.emitCrash(reason, cause, null);
      if (policy.autoRestart) {
        this.giveUp(reason);
      } else {
        this.rejectCycle(workerUnavailable(`Worker for plugin "${this.pluginKey}" ${reason}`));
      }
      return;
    }
    const delay = restartDelayMs(this.consecutiveCrashes, policy, this.random);
    this.nextRestartAt = Date.now() + delay;
    this.setStatus("backoff");
    this.emitCrash(reason, cause, delay);
    this.backoffTimer = setTimeout(() => {
      this.backoffTimer = undefined;
      if (this.desired === "running" && this.statusValue === "backoff") void this.launch();
    }, delay);
  }

  private giveUp(reason: string): void {
    this.gaveUp = true;
    const stderrTail = this.stderrTail.lines();
    const lastLines = stderrTail.slice(-10);
    const message =
      `Worker for plugin "${this.pluginKey}" crashed ${this.consecutiveCrashes} times in a row; ` +
      `not restarting. Last failure: ${reason}` +
      (lastLines.length > 0 ? `\nLast stderr lines:\n${lastLines.join("\n")}` : "");
    this.lastError = message;
    const info: WorkerGaveUpInfo = {
      pluginId: this.pluginId,
      reason,
      consecutiveCrashes: this.consecutiveCrashes,
      stderrTail,
      message,
    };
    this.logger.error({ pluginKey: this.pluginKey, consecutiveCrashes: this.consecutiveCrashes }, message);
    this.rejectCycle(workerUnavailable(message, { status: "crashed", stderrTail }));
    this.emitSafely("gaveUp", info, this.options.onGaveUp);
  }

  /** beforeSpawn said no: no process, no retry; the owner hears it as a give-up with that reason. */
  private refuseStart(message: string): void {
    this.desired = "stopped";
    this.gaveUp = true;
    this.lastError = message;
    this.setStatus("stopped");
    this.logger.error(
      { pluginKey: this.pluginKey },
      `Worker for plugin "${this.pluginKey}" not started: ${message}`,
    );
    this.rejectCycle(workerUnavailable(message, { status: "stopped" }));
    const info: WorkerGaveUpInfo = {
      pluginId: this.pluginId,
      reason: message,
      consecutiveCrashes: this.consecutiveCrashes,
      stderrTail: this.stderrTail.lines(),
      message,
    };
    this.emitSafely("gaveUp", info, this.options.onGaveUp);
  }

  private emitCrash(reason: string, cause: WorkerCrashCause, restartDelay: number | null): void {
    const info: WorkerCrashInfo = {
      pluginId: this.pluginId,
      reason,
      cause,
      exitCode: this.lastExitCode,
      signal: this.lastSignal,
      consecutiveCrashes: this.consecutiveCrashes,
      totalCrashes: this.totalCrashes,
      willRestart: restartDelay !== null,
      restartDelayMs: restartDelay,
      nextRestartAt: this.nextRestartAt,
      stderrTail: this.stderrTail.lines(),
    };
    this.emitSafely("crash", info, this.options.onCrash);
  }

  // ── graceful stop ───────────────────────────────────────────────────────────────────────────

  private async shutdownProcess(proc: WorkerProcess): Promise<void> {
    this.setStatus("stopping");
    await shutdownWorkerProcess(proc, this.pluginKey, this.settings.timeouts, this.logger);
    this.noteExit(proc);
    if (this.proc === proc) this.proc = null;
  }

  // ── small helpers ───────────────────────────────────────────────────────────────────────────

  private noteExit(proc: WorkerProcess): void {
    if (!proc.exitStatus) return;
    this.lastExitCode = proc.exitStatus.code;
    this.lastSignal = proc.exitStatus.signal;
  }

  private notRunningError(): Error {
    return workerUnavailable(
      `Worker for plugin "${this.pluginKey}" is not running (status: ${this.statusValue})`,
      {
        status: this.statusValue,
      },
    );
  }

  private setStatus(next: WorkerStatus): void {
    const from = this.statusValue;
    if (from === next) return;
    this.statusValue = next;
    this.logger.debug(
      { pluginKey: this.pluginKey, from, to: next },
      `Worker for plugin "${this.pluginKey}": ${from} → ${next}`,
    );
    this.emitSafely("statusChange", { pluginId: this.pluginId, from, to: next }, this.options.onStatusChange);
  }

  private readonly onStderrLine = (line: string): void => {
    this.stderrTail.push(line);
    if (!this.stderrRate.admit()) return;
    if (this.options.logStderr !== false) {
      this.logger.warn(
        { pluginKey: this.pluginKey, stream: "stderr" },
        `[plugin ${this.pluginKey} stderr] ${line}`,
      );
    }
    this.emitSafely("stderrLine", line, this.options.onStderrLine);
  };

  /** Listener errors are logged, never allowed to break supervision. */
  private emitSafely<K extends keyof WorkerSupervisorEvents>(
    event: K,
    payload: WorkerSupervisorEvents[K][0],
    callback: ((payload: WorkerSupervisorEvents[K][0]) => void) | undefined,
  ): void {
    const emitUntyped = this.emit.bind(this) as (name: string, value: unknown) => boolean;
    for (const notify of [() => callback?.(payload), () => emitUntyped(event, payload)]) {
      try {
        notify();
      } catch (error) {
        this.logger.error(
          { pluginKey: this.pluginKey, event, error: errorText(error) },
          `A "${event}" listener of plugin "${this.pluginKey}" failed: ${errorText(error)}`,
        );
      }
    }
  }
}

export function createWorkerSupervisor(options: WorkerSupervisorOptions): WorkerSupervisor {
  return new WorkerSupervisor(options);
}
