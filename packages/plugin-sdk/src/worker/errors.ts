/**
 * How errors cross the wire from the worker: a thrown error keeps its numeric `code`; anything
 * else is WORKER_ERROR. Helpers build the coded errors the dispatcher throws.
 */
import { JSONRPC_ERROR_CODES, type JsonRpcError, PLUGIN_RPC_ERROR_CODES } from "../protocol/index.js";

export function errorWithCode(code: number, message: string): Error & { code: number } {
  return Object.assign(new Error(message), { code });
}

/** An optional hook the plugin did not define. */
export function methodNotImplemented(method: string): Error {
  return errorWithCode(
    PLUGIN_RPC_ERROR_CODES.METHOD_NOT_IMPLEMENTED,
    `${method} is not implemented by this plugin`,
  );
}

export function unknownMethod(method: string): Error {
  return errorWithCode(JSONRPC_ERROR_CODES.METHOD_NOT_FOUND, `Unknown method: ${method}`);
}

/** Params the handler cannot work with at all; the message names the method and the field. */
export function invalidParams(method: string, rule: string): Error {
  return errorWithCode(JSONRPC_ERROR_CODES.INVALID_PARAMS, `${method}: ${rule}`);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The error object of the response to a host request whose handler threw `error`. */
export function toWorkerRpcError(error: unknown): JsonRpcError {
  const code = (error as { code?: unknown } | null)?.code;
  return {
    code: typeof code === "number" ? code : PLUGIN_RPC_ERROR_CODES.WORKER_ERROR,
    message: errorMessage(error),
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The params object of `method`, or INVALID_PARAMS naming what is wrong. */
export function requireParams(method: string, params: unknown): Record<string, unknown> {
  if (!isRecord(params)) throw invalidParams(method, "params must be an object");
  return params;
}

/** A nested object field, e.g. `onEvent` → `params.event`. */
export function requireObjectField(method: string, params: Record<string, unknown>, field: string) {
  const value = params[field];
  if (!isRecord(value)) throw invalidParams(method, `params.${field} must be an object`);
  return value;
}
