// ctx.routines → routines.managed.get | .reconcile | .reset | .update | .run
import type { PluginRoutinesClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildRoutinesClient(host: HostLink): PluginRoutinesClient {
  return {
    // Overrides and the update patch travel flat beside the keys.
    managed: {
      get: (routineKey, companyId) => host.call("routines.managed.get", { routineKey, companyId }),
      reconcile: (routineKey, companyId, overrides) =>
        host.call("routines.managed.reconcile", { routineKey, companyId, ...overrides }),
      reset: (routineKey, companyId, overrides) =>
        host.call("routines.managed.reset", { routineKey, companyId, ...overrides }),
      update: (routineKey, companyId, patch) =>
        host.call("routines.managed.update", { routineKey, companyId, ...patch }),
      run: (routineKey, companyId, overrides) =>
        host.call("routines.managed.run", { routineKey, companyId, ...overrides }),
    },
  };
}
