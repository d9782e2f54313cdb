// Every error the host reports to a caller, with its code and how it maps to HTTP.
// One place so HTTP routes (and later the JSON-RPC host services) agree on meaning.

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
