// ctx.skills → skills.managed.get | .reconcile | .reset
import type { PluginSkillsClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildSkillsClient(host: HostLink): PluginSkillsClient {
  return {
    managed: {
      get: (skillKey, companyId) => host.call("skills.managed.get", { skillKey, companyId }),
      reconcile: (skillKey, companyId) => host.call("skills.managed.reconcile", { skillKey, companyId }),
      reset: (skillKey, companyId) => host.call("skills.managed.reset", { skillKey, companyId }),
    },
  };
}
