// plugin_webhook_deliveries. A delivery is written before the worker sees it. A node handling one holds a lease
// (status pending); a queued delivery (worker unavailable) is claimed by whichever node locks it first
// (FOR UPDATE SKIP LOCKED) once that node runs the plugin's worker; a pending delivery whose node died (lease
// expired) is claimed again the same way. Outcomes are only written by the node holding the delivery.
import type { Database } from "../../db/database.js";
import type { StoredSeal } from "./headers.js";
import type { DeliveryRow, DeliveryStatus } from "./records.js";

export interface NewDelivery {
  id: string;
  pluginId: string;
  webhookKey: string;
  externalId: string | null;
  /** pending: this node handles it now (lease); queued: the worker is unavailable. */
  status: "pending" | "queued";
  contentType: string | null;
  rawBody: Buffer;
  payload: unknown;
  headers: Record<string, string>;
  sealedHeaders: StoredSeal | null;
  requestId: string;
  replayOf: string | null;
  nodeId: string;
  leaseUntil: Date | null;
  nextAttemptAt: Date | null;
  now: Date;
}

export interface DeliveryListQuery {
  limit: number;
  status?: DeliveryStatus;
  webhookKey?: string;
}

/** Columns of a list row (the body itself only in the detail). */
const LIST_COLUMNS = `id, plugin_id, company_id, webhook_key, external_id, status, content_type,
  octet_length(raw_body) AS body_bytes, payload, headers, request_id, replay_of, attempts, next_attempt_at,
  lease_expires_at, node_id, duration_ms, error, started_at, finished_at, created_at`;

export class DeliveryStore {
  constructor(private readonly db: Database) {}

  async insert(delivery: NewDelivery): Promise<void> {
    await this.db.query(
      "webhooks_insert",
      `INSERT INTO plugin_webhook_deliveries (id, plugin_id, webhook_key, external_id, status, content_type, raw_body,
         payload, headers, sealed_headers, request_id, replay_of, attempts, next_attempt_at, lease_expires_at, node_id,
         started_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10::jsonb, $11, $12, $13, $14, $15, $16, $17, $17)`,
      [
        delivery.id,
        delivery.pluginId,
        delivery.webhookKey,
        delivery.externalId,
        delivery.status,
        delivery.contentType,
        delivery.rawBody,
        delivery.payload === undefined ? null : JSON.stringify(delivery.payload),
        JSON.stringify(delivery.headers),
        delivery.sealedHeaders ? JSON.stringify(delivery.sealedHeaders) : null,
        delivery.requestId,
        delivery.replayOf,
        delivery.status === "pending" ? 1 : 0,
        delivery.nextAttemptAt,
        delivery.leaseUntil,
        delivery.nodeId,
        delivery.now,
      ],
    );
  }

  /** Record the outcome of the attempt this node holds; false when the delivery is no longer held by it. */
  async finish(
    id: string,
    nodeId: string,
    outcome: { status: "success" | "failed"; error: string | null; durationMs: number; finishedAt: Date },
  ): Promise<boolean> {
    const rows = await this.db.query(
      "webhooks_finish",
      `UPDATE plugin_webhook_deliveries SET status = $3, error = $4, duration_ms = $5, finished_at = $6,
         lease_expires_at = NULL, next_attempt_at = NULL
       WHERE id = $1 AND node_id = $2 AND status = 'pending' RETURNING id`,
      [id, nodeId, outcome.status, outcome.error, outcome.durationMs, outcome.finishedAt],
    );
    return rows.length > 0;
  }

  /** The worker was unavailable: hand the delivery back to the retry loop. */
  async requeue(id: string, nodeId: string, error: string, nextAttemptAt: Date): Promise<boolean> {
    const rows = await this.db.query(
      "webhooks_requeue",
      `UPDATE plugin_webhook_deliveries SET status = 'queued', error = $3, next_attempt_at = $4, lease_expires_at = NULL
       WHERE id = $1 AND node_id = $2 AND status = 'pending' RETURNING id`,
      [id, nodeId, error, nextAttemptAt],
    );
    return rows.length > 0;
  }

  /**
   * Claim up to `limit` deliveries of these plugins to handle on this node: queued ones that are due, and
   * pending ones whose node stopped (expired lease). Each claim counts an attempt.
   */
  async claimDue(
    pluginIds: readonly string[],
    now: Date,
    limit: number,
    nodeId: string,
    leaseUntil: Date,
  ): Promise<DeliveryRow[]> {
    if (pluginIds.length === 0 || limit <= 0) return [];
    return this.db.query<DeliveryRow>(
      "webhooks_claim_due",
      `WITH picked AS (
         SELECT id FROM plugin_webhook_deliveries
         WHERE plugin_id = ANY($1::uuid[])
           AND ((status = 'queued' AND next_attempt_at <= $2) OR (status = 'pending' AND lease_expires_at < $2))
         ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED
       )
       UPDATE plugin_webhook_deliveries d SET status = 'pending', node_id = $4, lease_expires_at = $5,
         attempts = d.attempts + 1, next_attempt_at = NULL
       FROM picked WHERE d.id = picked.id
       RETURNING d.*, octet_length(d.raw_body) AS body_bytes`,
      [pluginIds, now, limit, nodeId, leaseUntil],
    );
  }

  async list(pluginId: string, query: DeliveryListQuery): Promise<DeliveryRow[]> {
    return this.db.query<DeliveryRow>(
      "webhooks_list",
      `SELECT ${LIST_COLUMNS} FROM plugin_webhook_deliveries
       WHERE plugin_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR webhook_key = $3)
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [pluginId, query.status ?? null, query.webhookKey ?? null, query.limit],
    );
  }

  /** One delivery with its raw body and sealed headers. */
  async get(pluginId: string, id: string): Promise<DeliveryRow | null> {
    const rows = await this.db.query<DeliveryRow>(
      "webhooks_get",
      `SELECT *, octet_length(raw_body) AS body_bytes FROM plugin_webhook_deliveries WHERE plugin_id = $1 AND id = $2`,
      [pluginId, id],
    );
    return rows[0] ?? null;
  }

  async getById(id: string): Promise<DeliveryRow | null> {
    const rows = await this.db.query<DeliveryRow>(
      "webhooks_get_by_id",
      "SELECT *, octet_length(raw_body) AS body_bytes FROM plugin_webhook_deliveries WHERE id = $1",
      [id],
    );
    return rows[0] ?? null;
  }
}
