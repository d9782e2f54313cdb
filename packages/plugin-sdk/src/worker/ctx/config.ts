// ctx.config → config.get
import type { PluginConfigClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildConfigClient(host: HostLink): PluginConfigClient {
  return {
    // No company: `{}`, and the host falls back to the invocation's company.
    get: (companyId) => host.call("config.get", companyId ? { companyId } : {}),
  };
}
