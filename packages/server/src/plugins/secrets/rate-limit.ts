// A token bucket per key (plugin): `capacity` calls at once, refilled at `perMinute` per minute. A worker that
// resolves secrets in a loop is slowed down with a clear error instead of hammering decryption and the database.
import type { Clock } from "../../domain/actor.js";

export interface RateLimitOptions {
  capacity: number;
  perMinute: number;
}

export const DEFAULT_SECRET_RATE_LIMIT: RateLimitOptions = { capacity: 30, perMinute: 30 };

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly clock: Clock,
  ) {}

  /** Take one token; returns 0 when allowed, else the milliseconds until the next token. */
  take(key: string): number {
    const now = this.clock.now().getTime();
    const perMs = this.options.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.options.capacity, at: now };
    bucket.tokens = Math.min(this.options.capacity, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / perMs);
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }
}
