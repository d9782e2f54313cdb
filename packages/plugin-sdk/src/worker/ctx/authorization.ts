// ctx.authorization → authorization.grants.{list,set} | .policies.{summary,get,update,previewAssignment,explainAssignment} | .audit.search
import type { PluginAuthorizationClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildAuthorizationClient(host: HostLink): PluginAuthorizationClient {
  // The caller's input object is the wire params, passed through as given.
  return {
    grants: {
      list: (input) => host.call("authorization.grants.list", input),
      set: (input) => host.call("authorization.grants.set", input),
    },
    policies: {
      summary: (companyId) => host.call("authorization.policies.summary", { companyId }),
      get: (input) => host.call("authorization.policies.get", input),
      update: (input) => host.call("authorization.policies.update", input),
      previewAssignment: (input) => host.call("authorization.policies.previewAssignment", input),
      explainAssignment: (input) => host.call("authorization.policies.explainAssignment", input),
    },
    audit: {
      search: (input) => host.call("authorization.audit.search", input),
    },
  };
}
