/** The two refusals of the host's gate, with the codes and messages the published SDK uses. */
import { PLUGIN_RPC_ERROR_CODES } from "../protocol/index.js";
import type { PluginCapability } from "../types/index.js";

/** The plugin did not declare the capability the method needs (-32001). */
export class CapabilityDeniedError extends Error {
  override readonly name = "CapabilityDeniedError";
  readonly code = PLUGIN_RPC_ERROR_CODES.CAPABILITY_DENIED;
  constructor(pluginId: string, method: string, capability: PluginCapability) {
    super(`Plugin "${pluginId}" is missing required capability "${capability}" for method "${method}"`);
  }
}

/** The call reaches outside the company its invocation is scoped to, or has no company context (-32005). */
export class InvocationScopeDeniedError extends Error {
  override readonly name = "InvocationScopeDeniedError";
  readonly code = PLUGIN_RPC_ERROR_CODES.INVOCATION_SCOPE_DENIED;
  constructor(pluginId: string, method: string, message: string) {
    super(`Plugin "${pluginId}" is not allowed to perform "${method}": ${message}`);
  }
}
