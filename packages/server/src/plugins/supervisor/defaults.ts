/**
 * Default timeouts, crash policy and flood limits. Timeouts follow the original host (reference §3.4)
 * so plugins written for it behave the same; the crash policy and limits are ours (see
 * docs/plugin-supervisor.md for why they differ).
 */
import type { CrashPolicy, FloodLimits, SupervisorTimeouts } from "./types.js";

export const DEFAULT_TIMEOUTS: Readonly<SupervisorTimeouts> = {
  initializeMs: 15_000,
  defaultCallMs: 30_000,
  shutdownMs: 10_000,
  exitGraceMs: 500,
  sigtermGraceMs: 5_000,
  sigkillWaitMs: 2_000,
  healthIntervalMs: 15_000,
  healthTimeoutMs: 5_000,
};

/** Methods whose default deadline differs from `defaultCallMs`. */
export const DEFAULT_METHOD_TIMEOUTS: Readonly<Record<string, number>> = {
  runJob: 5 * 60_000,
};

/**
 * Worker heap cap (`--max-old-space-size`, MB) when the owner sets none: a worker that allocates without bound
 * dies of it (and the crash says so) instead of growing to several GB. 0 turns the cap off.
 */
export const DEFAULT_MEMORY_LIMIT_MB = 512;

export const DEFAULT_CRASH_POLICY: Readonly<CrashPolicy> = {
  autoRestart: true,
  maxConsecutiveCrashes: 5,
  backoffBaseMs: 1_000,
  backoffMaxMs: 5 * 60_000,
  backoffJitter: 0.25,
  stableAfterMs: 60_000,
  healthFailureThreshold: 2,
};

export const DEFAULT_LIMITS: Readonly<FloodLimits> = {
  maxMessagesPerSecond: 20_000,
  maxPendingWorkerRequests: 4_096,
  maxLineBytes: 16 * 1024 * 1024,
  stderrTailLines: 50,
  maxStderrLineChars: 4_096,
  maxStderrLinesPerSecond: 1_000,
  maxNoiseLogsPerSecond: 20,
};

/** Rejects option values that would make the supervisor misbehave (negative or non-numeric). */
export function checkNonNegative(group: string, values: object): void {
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === "number" && !(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`${group}.${name} must be a finite number >= 0 (got ${value})`);
    }
  }
}
