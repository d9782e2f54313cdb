// Runs one mutation: the service's writes, its activity rows and its domain events commit together or not
// at all. Events go to the outbox table with a sequence taken last, under a transaction-scoped advisory
// lock on PostgreSQL, so sequence order equals commit order and consumers can read "everything after N".
import { randomUUID } from "node:crypto";
import type { Database, Tx } from "../db/database.js";
import { fromDatabaseError } from "../errors.js";
import type { Actor, ActorType, Clock } from "./actor.js";
import { ACTION_EVENT, type DomainEvent, type StoredDomainEvent, storedEvent } from "./event-types.js";
import { DOMAIN_EVENTS_CHANNEL, type EventNotifier, RUNS_CHANGED, touchesRuns } from "./notifier.js";

export const OUTBOX_LOCK_KEY = [0x5043, 2] as const;

export interface ActivityEntry {
  companyId: string;
  action: string;
  entityType: string;
  entityId: string;
  details?: Record<string, unknown> | null;
  /** defaults to the actor's agent */
  agentId?: string | null;
  /** defaults to the actor's run */
  runId?: string | null;
}

/** Envelope fields that differ from the activity row (run events are about the run, acted by its agent). */
export interface EventOverride {
  actorType?: ActorType;
  actorId?: string;
  entityType?: string;
  entityId?: string;
  payload?: Record<string, unknown>;
}

export interface ActivityRecord {
  id: string;
  companyId: string;
  actorType: ActorType;
  actorId: string;
  action: string;
  entityType: string;
  entityId: string;
  agentId: string | null;
  runId: string | null;
  responsibleUserId: string | null;
  details: Record<string, unknown> | null;
  createdAt: string;
}

export interface Mutation {
  readonly tx: Tx;
  readonly actor: Actor;
  /** One timestamp for the whole mutation. */
  readonly now: Date;
  /** Write an activity row; it emits its mapped domain event (if any) and `activity.logged`. */
  activity(entry: ActivityEntry, override?: EventOverride): ActivityRecord;
}

export class MutationRunner {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly notifier: EventNotifier,
  ) {}

  async run<T>(actor: Actor, body: (m: Mutation) => Promise<T>): Promise<T> {
    let committed: StoredDomainEvent[] = [];
    try {
      const result = await this.db.transaction(async (tx) => {
        const recorder = new Recorder(tx, actor, this.clock.now());
        const value = await body(recorder);
        committed = await this.flush(tx, recorder);
        return value;
      });
      if (committed.length > 0) this.notifier.notify(committed);
      return result;
    } catch (error) {
      throw fromDatabaseError(error) ?? error;
    }
  }

  /** Writes the mutation's activity rows and events; returns the events as stored, in sequence order. */
  private async flush(tx: Tx, recorder: Recorder): Promise<StoredDomainEvent[]> {
    if (recorder.events.length === 0) return [];
    if (this.db.kind === "postgres") {
      await tx.query("outbox_lock", "SELECT pg_advisory_xact_lock($1, $2), pg_notify($3, $4)", [
        ...OUTBOX_LOCK_KEY,
        DOMAIN_EVENTS_CHANNEL,
        recorder.events.some(touchesRuns) ? RUNS_CHANGED : "",
      ]);
    }
    const payloads = recorder.events.map((event) => JSON.stringify(event.payload));
    const rows = await flushStatement(tx, recorder.activities, recorder.events, payloads);
    const seqById = new Map(rows.map((row) => [row.event_id, Number(row.seq)]));
    const stored = recorder.events.map((event, i) =>
      storedEvent(event, seqById.get(event.eventId) as number, JSON.parse(payloads[i] as string)),
    );
    return stored.sort((a, b) => a.seq - b.seq);
  }
}

class Recorder implements Mutation {
  readonly activities: ActivityRecord[] = [];
  readonly events: DomainEvent[] = [];
  constructor(
    readonly tx: Tx,
    readonly actor: Actor,
    readonly now: Date,
  ) {}

  activity(entry: ActivityEntry, override?: EventOverride): ActivityRecord {
    const createdAt = this.now.toISOString();
    const record: ActivityRecord = {
      id: randomUUID(),
      companyId: entry.companyId,
      actorType: this.actor.type,
      actorId: this.actor.id,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      agentId: entry.agentId !== undefined ? entry.agentId : (this.actor.agentId ?? null),
      runId: entry.runId !== undefined ? entry.runId : (this.actor.runId ?? null),
      responsibleUserId: this.actor.userId ?? null,
      details: entry.details ?? null,
      createdAt,
    };
    this.activities.push(record);
    const eventType = ACTION_EVENT[entry.action];
    const details = record.details ?? {};
    if (eventType) {
      this.events.push({
        eventId: randomUUID(),
        eventType,
        occurredAt: createdAt,
        actorType: override?.actorType ?? record.actorType,
        actorId: override?.actorId ?? record.actorId,
        entityType: override?.entityType ?? record.entityType,
        entityId: override?.entityId ?? record.entityId,
        companyId: record.companyId,
        payload: override?.payload ?? {
          ...details,
          // As in the original the row's agent and run win, but a null never hides the details' own ids.
          agentId: record.agentId ?? details.agentId ?? null,
          runId: record.runId ?? details.runId ?? null,
          responsibleUserId: record.responsibleUserId,
        },
      });
    }
    this.events.push({
      eventId: randomUUID(),
      eventType: "activity.logged",
      occurredAt: createdAt,
      actorType: record.actorType,
      actorId: record.actorId,
      entityType: record.entityType,
      entityId: record.entityId,
      companyId: record.companyId,
      payload: { ...record },
    });
    return record;
  }
}

const ACTIVITY_COLUMNS = [
  "id",
  "company_id",
  "actor_type",
  "actor_id",
  "action",
  "entity_type",
  "entity_id",
  "agent_id",
  "run_id",
  "responsible_user_id",
  "details",
  "created_at",
] as const;
const EVENT_COLUMNS = [
  "event_id",
  "event_type",
  "company_id",
  "occurred_at",
  "actor_type",
  "actor_id",
  "entity_type",
  "entity_id",
  "payload",
] as const;
/** Shapes up to this size get their own prepared statement; larger batches use the JSON form. */
const MAX_PREPARED_ACTIVITIES = 8;
const flushSqlByShape = new Map<string, string>();

type FlushedRow = { seq: string; event_id: string };

/**
 * One statement writes all activity rows and all outbox events of the mutation. Plain VALUES lists (one
 * prepared statement per shape, e.g. 1 activity + 2 events) are markedly cheaper than decoding JSON in the
 * database, which matters most on the embedded engine.
 */
function flushStatement(tx: Tx, activities: ActivityRecord[], events: DomainEvent[], payloads: string[]) {
  if (activities.length > MAX_PREPARED_ACTIVITIES || events.length > MAX_PREPARED_ACTIVITIES * 2) {
    return tx.query<FlushedRow>("outbox_flush_json", FLUSH_JSON_SQL, [
      JSON.stringify(activities),
      JSON.stringify(events.map((event, ord) => ({ ...event, ord }))),
    ]);
  }
  const shape = `outbox_flush_${activities.length}_${events.length}`;
  let text = flushSqlByShape.get(shape);
  if (!text) {
    text = buildFlushSql(activities.length, events.length);
    flushSqlByShape.set(shape, text);
  }
  const values: unknown[] = [];
  for (const a of activities) {
    values.push(
      a.id,
      a.companyId,
      a.actorType,
      a.actorId,
      a.action,
      a.entityType,
      a.entityId,
      a.agentId,
      a.runId,
    );
    values.push(a.responsibleUserId, a.details === null ? null : JSON.stringify(a.details), a.createdAt);
  }
  events.forEach((e, i) => {
    values.push(e.eventId, e.eventType, e.companyId, e.occurredAt, e.actorType ?? null, e.actorId ?? null);
    values.push(e.entityType ?? null, e.entityId ?? null, payloads[i]);
  });
  return tx.query<FlushedRow>(shape, text, values);
}

function buildFlushSql(activityCount: number, eventCount: number): string {
  let n = 0;
  const row = (width: number, prefix = "") =>
    `(${prefix}${Array.from({ length: width }, () => `$${++n}`).join(", ")})`;
  const activityRows = Array.from({ length: activityCount }, () => row(ACTIVITY_COLUMNS.length)).join(
    ",\n  ",
  );
  // nextval in VALUES rows is evaluated row by row, in order, so sequence order follows the recorded order.
  const eventRows = Array.from({ length: eventCount }, () =>
    row(EVENT_COLUMNS.length, "nextval('domain_event_seq'), "),
  ).join(",\n  ");
  const insertEvents = `INSERT INTO domain_events (seq, ${EVENT_COLUMNS.join(", ")})
VALUES ${eventRows}
RETURNING seq, event_id`;
  if (activityCount === 0) return insertEvents;
  return `WITH activity AS (
  INSERT INTO activity_log (${ACTIVITY_COLUMNS.join(", ")})
  VALUES ${activityRows}
)
${insertEvents}`;
}

// The same in one statement for any number of rows, decoding JSON arrays in the database.
const FLUSH_JSON_SQL = `WITH activity AS (
  INSERT INTO activity_log (id, company_id, actor_type, actor_id, action, entity_type, entity_id, agent_id, run_id,
    responsible_user_id, details, created_at)
  SELECT a."id", a."companyId", a."actorType", a."actorId", a."action", a."entityType", a."entityId", a."agentId",
    a."runId", a."responsibleUserId", a."details", a."createdAt"
  FROM jsonb_to_recordset($1::jsonb) AS a("id" uuid, "companyId" uuid, "actorType" text, "actorId" text,
    "action" text, "entityType" text, "entityId" text, "agentId" uuid, "runId" uuid, "responsibleUserId" text,
    "details" jsonb, "createdAt" timestamptz)
)
INSERT INTO domain_events (seq, event_id, event_type, company_id, occurred_at, actor_type, actor_id, entity_type,
  entity_id, payload)
SELECT nextval('domain_event_seq'), e."eventId", e."eventType", e."companyId", e."occurredAt", e."actorType",
  e."actorId", e."entityType", e."entityId", e."payload"
FROM jsonb_to_recordset($2::jsonb) AS e("eventId" uuid, "eventType" text, "companyId" uuid,
  "occurredAt" timestamptz, "actorType" text, "actorId" text, "entityType" text, "entityId" text, "payload" jsonb,
  "ord" int)
ORDER BY e.ord
RETURNING seq, event_id`;
