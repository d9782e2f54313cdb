// ctx.approvals: a company's approvals, and deciding one. An approval named by id must belong to the company
// the call names.
import type { Approval as SdkApproval } from "@paperclipai/plugin-sdk/types";
import { APPROVAL_STATUSES, APPROVAL_TYPES, type Approval } from "../../../domain/approvals.js";
import { enumOf, LIMITS, nonEmpty, nullable, str } from "../../../schema/schema-helpers.js";
import type { NamespaceMethods } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { paramsOf } from "../params.js";
import { id, orNull, ownedBy, requireOwned, storedEnum } from "./shared.js";

/** The SDK's Approval: the same record, its type and status typed. */
function toSdkApproval(approval: Approval): SdkApproval {
  return {
    ...approval,
    type: storedEnum(approval.type, APPROVAL_TYPES),
    status: storedEnum(approval.status, APPROVAL_STATUSES),
  };
}

export function approvalMethods(deps: HostServiceDeps) {
  const { services } = deps;
  return {
    "approvals.list": {
      params: paramsOf({ companyId: id, status: nullable(str(LIMITS.key)) }, ["companyId"]),
      async handle(p) {
        const approvals = await services.approvals.list(p.companyId, { status: p.status ?? undefined });
        return approvals.map(toSdkApproval);
      },
    },
    "approvals.get": {
      params: paramsOf({ approvalId: id, companyId: id }, ["approvalId", "companyId"]),
      async handle(p) {
        const approval = ownedBy(await orNull(services.approvals.get(p.approvalId)), p.companyId);
        return approval && toSdkApproval(approval);
      },
    },
    "approvals.decide": {
      params: paramsOf(
        {
          approvalId: id,
          companyId: id,
          action: enumOf(["approve", "reject"]),
          actorUserId: nonEmpty(LIMITS.key),
          decisionNote: nullable(str(LIMITS.shortText)),
        },
        ["approvalId", "companyId", "action"],
      ),
      async handle(p, call) {
        requireOwned(
          call,
          await orNull(services.approvals.get(p.approvalId)),
          p.companyId,
          "approval",
          p.approvalId,
        );
        const actor = { ...call.actor, userId: p.actorUserId ?? null };
        const { approval, applied } = await services.approvals.decide(
          actor,
          p.approvalId,
          p.action,
          p.decisionNote ?? null,
        );
        return { approval: toSdkApproval(approval), applied };
      },
    },
  } satisfies NamespaceMethods<"approvals">;
}
