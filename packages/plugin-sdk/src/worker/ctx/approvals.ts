// ctx.approvals → approvals.list | approvals.get | approvals.decide
import type { PluginApprovalsClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildApprovalsClient(host: HostLink): PluginApprovalsClient {
  return {
    list: (input) => host.call("approvals.list", { companyId: input.companyId, status: input.status }),
    get: (approvalId, companyId) => host.call("approvals.get", { approvalId, companyId }),
    decide: (approvalId, input, companyId) =>
      host.call("approvals.decide", {
        approvalId,
        companyId,
        action: input.action,
        actorUserId: input.actorUserId,
        decisionNote: input.decisionNote,
      }),
  };
}
