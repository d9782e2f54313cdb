// ctx.metrics → metrics.write
import type { PluginMetricsClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildMetricsClient(host: HostLink): PluginMetricsClient {
  return {
    write: async (name, value, tags) => {
      await host.call("metrics.write", { name, value, tags });
    },
  };
}
