/** Error values the supervisor produces and how host handler errors travel back to a worker. */
import {
  isPluginRpcErrorCode,
  JSONRPC_ERROR_CODES,
  JsonRpcCallError,
  type JsonRpcError,
  PLUGIN_RPC_ERROR_CODES,
} from "@paperclipai/plugin-sdk/protocol";

const STANDARD_CODES = new Set<number>(Object.values(JSONRPC_ERROR_CODES));

/** Thrown by a host request handler for a worker→host method the host does not serve. */
export class HostMethodNotFoundError extends Error {
  override readonly name = "HostMethodNotFoundError";
  readonly code = JSONRPC_ERROR_CODES.METHOD_NOT_FOUND;
  constructor(readonly method: string) {
    super(`Host does not handle method "${method}"`);
  }
}

/**
 * A host handler's error as the worker receives it: unknown methods answer -32601; errors that carry a
 * Paperclip plugin code (e.g. CAPABILITY_DENIED) or a standard JSON-RPC code (e.g. INVALID_PARAMS) keep it
 * and its data; anything else is -32603, so a stray numeric code from host internals never reaches a worker.
 */
export function toHostRpcError(error: unknown): JsonRpcError {
  if (error instanceof HostMethodNotFoundError) {
    return { code: error.code, message: error.message };
  }
  const err = error as { code?: unknown; message?: unknown; data?: unknown } | null;
  const message = typeof err?.message === "string" ? err.message : String(error);
  if (isPluginRpcErrorCode(err?.code) || STANDARD_CODES.has(err?.code as number)) {
    const code = err?.code as number;
    return err?.data === undefined ? { code, message } : { code, message, data: err.data };
  }
  return { code: JSONRPC_ERROR_CODES.INTERNAL_ERROR, message };
}

/** The error every host→worker call gets when the worker cannot take it (WORKER_UNAVAILABLE, -32000). */
export function workerUnavailable(message: string, data?: unknown): JsonRpcCallError {
  return new JsonRpcCallError({ code: PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE, message, data });
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
