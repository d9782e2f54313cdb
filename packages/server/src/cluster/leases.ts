// How long a node's claim on shared work lasts (docs/scale-out.md): the event delivery lease of a plugin's stream,
// a webhook delivery being handled, a job run in progress. A node that stops gracefully gives its leases up at
// once; a node that dies keeps them until they expire, and then another node takes the work over. Shorter leases
// mean a faster takeover after a crash and more renewal writes. The defaults suit production; tests shorten them.
import type { DeliveryOptions } from "../plugins/events/options.js";

export const EVENT_LEASE_TTL_ENV = "PAPERCLIP_EVENT_LEASE_TTL_MS";
export const EVENT_LEASE_RENEW_ENV = "PAPERCLIP_EVENT_LEASE_RENEW_MS";
export const EVENT_TIMEOUT_ENV = "PAPERCLIP_EVENT_TIMEOUT_MS";
export const WEBHOOK_LEASE_ENV = "PAPERCLIP_WEBHOOK_LEASE_MS";
export const JOB_LEASE_ENV = "PAPERCLIP_JOB_LEASE_MS";

export interface LeaseSettings {
  /** leaseTtlMs, leaseRenewMs, eventTimeoutMs when set (checked together by resolveDeliveryOptions). */
  eventDelivery: Partial<Pick<DeliveryOptions, "leaseTtlMs" | "leaseRenewMs" | "eventTimeoutMs">>;
  /** Lease of a webhook delivery a node handles (default 5 min). */
  webhookLeaseMs?: number;
  /** Lease of a job run a node runs, renewed every third of it (default 60 s). */
  jobLeaseMs?: number;
}

function milliseconds(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new Error(`${name} must be a whole number of milliseconds greater than 0 (got "${raw}")`);
  }
  return ms;
}

/** The lease settings set in the environment; unset ones keep their defaults. */
export function leaseSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): LeaseSettings {
  const eventDelivery: LeaseSettings["eventDelivery"] = {};
  const ttl = milliseconds(env, EVENT_LEASE_TTL_ENV);
  const renew = milliseconds(env, EVENT_LEASE_RENEW_ENV);
  const timeout = milliseconds(env, EVENT_TIMEOUT_ENV);
  if (ttl !== undefined) eventDelivery.leaseTtlMs = ttl;
  if (renew !== undefined) eventDelivery.leaseRenewMs = renew;
  if (timeout !== undefined) eventDelivery.eventTimeoutMs = timeout;
  return {
    eventDelivery,
    webhookLeaseMs: milliseconds(env, WEBHOOK_LEASE_ENV),
    jobLeaseMs: milliseconds(env, JOB_LEASE_ENV),
  };
}
