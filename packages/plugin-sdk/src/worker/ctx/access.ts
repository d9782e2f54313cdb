// ctx.access → access.members.{list,get,update} | access.invites.{list,create,revoke}
import type { PluginAccessClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildAccessClient(host: HostLink): PluginAccessClient {
  return {
    members: {
      list: (input) =>
        host.call("access.members.list", {
          companyId: input.companyId,
          includeArchived: input.includeArchived,
        }),
      get: (memberId, companyId) => host.call("access.members.get", { memberId, companyId }),
      update: (memberId, patch, companyId) =>
        host.call("access.members.update", { memberId, patch, companyId }),
    },
    invites: {
      list: (input) =>
        host.call("access.invites.list", {
          companyId: input.companyId,
          state: input.state,
          limit: input.limit,
          offset: input.offset,
        }),
      create: (input) =>
        host.call("access.invites.create", {
          companyId: input.companyId,
          allowedJoinTypes: input.allowedJoinTypes,
          humanRole: input.humanRole,
          defaultsPayload: input.defaultsPayload,
          agentMessage: input.agentMessage,
        }),
      revoke: (inviteId, companyId) => host.call("access.invites.revoke", { inviteId, companyId }),
    },
  };
}
