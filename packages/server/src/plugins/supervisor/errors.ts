/**
 * Error values the supervisor produces. How a host handler's error travels back to a worker is src/errors.ts
 * `toRpc` (the one mapping of every failure surface).
 */
import {
  JSONRPC_ERROR_CODES,
  JsonRpcCallError,
  PLUGIN_RPC_ERROR_CODES,
} from "@paperclipai/plugin-sdk/protocol";

/** Thrown by a host request handler for a worker→host method the host does not serve. */
export class HostMethodNotFoundError extends Error {
  override readonly name = "HostMethodNotFoundError";
  readonly code = JSONRPC_ERROR_CODES.METHOD_NOT_FOUND;
  constructor(readonly method: string) {
    super(`Host does not handle method "${method}"`);
  }
}

/** The error every host→worker call gets when the worker cannot take it (WORKER_UNAVAILABLE, -32000). */
export function workerUnavailable(message: string, data?: unknown): JsonRpcCallError {
  return new JsonRpcCallError({ code: PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE, message, data });
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
