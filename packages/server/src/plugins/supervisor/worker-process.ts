/**
 * One spawned worker process and its RPC connection. It reports what happens to the process
 * (exit, broken pipes) to its owner; the WorkerSupervisor decides what that means.
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { performance } from "node:perf_hooks";
import { PLUGIN_RPC_ERROR_CODES, RpcPeer } from "@paperclipai/plugin-sdk/protocol";
import { toRpc } from "../../errors.js";
import { errorText } from "./errors.js";
import { type InboundCounters, WorkerInbound } from "./inbound.js";
import { MemoryWatch, residentLimitMbFor } from "./memory-watch.js";
import { heapLimitMbOf, type SpawnWorkerInput, spawnWorker } from "./spawn.js";
import { StderrSplitter } from "./stderr.js";
import type {
  FloodLimits,
  SupervisorLogger,
  WorkerCrashCause,
  WorkerNotificationHandler,
  WorkerRequestHandler,
} from "./types.js";

/** Above this much unwritten host→worker output the peer stops reading the worker. */
const MAX_BUFFERED_OUTPUT_BYTES = 16 * 1024 * 1024;
/** After stdout closes, how long to wait for the exit status before reporting the closed pipe. */
const EXIT_AFTER_STDOUT_CLOSE_MS = 250;
/** After the exit, how long to wait for the rest of stderr (it may name the cause, e.g. out of memory). */
const STDERR_AFTER_EXIT_MS = 250;
/** What V8 writes to stderr when a heap limit is hit (then it aborts the process). */
const OUT_OF_MEMORY_LINE = /heap out of memory|Reached heap limit|Allocation failed - process out of memory/i;

/** Why a worker is no longer usable. */
export type WorkerFailure =
  | {
      kind: "exit";
      code: number | null;
      signal: NodeJS.Signals | null;
      /** V8 reported running out of heap on stderr before the exit. */
      outOfMemory?: boolean;
      /** The heap cap the worker ran with (MB), when it had one. */
      heapLimitMb?: number | null;
    }
  | { kind: "spawn-error"; message: string }
  | { kind: "stdout-closed" }
  | { kind: "stdin-error"; message: string }
  | { kind: "hung"; missedPings: number; timeoutMs: number }
  | { kind: "initialize"; message: string }
  | { kind: "memory"; residentMb: number; limitMb: number };

export function describeFailure(failure: WorkerFailure): string {
  switch (failure.kind) {
    case "exit": {
      const how = failure.signal ? `signal ${failure.signal}` : `code ${failure.code}`;
      if (failure.outOfMemory) {
        return failure.heapLimitMb
          ? `ran out of memory: exceeded the ${failure.heapLimitMb} MB heap limit and was aborted by V8 (${how}); ` +
              "raise the plugin's memoryLimitMb if it really needs more"
          : `ran out of memory: the JavaScript heap is full and V8 aborted it (${how})`;
      }
      return `exited unexpectedly (${how})`;
    }
    case "spawn-error":
      return `could not be started: ${failure.message}`;
    case "stdout-closed":
      return "closed its stdout while still running";
    case "stdin-error":
      return `stopped reading its stdin (${failure.message})`;
    case "hung":
      return `is hung: ${failure.missedPings} health pings in a row got no answer within ${failure.timeoutMs}ms`;
    case "initialize":
      return `failed to initialize: ${failure.message}`;
    case "memory":
      return (
        `ran out of memory: its process used ${failure.residentMb} MB (resident), over its ${failure.limitMb} MB cap ` +
        "(twice the heap limit plus 128 MB), and was killed; raise the plugin's memoryLimitMb if it really needs more"
      );
  }
}

/** The kind of a failure, as crash reports and the activity log name it. */
export function crashCause(failure: WorkerFailure): WorkerCrashCause {
  switch (failure.kind) {
    case "exit":
      return failure.outOfMemory ? "out_of_memory" : "exit";
    case "spawn-error":
      return "spawn_error";
    case "stdout-closed":
      return "stdout_closed";
    case "stdin-error":
      return "stdin_error";
    case "hung":
      return "hung";
    case "initialize":
      return "initialize";
    case "memory":
      return "out_of_memory";
  }
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface WorkerProcessOptions {
  pluginKey: string;
  generation: number;
  spawn: SpawnWorkerInput;
  limits: FloodLimits;
  logger: SupervisorLogger;
  counters: InboundCounters;
  handleWorkerRequest: WorkerRequestHandler | undefined;
  handleWorkerNotification: WorkerNotificationHandler | undefined;
  onStderrLine(line: string): void;
  /** Something went wrong that the process did not announce through `shutdown`. */
  onFailure(process: WorkerProcess, failure: WorkerFailure): void;
}

export class WorkerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly peer: RpcPeer;
  readonly inbound: WorkerInbound;
  readonly generation: number;
  /** Epoch ms of the spawn. */
  readonly spawnedAt = Date.now();
  /** High-resolution spawn time, for spawn→ready measurements. */
  readonly spawnedAtHr = performance.now();
  /** Resolves once the process is gone (or never started). */
  readonly exited: Promise<ExitStatus>;
  exitStatus: ExitStatus | null = null;
  /** Set by a deliberate stop: exits and closed pipes after it are expected. */
  stopRequested = false;
  /** The first failure seen; later ones are consequences of it. */
  failure: WorkerFailure | null = null;
  initialized = false;
  readyAt: number | null = null;
  healthTimer: NodeJS.Timeout | undefined;
  stableTimer: NodeJS.Timeout | undefined;
  missedHealthPings = 0;
  /** V8 wrote its out-of-memory line to stderr. */
  outOfMemory = false;
  /** The heap cap this process runs with (MB), or null for none. */
  readonly heapLimitMb: number | null;
  /** The cap on the whole process's resident memory (MB), or null for none (memory-watch.ts). */
  readonly residentLimitMb: number | null;
  private memoryWatch: MemoryWatch | null = null;

  private resolveExited!: (status: ExitStatus) => void;
  private readonly options: WorkerProcessOptions;
  private readonly stderr: StderrSplitter;
  private stderrEnded = false;
  private readonly stderrDone: Promise<void>;
  private resolveStderrDone!: () => void;

  constructor(options: WorkerProcessOptions) {
    this.options = options;
    this.generation = options.generation;
    this.exited = new Promise((resolve) => {
      this.resolveExited = resolve;
    });
    this.heapLimitMb = heapLimitMbOf(options.spawn.execArgv);
    this.stderrDone = new Promise((resolve) => {
      this.resolveStderrDone = resolve;
    });
    this.stderr = new StderrSplitter({
      maxLineChars: options.limits.maxStderrLineChars,
      onLine: (line) => {
        if (!this.outOfMemory && OUT_OF_MEMORY_LINE.test(line)) this.outOfMemory = true;
        options.onStderrLine(line);
      },
    });
    this.child = spawnWorker(options.spawn);
    this.residentLimitMb = residentLimitMbFor(this.heapLimitMb);
    if (this.residentLimitMb !== null && this.child.pid !== undefined) {
      const limitMb = this.residentLimitMb;
      this.memoryWatch = new MemoryWatch(this.child.pid, limitMb, (residentMb) =>
        this.fail({ kind: "memory", residentMb, limitMb }),
      );
    }
    this.child.on("error", this.onChildError);
    this.child.on("exit", this.onChildExit);
    this.child.stderr.on("data", (chunk: Buffer) => this.stderr.push(chunk));
    this.child.stderr.on("end", this.onStderrEnd);
    this.child.stderr.on("close", this.onStderrEnd);
    this.child.stderr.on("error", () => {});
    this.child.stdout.on("error", () => {});
    // Registered before the peer's own listener so calls in flight fail with a message naming the plugin.
    this.child.stdout.on("end", this.onStdoutClosed);
    this.child.stdout.on("close", this.onStdoutClosed);

    this.inbound = new WorkerInbound({
      pluginKey: options.pluginKey,
      limits: options.limits,
      logger: options.logger,
      counters: options.counters,
      handleWorkerRequest: options.handleWorkerRequest,
      handleWorkerNotification: options.handleWorkerNotification,
      pauseInput: () => this.child.stdout.pause(),
      resumeInput: () => {
        // Above the peer's threshold the peer has paused input itself and resumes it on drain.
        if (this.peer.bufferedOutputBytes <= MAX_BUFFERED_OUTPUT_BYTES) this.child.stdout.resume();
      },
    });
    this.peer = new RpcPeer({
      input: this.child.stdout,
      output: this.child.stdin,
      onRequest: this.inbound.onRequest,
      onNotification: this.inbound.onNotification,
      onInvalidMessage: this.inbound.onInvalidMessage,
      // Every error a host handler throws reaches the worker through the host's one mapping (src/errors.ts).
      toRpcError: toRpc,
      onUnknownResponse: (response) =>
        options.logger.debug(
          { pluginKey: options.pluginKey, id: response.id },
          `Ignored a response from plugin "${options.pluginKey}" to no call in flight (late after a timeout?)`,
        ),
      onOutputError: (error) => this.fail({ kind: "stdin-error", message: errorText(error) }),
      maxLineBytes: options.limits.maxLineBytes,
      maxBufferedOutputBytes: MAX_BUFFERED_OUTPUT_BYTES,
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True until the process has exited (or failed to start). */
  get alive(): boolean {
    return this.exitStatus === null;
  }

  kill(signal: NodeJS.Signals): void {
    if (!this.alive) return;
    try {
      this.child.kill(signal);
    } catch (error) {
      this.options.logger.warn(
        { pluginKey: this.options.pluginKey, signal, error: errorText(error) },
        `Could not send ${signal} to the worker of plugin "${this.options.pluginKey}": ${errorText(error)}`,
      );
    }
  }

  /** Wait for the exit, at most `ms`. True when the process is gone. */
  async waitForExit(ms: number): Promise<boolean> {
    if (!this.alive) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    return !this.alive;
  }

  clearTimers(): void {
    clearTimeout(this.healthTimer);
    clearTimeout(this.stableTimer);
    this.healthTimer = undefined;
    this.stableTimer = undefined;
  }

  /** Close the connection; every call in flight fails with WORKER_UNAVAILABLE and `message`. */
  closeConnection(message: string): void {
    this.inbound.dispose();
    this.peer.failPending(PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE, message);
    this.peer.close(message);
  }

  private fail(failure: WorkerFailure): void {
    if (this.stopRequested) return;
    this.options.onFailure(this, failure);
  }

  private settleExit(status: ExitStatus): void {
    if (this.exitStatus) return;
    this.exitStatus = status;
    this.resolveExited(status);
  }

  private readonly onStderrEnd = (): void => {
    if (this.stderrEnded) return;
    this.stderrEnded = true;
    this.stderr.flush();
    this.resolveStderrDone();
  };

  private readonly onChildExit = (code: number | null, signal: NodeJS.Signals | null): void => {
    this.memoryWatch?.stop();
    this.settleExit({ code, signal });
    this.fail({ kind: "exit", code, signal, heapLimitMb: this.heapLimitMb });
  };

  /**
   * The exit with its cause when stderr names one: waits for the rest of stderr (at most 250 ms after the exit),
   * where V8 writes "heap out of memory" before it aborts the process.
   */
  async explainExit(failure: Extract<WorkerFailure, { kind: "exit" }>): Promise<WorkerFailure> {
    if (!this.stderrEnded) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.stderrDone,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, STDERR_AFTER_EXIT_MS);
        }),
      ]);
      clearTimeout(timer);
    }
    return { ...failure, outOfMemory: this.outOfMemory, heapLimitMb: this.heapLimitMb };
  }

  private readonly onChildError = (error: Error): void => {
    if (this.child.pid === undefined) {
      // The spawn itself failed: there is no process and no "exit" is guaranteed.
      this.settleExit({ code: null, signal: null });
      this.fail({ kind: "spawn-error", message: error.message });
      return;
    }
    this.options.logger.warn(
      { pluginKey: this.options.pluginKey, error: error.message },
      `Worker process of plugin "${this.options.pluginKey}" reported an error: ${error.message}`,
    );
  };

  private stdoutClosed = false;

  private readonly onStdoutClosed = (): void => {
    if (this.stdoutClosed) return;
    this.stdoutClosed = true;
    const key = this.options.pluginKey;
    const message = this.stopRequested
      ? `Worker for plugin "${key}" was stopped`
      : `Worker for plugin "${key}" is unavailable: its output closed`;
    this.peer.failPending(PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE, message);
    if (this.stopRequested) return;
    // Usually the exit follows at once and is the better explanation; a live process with a closed
    // stdout can never answer again and counts as a crash.
    void this.waitForExit(EXIT_AFTER_STDOUT_CLOSE_MS).then((gone) => {
      if (!gone) this.fail({ kind: "stdout-closed" });
    });
  };
}
