/** JSON-RPC version string carried by every message. */
export const JSONRPC_VERSION = "2.0" as const;

/** Standard JSON-RPC 2.0 error codes. */
export const JSONRPC_ERROR_CODES = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
} as const;

export type JsonRpcErrorCode = (typeof JSONRPC_ERROR_CODES)[keyof typeof JSONRPC_ERROR_CODES];

/** Paperclip's codes in the JSON-RPC implementation-defined server range (-32000…-32099). */
export const PLUGIN_RPC_ERROR_CODES = {
  /** The worker process is not running or not reachable. */
  WORKER_UNAVAILABLE: -32000,
  /** The plugin lacks the capability the method requires. */
  CAPABILITY_DENIED: -32001,
  /** The handler threw without a JSON-RPC code of its own. */
  WORKER_ERROR: -32002,
  /** No response arrived within the call's deadline. */
  TIMEOUT: -32003,
  /** An optional hook the worker does not implement. */
  METHOD_NOT_IMPLEMENTED: -32004,
  /** A worker→host call reached outside the company of the invocation it belongs to. */
  INVOCATION_SCOPE_DENIED: -32005,
  /** A single-tenant worker was asked to take a second company's different config. */
  CROSS_TENANT_CONFIG: -32006,
  /**
   * A message was larger than the receiving side's line limit (the host's: 16 MiB) and was dropped: the call it
   * answered, or the request it carried, fails at once with this code instead of waiting for its timeout.
   */
  MESSAGE_TOO_LARGE: -32007,
  /** Anything that fits no other code. */
  UNKNOWN: -32099,
} as const;

export type PluginRpcErrorCode = (typeof PLUGIN_RPC_ERROR_CODES)[keyof typeof PLUGIN_RPC_ERROR_CODES];

const PLUGIN_CODE_VALUES = new Set<number>(Object.values(PLUGIN_RPC_ERROR_CODES));

/** True when `code` is one of Paperclip's plugin error codes. */
export function isPluginRpcErrorCode(code: unknown): code is PluginRpcErrorCode {
  return typeof code === "number" && PLUGIN_CODE_VALUES.has(code);
}
