// Plugin-emitted events (`ctx.events.emit` → `plugin.<pluginKey>.<name>`, reference §5.4) go into the same
// outbox as domain events, so the same dispatcher delivers them durably and in order. Emits arriving together
// share one transaction (group commit): each caller's promise settles when its event is committed, which is
// when the worker's `events.emit` call is answered. Sequences are taken under the outbox advisory lock, exactly
// as the domain's MutationRunner does, so sequence order stays commit order on PostgreSQL.
import type { PluginEvent } from "@paperclipai/plugin-sdk/types";
import type { Database, Tx } from "../../db/database.js";
import { type DomainEvent, type StoredDomainEvent, storedEvent } from "../../domain/event-types.js";
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

export class OutboxAppender {
  private queue: Queued[] = [];
  private draining = false;
  private readonly maxBatch: number;

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
          const stored = await this.db.transaction((tx) => this.write(tx, batch));
          this.notifier.notify(stored);
          for (const item of batch) item.resolve();
        } catch (error) {
          for (const item of batch) item.reject(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** Writes the batch; returns its events as stored, in sequence order. */
  private async write(tx: Tx, batch: Queued[]): Promise<StoredDomainEvent[]> {
    if (this.db.kind === "postgres") {
      await tx.query("plugin_event_outbox_lock", "SELECT pg_advisory_xact_lock($1, $2), pg_notify($3, '')", [
        ...OUTBOX_LOCK_KEY,
        DOMAIN_EVENTS_CHANNEL,
      ]);
    }
    const json = JSON.stringify(batch.map((item, ord) => ({ ...item.event, ord })));
    const rows = await tx.query<{ seq: string; event_id: string }>("plugin_event_outbox_append", INSERT_SQL, [
      json,
    ]);
    const seqById = new Map(rows.map((row) => [row.event_id, Number(row.seq)]));
    // Parsing what was sent gives each consumer the payload in its stored form, without a read.
    const sent = JSON.parse(json) as DomainEvent[];
    const stored = sent.map((event) =>
      storedEvent(event, seqById.get(event.eventId) as number, event.payload ?? null),
    );
    return stored.sort((a, b) => a.seq - b.seq);
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
