// Per-plugin delivery cursor and delivery lease (table plugin_event_cursors). Every write names the lease owner,
// so a node that lost its lease (another node took over after it expired) can no longer move the cursor.
// Lease times are the database's clock, so nodes with skewed clocks still agree on expiry.
import type { Database, Tx } from "../../db/database.js";
import { EVENT_STREAM_CHANNEL } from "./wake-listener.js";

/** The cursor as a node sees it after claiming the lease. */
export interface ClaimedCursor {
  lastSeq: number;
  /** The event at the head of the stream that failed before, and how often (survives restarts). */
  retry: { seq: number; attempts: number } | null;
}

export interface CursorStatus {
  pluginId: string;
  lastSeq: number;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  retrySeq: number | null;
  retryAttempts: number;
  retryError: string | null;
  updatedAt: string;
}

const iso = (value: unknown): string | null =>
  value === null || value === undefined ? null : new Date(value as string | Date).toISOString();

export class CursorStore {
  constructor(private readonly db: Database) {}

  /**
   * Create the plugin's cursor at the outbox head when it has none (its first subscription): delivery starts
   * there, so no event committed afterwards is missed. A cursor that exists is left as it is. `on` runs the
   * statement inside a caller's transaction.
   */
  async ensureAtHead(pluginId: string, on: Pick<Tx, "query"> = this.db): Promise<void> {
    await on.query(
      "plugin_event_cursor_ensure",
      `INSERT INTO plugin_event_cursors (plugin_id, last_seq)
       SELECT $1, coalesce(max(seq), 0) FROM domain_events
       ON CONFLICT (plugin_id) DO NOTHING`,
      [pluginId],
    );
  }

  /**
   * Take (or renew) the plugin's lease for `ttlMs`; the cursor row is created at the outbox head when the plugin
   * has none yet (its first subscription). Null when another node holds an unexpired lease.
   */
  async claim(pluginId: string, owner: string, ttlMs: number): Promise<ClaimedCursor | null> {
    const rows = await this.db.query<{ last_seq: string; retry_seq: string | null; retry_attempts: number }>(
      "plugin_event_cursor_claim",
      `INSERT INTO plugin_event_cursors AS c (plugin_id, last_seq, lease_owner, lease_expires_at)
       VALUES ($1, (SELECT coalesce(max(seq), 0) FROM domain_events), $2,
               clock_timestamp() + $3::int * interval '1 millisecond')
       ON CONFLICT (plugin_id) DO UPDATE
         SET lease_owner = EXCLUDED.lease_owner, lease_expires_at = EXCLUDED.lease_expires_at, updated_at = now()
         WHERE c.lease_owner IS NULL OR c.lease_owner = EXCLUDED.lease_owner OR c.lease_expires_at < clock_timestamp()
       RETURNING last_seq, retry_seq, retry_attempts`,
      [pluginId, owner, Math.round(ttlMs)],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      lastSeq: Number(row.last_seq),
      retry: row.retry_seq === null ? null : { seq: Number(row.retry_seq), attempts: row.retry_attempts },
    };
  }

  /** Move the cursor forward (never back) and renew the lease. False when the lease is no longer ours. */
  async advance(pluginId: string, owner: string, lastSeq: number, ttlMs: number): Promise<boolean> {
    const rows = await this.db.query(
      "plugin_event_cursor_advance",
      `UPDATE plugin_event_cursors
         SET last_seq = GREATEST(last_seq, $3::bigint),
             lease_expires_at = clock_timestamp() + $4::int * interval '1 millisecond',
             retry_seq = CASE WHEN retry_seq <= $3::bigint THEN NULL ELSE retry_seq END,
             retry_attempts = CASE WHEN retry_seq <= $3::bigint THEN 0 ELSE retry_attempts END,
             retry_error = CASE WHEN retry_seq <= $3::bigint THEN NULL ELSE retry_error END,
             updated_at = now()
       WHERE plugin_id = $1 AND lease_owner = $2
       RETURNING 1 AS ok`,
      [pluginId, owner, lastSeq, Math.round(ttlMs)],
    );
    return rows.length > 0;
  }

  /** Remember a failed attempt of the event at the head of the stream. False when the lease is not ours. */
  async recordRetry(
    pluginId: string,
    owner: string,
    seq: number,
    attempts: number,
    error: string,
  ): Promise<boolean> {
    const rows = await this.db.query(
      "plugin_event_cursor_retry",
      `UPDATE plugin_event_cursors SET retry_seq = $3, retry_attempts = $4, retry_error = $5, updated_at = now()
       WHERE plugin_id = $1 AND lease_owner = $2 RETURNING 1 AS ok`,
      [pluginId, owner, seq, attempts, error],
    );
    return rows.length > 0;
  }

  /** Give the lease up (graceful stop) and tell the other nodes, so one of them takes the stream at once. */
  async release(pluginId: string, owner: string): Promise<void> {
    await this.db.query(
      "plugin_event_cursor_release",
      `UPDATE plugin_event_cursors SET lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE plugin_id = $1 AND lease_owner = $2`,
      [pluginId, owner],
    );
    if (this.db.kind === "postgres") {
      await this.db.query("plugin_event_stream_notify", "SELECT pg_notify($1, $2)", [
        EVENT_STREAM_CHANNEL,
        pluginId,
      ]);
    }
  }

  async get(pluginId: string): Promise<CursorStatus | null> {
    const rows = await this.db.query(
      "plugin_event_cursor_get",
      "SELECT * FROM plugin_event_cursors WHERE plugin_id = $1",
      [pluginId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      pluginId: String(row.plugin_id),
      lastSeq: Number(row.last_seq),
      leaseOwner: (row.lease_owner as string | null) ?? null,
      leaseExpiresAt: iso(row.lease_expires_at),
      retrySeq: row.retry_seq === null ? null : Number(row.retry_seq),
      retryAttempts: Number(row.retry_attempts),
      retryError: (row.retry_error as string | null) ?? null,
      updatedAt: iso(row.updated_at) as string,
    };
  }
}
