import { PLUGIN_CAPABILITIES } from "../constants.js";
import type { PluginCapability } from "../types/index.js";

/** JSON-RPC code the real host uses for a capability denial, so tests can branch on it the same way. */
const CAPABILITY_DENIED_CODE = -32001;

/** Thrown when plugin code under test calls a ctx method its manifest does not grant. */
export class TestHarnessCapabilityError extends Error {
  readonly code = CAPABILITY_DENIED_CODE;
  constructor(
    readonly pluginId: string,
    readonly capability: PluginCapability,
  ) {
    super(`Plugin '${pluginId}' is missing required capability '${capability}' in test harness`);
    this.name = "TestHarnessCapabilityError";
  }
}

/**
 * The capability check every gated ctx method runs first, exactly where the host would
 * reject the worker→host call. The granted set is fixed at harness creation, like a
 * worker whose manifest was approved at install time.
 */
export class CapabilityGate {
  private readonly granted: ReadonlySet<string>;

  constructor(
    private readonly pluginId: string,
    capabilities: readonly string[],
  ) {
    const known = new Set<string>(PLUGIN_CAPABILITIES);
    for (const [index, capability] of capabilities.entries()) {
      if (typeof capability !== "string" || !known.has(capability)) {
        throw new TypeError(
          `createTestHarness: capabilities[${index}] ${JSON.stringify(capability)} is not a known plugin capability`,
        );
      }
    }
    this.granted = new Set(capabilities);
  }

  has(capability: PluginCapability): boolean {
    return this.granted.has(capability);
  }

  require(capability: PluginCapability): void {
    if (!this.granted.has(capability)) throw new TestHarnessCapabilityError(this.pluginId, capability);
  }
}
