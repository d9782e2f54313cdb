// One plugin's event stream on this node: while it holds the plugin's lease, it reads the outbox after the
// plugin's cursor, sends each matching event as an `onEvent` request (up to maxInFlight at once — the plugin's
// own eventMaxInFlight when it has one, 1 meaning strictly one at a time — in sequence order), and moves the cursor past an event only once it and every earlier one were acknowledged or
// dead-lettered — in batches, so the database sees one cursor write per many events. A failed event stops new
// sends; it is retried alone with backoff until the worker acknowledges it or it reaches the dead letters.
import { performance } from "node:perf_hooks";
import type { Logger } from "pino";
import type { DomainEvent, StoredDomainEvent } from "../../domain/event-types.js";
import type { CursorStore } from "./cursor-store.js";
import type { DeadLetter, DeadLetterStore } from "./dead-letter-store.js";
import type { DeliveryTarget, SubscriptionSource } from "./delivery-target.js";
import { type DeliveryOptions, retryDelayMs } from "./options.js";
import { envelopeOf, type OutboxPages } from "./outbox-pages.js";
import type { OutboxTail } from "./outbox-tail.js";
import { SubscriptionMatcher } from "./subscription-matcher.js";
import { WakeSignal } from "./wake-signal.js";

/** Hooks for metrics and tests: every acknowledgement (in sequence order) and every dead letter. */
export interface DeliveryObserver {
  delivered?(pluginId: string, event: StoredDomainEvent): void;
  deadLettered?(pluginId: string, deadLetter: DeadLetter): void;
}

export interface PluginStreamDeps {
  pluginId: string;
  /** This node's lease owner name. */
  owner: string;
  options: DeliveryOptions;
  target: DeliveryTarget;
  subscriptions: SubscriptionSource;
  cursors: CursorStore;
  deadLetters: DeadLetterStore;
  pages: OutboxPages;
  /** The node's shared read of the newest events (optional: without it every read goes to the database). */
  tail?: OutboxTail;
  logger: Logger;
  observer?: DeliveryObserver;
}

export interface PluginStreamStatus {
  leaseHeld: boolean;
  subscriptions: number;
  inFlight: number;
  /** `onEvent` requests allowed in flight for this plugin (1: strictly one at a time). */
  maxInFlight: number;
  /** Everything up to here was read from the outbox. */
  readSeq: number;
  /** The cursor as last written. */
  cursorSeq: number;
  delivered: number;
  failedAttempts: number;
  deadLettered: number;
  replayed: number;
  lastDeliveredAt: string | null;
}

interface InFlight {
  event: StoredDomainEvent;
  settled: boolean;
  failed: boolean;
  error: unknown;
  promise: Promise<void>;
}

type Attempt = { kind: "ok" } | { kind: "failed"; error: unknown } | { kind: "aborted" };

const WORKER_POLL_MS = 50;
/** Longest wait for a new worker's setup() subscriptions to be recorded. */
const SUBSCRIPTION_SETTLE_MS = 2_000;
const REPLAY_BATCH = 20;

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === "string" ? error : JSON.stringify(error ?? "unknown error");
}

function errorCode(error: unknown): number | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" && Number.isInteger(code) ? code : null;
}

export class PluginStream {
  readonly pluginId: string;
  private readonly deps: PluginStreamDeps;
  private readonly options: DeliveryOptions;
  /** Requests in flight allowed now: the worker's own limit (eventMaxInFlight) or the delivery default. */
  private maxInFlight: number;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private readonly wakeSignal = new WakeSignal(() => this.stopping);

  private lease: { renewAt: number; validUntil: number } | null = null;
  /** Without the lease, the next claim attempt waits until then (wake-ups from new events do not hurry it). */
  private claimAfter = 0;
  private generation: string | null = null;
  private newGenerationSince: number | null = null;
  private subscriptionKey: string | null = null;
  private matcher = new SubscriptionMatcher([]);
  private subscriptionsLoadedAt = 0;

  private readSeq = 0;
  private cursorSeq = 0;
  private pending: StoredDomainEvent[] = [];
  private pendingIndex = 0;
  private inflight: InFlight[] = [];
  private failed = false;
  private windowFull = false;
  private retry: { seq: number; attempts: number } | null = null;
  private replayDue = true;
  private replayCheckedAt = 0;

  private flushing: Promise<void> | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private lastFlushAt = 0;
  private sinceFlush = 0;

  private readonly stats = {
    delivered: 0,
    failedAttempts: 0,
    deadLettered: 0,
    replayed: 0,
    lastDeliveredAt: 0,
  };

  constructor(deps: PluginStreamDeps) {
    this.deps = deps;
    this.pluginId = deps.pluginId;
    this.options = deps.options;
    this.maxInFlight = deps.options.maxInFlight;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /**
   * New events may be there; with `replays`, a dead letter was queued for replay; with `lease`, the lease was
   * released elsewhere and may be taken now.
   */
  wake(options: { replays?: boolean; lease?: boolean } = {}): void {
    if (options.replays) this.replayDue = true;
    if (options.lease) this.claimAfter = 0;
    this.wakeSignal.signal();
  }

  /** Stop sending, wait (bounded) for requests in flight, write the cursor and give the lease up. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeSignal.signal();
    await this.loop;
  }

  status(): PluginStreamStatus {
    return {
      leaseHeld: this.lease !== null,
      subscriptions: this.matcher.rules.length,
      inFlight: this.inflight.length,
      maxInFlight: this.maxInFlight,
      readSeq: this.readSeq,
      cursorSeq: this.cursorSeq,
      delivered: this.stats.delivered,
      failedAttempts: this.stats.failedAttempts,
      deadLettered: this.stats.deadLettered,
      replayed: this.stats.replayed,
      lastDeliveredAt: this.stats.lastDeliveredAt ? new Date(this.stats.lastDeliveredAt).toISOString() : null,
    };
  }

  // ── the loop ────────────────────────────────────────────────────────────────────────────────

  private async run(): Promise<void> {
    let errorDelay = 0;
    while (!this.stopping) {
      try {
        const waitMs = await this.step();
        errorDelay = 0;
        if (waitMs > 0) await this.wakeSignal.wait(waitMs);
      } catch (error) {
        errorDelay = Math.min(errorDelay ? errorDelay * 2 : 100, 5_000);
        this.deps.logger.warn(
          { pluginId: this.pluginId, err: error },
          `Event delivery to plugin ${this.pluginId} hit an error; retrying in ${errorDelay} ms: ${errorMessage(error)}`,
        );
        await this.wakeSignal.sleep(errorDelay);
      }
    }
    await this.shutdown();
  }

  /** One round of work; returns how long to wait for a wake-up before the next (0: go on at once). */
  private async step(): Promise<number> {
    const worker = this.deps.target.workerState(this.pluginId);
    if (!worker?.ready) return WORKER_POLL_MS;
    this.maxInFlight = worker.maxInFlight ?? this.options.maxInFlight;
    const now = performance.now();
    if (worker.generation !== this.generation) {
      // A new worker process: its setup() subscriptions are requests the host may still be recording (the SDK
      // does not wait for them). Read them once none is in flight, so no event is matched against half of them.
      if (this.newGenerationSince === null) this.newGenerationSince = now;
      if (worker.pendingHostCalls > 0 && now - this.newGenerationSince < SUBSCRIPTION_SETTLE_MS)
        return WORKER_POLL_MS;
      this.newGenerationSince = null;
    }
    if (
      worker.generation !== this.generation ||
      now - this.subscriptionsLoadedAt >= this.options.subscriptionRefreshMs
    ) {
      await this.loadSubscriptions(worker.generation);
    }
    // A plugin that never subscribed gets no cursor: its stream starts at its first subscription.
    if (this.matcher.empty && !this.lease) return this.options.idlePollMs;
    if (!this.lease && now < this.claimAfter) return this.claimAfter - now;
    if (!(await this.ensureLease())) {
      this.claimAfter = performance.now() + this.options.leaseRenewMs;
      return this.options.leaseRenewMs;
    }
    if (this.failed) {
      await this.resolveFailures();
      return 0;
    }
    if (
      this.inflight.length === 0 &&
      (this.replayDue || now - this.replayCheckedAt >= this.options.replayPollMs)
    ) {
      if (await this.deliverReplays()) return 0;
    }
    if (this.pendingIndex >= this.pending.length) {
      const more = await this.readMore();
      if (this.pending.length === 0) {
        this.maybeFlush();
        return more ? 0 : this.options.idlePollMs;
      }
    }
    while (this.pendingIndex < this.pending.length && !this.failed) {
      if (this.inflight.length >= this.maxInFlight) {
        this.windowFull = true;
        return this.options.idlePollMs;
      }
      if (!this.leaseValid()) return 0;
      this.send(this.pending[this.pendingIndex++] as StoredDomainEvent);
    }
    if (this.pendingIndex >= this.pending.length) {
      this.pending = [];
      this.pendingIndex = 0;
    }
    return 0;
  }

  /**
   * Fill `pending` with the next matching events: from the shared tail when it covers our position, else from
   * the database. True when there may be more right away (a full page was looked at).
   */
  private async readMore(): Promise<boolean> {
    const { pageSize } = this.options;
    const cached = this.deps.tail?.slice(this.readSeq, pageSize, this.matcher);
    if (cached) {
      const more = cached.readTo > this.readSeq && cached.events.length === 0;
      this.pending = cached.events;
      this.pendingIndex = 0;
      this.readSeq = cached.readTo;
      return more;
    }
    const page = await this.deps.pages.read(this.readSeq, pageSize, this.matcher.types);
    const full = page.events.length >= pageSize;
    this.pending = page.events.filter((event) => this.matcher.matches(event));
    this.pendingIndex = 0;
    const last = page.events.at(-1);
    this.readSeq = full && last ? last.seq : Math.max(this.readSeq, page.head);
    return full;
  }

  private async loadSubscriptions(generation: string): Promise<void> {
    const rules = await this.deps.subscriptions.list(this.pluginId);
    const key = JSON.stringify(rules.map((rule) => [rule.eventPattern, rule.filter]));
    if (key !== this.subscriptionKey) {
      this.matcher = new SubscriptionMatcher(rules);
      this.subscriptionKey = key;
      // Events read but not sent yet were matched against the old subscriptions: read them again.
      const next = this.pending[this.pendingIndex];
      if (next) this.readSeq = next.seq - 1;
      this.pending = [];
      this.pendingIndex = 0;
    }
    this.generation = generation;
    this.subscriptionsLoadedAt = performance.now();
  }

  // ── sending and acknowledgements ──────────────────────────────────────────────────────────────

  private send(event: StoredDomainEvent): void {
    const entry: InFlight = { event, settled: false, failed: false, error: null, promise: Promise.resolve() };
    entry.promise = this.deps.target
      .deliver(this.pluginId, envelopeOf(event), this.options.eventTimeoutMs)
      .then(
        () => {
          entry.settled = true;
          this.onSettled();
        },
        (error: unknown) => {
          entry.settled = true;
          entry.failed = true;
          entry.error = error;
          this.failed = true;
          this.stats.failedAttempts++;
          this.onSettled();
        },
      );
    this.inflight.push(entry);
  }

  /** Acknowledgements are taken in sequence order: the cursor never passes an unacknowledged event. */
  private onSettled(): void {
    let acked = false;
    while (this.inflight.length > 0) {
      const head = this.inflight[0] as InFlight;
      if (!head.settled || head.failed) break;
      this.inflight.shift();
      this.acknowledged(head.event);
      acked = true;
    }
    // Refill when half the window is free: one loop round sends many events instead of one per ack.
    if (this.failed || (this.windowFull && this.inflight.length <= this.maxInFlight / 2)) {
      this.windowFull = false;
      this.wakeSignal.signal();
    }
    if (acked) this.maybeFlush();
  }

  private acknowledged(event: StoredDomainEvent): void {
    this.stats.delivered++;
    this.stats.lastDeliveredAt = Date.now();
    this.sinceFlush++;
    this.deps.observer?.delivered?.(this.pluginId, event);
  }

  /** Everything up to this sequence is acknowledged, dead-lettered or not for this plugin. */
  private safeCursor(): number {
    const head = this.inflight[0];
    if (head) return head.event.seq - 1;
    const next = this.pending[this.pendingIndex];
    if (next) return next.seq - 1;
    return this.readSeq;
  }

  // ── failures, retries, dead letters ───────────────────────────────────────────────────────────

  /** Let every request in flight settle, then retry the failed ones alone, in order. */
  private async resolveFailures(): Promise<void> {
    await Promise.all(this.inflight.map((entry) => entry.promise));
    while (this.inflight.length > 0) {
      const head = this.inflight[0] as InFlight;
      if (!head.failed) {
        this.inflight.shift();
        this.acknowledged(head.event);
        continue;
      }
      const outcome = await this.retryHead(head);
      if (outcome === "aborted") return;
      this.inflight.shift();
      if (outcome === "delivered") this.acknowledged(head.event);
      else this.sinceFlush++;
    }
    this.failed = false;
    this.maybeFlush();
  }

  private async retryHead(head: InFlight): Promise<"delivered" | "dead" | "aborted"> {
    const { seq } = head.event;
    let attempts = this.retry?.seq === seq ? this.retry.attempts : 0;
    let error = head.error;
    for (;;) {
      attempts++;
      const message = errorMessage(error);
      if (attempts >= this.options.maxAttempts) {
        const deadLetter = await this.deps.deadLetters.record(this.pluginId, {
          seq,
          event: envelopeOf(head.event),
          attempts,
          error: message,
          errorCode: errorCode(error),
        });
        this.retry = null;
        this.stats.deadLettered++;
        this.deps.logger.warn(
          { pluginId: this.pluginId, seq, eventType: head.event.eventType, attempts },
          `Event ${head.event.eventType} (seq ${seq}) moved to the dead letters of plugin ${this.pluginId} after ${attempts} failed attempts: ${message}`,
        );
        this.deps.observer?.deadLettered?.(this.pluginId, deadLetter);
        return "dead";
      }
      this.retry = { seq, attempts };
      if (!(await this.deps.cursors.recordRetry(this.pluginId, this.deps.owner, seq, attempts, message))) {
        this.leaseLost();
        return "aborted";
      }
      const result = await this.attempt(envelopeOf(head.event), retryDelayMs(this.options, attempts));
      if (result.kind === "aborted") return "aborted";
      if (result.kind === "ok") {
        this.retry = null;
        return "delivered";
      }
      error = result.error;
    }
  }

  /** One delivery after `delayMs`, once the worker is ready and the lease still ours. */
  private async attempt(envelope: DomainEvent, delayMs: number): Promise<Attempt> {
    if (delayMs > 0 && !(await this.wakeSignal.sleep(delayMs))) return { kind: "aborted" };
    for (;;) {
      if (this.stopping) return { kind: "aborted" };
      const worker = this.deps.target.workerState(this.pluginId);
      if (!worker) return { kind: "aborted" };
      if (worker.ready) break;
      await this.wakeSignal.sleep(WORKER_POLL_MS);
    }
    if (!(await this.renewLease())) return { kind: "aborted" };
    try {
      await this.deps.target.deliver(this.pluginId, envelope, this.options.eventTimeoutMs);
      return { kind: "ok" };
    } catch (error) {
      this.stats.failedAttempts++;
      return { kind: "failed", error };
    }
  }

  /** Deliver dead letters queued for replay, each with the usual retries. True when any was handled. */
  private async deliverReplays(): Promise<boolean> {
    this.replayDue = false;
    this.replayCheckedAt = performance.now();
    const replays = await this.deps.deadLetters.pendingReplays(this.pluginId, REPLAY_BATCH);
    for (const replay of replays) {
      let attempts = 0;
      for (;;) {
        const result = await this.attempt(
          replay.event,
          attempts === 0 ? 0 : retryDelayMs(this.options, attempts),
        );
        if (result.kind === "aborted") return true;
        attempts++;
        if (result.kind === "ok") {
          await this.deps.deadLetters.markReplayed(replay.id);
          this.stats.replayed++;
          break;
        }
        if (attempts >= this.options.maxAttempts) {
          await this.deps.deadLetters.markDeadAgain(
            replay.id,
            attempts,
            errorMessage(result.error),
            errorCode(result.error),
          );
          break;
        }
      }
    }
    if (replays.length === REPLAY_BATCH) this.replayDue = true;
    return replays.length > 0;
  }

  // ── lease and cursor ──────────────────────────────────────────────────────────────────────────

  /** Hold the lease, renewing it when due; a fresh claim restarts reading from the stored cursor. */
  private async ensureLease(): Promise<boolean> {
    const started = performance.now();
    if (this.lease && started < this.lease.renewAt) return true;
    if (!this.lease && this.inflight.length > 0) {
      // Requests from a lease we lost: let them finish before reading from the stored cursor again.
      await Promise.all(this.inflight.map((entry) => entry.promise));
      this.inflight = [];
      this.failed = false;
    }
    const claimed = await this.deps.cursors.claim(this.pluginId, this.deps.owner, this.options.leaseTtlMs);
    if (!claimed) {
      if (this.lease) this.leaseLost();
      return false;
    }
    if (!this.lease) {
      this.readSeq = claimed.lastSeq;
      this.cursorSeq = claimed.lastSeq;
      this.pending = [];
      this.pendingIndex = 0;
      this.retry = claimed.retry;
      this.replayDue = true;
      this.deps.logger.debug(
        { pluginId: this.pluginId, owner: this.deps.owner, cursor: claimed.lastSeq },
        "event lease taken",
      );
    }
    this.renewed(started);
    return true;
  }

  /** Renew a held lease when due (inside retries). False when it is gone. */
  private async renewLease(): Promise<boolean> {
    if (!this.lease) return false;
    const started = performance.now();
    if (started < this.lease.renewAt) return true;
    const claimed = await this.deps.cursors.claim(this.pluginId, this.deps.owner, this.options.leaseTtlMs);
    if (!claimed) {
      this.leaseLost();
      return false;
    }
    this.renewed(started);
    return true;
  }

  private renewed(startedAt: number): void {
    this.lease = {
      renewAt: startedAt + this.options.leaseRenewMs,
      // Stop sending early enough that a request sent now ends (or times out) before the lease could expire:
      // a node that cannot renew never overlaps the node that takes over.
      validUntil: startedAt + this.options.leaseTtlMs - this.options.eventTimeoutMs,
    };
  }

  private leaseValid(): boolean {
    return this.lease !== null && performance.now() < this.lease.validUntil && !this.stopping;
  }

  private leaseLost(): void {
    if (!this.lease) return;
    this.deps.logger.warn(
      { pluginId: this.pluginId, owner: this.deps.owner },
      `Lost the event delivery lease of plugin ${this.pluginId} to another node; it continues from the stored cursor`,
    );
    this.lease = null;
    this.pending = [];
    this.pendingIndex = 0;
  }

  /** Write the cursor when enough was delivered or enough time passed; otherwise soon. */
  private maybeFlush(): void {
    if (!this.lease || this.safeCursor() <= this.cursorSeq) return;
    if (this.flushing || this.flushTimer) return;
    const elapsed = performance.now() - this.lastFlushAt;
    if (this.sinceFlush >= this.options.cursorFlushEvents || elapsed >= this.options.cursorFlushMs) {
      void this.flush();
      return;
    }
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.maybeFlush();
    }, this.options.cursorFlushMs - elapsed);
  }

  private flush(): Promise<void> {
    this.flushing ??= (async () => {
      const target = this.safeCursor();
      const started = performance.now();
      this.sinceFlush = 0;
      this.lastFlushAt = started;
      const ok = await this.deps.cursors.advance(
        this.pluginId,
        this.deps.owner,
        target,
        this.options.leaseTtlMs,
      );
      if (!ok) {
        this.leaseLost();
        return;
      }
      this.cursorSeq = Math.max(this.cursorSeq, target);
      if (this.lease) this.renewed(started);
    })()
      .catch((error: unknown) => {
        this.deps.logger.warn(
          { pluginId: this.pluginId, err: error },
          `Could not write the event cursor of plugin ${this.pluginId}: ${errorMessage(error)}`,
        );
      })
      .finally(() => {
        this.flushing = null;
        if (!this.stopping) this.maybeFlush();
      });
    return this.flushing;
  }

  private async shutdown(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.inflight.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(this.inflight.map((entry) => entry.promise)),
        new Promise((resolve) => {
          timer = setTimeout(resolve, this.options.stopDrainMs);
        }),
      ]);
      clearTimeout(timer);
    }
    if (!this.lease) return;
    try {
      await this.flushing;
      if (this.safeCursor() > this.cursorSeq) await this.flush();
      await this.deps.cursors.release(this.pluginId, this.deps.owner);
    } catch (error) {
      this.deps.logger.warn(
        { pluginId: this.pluginId, err: error },
        `Could not hand the event stream of plugin ${this.pluginId} over cleanly: ${errorMessage(error)}`,
      );
    }
    this.lease = null;
  }
}
