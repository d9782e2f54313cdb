// Messages between the host nodes that share one PostgreSQL (docs/scale-out.md): plugin lifecycle changes, worker
// stream frames, live updates. One LISTEN connection per node on the `paperclip_cluster` channel; a message is
// `{topic, from, seq, payload}`. A payload too large for a NOTIFY (8,000 bytes) goes into `cluster_messages` and
// the notification carries its row id, read before any later message is handled — so every topic stays in order.
//
// `publish` reaches the OTHER nodes only: the publishing node has already acted on what it announces. On PGlite
// (one process owns the database) there are no other nodes and publishing does nothing.
//
// Order: one node's messages are sent in publish order (a single send chain, batched: everything queued while a
// send is in flight goes in the next one) and PostgreSQL delivers one sender's notifications in commit order.
// Each sender numbers its messages; a receiver that sees a number skipped (its connection dropped, a message was
// lost) calls the `onResync` handlers, which reload whatever state they keep from other nodes.
import type pg from "pg";
import type { Logger } from "pino";
import type { Database } from "../db/database.js";

export const CLUSTER_CHANNEL = "paperclip_cluster";

/** NOTIFY payloads must be under 8,000 bytes; keep room for the envelope. */
const NOTIFY_PAYLOAD_LIMIT = 7_500;
/** Large-payload rows older than this are deleted (receivers read them within milliseconds). */
const MESSAGE_RETENTION_MS = 60_000;

export type ClusterHandler<T = unknown> = (payload: T, from: string) => unknown;

interface Envelope {
  /** topic */
  t: string;
  /** sending node */
  n: string;
  /** the sender's message number (from 1, per process) */
  s: number;
  /** the payload, inline */
  p?: unknown;
  /** or the cluster_messages row that holds it */
  r?: number;
}

interface Outgoing {
  topic: string;
  payload: unknown;
  done: { resolve(): void; reject(error: Error): void };
}

export interface ClusterBusOptions {
  /** Wait before reconnecting a dropped LISTEN connection. */
  reconnectMs?: number;
  /** How often old large-payload rows are deleted. */
  pruneEveryMs?: number;
}

export class ClusterBus {
  private readonly handlers = new Map<string, Set<ClusterHandler>>();
  private readonly resyncHandlers = new Set<() => void>();
  /** Last message number seen from each other node, to notice gaps. */
  private readonly lastSeqFrom = new Map<string, number>();
  private client: pg.PoolClient | null = null;
  private started = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private seq = 0;
  private outgoing: Outgoing[] = [];
  private sending: Promise<void> | null = null;
  /** Incoming messages are handled one after another, in arrival order. */
  private incoming: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    readonly nodeId: string,
    private readonly options: ClusterBusOptions = {},
  ) {}

  /** True when other nodes may share the database (a real PostgreSQL). */
  get distributed(): boolean {
    return this.db.kind === "postgres";
  }

  /** Handle `topic` messages from other nodes; returns the unsubscribe function. */
  subscribe<T>(topic: string, handler: ClusterHandler<T>): () => void {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
    }
    set.add(handler as ClusterHandler);
    return () => set.delete(handler as ClusterHandler);
  }

  /**
   * Called when messages from other nodes may have been missed: after the LISTEN connection was (re)established,
   * or a sender's numbering skipped. Handlers reload what they keep from other nodes.
   */
  onResync(handler: () => void): () => void {
    this.resyncHandlers.add(handler);
    return () => this.resyncHandlers.delete(handler);
  }

  /** Send to every other node. Resolves once PostgreSQL has the notification (or the payload row). */
  publish(topic: string, payload: unknown): Promise<void> {
    if (!this.distributed || this.stopped) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.outgoing.push({ topic, payload, done: { resolve, reject } });
      this.sending ??= this.sendQueued();
    });
  }

  async start(): Promise<void> {
    if (!this.distributed || this.started) return;
    this.started = true;
    await this.connect();
    const every = this.options.pruneEveryMs ?? 30_000;
    this.pruneTimer = setInterval(() => void this.prune(), every);
    this.pruneTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await this.sending?.catch(() => undefined);
    await this.incoming.catch(() => undefined);
    this.release();
  }

  private async sendQueued(): Promise<void> {
    try {
      while (this.outgoing.length > 0) {
        const batch = this.outgoing;
        this.outgoing = [];
        try {
          await this.send(batch);
          for (const item of batch) item.done.resolve();
        } catch (error) {
          for (const item of batch) item.done.reject(error as Error);
        }
      }
    } finally {
      this.sending = null;
    }
  }

  /** One round trip for a run of small messages; a large one writes its row and notifies in one statement. */
  private async send(batch: Outgoing[]): Promise<void> {
    let small: string[] = [];
    const flushSmall = async () => {
      if (small.length === 0) return;
      const texts = small;
      small = [];
      // unnest keeps the array's order, and notifications of one transaction are delivered in the order sent.
      await this.db.query(
        "cluster_notify_many",
        "SELECT pg_notify($1, message) FROM unnest($2::text[]) WITH ORDINALITY AS m(message, n) ORDER BY n",
        [CLUSTER_CHANNEL, texts],
      );
    };
    for (const item of batch) {
      const envelope: Envelope = { t: item.topic, n: this.nodeId, s: ++this.seq, p: item.payload };
      const text = JSON.stringify(envelope);
      if (Buffer.byteLength(text) <= NOTIFY_PAYLOAD_LIMIT) {
        small.push(text);
        continue;
      }
      await flushSmall();
      await this.db.query(
        "cluster_notify_large",
        `WITH stored AS (INSERT INTO cluster_messages (topic, payload) VALUES ($2, $3::jsonb) RETURNING id)
         SELECT pg_notify($1, json_build_object('t', $2::text, 'n', $4::text, 's', $5::int, 'r', stored.id)::text)
         FROM stored`,
        [CLUSTER_CHANNEL, item.topic, JSON.stringify(item.payload ?? null), this.nodeId, envelope.s],
      );
    }
    await flushSmall();
  }

  private async connect(): Promise<void> {
    let client: pg.PoolClient | null = null;
    try {
      client = await this.db.pool.connect();
      client.on("notification", (message) => {
        if (message.channel !== CLUSTER_CHANNEL || !message.payload) return;
        const text = message.payload;
        this.incoming = this.incoming.then(() => this.receive(text));
      });
      client.on("error", (error) => this.dropped(error));
      await client.query(`LISTEN ${CLUSTER_CHANNEL}`);
      if (this.stopped) {
        client.release(true);
        return;
      }
      this.client = client;
      // Whatever was published while this node was not listening is lost: reload.
      this.lastSeqFrom.clear();
      this.resync();
    } catch (error) {
      client?.release(true);
      this.dropped(error as Error);
    }
  }

  private async receive(text: string): Promise<void> {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch {
      this.logger.warn({ message: text.slice(0, 200) }, "Cluster message that is not JSON: ignored");
      return;
    }
    if (envelope.n === this.nodeId) return;
    const last = this.lastSeqFrom.get(envelope.n);
    this.lastSeqFrom.set(envelope.n, envelope.s);
    // A restarted sender counts from 1 again: only a forward jump is a gap.
    if (last !== undefined && envelope.s > last + 1) {
      this.logger.warn(
        { from: envelope.n, expected: last + 1, got: envelope.s },
        `Missed ${envelope.s - last - 1} cluster message(s) from node ${envelope.n}; resynchronizing`,
      );
      this.resync();
    }
    const handlers = this.handlers.get(envelope.t);
    if (!handlers || handlers.size === 0) return;
    let payload = envelope.p;
    if (envelope.r !== undefined) {
      const rows = await this.db
        .query<{ payload: unknown }>(
          "cluster_message_read",
          "SELECT payload FROM cluster_messages WHERE id = $1",
          [envelope.r],
        )
        .catch((error: Error) => {
          this.logger.warn({ err: error, id: envelope.r }, `Could not read cluster message ${envelope.r}`);
          return [];
        });
      if (!rows[0]) {
        this.resync();
        return;
      }
      payload = rows[0].payload;
    }
    for (const handler of [...handlers]) {
      try {
        await handler(payload, envelope.n);
      } catch (error) {
        this.logger.warn(
          { err: error, topic: envelope.t, from: envelope.n },
          "A cluster message handler failed",
        );
      }
    }
  }

  private resync(): void {
    for (const handler of [...this.resyncHandlers]) {
      try {
        handler();
      } catch (error) {
        this.logger.warn({ err: error }, "A cluster resync handler failed");
      }
    }
  }

  private async prune(): Promise<void> {
    await this.db
      .query(
        "cluster_messages_prune",
        "DELETE FROM cluster_messages WHERE created_at < now() - $1::interval",
        [`${MESSAGE_RETENTION_MS} milliseconds`],
      )
      .catch((error: Error) => this.logger.debug({ err: error }, "Pruning cluster messages failed"));
  }

  private release(): void {
    const client = this.client;
    this.client = null;
    if (!client) return;
    client.removeAllListeners("notification");
    // Destroy rather than return a LISTENing connection to the pool.
    client.release(true);
  }

  private dropped(error: Error): void {
    if (this.stopped) return;
    this.release();
    this.logger.warn({ err: error }, `Cluster listener lost its connection: ${error.message}; reconnecting`);
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, this.options.reconnectMs ?? 1_000);
  }
}
