// How a failed host→worker call leaves the bridge (reference §10.4): a 502 whose body is a PluginBridgeError
// `{code, message, details?}` — the shape the UI hooks (usePluginData / usePluginAction) understand.
import { PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import type { PluginBridgeErrorCode } from "@paperclipai/plugin-sdk/types";

export interface PluginBridgeError {
  code: PluginBridgeErrorCode;
  message: string;
  details?: unknown;
}

const CODE_BY_RPC: Readonly<Record<number, PluginBridgeErrorCode>> = {
  [PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE]: "WORKER_UNAVAILABLE",
  [PLUGIN_RPC_ERROR_CODES.CAPABILITY_DENIED]: "CAPABILITY_DENIED",
  [PLUGIN_RPC_ERROR_CODES.INVOCATION_SCOPE_DENIED]: "INVOCATION_SCOPE_DENIED",
  [PLUGIN_RPC_ERROR_CODES.TIMEOUT]: "TIMEOUT",
  [PLUGIN_RPC_ERROR_CODES.WORKER_ERROR]: "WORKER_ERROR",
};

/** The JSON-RPC code of an error thrown by a worker call, if it has one. */
export function rpcCodeOf(error: unknown): number | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : null;
}

/** Map any failure of a worker call to the bridge's error body. */
export function toBridgeError(error: unknown): PluginBridgeError {
  const message = error instanceof Error ? error.message : String(error);
  const code = rpcCodeOf(error);
  let bridgeCode: PluginBridgeErrorCode;
  if (code !== null) bridgeCode = CODE_BY_RPC[code] ?? "UNKNOWN";
  else if (/not running|not registered/i.test(message)) bridgeCode = "WORKER_UNAVAILABLE";
  else bridgeCode = "UNKNOWN";
  const details = (error as { data?: unknown } | null)?.data;
  return details === undefined || details === null
    ? { code: bridgeCode, message }
    : { code: bridgeCode, message, details };
}

export function notReadyError(status: string): PluginBridgeError {
  return { code: "WORKER_UNAVAILABLE", message: `Plugin is not ready (current status: ${status})` };
}

/** True when the call failed because no worker was there to answer (stopped, crashed, restarting). */
export function isWorkerUnavailable(error: unknown): boolean {
  return toBridgeError(error).code === "WORKER_UNAVAILABLE";
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
