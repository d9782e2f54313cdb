// The bridge's error bodies beyond the plain mapping (reference §10.4). A failed host→worker call is a 502 whose
// body is a PluginBridgeError `{code, message, details?}` — mapped by toBridge in src/errors.ts; this file adds the
// bodies only the delivery routes give: a plugin that is not ready, and a key the worker has no handler for.
import { type PluginBridgeError, toBridge } from "../../errors.js";

export function notReadyError(status: string): PluginBridgeError {
  return { code: "WORKER_UNAVAILABLE", message: `Plugin is not ready (current status: ${status})` };
}

/** True when the call failed because no worker was there to answer (stopped, crashed, restarting). */
export function isWorkerUnavailable(error: unknown): boolean {
  return toBridge(error).code === "WORKER_UNAVAILABLE";
}

/**
 * The 404 body of a bridge call whose key the worker has no handler for (the SDK's `No data|action handler
 * registered for key "<k>"`, a WORKER_ERROR). It is both an API error `{error, details}` and a PluginBridgeError
 * `{code, message}`, so the UI hooks (which read `code` and `message`) see what they saw before, a WORKER_ERROR
 * with the same message, while the status says what happened.
 */
export interface UnknownKeyError extends PluginBridgeError {
  error: string;
  details: { key: string; kind: "data" | "action" };
}

const UNKNOWN_KEY = /^No (data|action) handler registered for (?:key )?["']/;

export function unknownKeyError(
  kind: "data" | "action",
  key: string,
  error: PluginBridgeError,
): UnknownKeyError | null {
  if (error.code !== "WORKER_ERROR") return null;
  const match = UNKNOWN_KEY.exec(error.message);
  if (!match || match[1] !== kind) return null;
  return { error: error.message, code: "WORKER_ERROR", message: error.message, details: { key, kind } };
}
