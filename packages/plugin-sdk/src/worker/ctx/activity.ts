// ctx.activity → activity.log
import type { PluginActivityClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildActivityClient(host: HostLink): PluginActivityClient {
  return {
    log: async (entry) => {
      await host.call("activity.log", {
        companyId: entry.companyId,
        message: entry.message,
        entityType: entry.entityType,
        entityId: entry.entityId,
        metadata: entry.metadata,
      });
    },
  };
}
