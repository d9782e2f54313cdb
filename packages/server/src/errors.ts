// The host's one error module: the errors services throw, and how any failure leaves each surface —
// toHttp (REST `{error, details?}`), toRpc (a JSON-RPC error for a worker) and toBridge (the plugin bridge's
// `{code, message, details?}`). Every route, host method and bridge call maps failures through here.
import {
  isPluginRpcErrorCode,
  JSONRPC_ERROR_CODES,
  type JsonRpcError,
  PLUGIN_RPC_ERROR_CODES,
} from "@paperclipai/plugin-sdk/protocol";
import type { PluginBridgeErrorCode } from "@paperclipai/plugin-sdk/types";

export const ERROR_HTTP_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_HTTP_STATUS;

/** A failure the caller caused or can act on. Services throw it; the HTTP layer renders `{error, details?}`. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.details = details;
  }
  get httpStatus(): number {
    return ERROR_HTTP_STATUS[this.code];
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new DomainError("bad_request", message, details);
export const notFound = (message: string, details?: unknown) =>
  new DomainError("not_found", message, details);
export const conflict = (message: string, details?: unknown) => new DomainError("conflict", message, details);
export const unprocessable = (message: string, details?: unknown) =>
  new DomainError("unprocessable", message, details);
export const forbidden = (message: string, details?: unknown) =>
  new DomainError("forbidden", message, details);
export const unauthorized = (message: string, details?: unknown) =>
  new DomainError("unauthorized", message, details);

/**
 * Translate a PostgreSQL error that slipped past service checks (a race, e.g. a row deleted by another
 * node between check and write) into a caller error instead of a 500.
 */
export function fromDatabaseError(error: unknown): DomainError | null {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== "string") return null;
  const detail = (error as { detail?: string }).detail;
  switch (code) {
    case "23505":
      return conflict("A record with the same unique value already exists", { constraint: detail });
    case "23503":
      return conflict("A referenced record does not exist or is still referenced", { constraint: detail });
    case "22P02":
    case "22007":
    case "22008":
      return badRequest("A value has an invalid format", { detail: (error as Error).message });
    case "22001":
      return badRequest("A value is too long", { detail: (error as Error).message });
    // Text PostgreSQL cannot store (NUL, bad Unicode escapes in jsonb). The HTTP body parser and the worker
    // params check refuse these first, naming the field; this is the safety net for any other path.
    case "22021":
    case "22P05":
      return badRequest("A value contains characters that cannot be stored (NUL or invalid Unicode)", {
        detail: (error as Error).message,
      });
    case "54001":
      return badRequest("A value is nested too deeply to store", { detail: (error as Error).message });
    case "40001":
    case "40P01":
      return conflict("The change conflicted with a concurrent change; retry it");
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------------------
// toHttp: REST
// ---------------------------------------------------------------------------------------------------------

export interface ErrorBody {
  error: string;
  details?: unknown;
  code?: string;
}

/**
 * The status and body of a failed REST request, or null for an unexpected failure (the caller logs it and
 * answers 500 without details). Domain and database errors keep their message; errors carrying a 4xx
 * `statusCode` (Fastify's own) keep theirs.
 */
export function toHttp(error: unknown): { status: number; body: ErrorBody } | null {
  const domain = error instanceof DomainError ? error : fromDatabaseError(error);
  if (domain) {
    const body: ErrorBody = { error: domain.message };
    if (domain.details !== undefined) body.details = domain.details;
    return { status: domain.httpStatus, body };
  }
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    const code = (error as { code?: unknown }).code;
    const body: ErrorBody = { error: errorMessage(error) };
    if (typeof code === "string") body.code = code;
    return { status, body };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// toRpc: a worker→host call's error as the worker receives it
// ---------------------------------------------------------------------------------------------------------

const STANDARD_RPC_CODES = new Set<number>(Object.values(JSONRPC_ERROR_CODES));

/**
 * Errors carrying a Paperclip plugin code (CAPABILITY_DENIED, …) or a standard JSON-RPC code (INVALID_PARAMS,
 * METHOD_NOT_FOUND, …) keep it and their data. A DomainError is INTERNAL_ERROR (-32603) with its domain code
 * kept in `data.code` (and its details in `data.details`), so a worker can tell "not found" from "conflict".
 * Anything else is -32603 with its message: a stray numeric code from host internals never reaches a worker.
 */
export function toRpc(error: unknown): JsonRpcError {
  const message = errorMessage(error);
  if (error instanceof DomainError) {
    const data =
      error.details === undefined ? { code: error.code } : { code: error.code, details: error.details };
    return { code: JSONRPC_ERROR_CODES.INTERNAL_ERROR, message, data };
  }
  const err = error as { code?: unknown; data?: unknown } | null;
  if (isPluginRpcErrorCode(err?.code) || STANDARD_RPC_CODES.has(err?.code as number)) {
    const code = err?.code as number;
    return err?.data === undefined ? { code, message } : { code, message, data: err.data };
  }
  return { code: JSONRPC_ERROR_CODES.INTERNAL_ERROR, message };
}

// ---------------------------------------------------------------------------------------------------------
// toBridge: a failed host→worker call as the plugin bridge answers it (reference §10.4)
// ---------------------------------------------------------------------------------------------------------

/** The bridge's error body `{code, message, details?}`: the shape usePluginData / usePluginAction read. */
export interface PluginBridgeError {
  code: PluginBridgeErrorCode;
  message: string;
  details?: unknown;
}

const BRIDGE_CODE_BY_RPC: Readonly<Record<number, PluginBridgeErrorCode>> = {
  [PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE]: "WORKER_UNAVAILABLE",
  [PLUGIN_RPC_ERROR_CODES.CAPABILITY_DENIED]: "CAPABILITY_DENIED",
  [PLUGIN_RPC_ERROR_CODES.INVOCATION_SCOPE_DENIED]: "INVOCATION_SCOPE_DENIED",
  [PLUGIN_RPC_ERROR_CODES.TIMEOUT]: "TIMEOUT",
  [PLUGIN_RPC_ERROR_CODES.WORKER_ERROR]: "WORKER_ERROR",
};

/** The JSON-RPC code an error carries, if it has one. */
export function rpcCodeOf(error: unknown): number | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : null;
}

/** Any failure of a worker call as the bridge's error body. */
export function toBridge(error: unknown): PluginBridgeError {
  const message = errorMessage(error);
  const code = rpcCodeOf(error);
  let bridgeCode: PluginBridgeErrorCode;
  if (code !== null) bridgeCode = BRIDGE_CODE_BY_RPC[code] ?? "UNKNOWN";
  else if (/not running|not registered/i.test(message)) bridgeCode = "WORKER_UNAVAILABLE";
  else bridgeCode = "UNKNOWN";
  const details = (error as { data?: unknown } | null)?.data;
  return details === undefined || details === null
    ? { code: bridgeCode, message }
    : { code: bridgeCode, message, details };
}

/** The message of any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : String(error);
}
