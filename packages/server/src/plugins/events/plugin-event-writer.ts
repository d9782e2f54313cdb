// Plugin-emitted events (`ctx.events.emit` → `plugin.<pluginKey>.<name>`, reference §5.4) go into the same
// outbox as domain events, so the same dispatcher delivers them durably and in order. Emits arriving together
// share one transaction (group commit): each caller's promise settles when its event is committed, which is
// when the worker's `events.emit` call is answered. Sequences are taken under the outbox advisory lock, exactly
// as the domain's MutationRunner does, so sequence order stays commit order on PostgreSQL.
import type { PluginEvent } from "@paperclipai/plugin-sdk/types";
import type { Database, Tx } from "../../db/database.js";
import type { DomainEvent, StoredDomainEvent } from "../../domain/event-types.js";
import { DOMAIN_EVENTS_CHANNEL, type EventNotifier } from "../../domain/notifier.js";
import { OUTBOX_LOCK_KEY } from "../../domain/unit-of-work.js";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const INSERT_SQL = `INSERT INTO domain_events (seq, event_id, event_type, company_id, occurred_at, actor_type, actor_id,
  entity_type, entity_id, payload)
SELECT nextval('domain_event_seq'), e."eventId", e."eventType", e."companyId", e."occurredAt", e."actorType",
  e."actorId", e."entityType", e."entityId", coalesce(e."payload", 'null'::jsonb)
FROM jsonb_to_recordset($1::jsonb) AS e("eventId" uuid, "eventType" text, "companyId" uuid,
  "occurredAt" timestamptz, "actorType" text, "actorId" text, "entityType" text, "entityId" text, "payload" jsonb,
  "ord" int)
ORDER BY e.ord
RETURNING seq, event_id`;

interface Queued {
  event: DomainEvent;
  resolve(): void;
  reject(error: unknown): void;
}

/** Thrown for an event the outbox cannot take; the message names the field. */
export class PluginEventRejected extends Error {
  override readonly name = "PluginEventRejected";
}

export interface OutboxAppenderOptions {
  /** Events per transaction at most. Default 2 000. */
  maxBatch?: number;
}

/** Told about every committed batch (before the notifier), e.g. to share the events without reading them back. */
export type CommittedListener = (events: StoredDomainEvent[]) => void;

export class OutboxAppender {
  private queue: Queued[] = [];
  private draining = false;
  private readonly maxBatch: number;
  private readonly committedListeners = new Set<CommittedListener>();

  constructor(
    private readonly db: Database,
    private readonly notifier: EventNotifier,
    options: OutboxAppenderOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 2_000;
  }

  /** Resolves once the event is committed to the outbox. */
  append(event: DomainEvent): Promise<void> {
    if (!UUID_RE.test(event.companyId)) {
      return Promise.reject(
        new PluginEventRejected(
          `events.emit: params.companyId must be a company id (a UUID), got "${event.companyId}"`,
        ),
      );
    }
    if (!UUID_RE.test(event.eventId)) {
      return Promise.reject(new PluginEventRejected(`event.eventId must be a UUID, got "${event.eventId}"`));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  onCommitted(listener: CommittedListener): () => void {
    this.committedListeners.add(listener);
    return () => this.committedListeners.delete(listener);
  }

  /** Settles once everything queued so far is written (or failed). */
  async idle(): Promise<void> {
    while (this.draining || this.queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const seqs = await this.db.transaction((tx) => this.write(tx, batch));
          let lastSeq = 0;
          for (const seq of seqs.values()) lastSeq = Math.max(lastSeq, seq);
          this.committed(batch, seqs);
          this.notifier.notify(lastSeq);
          for (const item of batch) item.resolve();
        } catch (error) {
          for (const item of batch) item.reject(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private committed(batch: Queued[], seqs: Map<string, number>): void {
    if (this.committedListeners.size === 0 || seqs.size !== batch.length) return;
    // The stored form: what a read of the outbox returns (JSON round trip, timestamps normalised).
    const stored = batch.map(({ event }): StoredDomainEvent => {
      const copy: StoredDomainEvent = {
        seq: seqs.get(event.eventId) as number,
        eventId: event.eventId,
        eventType: event.eventType,
        occurredAt: new Date(event.occurredAt).toISOString(),
        companyId: event.companyId,
        payload: JSON.parse(JSON.stringify(event.payload ?? null)),
      };
      if (event.actorId !== undefined) copy.actorId = event.actorId;
      if (event.actorType !== undefined) copy.actorType = event.actorType;
      if (event.entityId !== undefined) copy.entityId = event.entityId;
      if (event.entityType !== undefined) copy.entityType = event.entityType;
      return copy;
    });
    stored.sort((a, b) => a.seq - b.seq);
    for (const listener of this.committedListeners) {
      try {
        listener(stored);
      } catch {
        // A listener's failure must not fail the emit that committed.
      }
    }
  }

  /** Event id → its sequence. */
  private async write(tx: Tx, batch: Queued[]): Promise<Map<string, number>> {
    if (this.db.kind === "postgres") {
      await tx.query("plugin_event_outbox_lock", "SELECT pg_advisory_xact_lock($1, $2), pg_notify($3, '')", [
        ...OUTBOX_LOCK_KEY,
        DOMAIN_EVENTS_CHANNEL,
      ]);
    }
    const rows = await tx.query<{ seq: string; event_id: string }>("plugin_event_outbox_append", INSERT_SQL, [
      JSON.stringify(batch.map((item, ord) => ({ ...item.event, ord }))),
    ]);
    return new Map(rows.map((row) => [row.event_id, Number(row.seq)]));
  }
}

/**
 * The sink the host services' `events.emit` publishes to: it resolves when the event is durable. The host
 * services build the envelope (eventId, `plugin.<key>.<name>`, actor, companyId, payload).
 */
export class DurablePluginEventSink {
  constructor(private readonly appender: OutboxAppender) {}

  publish(event: PluginEvent): Promise<void> {
    return this.appender.append(event as DomainEvent);
  }
}
