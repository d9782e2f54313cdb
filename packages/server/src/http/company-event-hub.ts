// Live domain events for the board, per company. One reader per host node follows the outbox (the same table
// plugin delivery reads) and fans each event out, formatted once, to every open stream of its company. It is
// woken, never polled: by the domain's commit notifier (every commit in this process — REST calls, plugin host
// services, plugin-emitted events — whose events it fans out as they are when they follow its position), and on
// PostgreSQL also by LISTEN on the outbox channel, for commits made by other host nodes (the plugin event
// dispatcher's WakeListener). It runs only while some stream is open: the first subscriber attaches it at the
// outbox head, the last one leaving detaches it.
//
// A stream may resume after a sequence (SSE Last-Event-ID): the events of its company after it are read from
// the outbox, then the live ones follow with nothing lost or repeated (live events arriving meanwhile wait in a
// buffer). A position the outbox cannot serve (ahead of the head, or too far behind) gets a `reset` event:
// the client reloads what it shows instead of applying changes.
import type { Logger } from "pino";
import type { Database } from "../db/database.js";
import type { StoredDomainEvent } from "../domain/event-types.js";
import type { EventNotifier } from "../domain/notifier.js";
import type { Outbox } from "../domain/outbox.js";
import { WakeListener } from "../plugins/events/wake-listener.js";

/** Where a subscriber's frames go (an SSE connection). */
export interface CompanyEventSink {
  deliver(frame: string): void;
}

export interface CompanyEventHubOptions {
  db: Database;
  notifier: EventNotifier;
  outbox: Outbox;
  logger: Pick<Logger, "warn">;
  /** Outbox rows per read. Default 1 000. */
  pageSize?: number;
  /** Events a resuming stream may catch up on; past that it gets a reset. Default 10 000. */
  maxReplay?: number;
}

export interface CompanyEventSubscription {
  /** Replay what the resume position asks for, then deliver live events. Call once the stream is open. */
  start(): Promise<void>;
  unsubscribe(): void;
}

/** The JSON of one `data:` line. */
export interface CompanyEventMessage {
  type: string;
  entityType: string | null;
  entityId: string | null;
  companyId: string;
  occurredAt: string;
  payload: unknown;
  eventId: string;
  actorType: string | null;
  actorId: string | null;
}

export function eventMessage(event: StoredDomainEvent): CompanyEventMessage {
  return {
    type: event.eventType,
    entityType: event.entityType ?? null,
    entityId: event.entityId ?? null,
    companyId: event.companyId,
    occurredAt: event.occurredAt,
    payload: event.payload,
    eventId: event.eventId,
    actorType: event.actorType ?? null,
    actorId: event.actorId ?? null,
  };
}

/** `id: <seq>` + one `data:` line (JSON never holds a raw line break). */
export function eventFrame(event: StoredDomainEvent): string {
  return `id: ${event.seq}\ndata: ${JSON.stringify(eventMessage(event))}\n\n`;
}

export function resetFrame(reason: string): string {
  return `event: reset\ndata: ${JSON.stringify({ reason })}\n\n`;
}

/** A host notice (broadcast) as it travels between nodes (http/live-updates-relay.ts). */
export interface CompanyNotice {
  type: string;
  payload: Record<string, unknown>;
  entityType: string | null;
  entityId: string | null;
  occurredAt: string;
}

interface Subscriber {
  companyId: string;
  sink: CompanyEventSink;
  /** Highest sequence delivered (or skipped as "before this stream"). */
  lastSeq: number;
  /** Resume position asked for, null for "from now". */
  resumeAfter: number | null;
  /** Live events held back until start() has replayed. */
  buffer: { seq: number; frame: string }[] | null;
  closed: boolean;
}

export class CompanyEventHub {
  private readonly byCompany = new Map<string, Set<Subscriber>>();
  private count = 0;
  /** Every event up to here has been read and fanned out. */
  private position = 0;
  private initialized = false;
  /** Bumped on every attach and detach, so work begun for an earlier attachment is dropped. */
  private generation = 0;
  private activation: Promise<void> | null = null;
  private detachNotifier: (() => void) | null = null;
  private listener: WakeListener | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private readonly pageSize: number;
  private readonly maxReplay: number;
  private relay: ((notice: CompanyNotice) => void) | null = null;

  constructor(private readonly options: CompanyEventHubOptions) {
    this.pageSize = options.pageSize ?? 1_000;
    this.maxReplay = options.maxReplay ?? 10_000;
  }

  /** Open streams. */
  get size(): number {
    return this.count;
  }

  /** Whether the hub follows the outbox now (some stream is open). */
  get attached(): boolean {
    return this.detachNotifier !== null;
  }

  /**
   * Register a stream of `companyId`'s events. Resolves once the hub follows the outbox, so every event
   * committed after this resolves reaches the sink. `afterSeq`: resume after this sequence (Last-Event-ID).
   */
  async subscribe(
    companyId: string,
    sink: CompanyEventSink,
    afterSeq: number | null = null,
  ): Promise<CompanyEventSubscription> {
    if (this.closed) throw new Error("the company event hub is closed");
    const subscriber: Subscriber = {
      companyId,
      sink,
      lastSeq: 0,
      resumeAfter: afterSeq,
      buffer: [],
      closed: false,
    };
    let set = this.byCompany.get(companyId);
    if (!set) {
      set = new Set();
      this.byCompany.set(companyId, set);
    }
    set.add(subscriber);
    this.count++;
    const unsubscribe = () => this.remove(subscriber);
    try {
      await this.attach();
    } catch (error) {
      unsubscribe();
      throw error;
    }
    // Everything up to the position is "before this stream" unless a resume asks for it.
    subscriber.lastSeq = this.position;
    return { start: () => this.start(subscriber), unsubscribe };
  }

  /**
   * Deliver a host notice that is not a domain event (no outbox row, no sequence) to every open stream now,
   * e.g. `plugin.ui.updated`: one `data:` line shaped like the domain events (its `companyId` is the stream's
   * company) and no `id:` line, so it never moves a client's resume position. With a relay (several nodes), the
   * streams of the other nodes get it too. Returns the streams reached on this node.
   */
  broadcast(
    type: string,
    payload: Record<string, unknown>,
    entity: { entityType?: string | null; entityId?: string | null } = {},
  ): number {
    const notice: CompanyNotice = {
      type,
      payload,
      entityType: entity.entityType ?? null,
      entityId: entity.entityId ?? null,
      occurredAt: new Date().toISOString(),
    };
    const reached = this.deliverNotice(notice);
    this.relay?.(notice);
    return reached;
  }

  /** Send this node's notices to the other nodes too (null: this node only). */
  relayNotices(relay: ((notice: CompanyNotice) => void) | null): void {
    this.relay = relay;
  }

  /** A notice, to this node's open streams only (one broadcast on another node). Returns the streams reached. */
  deliverNotice(notice: CompanyNotice): number {
    let reached = 0;
    for (const [companyId, set] of this.byCompany) {
      const frame = `data: ${JSON.stringify({
        type: notice.type,
        entityType: notice.entityType,
        entityId: notice.entityId,
        companyId,
        occurredAt: notice.occurredAt,
        payload: notice.payload,
      })}\n\n`;
      for (const subscriber of set) {
        if (subscriber.closed) continue;
        subscriber.sink.deliver(frame);
        reached++;
      }
    }
    return reached;
  }

  /** Detach from the outbox and refuse new streams (host shutdown; open streams are ended by their route). */
  close(): void {
    this.closed = true;
    for (const set of this.byCompany.values()) for (const subscriber of set) subscriber.closed = true;
    this.byCompany.clear();
    this.count = 0;
    this.detach();
  }

  private async start(subscriber: Subscriber): Promise<void> {
    const afterSeq = subscriber.resumeAfter;
    if (afterSeq !== null && afterSeq !== subscriber.lastSeq) await this.replay(subscriber, afterSeq);
    const buffered = subscriber.buffer ?? [];
    subscriber.buffer = null;
    if (subscriber.closed) return;
    for (const item of buffered) this.send(subscriber, item.seq, item.frame);
  }

  /** Catch up from the outbox after `afterSeq` (this company's events only). */
  private async replay(subscriber: Subscriber, afterSeq: number): Promise<void> {
    const live = subscriber.lastSeq;
    if (afterSeq > live) {
      // A position from another instance or an older database: nothing here can be matched to it.
      subscriber.sink.deliver(
        resetFrame(`Last-Event-ID ${afterSeq} is ahead of this host's events (${live})`),
      );
      return;
    }
    let from = afterSeq;
    let sent = 0;
    subscriber.lastSeq = afterSeq;
    try {
      for (;;) {
        const page = await this.options.outbox.read({
          afterSeq: from,
          limit: this.pageSize,
          companyId: subscriber.companyId,
        });
        if (subscriber.closed) return;
        for (const event of page) {
          if (sent >= this.maxReplay) {
            subscriber.lastSeq = Math.max(live, subscriber.lastSeq);
            subscriber.sink.deliver(
              resetFrame(`more than ${this.maxReplay} events were missed since ${afterSeq}; reload`),
            );
            return;
          }
          this.send(subscriber, event.seq, eventFrame(event));
          sent++;
        }
        const last = page.at(-1);
        if (page.length < this.pageSize || !last) break;
        from = last.seq;
      }
    } catch (error) {
      // Live events still flow; the client's view may miss what could not be read.
      this.options.logger.warn(
        { err: error },
        `Replaying company events failed: ${(error as Error).message}`,
      );
      subscriber.lastSeq = Math.max(live, subscriber.lastSeq);
      subscriber.sink.deliver(resetFrame("missed events could not be read; reload"));
      return;
    }
    // Events between the replay's last page and the live position that were not this company's.
    subscriber.lastSeq = Math.max(live, subscriber.lastSeq);
  }

  private send(subscriber: Subscriber, seq: number, frame: string): void {
    if (subscriber.closed || seq <= subscriber.lastSeq) return;
    subscriber.lastSeq = seq;
    subscriber.sink.deliver(frame);
  }

  private remove(subscriber: Subscriber): void {
    if (subscriber.closed) return;
    subscriber.closed = true;
    subscriber.buffer = null;
    const set = this.byCompany.get(subscriber.companyId);
    if (!set?.delete(subscriber)) return;
    if (set.size === 0) this.byCompany.delete(subscriber.companyId);
    this.count--;
    if (this.count === 0) this.detach();
  }

  /** Follow the outbox from its head (once, while streams are open). */
  private attach(): Promise<void> {
    if (this.activation) return this.activation;
    const generation = ++this.generation;
    const { db, notifier, outbox, logger } = this.options;
    this.detachNotifier = notifier.subscribe((commit) => {
      if (this.initialized && commit.lastSeq <= this.position) return;
      if (!this.takeCommitted(commit.events)) this.wake();
    });
    if (db.kind === "postgres") {
      this.listener = new WakeListener(
        db,
        { onEvents: () => this.wake(), onStream: () => {} },
        logger as Logger,
      );
    }
    const listener = this.listener;
    const activation = (async () => {
      await listener?.start();
      const head = await outbox.head();
      if (generation !== this.generation) return;
      this.position = head;
      this.initialized = true;
      // A commit that woke us while the head was being read.
      this.wake();
    })();
    this.activation = activation;
    activation.catch(() => {
      if (this.activation === activation) this.detach();
    });
    return activation;
  }

  private detach(): void {
    this.generation++;
    this.initialized = false;
    this.activation = null;
    this.detachNotifier?.();
    this.detachNotifier = null;
    const listener = this.listener;
    this.listener = null;
    void listener?.stop();
  }

  /** Read what was committed since the position (concurrent wake-ups share one reader). */
  private wake(): void {
    if (!this.initialized) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = (async () => {
      try {
        do {
          this.again = false;
          await this.readNew();
        } while (this.again && this.initialized);
      } catch (error) {
        // The next commit (or LISTEN reconnect) wakes the reader again, from the same position.
        this.options.logger.warn(
          { err: error },
          `Reading company events failed: ${(error as Error).message}`,
        );
      } finally {
        this.reading = null;
      }
    })();
  }

  /**
   * Fan out this process's commit without reading it back, when it directly follows the position and no read is
   * under way; false otherwise (a gap: another writer's commit comes first, so the outbox is read).
   */
  private takeCommitted(events: readonly StoredDomainEvent[]): boolean {
    if (!this.initialized || this.reading) return false;
    let expected = this.position + 1;
    for (const event of events) {
      if (event.seq !== expected) return false;
      expected++;
    }
    for (const event of events) {
      this.position = event.seq;
      this.fanOut(event);
    }
    return true;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      if (!this.initialized) return;
      const generation = this.generation;
      const events = await this.options.outbox.read({ afterSeq: this.position, limit: this.pageSize });
      if (generation !== this.generation) return;
      for (const event of events) {
        this.position = event.seq;
        this.fanOut(event);
      }
      if (events.length < this.pageSize) return;
    }
  }

  private fanOut(event: StoredDomainEvent): void {
    const set = this.byCompany.get(event.companyId);
    if (!set) return;
    let frame: string | null = null;
    for (const subscriber of set) {
      if (event.seq <= subscriber.lastSeq) continue;
      frame ??= eventFrame(event);
      if (subscriber.buffer) subscriber.buffer.push({ seq: event.seq, frame });
      else this.send(subscriber, event.seq, frame);
    }
  }
}
