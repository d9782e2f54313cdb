// The live counter behind the `counter` stream: one incrementing value per company that asked for it, emitted
// every tick on the company's channel, each emission made in the scope of that company's latest request.
import { AsyncResource } from "node:async_hooks";
import type { PluginContext } from "@paperclipai/plugin-sdk";

type PluginStreamsClient = PluginContext["streams"];

export const COUNTER_CHANNEL = "counter";

/** What the board receives on the `counter` channel. */
export interface CounterEvent {
  companyId: string;
  value: number;
  at: string;
}

export interface CompanyCountersOptions {
  /** Milliseconds between two emissions. Default 1 000. */
  tickMs?: number;
  /** A company that has not called `start` again for this long is closed. Default 15 000. */
  idleMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

type ScopedRunner = (work: () => void) => void;

interface Subscriber {
  value: number;
  lastSeen: number;
  /**
   * Runs work in the async context of the company's latest `start` call. The SDK stamps every message with
   * the invocation id of the current async context, so emissions from the shared timer reach the host as
   * part of that company's request (the host accepts them while the request runs and for a grace period
   * after it; the board's keep-alive renews it) instead of as unscoped instance-level messages.
   */
  runInScope: ScopedRunner;
}

export class CompanyCounters {
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly tickMs: number;
  private readonly idleMs: number;
  private readonly now: () => number;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** The company `ctx.streams` currently sends the channel to (the SDK keeps one company per channel). */
  private current: string | null = null;

  constructor(
    private readonly streams: () => PluginStreamsClient,
    options: CompanyCountersOptions = {},
  ) {
    this.tickMs = options.tickMs ?? 1_000;
    this.idleMs = options.idleMs ?? 15_000;
    this.now = options.now ?? Date.now;
  }

  /** Opens (or keeps alive) the company's stream; returns its current value. Call it from a request handler. */
  start(companyId: string): number {
    const runInScope: ScopedRunner = AsyncResource.bind((work: () => void) => work());
    const existing = this.subscribers.get(companyId);
    if (existing) {
      existing.lastSeen = this.now();
      existing.runInScope = runInScope;
      return existing.value;
    }
    const subscriber: Subscriber = { value: 0, lastSeen: this.now(), runInScope };
    this.subscribers.set(companyId, subscriber);
    this.send(companyId, subscriber);
    this.timer ??= setInterval(() => this.tick(), this.tickMs);
    return 0;
  }

  /** Closes the company's stream; false when it was not open. */
  stop(companyId: string): boolean {
    const subscriber = this.subscribers.get(companyId);
    if (!subscriber) return false;
    subscriber.runInScope = AsyncResource.bind((work: () => void) => work());
    this.close(companyId, subscriber);
    return true;
  }

  /** The company's current value, or null when its stream is not open. */
  valueOf(companyId: string): number | null {
    return this.subscribers.get(companyId)?.value ?? null;
  }

  /** Companies with an open stream. */
  companies(): string[] {
    return [...this.subscribers.keys()];
  }

  /** Closes every stream and stops the timer (worker shutdown). */
  stopAll(): void {
    for (const [companyId, subscriber] of [...this.subscribers]) this.close(companyId, subscriber);
    this.stopTimer();
  }

  /** One beat: close idle companies, then increment and emit every other company's counter. */
  tick(): void {
    const now = this.now();
    for (const [companyId, subscriber] of [...this.subscribers]) {
      if (now - subscriber.lastSeen > this.idleMs) {
        this.close(companyId, subscriber);
        continue;
      }
      subscriber.value += 1;
      this.send(companyId, subscriber);
    }
  }

  private send(companyId: string, subscriber: Subscriber): void {
    const event: CounterEvent = {
      companyId,
      value: subscriber.value,
      at: new Date(this.now()).toISOString(),
    };
    subscriber.runInScope(() => {
      this.point(companyId);
      this.streams().emit(COUNTER_CHANNEL, event);
    });
  }

  private close(companyId: string, subscriber: Subscriber): void {
    subscriber.runInScope(() => {
      this.point(companyId);
      this.streams().close(COUNTER_CHANNEL);
    });
    this.current = null;
    this.subscribers.delete(companyId);
    if (this.subscribers.size === 0) this.stopTimer();
  }

  /** `ctx.streams.emit/close` name only the channel: (re)open it for this company when it points elsewhere. */
  private point(companyId: string): void {
    if (this.current === companyId) return;
    this.streams().open(COUNTER_CHANNEL, companyId);
    this.current = companyId;
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
