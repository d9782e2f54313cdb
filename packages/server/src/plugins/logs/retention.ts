// The retention job for plugin logs: runs shortly after start and then every `intervalMs`, deleting entries
// older than `retentionDays` (by the injected clock, so tests can move time forward), then each plugin's oldest
// entries beyond its stored-bytes cap (logMaxStoredBytes). The log writer also trims a plugin as soon as it has
// written an eighth of its cap since the last trim, so a busy plugin does not wait for the hourly run.
import type { Logger } from "pino";
import type { Clock } from "../../domain/actor.js";
import { systemClock } from "../../domain/actor.js";
import type { PluginLogService } from "./log-service.js";

export const DEFAULT_LOG_RETENTION_DAYS = 7;
export const DEFAULT_LOG_RETENTION_INTERVAL_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface LogRetentionOptions {
  retentionDays?: number;
  intervalMs?: number;
  /** First run after this delay. Default 10 s (min of it and intervalMs). */
  initialDelayMs?: number;
  clock?: Clock;
  logger?: Logger;
}

export class LogRetentionJob {
  readonly retentionDays: number;
  readonly intervalMs: number;
  private readonly clock: Clock;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | null = null;
  private stopped = true;
  /** Runs completed and rows they removed (diagnostics). */
  runs = 0;
  removed = 0;

  constructor(
    private readonly logs: PluginLogService,
    private readonly options: LogRetentionOptions = {},
  ) {
    this.retentionDays = options.retentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    if (!(this.retentionDays > 0))
      throw new Error(`Log retention must be a positive number of days (got ${this.retentionDays})`);
    this.intervalMs = options.intervalMs ?? DEFAULT_LOG_RETENTION_INTERVAL_MS;
    this.clock = options.clock ?? systemClock;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(Math.min(this.options.initialDelayMs ?? 10_000, this.intervalMs));
  }

  /** One pass now; returns the number of entries removed. */
  runOnce(): Promise<number> {
    this.running ??= (async () => {
      try {
        const cutoff = new Date(this.clock.now().getTime() - this.retentionDays * DAY_MS);
        const expired = await this.logs.deleteOlderThan(cutoff);
        const trimmed = await this.logs.trimAllToSize();
        const removed = expired + trimmed;
        this.runs++;
        this.removed += removed;
        if (expired > 0) {
          this.options.logger?.info(
            { removed: expired, cutoff: cutoff.toISOString() },
            `Removed ${expired} plugin log entries older than ${this.retentionDays} days`,
          );
        }
        if (trimmed > 0) {
          this.options.logger?.info(
            { removed: trimmed },
            `Removed ${trimmed} plugin log entries beyond their plugins' stored-bytes caps`,
          );
        }
        return removed;
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => 0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runOnce()
        .catch((error) =>
          this.options.logger?.warn({ err: error }, "Plugin log retention failed; will retry"),
        )
        .finally(() => this.schedule(this.intervalMs));
    }, delayMs);
    this.timer.unref();
  }
}
