// ctx.goals → goals.list | goals.get | goals.create | goals.update
import type { PluginGoalsClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildGoalsClient(host: HostLink): PluginGoalsClient {
  return {
    list: (input) =>
      host.call("goals.list", {
        companyId: input.companyId,
        level: input.level,
        status: input.status,
        limit: input.limit,
        offset: input.offset,
      }),
    get: (goalId, companyId) => host.call("goals.get", { goalId, companyId }),
    create: (input) =>
      host.call("goals.create", {
        companyId: input.companyId,
        title: input.title,
        description: input.description,
        level: input.level,
        status: input.status,
        parentId: input.parentId,
        ownerAgentId: input.ownerAgentId,
      }),
    update: (goalId, patch, companyId) => host.call("goals.update", { goalId, patch, companyId }),
  };
}
