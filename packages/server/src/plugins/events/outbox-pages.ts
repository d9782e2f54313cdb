// Reads the domain outbox for one plugin's stream: a page of events after its position whose type it subscribes
// to, and the outbox head seen by the same statement. Outbox writers take their sequence under one advisory
// lock and hold it until commit (src/domain/unit-of-work.ts, plugin-event-writer.ts), so sequence order is
// commit order: once the head is visible, no event with a lower sequence can still appear, and a reader may
// move past every sequence up to the head even when the page skipped non-matching types.
import type { Database } from "../../db/database.js";
import type { StoredDomainEvent } from "../../domain/event-types.js";
import type { TypeSelection } from "./subscription-matcher.js";

export interface OutboxPage {
  /** The highest committed sequence when the page was read. */
  head: number;
  /** Matching events with afterSeq < seq <= head, in sequence order. */
  events: StoredDomainEvent[];
}

function pageSql(typeCondition: string, limitParam: string): string {
  return `WITH h AS (SELECT coalesce(max(seq), 0) AS head FROM domain_events)
SELECT h.head, e.seq, e.event_id, e.event_type, e.company_id, e.occurred_at, e.actor_type, e.actor_id,
       e.entity_type, e.entity_id, e.payload
FROM h LEFT JOIN LATERAL (
  SELECT * FROM domain_events d
  WHERE d.seq > $1::bigint AND d.seq <= h.head${typeCondition}
  ORDER BY d.seq
  LIMIT ${limitParam}
) e ON true
ORDER BY e.seq`;
}

const PAGE_SQL = pageSql(
  "\n    AND (d.event_type = ANY($2::text[]) OR d.event_type LIKE ANY($3::text[]))",
  "$4",
);
const PAGE_ALL_SQL = pageSql("", "$2");

type PageRow = {
  head: string | number;
  seq: string | number | null;
  event_id: string;
  event_type: string;
  company_id: string;
  occurred_at: Date | string;
  actor_type: string | null;
  actor_id: string | null;
  entity_type: string | null;
  entity_id: string | null;
  payload: Record<string, unknown>;
};

function toEvent(row: PageRow): StoredDomainEvent {
  const event: StoredDomainEvent = {
    seq: Number(row.seq),
    eventId: row.event_id,
    eventType: row.event_type,
    occurredAt: new Date(row.occurred_at).toISOString(),
    companyId: row.company_id,
    payload: row.payload,
  };
  if (row.actor_id !== null) event.actorId = row.actor_id;
  if (row.actor_type !== null) event.actorType = row.actor_type as StoredDomainEvent["actorType"];
  if (row.entity_id !== null) event.entityId = row.entity_id;
  if (row.entity_type !== null) event.entityType = row.entity_type;
  return event;
}

function toPage(rows: PageRow[]): OutboxPage {
  const head = rows.length > 0 ? Number(rows[0]?.head) : 0;
  const events: StoredDomainEvent[] = [];
  for (const row of rows) if (row.seq !== null) events.push(toEvent(row));
  return { head, events };
}

export class OutboxPages {
  constructor(private readonly db: Database) {}

  async read(afterSeq: number, limit: number, types: TypeSelection): Promise<OutboxPage> {
    const rows = await this.db.query<PageRow>("plugin_event_outbox_page", PAGE_SQL, [
      afterSeq,
      types.exact,
      types.prefixes,
      limit,
    ]);
    return toPage(rows);
  }

  /** The same for every event type (the shared tail). */
  async readAll(afterSeq: number, limit: number): Promise<OutboxPage> {
    return toPage(
      await this.db.query<PageRow>("plugin_event_outbox_page_all", PAGE_ALL_SQL, [afterSeq, limit]),
    );
  }

  /** The highest committed sequence (0 for an empty outbox). */
  async head(): Promise<number> {
    const rows = await this.db.query<{ head: string | number }>(
      "plugin_event_outbox_head",
      "SELECT coalesce(max(seq), 0) AS head FROM domain_events",
      [],
    );
    return Number(rows[0]?.head ?? 0);
  }
}

/** The envelope a worker receives (reference §5.2): the stored event without its outbox position. */
export function envelopeOf(event: StoredDomainEvent): Omit<StoredDomainEvent, "seq"> {
  const { seq: _seq, ...envelope } = event;
  return envelope;
}
