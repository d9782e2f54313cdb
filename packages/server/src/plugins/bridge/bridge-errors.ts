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
