/** Restart delay of the crash policy: exponential, jittered, capped. */
import type { CrashPolicy } from "./types.js";

/**
 * Delay before restart number `crashCount` (1 for the first crash in a row):
 * `base × 2^(n−1)`, spread by ±jitter, never above the cap. With jitter ≤ 1/3 each delay is larger
 * than the one before it until the cap is reached, so a crash loop always slows down.
 */
export function restartDelayMs(
  crashCount: number,
  policy: Pick<CrashPolicy, "backoffBaseMs" | "backoffMaxMs" | "backoffJitter">,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, crashCount - 1);
  // Past 2^40 the cap wins anyway; stop before the number overflows to Infinity.
  const nominal = policy.backoffBaseMs * 2 ** Math.min(exponent, 40);
  const spread = 1 + (random() * 2 - 1) * policy.backoffJitter;
  return Math.round(Math.min(policy.backoffMaxMs, nominal * spread));
}
