// ctx.state → state.get | state.set | state.delete
import type { PluginStateClient, ScopeKey } from "../../types/index.js";
import type { HostCallParams, HostLink } from "../host-link.js";

/** Only the four key fields travel, in this order, whatever else the caller's object holds. */
function scopeParams(input: ScopeKey): HostCallParams<"state.get"> {
  return {
    scopeKind: input.scopeKind,
    scopeId: input.scopeId,
    namespace: input.namespace,
    stateKey: input.stateKey,
  };
}

export function buildStateClient(host: HostLink): PluginStateClient {
  return {
    get: (input) => host.call("state.get", scopeParams(input)),
    set: async (input, value) => {
      await host.call("state.set", { ...scopeParams(input), value });
    },
    delete: async (input) => {
      await host.call("state.delete", scopeParams(input));
    },
  };
}
