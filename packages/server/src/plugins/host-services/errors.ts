// Errors a worker→host call can answer with, as JSON-RPC codes. The supervisor keeps the code of errors
// carrying a PLUGIN_RPC_ERROR_CODES value and of HostMethodNotFoundError; anything else reaches the worker as
// INTERNAL_ERROR (-32603) with our message, so every message names the method, the field and the rule.
import { JSONRPC_ERROR_CODES, PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import { DomainError } from "../../errors.js";
import { HostMethodNotFoundError } from "../supervisor/index.js";

/** An error with a JSON-RPC code, thrown by host services. */
export class HostCallError extends Error {
  override readonly name = "HostCallError";
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/** Bad params: `<method>: params.<field> <rule>` (-32602). */
export function invalidParams(method: string, message: string): HostCallError {
  return new HostCallError(JSONRPC_ERROR_CODES.INVALID_PARAMS, `${method}: ${message}`);
}

/** A failure the worker caused or can act on (a record that is not there, a refused change). */
export function callFailed(method: string, message: string): HostCallError {
  return new HostCallError(JSONRPC_ERROR_CODES.INTERNAL_ERROR, `${method}: ${message}`);
}

export function scopeDenied(pluginKey: string, method: string, reason: string): HostCallError {
  return new HostCallError(
    PLUGIN_RPC_ERROR_CODES.INVOCATION_SCOPE_DENIED,
    `Plugin "${pluginKey}" is not allowed to perform "${method}": ${reason}`,
  );
}

/**
 * A method of the published protocol this host does not serve (-32601). Extends the supervisor's
 * HostMethodNotFoundError so its code survives, with a message that says why.
 */
export class MethodNotHostedError extends HostMethodNotFoundError {
  constructor(method: string, reason: string) {
    super(method);
    this.message = `Host does not handle method "${method}": ${reason}`;
  }
}

/** Domain failures (not found, conflict, validation) keep their message, prefixed with the method. */
export function fromServiceError(method: string, error: unknown): unknown {
  if (error instanceof DomainError) return callFailed(method, error.message);
  return error;
}
