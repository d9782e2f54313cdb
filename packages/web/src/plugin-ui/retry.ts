// Retry of plugin data reads (reference §10.3): a read that failed with WORKER_UNAVAILABLE or TIMEOUT is
// tried again up to 2 more times, waiting 150 ms × attempt number, unless the caller gave up (abort).
import { type PluginBridgeError, RETRYABLE_CODES, toPluginBridgeError } from "./bridge-errors.js";

export interface RetryOptions {
  /** Extra attempts after the first. Default 2. */
  retries?: number;
  /** Wait before retry number `attempt` (1-based). Default 150 ms × attempt. */
  delayMs?: (attempt: number) => number;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DATA_RETRIES = 2;
export const DATA_RETRY_STEP_MS = 150;

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Run `call`; retry retryable bridge errors. Rejects with the last PluginBridgeError. */
export async function withBridgeRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? DATA_RETRIES;
  const delayMs = options.delayMs ?? ((attempt: number) => DATA_RETRY_STEP_MS * attempt);
  const sleep = options.sleep ?? abortableSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const bridgeError: PluginBridgeError = toPluginBridgeError(error);
      if (options.signal?.aborted || attempt >= retries || !RETRYABLE_CODES.has(bridgeError.code)) {
        throw bridgeError;
      }
      await sleep(delayMs(attempt + 1), options.signal);
    }
  }
}
