// PluginBridgeError values as plugin UI code sees them: `{code, message, details?}`. The host answers bridge
// failures with a 502 carrying that shape; other failures (400, 403, 404, network) are mapped onto it here.
import type { PluginBridgeError, PluginBridgeErrorCode } from "@paperclipai/plugin-sdk/ui/types";

export type { PluginBridgeError, PluginBridgeErrorCode };

const CODES: ReadonlySet<string> = new Set<PluginBridgeErrorCode>([
  "WORKER_UNAVAILABLE",
  "CAPABILITY_DENIED",
  "INVOCATION_SCOPE_DENIED",
  "WORKER_ERROR",
  "TIMEOUT",
  "UNKNOWN",
]);

/** Codes worth retrying a data read for: the worker was restarting or slow. */
export const RETRYABLE_CODES: ReadonlySet<PluginBridgeErrorCode> = new Set(["WORKER_UNAVAILABLE", "TIMEOUT"]);

export function isPluginBridgeError(value: unknown): value is PluginBridgeError {
  if (typeof value !== "object" || value === null) return false;
  const { code, message } = value as { code?: unknown; message?: unknown };
  return typeof code === "string" && CODES.has(code) && typeof message === "string";
}

/** The bridge error of a non-2xx answer with (parsed) body `body`. */
export function bridgeErrorFromResponse(status: number, body: unknown): PluginBridgeError {
  if (isPluginBridgeError(body)) {
    const { code, message, details } = body;
    return details === undefined ? { code, message } : { code, message, details };
  }
  const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const text =
    (typeof record.error === "string" && record.error) ||
    (typeof record.message === "string" && record.message) ||
    (typeof body === "string" && body.trim()) ||
    `Request failed with status ${status}`;
  const code: PluginBridgeErrorCode = status === 503 || status === 504 ? "WORKER_UNAVAILABLE" : "UNKNOWN";
  return { code, message: text, details: { status, body: body ?? null } };
}

/** Any thrown value as a bridge error (network failures and aborted requests included). */
export function toPluginBridgeError(error: unknown): PluginBridgeError {
  if (isPluginBridgeError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return { code: "UNKNOWN", message };
}
