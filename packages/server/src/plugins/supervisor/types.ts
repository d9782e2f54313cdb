/**
 * Public shapes of the worker supervisor: its options, statuses, events and diagnostics.
 * Kept apart from the implementation so host code can depend on the contract alone.
 */
import type {
  JsonRpcInvocationContext,
  JsonRpcNotification,
  JsonRpcRequest,
} from "@paperclipai/plugin-sdk/protocol";
import type { WorkerSandboxReport, WorkerSandboxSettings } from "../sandbox/types.js";

/** Process status of one plugin's worker (reference §12.2). */
export type WorkerStatus = "stopped" | "starting" | "running" | "stopping" | "crashed" | "backoff";

/** The part of a plugin manifest the supervisor needs; the whole manifest is passed to `initialize`. */
export interface WorkerManifest {
  id: string;
  apiVersion: number;
  [field: string]: unknown;
}

/** Instance metadata sent in `initialize.params.instanceInfo`. */
export interface WorkerInstanceInfo {
  instanceId: string;
  hostVersion: string;
  deploymentMode: string;
  deploymentExposure: string;
}

type LogMethod = (fields: Record<string, unknown>, message: string) => void;

/** pino-compatible logger (the host passes a child logger). */
export interface SupervisorLogger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

/**
 * Answers a worker→host request. Return the result or a promise of it. Throw `HostMethodNotFoundError`
 * for methods the host does not serve. Errors reach the worker through src/errors.ts `toRpc`: plugin and
 * standard JSON-RPC codes are kept, a DomainError is INTERNAL_ERROR (-32603) with its code in `data.code`,
 * anything else INTERNAL_ERROR.
 */
export type WorkerRequestHandler = (method: string, params: unknown, message: JsonRpcRequest) => unknown;

/** Receives a worker→host notification (`log`, `streams.emit`, …). */
export type WorkerNotificationHandler = (
  method: string,
  params: unknown,
  message: JsonRpcNotification,
) => void;

export interface SupervisorTimeouts {
  /** `initialize` round trip, including the plugin's setup(). Default 15 000. */
  initializeMs: number;
  /** Host→worker calls without a per-method or per-call timeout. Default 30 000. */
  defaultCallMs: number;
  /** `shutdown` RPC raced with the process exiting. Default 10 000. */
  shutdownMs: number;
  /** Extra wait for the exit after the worker answered `shutdown`. Default 500. */
  exitGraceMs: number;
  /** Wait after SIGTERM before SIGKILL. Default 5 000. */
  sigtermGraceMs: number;
  /** Wait for the exit after SIGKILL. Default 2 000. */
  sigkillWaitMs: number;
  /** Time between `health` pings while running; 0 turns liveness pings off. Default 15 000. */
  healthIntervalMs: number;
  /** Deadline of one `health` ping. Default 5 000. */
  healthTimeoutMs: number;
}

export interface CrashPolicy {
  /** Restart after an unexpected exit. Default true. */
  autoRestart: boolean;
  /** Stop restarting after this many crashes in a row. Default 5. */
  maxConsecutiveCrashes: number;
  /** Delay before restart n is `backoffBaseMs × 2^(n−1)`. Default 1 000. */
  backoffBaseMs: number;
  /** Ceiling of the restart delay. Default 300 000 (5 min). */
  backoffMaxMs: number;
  /** Random spread of each delay, as a fraction (0.25 = ±25 %). Default 0.25. */
  backoffJitter: number;
  /** A worker that stays up this long after `initialize` resets the consecutive-crash counter. Default 60 000. */
  stableAfterMs: number;
  /** Consecutive `health` timeouts that mark the worker hung. Default 2. */
  healthFailureThreshold: number;
}

export interface FloodLimits {
  /** Worker→host notifications accepted per second; the excess is dropped and counted. Default 20 000. */
  maxMessagesPerSecond: number;
  /** Worker→host requests in progress before the host stops reading the worker's stdout. Default 4 096. */
  maxPendingWorkerRequests: number;
  /** Longest stdout line accepted; longer lines are dropped with a log line. Default 16 MiB. */
  maxLineBytes: number;
  /** Lines of stderr kept for diagnostics and crash reports. Default 50. */
  stderrTailLines: number;
  /** Longer stderr lines are cut to this many characters. Default 4 096. */
  maxStderrLineChars: number;
  /** Stderr lines per second passed to the logger and `onStderrLine`; the tail keeps all. Default 1 000. */
  maxStderrLinesPerSecond: number;
  /** Non-JSON-RPC stdout lines logged per second (the rest are only counted). Default 20. */
  maxNoiseLogsPerSecond: number;
}

/** What the worker process environment is built from (reference §12.2). */
export interface WorkerEnvironmentOptions {
  /** Host environment PATH and NODE_PATH are read from. Default `process.env`. */
  hostEnv?: NodeJS.ProcessEnv;
  /** Default: the host's NODE_ENV, else "production". */
  nodeEnv?: string;
  /** Default: the host's TZ, else "UTC". */
  tz?: string;
  /** Default: the host's NODE_PATH, if any. */
  nodePath?: string;
}

export interface WorkerStartedInfo {
  pluginId: string;
  pid: number | undefined;
  /** 1 for the first process of this supervisor, then one more per spawn. */
  generation: number;
}

/** What kind of failure a crash was (`reason` says it in words). */
export type WorkerCrashCause =
  | "exit"
  | "out_of_memory"
  | "hung"
  | "spawn_error"
  | "stdout_closed"
  | "stdin_error"
  | "initialize";

export interface WorkerCrashInfo {
  pluginId: string;
  /** Why the worker is considered crashed, e.g. `exited unexpectedly (code 1)`. */
  reason: string;
  cause: WorkerCrashCause;
  exitCode: number | null;
  signal: string | null;
  consecutiveCrashes: number;
  totalCrashes: number;
  willRestart: boolean;
  /** The delay chosen for the next start, when one is scheduled. */
  restartDelayMs: number | null;
  nextRestartAt: number | null;
  stderrTail: string[];
}

export interface WorkerGaveUpInfo {
  pluginId: string;
  /** The last crash's reason. */
  reason: string;
  consecutiveCrashes: number;
  stderrTail: string[];
  /** One text for the plugin's `lastError`: reason plus the last stderr lines. */
  message: string;
}

export interface WorkerStatusChange {
  pluginId: string;
  from: WorkerStatus;
  to: WorkerStatus;
}

export interface WorkerSupervisorOptions {
  /** Plugin database id; becomes PAPERCLIP_PLUGIN_ID in the worker. */
  pluginId: string;
  manifest: WorkerManifest;
  /** Absolute path of the built worker JavaScript file. */
  entrypoint: string;
  /** The plugin package folder; the worker's working directory. */
  packageDir: string;
  instanceInfo: WorkerInstanceInfo;
  databaseNamespace?: string | null;
  /** Extra node flags, after the sandbox's own. */
  execArgv?: string[];
  /**
   * The worker's sandbox (plugins/sandbox): permission model, network namespace, data folder, grants. Default: on,
   * nothing granted, a temporary data folder. A function is called before every deliberate start, so a changed
   * grant applies on the next start or restart.
   */
  sandbox?: WorkerSandboxSettings | (() => Promise<WorkerSandboxSettings>);
  /**
   * Heap cap for the worker (`--max-old-space-size`, MB). Default 512 (DEFAULT_MEMORY_LIMIT_MB); 0 = no cap; a
   * `--max-old-space-size` in `execArgv` wins. A worker that dies of it is reported as out of memory.
   */
  memoryLimitMb?: number;
  environment?: WorkerEnvironmentOptions;
  timeouts?: Partial<SupervisorTimeouts>;
  /** Per-method host→worker timeouts (ms), e.g. `{ runJob: 600_000 }`. Default: runJob 5 min. */
  methodTimeouts?: Record<string, number>;
  crashPolicy?: Partial<CrashPolicy>;
  limits?: Partial<FloodLimits>;
  logger?: SupervisorLogger;
  handleWorkerRequest?: WorkerRequestHandler;
  handleWorkerNotification?: WorkerNotificationHandler;
  /**
   * Awaited before every spawn (first start, restart, restart after a crash). Throwing refuses the start for good,
   * without retries, with the error's message as the give-up reason: e.g. the package's files no longer match what
   * was installed (docs/supply-chain.md), which no retry can fix.
   */
  beforeSpawn?(): Promise<void>;
  /** Called (and awaited) after each spawn and before `initialize`: clear per-process registrations here. */
  onWorkerStarted?(info: WorkerStartedInfo): void | Promise<void>;
  /** The invocation `initialize` runs as (instance scope); ended when initialize settles. */
  beginSetupInvocation?(): { envelope: JsonRpcInvocationContext; end(): void };
  onStatusChange?(change: WorkerStatusChange): void;
  onCrash?(info: WorkerCrashInfo): void;
  onGaveUp?(info: WorkerGaveUpInfo): void;
  /** Each stderr line (rate-limited), e.g. to persist into plugin logs. */
  onStderrLine?(line: string): void;
  /**
   * Write each stderr line (rate-limited) to `logger` as a warning. Default true; the host turns it off because
   * its plugin log service mirrors stderr to the host log within the plugin's log caps.
   */
  logStderr?: boolean;
  /** Random source for jitter, in [0, 1). Default Math.random. */
  random?(): number;
}

export interface CallWorkerOptions {
  timeoutMs?: number;
  /** Sent as the `paperclipInvocation` envelope field. */
  invocation?: JsonRpcInvocationContext;
}

export interface NotifyWorkerOptions {
  invocation?: JsonRpcInvocationContext;
}

export interface WorkerDiagnostics {
  pluginId: string;
  status: WorkerStatus;
  pid: number | null;
  /** Epoch ms of the current process's spawn. */
  startedAt: number | null;
  /** Epoch ms of the current process's successful `initialize`. */
  readyAt: number | null;
  /** Spawn → initialize answered, of the last successful start (ms, high resolution). */
  spawnToReadyMs: number | null;
  uptimeMs: number | null;
  consecutiveCrashes: number;
  totalCrashes: number;
  /** True after the crash policy stopped restarting (the plugin belongs in status `error`). */
  gaveUp: boolean;
  pendingRequests: number;
  pendingWorkerRequests: number;
  lastCrashAt: number | null;
  nextRestartAt: number | null;
  lastExitCode: number | null;
  lastSignal: string | null;
  lastError: string | null;
  lastHealthAt: number | null;
  lastHealth: unknown;
  supportedMethods: string[];
  /** The worker's heap cap in MB (`--max-old-space-size`), or null for none. */
  heapLimitMb: number | null;
  /** Cap on the worker's whole resident memory (MB): twice the heap cap plus 128 MB; null for none (Linux only). */
  residentLimitMb: number | null;
  /** The sandbox of the latest start (null before the first). */
  sandbox: WorkerSandboxReport | null;
  /** `health` pings in a row the running worker has not answered (hung at `healthFailureThreshold`). */
  missedHealthPings: number;
  stderrTail: string[];
  droppedNotifications: number;
  ignoredStdoutLines: number;
}
