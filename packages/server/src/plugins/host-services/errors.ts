// Errors a worker→host call can answer with. They only carry codes: src/errors.ts `toRpc` (used by the
// supervisor) turns any of them into the JSON-RPC error the worker gets. Every message names the method, the
// field and the rule.
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

/**
 * A domain failure (not found, conflict, validation) thrown inside a method: the same DomainError code and
 * details (toRpc puts them in `data`) with its message prefixed by the method. Anything else passes unchanged.
 */
export function prefixedWithMethod(method: string, error: unknown): unknown {
  if (!(error instanceof DomainError)) return error;
  return new DomainError(error.code, `${method}: ${error.message}`, error.details);
}
