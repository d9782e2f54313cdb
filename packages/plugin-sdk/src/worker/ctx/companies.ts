// ctx.companies → companies.list | companies.get
import type { PluginCompaniesClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildCompaniesClient(host: HostLink): PluginCompaniesClient {
  return {
    list: (input) => host.call("companies.list", { limit: input?.limit, offset: input?.offset }),
    get: (companyId) => host.call("companies.get", { companyId }),
  };
}
