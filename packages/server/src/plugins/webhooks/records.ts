// Webhook delivery records as the API returns them: the published PluginWebhookDeliveryRecord fields (reference
// §7; timestamps as ISO strings) plus the endpoint key, content type, size, attempts and replay link. The
// detail adds the raw body.
import type { StoredSeal } from "./headers.js";

/**
 * pending: being handled now · queued: the worker was unavailable, it is handled when the worker is back ·
 * success · failed (the handler threw, timed out, or the worker kept dying on it).
 */
export const DELIVERY_STATUSES = ["pending", "queued", "success", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface PluginWebhookDeliveryRecord {
  id: string;
  pluginId: string;
  companyId: string | null;
  webhookKey: string;
  /** The sender's delivery id when it sends one (webhook-id, x-github-delivery, …). */
  externalId: string | null;
  status: DeliveryStatus;
  durationMs: number | null;
  error: string | null;
  /** Parsed body (JSON or form); {} for other content types. */
  payload: unknown;
  /** Request headers; secret-looking values are "[REDACTED]". */
  headers: Record<string, string>;
  contentType: string | null;
  bodyBytes: number;
  requestId: string;
  /** The delivery this one replays. */
  replayOf: string | null;
  /** Worker calls made for it so far. */
  attempts: number;
  /** When a queued delivery is tried next. */
  nextAttemptAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
}

export interface PluginWebhookDeliveryDetail extends PluginWebhookDeliveryRecord {
  /** The body as received, decoded as UTF-8. */
  rawBody: string;
}

export interface DeliveryRow extends Record<string, unknown> {
  id: string;
  plugin_id: string;
  company_id: string | null;
  webhook_key: string;
  external_id: string | null;
  status: DeliveryStatus;
  content_type: string | null;
  raw_body?: Buffer;
  body_bytes: number;
  payload: unknown;
  headers: Record<string, string>;
  sealed_headers?: StoredSeal | null;
  request_id: string;
  replay_of: string | null;
  attempts: number;
  next_attempt_at: Date | string | null;
  lease_expires_at: Date | string | null;
  node_id: string | null;
  duration_ms: number | null;
  error: string | null;
  started_at: Date | string | null;
  finished_at: Date | string | null;
  created_at: Date | string;
}

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();
const isoOrNull = (value: Date | string | null): string | null => (value === null ? null : iso(value));

export function toDeliveryRecord(row: DeliveryRow): PluginWebhookDeliveryRecord {
  return {
    id: row.id,
    pluginId: row.plugin_id,
    companyId: row.company_id,
    webhookKey: row.webhook_key,
    externalId: row.external_id,
    status: row.status,
    durationMs: row.duration_ms,
    error: row.error,
    payload: row.payload ?? {},
    headers: row.headers ?? {},
    contentType: row.content_type,
    bodyBytes: Number(row.body_bytes ?? 0),
    requestId: row.request_id,
    replayOf: row.replay_of,
    attempts: row.attempts,
    nextAttemptAt: isoOrNull(row.next_attempt_at),
    startedAt: isoOrNull(row.started_at),
    finishedAt: isoOrNull(row.finished_at),
    createdAt: iso(row.created_at),
  };
}

export function toDeliveryDetail(row: DeliveryRow): PluginWebhookDeliveryDetail {
  return { ...toDeliveryRecord(row), rawBody: (row.raw_body ?? Buffer.alloc(0)).toString("utf8") };
}
