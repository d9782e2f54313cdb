// Job settings: the instance defaults (from the environment) and the operator's per-job overrides, checked
// with messages that name the field and the rule.
import { badRequest } from "../../errors.js";
import { DEFAULT_TIME_ZONE, isValidTimeZone } from "./cron.js";
import {
  type JobDefaults,
  type JobSettings,
  MISFIRE_POLICIES,
  type MisfirePolicy,
  type RetryPolicy,
} from "./records.js";

export const JOBS_TIME_ZONE_ENV = "PAPERCLIP_JOBS_TIME_ZONE";
export const JOBS_MISFIRE_POLICY_ENV = "PAPERCLIP_JOBS_MISFIRE_POLICY";
export const JOBS_SHUTDOWN_GRACE_ENV = "PAPERCLIP_JOBS_SHUTDOWN_GRACE_MS";

/** How long a stopping host waits for job runs in flight (PAPERCLIP_JOBS_SHUTDOWN_GRACE_MS), or undefined. */
export function shutdownGraceFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[JOBS_SHUTDOWN_GRACE_ENV]?.trim();
  if (!raw) return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0) {
    throw new Error(`${JOBS_SHUTDOWN_GRACE_ENV} must be a whole number of milliseconds >= 0 (got "${raw}")`);
  }
  return ms;
}

export const RETRY_LIMITS = {
  minAttempts: 2,
  maxAttempts: 10,
  minBackoffMs: 100,
  maxBackoffMs: 24 * 60 * 60_000,
  maxMultiplier: 10,
} as const;
export const MAX_JOB_TIMEOUT_MS = 2_147_483_647;

/** Instance defaults: PAPERCLIP_JOBS_TIME_ZONE (default UTC), PAPERCLIP_JOBS_MISFIRE_POLICY (default skip). */
export function jobDefaultsFromEnv(env: NodeJS.ProcessEnv = process.env): JobDefaults {
  const timeZone = env[JOBS_TIME_ZONE_ENV]?.trim() || DEFAULT_TIME_ZONE;
  if (!isValidTimeZone(timeZone)) {
    throw new Error(
      `${JOBS_TIME_ZONE_ENV} must be an IANA time zone such as "Europe/Berlin" (got "${timeZone}")`,
    );
  }
  const misfire = env[JOBS_MISFIRE_POLICY_ENV]?.trim() || "skip";
  if (!MISFIRE_POLICIES.includes(misfire as MisfirePolicy)) {
    throw new Error(
      `${JOBS_MISFIRE_POLICY_ENV} must be one of ${MISFIRE_POLICIES.join(", ")} (got "${misfire}")`,
    );
  }
  return { timeZone, misfirePolicy: misfire as MisfirePolicy };
}

/**
 * A PATCH body: each field present replaces the override; null restores the default. `status` pauses the job
 * ("paused": it does not tick until resumed) or resumes it ("active").
 */
export type JobSettingsPatch = Partial<{
  status: "active" | "paused";
  timeZone: string | null;
  misfirePolicy: MisfirePolicy | null;
  timeoutMs: number | null;
  retry: Partial<RetryPolicy> | null;
}>;

/** The JSON Schema of the PATCH body (the route validates shapes; checkSettingsPatch checks the rules). */
export const jobSettingsBodySchema = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    status: {
      type: "string",
      enum: ["active", "paused"],
      description: '"paused": the job does not tick (nor run) until set back to "active"',
    },
    timeZone: {
      type: ["string", "null"],
      maxLength: 100,
      description: 'IANA time zone, e.g. "Europe/Berlin"',
    },
    misfirePolicy: { type: ["string", "null"], enum: [...MISFIRE_POLICIES, null] },
    timeoutMs: { type: ["integer", "null"], minimum: 1, maximum: MAX_JOB_TIMEOUT_MS },
    retry: {
      type: ["object", "null"],
      additionalProperties: false,
      required: ["maxAttempts"],
      properties: {
        maxAttempts: { type: "integer" },
        backoffMs: { type: "integer" },
        multiplier: { type: "number" },
        maxBackoffMs: { type: "integer" },
      },
    },
  },
} as const;

/** Merge a patch into the stored settings, or throw 400 naming the field and the rule. */
export function applySettingsPatch(current: JobSettings, patch: JobSettingsPatch): JobSettings {
  const known = ["timeZone", "misfirePolicy", "timeoutMs", "retry"];
  if (!known.some((field) => Object.hasOwn(patch, field))) {
    throw badRequest(
      `Nothing to change: send at least one of status, ${known.join(", ")} (a job's schedule comes from the plugin's manifest)`,
    );
  }
  const next: JobSettings = { ...current };
  if (patch.timeZone !== undefined) {
    if (patch.timeZone !== null && !isValidTimeZone(patch.timeZone)) {
      throw badRequest(
        `timeZone: "${patch.timeZone}" is not a valid IANA time zone (e.g. "Europe/Berlin", "UTC")`,
      );
    }
    next.timeZone = patch.timeZone;
  }
  if (patch.misfirePolicy !== undefined) {
    if (patch.misfirePolicy !== null && !MISFIRE_POLICIES.includes(patch.misfirePolicy)) {
      throw badRequest(`misfirePolicy must be one of ${MISFIRE_POLICIES.join(", ")} or null`);
    }
    next.misfirePolicy = patch.misfirePolicy;
  }
  if (patch.timeoutMs !== undefined) {
    if (patch.timeoutMs !== null && !(Number.isInteger(patch.timeoutMs) && patch.timeoutMs >= 1)) {
      throw badRequest("timeoutMs must be a positive whole number of milliseconds or null");
    }
    next.timeoutMs = patch.timeoutMs;
  }
  if (patch.retry !== undefined) next.retry = patch.retry === null ? null : checkRetryPolicy(patch.retry);
  return next;
}

export function checkRetryPolicy(input: Partial<RetryPolicy>): RetryPolicy {
  const maxAttempts = input.maxAttempts;
  if (
    !Number.isInteger(maxAttempts) ||
    (maxAttempts as number) < RETRY_LIMITS.minAttempts ||
    (maxAttempts as number) > RETRY_LIMITS.maxAttempts
  ) {
    throw badRequest(
      `retry.maxAttempts must be a whole number from ${RETRY_LIMITS.minAttempts} to ${RETRY_LIMITS.maxAttempts} ` +
        "(attempts in total, the first run included)",
    );
  }
  const backoffMs = input.backoffMs ?? 30_000;
  if (
    !Number.isInteger(backoffMs) ||
    backoffMs < RETRY_LIMITS.minBackoffMs ||
    backoffMs > RETRY_LIMITS.maxBackoffMs
  ) {
    throw badRequest(
      `retry.backoffMs must be a whole number of milliseconds from ${RETRY_LIMITS.minBackoffMs} to ${RETRY_LIMITS.maxBackoffMs}`,
    );
  }
  const multiplier = input.multiplier ?? 2;
  if (typeof multiplier !== "number" || !(multiplier >= 1 && multiplier <= RETRY_LIMITS.maxMultiplier)) {
    throw badRequest(`retry.multiplier must be a number from 1 to ${RETRY_LIMITS.maxMultiplier}`);
  }
  const maxBackoffMs = input.maxBackoffMs ?? Math.max(backoffMs, 60 * 60_000);
  if (
    !Number.isInteger(maxBackoffMs) ||
    maxBackoffMs < backoffMs ||
    maxBackoffMs > RETRY_LIMITS.maxBackoffMs
  ) {
    throw badRequest(
      `retry.maxBackoffMs must be a whole number of milliseconds from retry.backoffMs (${backoffMs}) to ${RETRY_LIMITS.maxBackoffMs}`,
    );
  }
  return { maxAttempts: maxAttempts as number, backoffMs, multiplier, maxBackoffMs };
}

/** Delay before attempt `failedAttempt + 1`. */
export function retryDelayMs(policy: RetryPolicy, failedAttempt: number): number {
  const delay = policy.backoffMs * policy.multiplier ** Math.max(0, failedAttempt - 1);
  return Math.min(Math.round(delay), policy.maxBackoffMs);
}
