// issues.list/get/create/update. Issues a plugin creates carry its origin: `plugin:<pluginKey>` by default,
// sub-kinds `plugin:<pluginKey>:<x>`; any other origin kind is refused. A plugin may act on behalf of one of
// the company's agents (actorAgentId), which is then the author of the change.

import type { Actor } from "../../../domain/actor.js";
import { ISSUE_PRIORITIES, ISSUE_STATUSES } from "../../../domain/issue-records.js";
import type { CreateIssueInput, UpdateIssueInput } from "../../../domain/issues.js";
import { enumOf, int, LIMITS, nonEmpty, nullable, str } from "../../../schema/schema-helpers.js";
import type { HostCall, MethodTable } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { invalidParams } from "../errors.js";
import { paramsOf } from "../params.js";
import { id, idList, orNull, ownedBy, page, requireOwned } from "./shared.js";

const uuidText = { type: "string", format: "uuid" };
export const actorFields = { actorAgentId: id, actorUserId: nonEmpty(LIMITS.key), actorRunId: uuidText };

/** Fields of the published API this host has no data for; a non-empty value is refused, not dropped. */
const UNSUPPORTED_FIELDS = [
  "labelIds",
  "executionWorkspaceId",
  "executionWorkspacePreference",
  "executionWorkspaceSettings",
  "inheritExecutionWorkspaceFromIssueId",
];

const issueFields = {
  title: nonEmpty(LIMITS.title),
  description: nullable(str(LIMITS.text)),
  status: enumOf(ISSUE_STATUSES),
  priority: enumOf(ISSUE_PRIORITIES),
  projectId: nullable(id),
  goalId: nullable(id),
  parentId: nullable(id),
  assigneeAgentId: nullable(id),
  assigneeUserId: nullable(str(LIMITS.key)),
  requestDepth: int(0, 1000),
  billingCode: nullable(str(LIMITS.key)),
  assigneeAdapterOverrides: { type: ["object", "null"] },
  blockedByIssueIds: idList(),
};

const UPDATABLE = new Set([
  "title",
  "description",
  "status",
  "priority",
  "projectId",
  "goalId",
  "parentId",
  "assigneeAgentId",
  "assigneeUserId",
  "requestDepth",
  "billingCode",
  "assigneeAdapterOverrides",
  "blockedByIssueIds",
]);

function present(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

function refuseUnsupported(call: HostCall, fields: Record<string, unknown>, prefix: string): void {
  const used = UNSUPPORTED_FIELDS.find((field) => present(fields[field]));
  if (used)
    throw invalidParams(
      call.method,
      `${prefix}${used} is not supported by this host (no execution workspaces or labels)`,
    );
}

/** `plugin:<key>` or `plugin:<key>:<sub-kind>`; the default when absent. */
export function originKindFor(call: HostCall, requested: string | null | undefined): string {
  const own = `plugin:${call.plugin.pluginKey}`;
  if (requested === undefined || requested === null || requested === "") return own;
  if (requested === own || requested.startsWith(`${own}:`)) return requested;
  throw invalidParams(
    call.method,
    `params.originKind "${requested}" is outside this plugin's namespace: use "${own}" or "${own}:<sub-kind>"`,
  );
}

/** The plugin, acting for one of the company's agents and/or a user when the params say so. */
export async function actingAs(
  deps: HostServiceDeps,
  call: HostCall,
  companyId: string,
  fields: { actorAgentId?: string; actorUserId?: string; actorRunId?: string },
): Promise<Actor> {
  if (fields.actorAgentId) {
    requireOwned(
      call,
      await orNull(deps.services.agents.get(fields.actorAgentId)),
      companyId,
      "agent",
      fields.actorAgentId,
    );
  }
  return {
    ...call.actor,
    agentId: fields.actorAgentId ?? null,
    runId: fields.actorRunId ?? null,
    userId: fields.actorUserId ?? null,
  };
}

export function issueMethods(deps: HostServiceDeps): MethodTable {
  const { services } = deps;
  return {
    "issues.list": {
      params: paramsOf(
        {
          companyId: id,
          projectId: id,
          assigneeAgentId: id,
          originKind: str(LIMITS.key),
          originKindPrefix: str(LIMITS.key),
          originId: str(LIMITS.key),
          status: str(LIMITS.shortText),
          includePluginOperations: { type: "boolean" },
          ...page,
        },
        ["companyId"],
      ),
      async handle(p) {
        const status = p.status
          ? String(p.status)
              .split(",")
              .map((s: string) => s.trim())
              .filter(Boolean)
          : undefined;
        const filter = {
          projectId: p.projectId,
          assigneeAgentId: p.assigneeAgentId,
          originKind: p.originKind,
          status,
        };
        if (!p.originKindPrefix && !p.originId) {
          return services.issues.list(p.companyId, { ...filter, limit: p.limit, offset: p.offset });
        }
        // The domain filters exact origin kinds only: narrow a wide page here, then apply the paging.
        const rows = await services.issues.list(p.companyId, { ...filter, limit: 1000, offset: 0 });
        const matching = rows.filter(
          (issue) =>
            (!p.originKindPrefix || issue.originKind.startsWith(p.originKindPrefix)) &&
            (!p.originId || issue.originId === p.originId),
        );
        const offset = p.offset ?? 0;
        return matching.slice(offset, offset + (p.limit ?? 500));
      },
    },
    "issues.get": {
      params: paramsOf({ issueId: id, companyId: id }, ["issueId", "companyId"]),
      handle: async (p: { issueId: string; companyId: string }) =>
        ownedBy(await orNull(services.issues.get(p.issueId)), p.companyId),
    },
    "issues.create": {
      params: paramsOf(
        {
          companyId: id,
          ...issueFields,
          originKind: nullable(str(LIMITS.key)),
          originId: nullable(str(LIMITS.key)),
          originRunId: nullable(uuidText),
          ...actorFields,
        },
        ["companyId", "title"],
      ),
      async handle(p, call) {
        refuseUnsupported(call, p, "params.");
        const actor = await actingAs(deps, call, p.companyId, p);
        const input: CreateIssueInput = {
          title: p.title,
          description: p.description,
          status: p.status,
          priority: p.priority,
          projectId: p.projectId,
          goalId: p.goalId,
          parentId: p.parentId,
          assigneeAgentId: p.assigneeAgentId,
          assigneeUserId: p.assigneeUserId,
          requestDepth: p.requestDepth,
          billingCode: p.billingCode,
          assigneeAdapterOverrides: p.assigneeAdapterOverrides,
          blockedByIssueIds: p.blockedByIssueIds,
          originKind: originKindFor(call, p.originKind),
          originId: p.originId ?? null,
          originRunId: p.originRunId ?? null,
        };
        return services.issues.create(actor, p.companyId, input);
      },
    },
    "issues.update": {
      params: paramsOf(
        {
          issueId: id,
          companyId: id,
          patch: { type: "object", properties: { ...issueFields, ...actorFields } },
        },
        ["issueId", "companyId", "patch"],
      ),
      async handle(p: { issueId: string; companyId: string; patch: Record<string, any> }, call) {
        const { actorAgentId, actorUserId, actorRunId, ...patch } = p.patch;
        refuseUnsupported(call, patch, "params.patch.");
        for (const key of Object.keys(patch)) {
          if (UNSUPPORTED_FIELDS.includes(key) || UPDATABLE.has(key)) continue;
          if (key === "originKind" || key === "originId" || key === "originRunId") {
            throw invalidParams(
              call.method,
              `params.patch.${key} cannot be changed after the issue was created`,
            );
          }
          throw invalidParams(call.method, `params.patch.${key} is not an issue field that can be changed`);
        }
        for (const key of UNSUPPORTED_FIELDS) delete patch[key];
        const issue = requireOwned(
          call,
          await orNull(services.issues.get(p.issueId)),
          p.companyId,
          "issue",
          p.issueId,
        );
        const actor = await actingAs(deps, call, p.companyId, { actorAgentId, actorUserId, actorRunId });
        const {
          changes: _changes,
          comment: _comment,
          ...updated
        } = await services.issues.update(actor, issue.id, patch as UpdateIssueInput);
        return updated;
      },
    },
  };
}
