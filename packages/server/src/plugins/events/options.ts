// Settings of event delivery, with the defaults docs/plugin-events.md describes.

export interface DeliveryOptions {
  /** onEvent requests in flight per plugin (1 = strictly one at a time). Default 64. */
  maxInFlight: number;
  /** Outbox rows read per page. Default 1 000. */
  pageSize: number;
  /** Failed attempts after which an event goes to the plugin's dead letters. Default 5. */
  maxAttempts: number;
  /** Delay before retry n is retryBaseMs × 2^(n−1), capped at retryMaxMs. Defaults 500 and 30 000. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Deadline of one onEvent request. Default 30 000. */
  eventTimeoutMs: number;
  /** How long a node's claim on a plugin's stream lasts without renewal. Default 45 000. */
  leaseTtlMs: number;
  /** How often the lease holder renews. Default 5 000. */
  leaseRenewMs: number;
  /** Cursor writes during a steady flow: at most one per this interval... Default 50. */
  cursorFlushMs: number;
  /** ...or one per this many delivered events. Default 2 000. */
  cursorFlushEvents: number;
  /** Safety-net poll of the outbox when no wake-up arrives. Default 1 000. */
  idlePollMs: number;
  /** How often the dispatcher looks for plugins started or stopped on this node. Default 200. */
  syncIntervalMs: number;
  /** Re-read a running plugin's subscriptions this often (subscriptions made after setup()). Default 2 000. */
  subscriptionRefreshMs: number;
  /** Look for replays queued on other nodes this often. Default 2 000. */
  replayPollMs: number;
  /** On stop, wait this long for requests in flight before writing the cursor. Default 5 000. */
  stopDrainMs: number;
  /** Newest outbox events kept in memory and shared by this node's streams. Default 20 000. */
  tailEvents: number;
}

export const DEFAULT_DELIVERY_OPTIONS: Readonly<DeliveryOptions> = Object.freeze({
  maxInFlight: 64,
  pageSize: 1_000,
  maxAttempts: 5,
  retryBaseMs: 500,
  retryMaxMs: 30_000,
  eventTimeoutMs: 30_000,
  leaseTtlMs: 45_000,
  leaseRenewMs: 5_000,
  cursorFlushMs: 50,
  cursorFlushEvents: 2_000,
  idlePollMs: 1_000,
  syncIntervalMs: 200,
  subscriptionRefreshMs: 2_000,
  replayPollMs: 2_000,
  stopDrainMs: 5_000,
  tailEvents: 20_000,
});

/** Merge and check: every setting must be a positive number (names the bad one). */
export function resolveDeliveryOptions(partial: Partial<DeliveryOptions> = {}): DeliveryOptions {
  const merged = { ...DEFAULT_DELIVERY_OPTIONS, ...partial };
  for (const [key, value] of Object.entries(merged)) {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new Error(`event delivery option ${key} must be a positive number (got ${String(value)})`);
    }
  }
  // The holder stops sending eventTimeoutMs before its lease could expire, and must renew before that.
  if (merged.leaseRenewMs + merged.eventTimeoutMs >= merged.leaseTtlMs) {
    throw new Error(
      `event delivery options: leaseTtlMs (${merged.leaseTtlMs}) must be longer than leaseRenewMs ` +
        `(${merged.leaseRenewMs}) + eventTimeoutMs (${merged.eventTimeoutMs})`,
    );
  }
  return merged;
}

/** Delay before retry number `attempt` (1-based). */
export function retryDelayMs(
  options: Pick<DeliveryOptions, "retryBaseMs" | "retryMaxMs">,
  attempt: number,
): number {
  return Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** Math.max(0, attempt - 1));
}
