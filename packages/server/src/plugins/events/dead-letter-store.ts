// Events a plugin could not handle after every attempt (table plugin_event_dead_letters), with the last error.
// One row per (plugin, outbox seq): an event that dies again after a restart or a replay updates its row.
import type { Database } from "../../db/database.js";
import type { DomainEvent } from "../../domain/event-types.js";

export const DEAD_LETTER_STATUSES = ["dead", "replay_pending", "replayed"] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

export interface DeadLetter {
  id: string;
  pluginId: string;
  seq: number;
  eventId: string;
  eventType: string;
  companyId: string;
  event: DomainEvent;
  status: DeadLetterStatus;
  attempts: number;
  error: string;
  errorCode: number | null;
  replayCount: number;
  createdAt: string;
  updatedAt: string;
  replayedAt: string | null;
}

export interface DeadLetterInput {
  seq: number;
  event: DomainEvent;
  attempts: number;
  error: string;
  errorCode: number | null;
}

export interface DeadLetterCounts {
  dead: number;
  replayPending: number;
  replayed: number;
}

const iso = (value: unknown): string | null =>
  value === null || value === undefined ? null : new Date(value as string | Date).toISOString();

function toDeadLetter(row: Record<string, unknown>): DeadLetter {
  return {
    id: String(row.id),
    pluginId: String(row.plugin_id),
    seq: Number(row.seq),
    eventId: String(row.event_id),
    eventType: String(row.event_type),
    companyId: String(row.company_id),
    event: row.event as DomainEvent,
    status: row.status as DeadLetterStatus,
    attempts: Number(row.attempts),
    error: String(row.error),
    errorCode: row.error_code === null ? null : Number(row.error_code),
    replayCount: Number(row.replay_count),
    createdAt: iso(row.created_at) as string,
    updatedAt: iso(row.updated_at) as string,
    replayedAt: iso(row.replayed_at),
  };
}

/** Outcome of a replay request. */
export type ReplayRequest =
  | { kind: "queued"; deadLetter: DeadLetter }
  | { kind: "not_found" }
  | { kind: "already_pending"; deadLetter: DeadLetter };

export class DeadLetterStore {
  constructor(private readonly db: Database) {}

  async record(pluginId: string, input: DeadLetterInput): Promise<DeadLetter> {
    const rows = await this.db.query(
      "plugin_event_dead_letter_record",
      `INSERT INTO plugin_event_dead_letters AS d
         (plugin_id, seq, event_id, event_type, company_id, event, status, attempts, error, error_code)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, 'dead', $7, $8, $9)
       ON CONFLICT ON CONSTRAINT plugin_event_dead_letters_event_key DO UPDATE
         SET status = 'dead', attempts = d.attempts + EXCLUDED.attempts, error = EXCLUDED.error,
             error_code = EXCLUDED.error_code, updated_at = now()
       RETURNING *`,
      [
        pluginId,
        input.seq,
        input.event.eventId,
        input.event.eventType,
        input.event.companyId,
        JSON.stringify(input.event),
        input.attempts,
        input.error,
        input.errorCode,
      ],
    );
    return toDeadLetter(rows[0] as Record<string, unknown>);
  }

  /** Newest first. */
  async list(pluginId: string, options: { status?: DeadLetterStatus; limit: number }): Promise<DeadLetter[]> {
    const rows = await this.db.query(
      "plugin_event_dead_letter_list",
      `SELECT * FROM plugin_event_dead_letters
       WHERE plugin_id = $1 AND ($2::text IS NULL OR status = $2)
       ORDER BY created_at DESC, seq DESC LIMIT $3`,
      [pluginId, options.status ?? null, options.limit],
    );
    return rows.map(toDeadLetter);
  }

  async get(pluginId: string, id: string): Promise<DeadLetter | null> {
    const rows = await this.db.query(
      "plugin_event_dead_letter_get",
      "SELECT * FROM plugin_event_dead_letters WHERE plugin_id = $1 AND id = $2",
      [pluginId, id],
    );
    return rows[0] ? toDeadLetter(rows[0]) : null;
  }

  /** Queue a replay: the node holding the plugin's lease delivers it. */
  async requestReplay(pluginId: string, id: string): Promise<ReplayRequest> {
    const rows = await this.db.query(
      "plugin_event_dead_letter_replay",
      `UPDATE plugin_event_dead_letters SET status = 'replay_pending', updated_at = now()
       WHERE plugin_id = $1 AND id = $2 AND status <> 'replay_pending' RETURNING *`,
      [pluginId, id],
    );
    if (rows[0]) return { kind: "queued", deadLetter: toDeadLetter(rows[0]) };
    const existing = await this.get(pluginId, id);
    return existing ? { kind: "already_pending", deadLetter: existing } : { kind: "not_found" };
  }

  /** Replays waiting for delivery, oldest request first. */
  async pendingReplays(pluginId: string, limit: number): Promise<DeadLetter[]> {
    const rows = await this.db.query(
      "plugin_event_dead_letter_pending",
      `SELECT * FROM plugin_event_dead_letters WHERE plugin_id = $1 AND status = 'replay_pending'
       ORDER BY updated_at, seq LIMIT $2`,
      [pluginId, limit],
    );
    return rows.map(toDeadLetter);
  }

  async markReplayed(id: string): Promise<void> {
    await this.db.query(
      "plugin_event_dead_letter_replayed",
      `UPDATE plugin_event_dead_letters
       SET status = 'replayed', replay_count = replay_count + 1, replayed_at = now(), updated_at = now()
       WHERE id = $1`,
      [id],
    );
  }

  /** The replay failed every attempt too: back to `dead` with the new error. */
  async markDeadAgain(id: string, attempts: number, error: string, errorCode: number | null): Promise<void> {
    await this.db.query(
      "plugin_event_dead_letter_dead_again",
      `UPDATE plugin_event_dead_letters
       SET status = 'dead', replay_count = replay_count + 1, attempts = attempts + $2, error = $3,
           error_code = $4, updated_at = now()
       WHERE id = $1`,
      [id, attempts, error, errorCode],
    );
  }

  async counts(pluginId: string): Promise<DeadLetterCounts> {
    const rows = await this.db.query<{ status: DeadLetterStatus; count: string }>(
      "plugin_event_dead_letter_counts",
      "SELECT status, count(*) AS count FROM plugin_event_dead_letters WHERE plugin_id = $1 GROUP BY status",
      [pluginId],
    );
    const counts: DeadLetterCounts = { dead: 0, replayPending: 0, replayed: 0 };
    for (const row of rows) {
      if (row.status === "dead") counts.dead = Number(row.count);
      else if (row.status === "replay_pending") counts.replayPending = Number(row.count);
      else counts.replayed = Number(row.count);
    }
    return counts;
  }
}
