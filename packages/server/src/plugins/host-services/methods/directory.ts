// companies.*, projects.* (with workspaces), goals.* and approvals.*: thin adapters over the domain services.
// Every record named by id must belong to the company the call names; otherwise it does not exist for it.
import { GOAL_LEVELS, GOAL_STATUSES } from "../../../domain/goals.js";
import type { ProjectWorkspace } from "../../../domain/project-workspaces.js";
import { enumOf, LIMITS, nonEmpty, nullable, str } from "../../../schema/schema-helpers.js";
import type { HostCall, MethodTable } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { invalidParams, scopeDenied } from "../errors.js";
import { paramsOf } from "../params.js";
import { UNKNOWN_INVOCATION } from "../scope.js";
import { id, orNull, ownedBy, page, requireOwned } from "./shared.js";

/** PluginWorkspace of the protocol. */
function toPluginWorkspace(ws: ProjectWorkspace) {
  return {
    id: ws.id,
    projectId: ws.projectId,
    name: ws.name,
    path: ws.cwd ?? ws.repoUrl ?? "",
    repoUrl: ws.repoUrl,
    repoRef: ws.repoRef,
    defaultRef: ws.defaultRef,
    isPrimary: ws.isPrimary,
    createdAt: ws.createdAt,
    updatedAt: ws.updatedAt,
  };
}

const GOAL_PATCH_KEYS = new Set(["title", "description", "level", "status", "parentId", "ownerAgentId"]);

export function directoryMethods(deps: HostServiceDeps): MethodTable {
  const { services } = deps;
  const project = async (call: HostCall, projectId: string, companyId: string) =>
    requireOwned(call, await orNull(services.projects.get(projectId)), companyId, "project", projectId);

  return {
    // Listing never names a company: a company invocation sees its company, anything else the configured ones.
    "companies.list": {
      params: paramsOf(page),
      company: () => ({ kind: "none" }),
      async handle(p: { limit?: number; offset?: number }, call) {
        if (call.scope.kind === "invalid")
          throw scopeDenied(call.plugin.pluginKey, call.method, UNKNOWN_INVOCATION);
        const ids =
          call.scope.kind === "company" ? [call.scope.companyId] : [...(await call.configuredCompanies())];
        const companies = [];
        for (const companyId of ids) {
          const company = await orNull(services.companies.get(companyId));
          if (company) companies.push(company);
        }
        companies.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
        const offset = p.offset ?? 0;
        return companies.slice(offset, offset + (p.limit ?? 100));
      },
    },
    "companies.get": {
      params: paramsOf({ companyId: id }, ["companyId"]),
      handle: (p: { companyId: string }) => orNull(services.companies.get(p.companyId)),
    },

    "projects.list": {
      params: paramsOf({ companyId: id, ...page }, ["companyId"]),
      handle: (p: { companyId: string; limit?: number; offset?: number }) =>
        services.projects.list(p.companyId, { limit: p.limit, offset: p.offset }),
    },
    "projects.get": {
      params: paramsOf({ projectId: id, companyId: id }, ["projectId", "companyId"]),
      handle: async (p: { projectId: string; companyId: string }) =>
        ownedBy(await orNull(services.projects.get(p.projectId)), p.companyId),
    },
    "projects.listWorkspaces": {
      params: paramsOf({ projectId: id, companyId: id }, ["projectId", "companyId"]),
      async handle(p: { projectId: string; companyId: string }, call) {
        const found = await project(call, p.projectId, p.companyId);
        return (await services.workspaces.list(found.id)).map(toPluginWorkspace);
      },
    },
    "projects.getPrimaryWorkspace": {
      params: paramsOf({ projectId: id, companyId: id }, ["projectId", "companyId"]),
      async handle(p: { projectId: string; companyId: string }) {
        const found = ownedBy(await orNull(services.projects.get(p.projectId)), p.companyId);
        if (!found) return null;
        const primary = await services.workspaces.primary(found.id);
        return primary ? toPluginWorkspace(primary) : null;
      },
    },
    "projects.getWorkspaceForIssue": {
      params: paramsOf({ issueId: id, companyId: id }, ["issueId", "companyId"]),
      async handle(p: { issueId: string; companyId: string }) {
        const issue = ownedBy(await orNull(services.issues.get(p.issueId)), p.companyId);
        if (!issue?.projectId) return null;
        const workspaces = await services.workspaces.list(issue.projectId);
        const chosen =
          workspaces.find((ws) => ws.id === issue.projectWorkspaceId) ??
          workspaces.find((ws) => ws.isPrimary) ??
          null;
        return chosen ? toPluginWorkspace(chosen) : null;
      },
    },

    "goals.list": {
      params: paramsOf(
        { companyId: id, level: enumOf(GOAL_LEVELS), status: enumOf(GOAL_STATUSES), ...page },
        ["companyId"],
      ),
      handle: (p: { companyId: string; level?: string; status?: string; limit?: number; offset?: number }) =>
        services.goals.list(p.companyId, {
          level: p.level,
          status: p.status,
          limit: p.limit,
          offset: p.offset,
        }),
    },
    "goals.get": {
      params: paramsOf({ goalId: id, companyId: id }, ["goalId", "companyId"]),
      handle: async (p: { goalId: string; companyId: string }) =>
        ownedBy(await orNull(services.goals.get(p.goalId)), p.companyId),
    },
    "goals.create": {
      params: paramsOf(
        {
          companyId: id,
          title: nonEmpty(LIMITS.title),
          description: nullable(str(LIMITS.text)),
          level: enumOf(GOAL_LEVELS),
          status: enumOf(GOAL_STATUSES),
          parentId: nullable(id),
          ownerAgentId: nullable(id),
        },
        ["companyId", "title"],
      ),
      handle: (p, call) => {
        const { companyId, ...input } = p;
        return services.goals.create(call.actor, companyId, input);
      },
    },
    "goals.update": {
      params: paramsOf(
        {
          goalId: id,
          companyId: id,
          patch: {
            type: "object",
            properties: {
              title: nonEmpty(LIMITS.title),
              description: nullable(str(LIMITS.text)),
              level: enumOf(GOAL_LEVELS),
              status: enumOf(GOAL_STATUSES),
              parentId: nullable(id),
              ownerAgentId: nullable(id),
            },
          },
        },
        ["goalId", "companyId", "patch"],
      ),
      async handle(p: { goalId: string; companyId: string; patch: Record<string, unknown> }, call) {
        const unknown = Object.keys(p.patch).filter((key) => !GOAL_PATCH_KEYS.has(key));
        if (unknown.length > 0) {
          throw invalidParams(
            call.method,
            `params.patch.${unknown[0]} cannot be changed (allowed: ${[...GOAL_PATCH_KEYS].join(", ")})`,
          );
        }
        requireOwned(call, await orNull(services.goals.get(p.goalId)), p.companyId, "goal", p.goalId);
        return services.goals.update(call.actor, p.goalId, p.patch);
      },
    },

    "approvals.list": {
      params: paramsOf({ companyId: id, status: nullable(str(LIMITS.key)) }, ["companyId"]),
      handle: (p: { companyId: string; status?: string | null }) =>
        services.approvals.list(p.companyId, { status: p.status ?? undefined }),
    },
    "approvals.get": {
      params: paramsOf({ approvalId: id, companyId: id }, ["approvalId", "companyId"]),
      handle: async (p: { approvalId: string; companyId: string }) =>
        ownedBy(await orNull(services.approvals.get(p.approvalId)), p.companyId),
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
        return services.approvals.decide(actor, p.approvalId, p.action, p.decisionNote ?? null);
      },
    },
  };
}
