/**
 * Everything a worker sends to the host that is not a response: requests routed to the injected
 * host handler, notifications, and stdout lines that are not JSON-RPC. This is also where a worker
 * that floods the host is throttled, so host memory stays bounded.
 */
import type { InvalidMessage, JsonRpcNotification, JsonRpcRequest } from "@paperclipai/plugin-sdk/protocol";
import { errorText, HostMethodNotFoundError } from "./errors.js";
import { RateWindow } from "./rate-window.js";
import type {
  FloodLimits,
  SupervisorLogger,
  WorkerNotificationHandler,
  WorkerRequestHandler,
} from "./types.js";

/** Counters that outlive one process (diagnostics show totals since the supervisor was created). */
export interface InboundCounters {
  droppedNotifications: number;
  ignoredStdoutLines: number;
}

export interface WorkerInboundOptions {
  pluginKey: string;
  limits: FloodLimits;
  logger: SupervisorLogger;
  counters: InboundCounters;
  handleWorkerRequest: WorkerRequestHandler | undefined;
  handleWorkerNotification: WorkerNotificationHandler | undefined;
  /** Stop reading the worker's stdout (the kernel pipe then blocks the worker's writes). */
  pauseInput(): void;
  /** Resume reading, unless the RPC peer is holding input back for its own output back-pressure. */
  resumeInput(): void;
}

interface QueuedRequest {
  method: string;
  params: unknown;
  message: JsonRpcRequest;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class WorkerInbound {
  private readonly notificationRate: RateWindow;
  private readonly noiseLogRate: RateWindow;
  /** Host handlers running now; never more than maxPendingWorkerRequests. */
  private running = 0;
  /** Requests already parsed while input was being paused (at most about one pipe chunk's worth). */
  private readonly queued: QueuedRequest[] = [];
  private backlogged = false;
  private disposed = false;

  constructor(private readonly options: WorkerInboundOptions) {
    this.notificationRate = new RateWindow(options.limits.maxMessagesPerSecond);
    this.noiseLogRate = new RateWindow(options.limits.maxNoiseLogsPerSecond);
  }

  /** Worker→host requests not answered yet (running or waiting for a slot). */
  get pendingRequests(): number {
    return this.running + this.queued.length;
  }

  /** True while stdout reading is paused because too many worker requests are in progress. */
  get throttled(): boolean {
    return this.backlogged;
  }

  /** The worker is gone: queued requests are never started (nobody could receive their answers). */
  dispose(): void {
    this.disposed = true;
    this.queued.length = 0;
  }

  readonly onRequest = (method: string, params: unknown, message: JsonRpcRequest): unknown => {
    const handler = this.options.handleWorkerRequest;
    if (!handler) throw new HostMethodNotFoundError(method);
    if (this.running < this.options.limits.maxPendingWorkerRequests) return this.run(method, params, message);
    // Delay rather than refuse: stop reading until the host catches up. The worker's own writes then
    // block on the full pipe, so the backlog lives in the worker, not in host memory.
    if (!this.backlogged) {
      this.backlogged = true;
      this.options.logger.warn(
        { pluginKey: this.options.pluginKey, pendingWorkerRequests: this.pendingRequests },
        `Worker for plugin "${this.options.pluginKey}" has ${this.pendingRequests} requests in progress ` +
          `(limit ${this.options.limits.maxPendingWorkerRequests}); pausing its input until the host catches up`,
      );
    }
    this.options.pauseInput();
    return new Promise((resolve, reject) => this.queued.push({ method, params, message, resolve, reject }));
  };

  private run(method: string, params: unknown, message: JsonRpcRequest): Promise<unknown> {
    this.running++;
    let outcome: unknown;
    try {
      outcome = this.options.handleWorkerRequest?.(method, params, message);
    } catch (error) {
      outcome = Promise.reject(error);
    }
    return Promise.resolve(outcome).finally(this.release);
  }

  readonly onNotification = (method: string, params: unknown, message: JsonRpcNotification): void => {
    if (!this.notificationRate.admit(this.reportDropped)) {
      this.options.counters.droppedNotifications++;
      if (this.notificationRate.refusedInWindow === 1) {
        this.options.logger.warn(
          {
            pluginKey: this.options.pluginKey,
            method,
            limitPerSecond: this.options.limits.maxMessagesPerSecond,
          },
          `Worker for plugin "${this.options.pluginKey}" sent more than ` +
            `${this.options.limits.maxMessagesPerSecond} notifications in one second; dropping the excess`,
        );
      }
      return;
    }
    const handler = this.options.handleWorkerNotification;
    if (!handler) {
      this.options.logger.debug(
        { pluginKey: this.options.pluginKey, method },
        `No host handler for worker notification "${method}"; ignored`,
      );
      return;
    }
    try {
      handler(method, params, message);
    } catch (error) {
      this.options.logger.error(
        { pluginKey: this.options.pluginKey, method, error: errorText(error) },
        `Host handler for worker notification "${method}" failed: ${errorText(error)}`,
      );
    }
  };

  /** Stray console.log output, truncated or oversize lines: logged (rate-limited) and counted, never fatal. */
  readonly onInvalidMessage = (problem: InvalidMessage): void => {
    this.options.counters.ignoredStdoutLines++;
    if (!this.noiseLogRate.admit()) return;
    this.options.logger.warn(
      { pluginKey: this.options.pluginKey, problem: problem.message, code: problem.code },
      `Ignored a line on the stdout of plugin "${this.options.pluginKey}" that is not JSON-RPC: ${problem.message}`,
    );
  };

  private readonly reportDropped = (refused: number): void => {
    this.options.logger.warn(
      { pluginKey: this.options.pluginKey, dropped: refused },
      `Dropped ${refused} notifications from plugin "${this.options.pluginKey}" in one second ` +
        `(limit ${this.options.limits.maxMessagesPerSecond}/s)`,
    );
  };

  private readonly release = (): void => {
    this.running--;
    const next = this.disposed ? undefined : this.queued.shift();
    if (next) {
      this.run(next.method, next.params, next.message).then(next.resolve, next.reject);
      return;
    }
    if (this.backlogged && this.running <= Math.floor(this.options.limits.maxPendingWorkerRequests / 2)) {
      this.backlogged = false;
      this.options.resumeInput();
    }
  };
}
