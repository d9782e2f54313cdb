// The event dispatcher of one host node: one PluginStream per plugin activated here, started and stopped as
// plugins come and go, woken when events commit (this process's notifier; LISTEN for other nodes on
// PostgreSQL) and by a safety-net poll. Which node delivers a plugin's stream is decided by its lease in the
// database, so several nodes on one PostgreSQL never deliver the same plugin's events concurrently.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { Database } from "../../db/database.js";
import type { Commit, EventNotifier } from "../../domain/notifier.js";
import { CursorStore } from "./cursor-store.js";
import { DeadLetterStore } from "./dead-letter-store.js";
import type { DeliveryTarget, SubscriptionSource } from "./delivery-target.js";
import { type DeliveryOptions, resolveDeliveryOptions } from "./options.js";
import { OutboxPages } from "./outbox-pages.js";
import { OutboxTail } from "./outbox-tail.js";
import { type DeliveryObserver, PluginStream, type PluginStreamStatus } from "./plugin-stream.js";
import { EVENT_STREAM_CHANNEL, WakeListener } from "./wake-listener.js";

/** How long a commit reported ahead of an earlier one waits for it before the outbox is read. */
const GAP_WAIT_MS = 3;

export interface EventDispatcherDeps {
  db: Database;
  notifier: EventNotifier;
  target: DeliveryTarget;
  subscriptions: SubscriptionSource;
  logger: Logger;
  options?: Partial<DeliveryOptions>;
  observer?: DeliveryObserver;
  /** Lease owner name of this node; default `<hostname>:<pid>:<random>`. */
  nodeId?: string;
}

export class EventDispatcher {
  readonly nodeId: string;
  readonly options: DeliveryOptions;
  readonly cursors: CursorStore;
  readonly deadLetters: DeadLetterStore;
  readonly pages: OutboxPages;
  private readonly tail: OutboxTail;
  private readonly streams = new Map<string, PluginStream>();
  /** Streams still handing over (a plugin re-activated meanwhile waits for them). */
  private readonly stopping = new Map<string, Promise<void>>();
  private readonly listener: WakeListener;
  private unsubscribe: (() => void) | null = null;
  private syncTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private started = false;
  private wakeQueued = false;
  private gapTimer: NodeJS.Timeout | null = null;
  /** The highest sequence committed here that the tail did not cover when it was reported. */
  private gapSeq = 0;

  constructor(private readonly deps: EventDispatcherDeps) {
    this.options = resolveDeliveryOptions(deps.options);
    this.nodeId = deps.nodeId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.cursors = new CursorStore(deps.db);
    this.deadLetters = new DeadLetterStore(deps.db);
    this.pages = new OutboxPages(deps.db);
    this.tail = new OutboxTail(this.pages, this.options.tailEvents, this.options.pageSize);
    this.listener = new WakeListener(
      deps.db,
      {
        onEvents: () => this.wakeAll(),
        onStream: (pluginId) => this.streams.get(pluginId)?.wake({ replays: true, lease: true }),
      },
      deps.logger,
    );
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.unsubscribe = this.deps.notifier.subscribe((commit) => this.committedHere(commit));
    await this.tail.refresh();
    await this.listener.start();
    this.sync();
    this.syncTimer = setInterval(() => this.sync(), this.options.syncIntervalMs);
    this.syncTimer.unref();
    // Safety net: commits whose wake-up was lost (another node's, with the listener reconnecting).
    this.pollTimer = setInterval(() => this.eventsCommitted(), this.options.idlePollMs);
    this.pollTimer.unref();
  }

  /** Stop every stream: requests in flight finish (bounded), cursors are written, leases given up. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    if (this.syncTimer) clearInterval(this.syncTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = null;
    this.syncTimer = null;
    this.pollTimer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.listener.stop();
    const streams = [...this.streams.values()];
    this.streams.clear();
    await Promise.allSettled([...streams.map((stream) => stream.stop()), ...this.stopping.values()]);
  }

  /** Start streams for plugins activated here since the last look; stop those deactivated. */
  sync(): void {
    if (!this.started) return;
    const running = new Set(this.deps.target.runningPlugins());
    for (const pluginId of running) {
      if (this.streams.has(pluginId) || this.stopping.has(pluginId)) continue;
      const stream = new PluginStream({
        pluginId,
        owner: this.nodeId,
        options: this.options,
        target: this.deps.target,
        subscriptions: this.deps.subscriptions,
        cursors: this.cursors,
        deadLetters: this.deadLetters,
        pages: this.pages,
        tail: this.tail,
        logger: this.deps.logger,
        observer: this.deps.observer,
      });
      this.streams.set(pluginId, stream);
      stream.start();
    }
    for (const [pluginId, stream] of this.streams) {
      if (running.has(pluginId)) continue;
      this.streams.delete(pluginId);
      const stopped = stream.stop().finally(() => this.stopping.delete(pluginId));
      this.stopping.set(pluginId, stopped);
    }
  }

  /**
   * This node's commits come with their events: into the shared tail without reading them back. One that arrives
   * before an earlier commit (concurrent transactions on PostgreSQL) waits a moment for it; only a gap that stays
   * (another node's commit) makes the tail read the outbox.
   */
  private committedHere(commit: Commit): void {
    if (!this.started || this.streams.size === 0) {
      this.eventsCommitted(commit.lastSeq);
      return;
    }
    if (this.tail.offer(commit.events) || commit.lastSeq <= this.tail.coveredTo) {
      this.wakeAll();
      return;
    }
    this.gapSeq = Math.max(this.gapSeq, commit.lastSeq);
    this.gapTimer ??= setTimeout(() => {
      this.gapTimer = null;
      this.eventsCommitted(this.gapSeq);
    }, GAP_WAIT_MS);
  }

  /** Read the new events into the shared tail once (unless it has them already), then wake every stream. */
  eventsCommitted(lastSeq: number | null = null): void {
    if (!this.started) return;
    if (this.streams.size === 0) {
      this.tail.reset();
      return;
    }
    if (lastSeq !== null && lastSeq <= this.tail.coveredTo) {
      this.wakeAll();
      return;
    }
    this.tail
      .refresh()
      .catch((error: Error) => {
        this.deps.logger.warn({ err: error }, `Reading new outbox events failed: ${error.message}`);
      })
      .finally(() => this.wakeAll());
  }

  /** Wake every stream once on the next turn of the event loop: a burst of commits costs each stream one look. */
  wakeAll(): void {
    if (this.wakeQueued) return;
    this.wakeQueued = true;
    setImmediate(() => {
      this.wakeQueued = false;
      for (const stream of this.streams.values()) stream.wake();
    });
  }

  /** After a replay was queued: wake the plugin's stream here, and the lease holder on other nodes. */
  async replayQueued(pluginId: string): Promise<void> {
    this.streams.get(pluginId)?.wake({ replays: true });
    if (this.deps.db.kind === "postgres") {
      await this.deps.db.query("plugin_event_replay_notify", "SELECT pg_notify($1, $2)", [
        EVENT_STREAM_CHANNEL,
        pluginId,
      ]);
    }
  }

  /** This node's view of a plugin's stream (null when the plugin does not run here). */
  streamStatus(pluginId: string): PluginStreamStatus | null {
    return this.streams.get(pluginId)?.status() ?? null;
  }
}
