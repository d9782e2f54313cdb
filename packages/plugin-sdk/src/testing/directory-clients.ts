/**
 * Company-scoped reads and writes of the board's directory records: companies, projects
 * (and their workspaces), execution workspaces, goals and approvals. A record of another
 * company is invisible (null / "not found"), as it is through the real host.
 */
import { randomUUID } from "node:crypto";
import type { Goal, GoalLevel, GoalStatus, PluginContext, PluginWorkspace } from "../types/index.js";
import { detached, wireTimestamp } from "./domain-store.js";
import { buildManagedProjectsClient } from "./managed-resources.js";
import type { HarnessRuntime } from "./runtime.js";
import {
  optionalNonEmptyString,
  optionalPlainObject,
  optionalText,
  paginate,
  requireNonEmptyString,
  requireOneOf,
  requirePlainObject,
} from "./validate.js";

const GOAL_LEVELS: readonly GoalLevel[] = ["company", "team", "agent", "task"];
const GOAL_STATUSES: readonly GoalStatus[] = ["planned", "active", "achieved", "cancelled"];
const GOAL_PATCH_FIELDS = ["title", "description", "level", "status", "parentId", "ownerAgentId"] as const;

type DirectoryClients = Pick<
  PluginContext,
  "companies" | "projects" | "executionWorkspaces" | "goals" | "approvals"
>;

export function buildDirectoryClients(runtime: HarnessRuntime): DirectoryClients {
  const { gate, store } = runtime;

  /** Workspaces of a project the company owns, primary first (the host's order). */
  const workspacesOf = (projectId: string, companyId: string, where: string): PluginWorkspace[] => {
    store.mustFind(store.projects, requireNonEmptyString(projectId, `${where}: projectId`), companyId);
    return store.projectWorkspaces
      .list((workspace) => workspace.projectId === projectId)
      .sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary));
  };
  const primaryOf = (projectId: string, companyId: string, where: string) =>
    workspacesOf(projectId, companyId, where).find((workspace) => workspace.isPrimary) ?? null;

  return {
    companies: {
      async list(input) {
        gate.require("companies.read");
        return paginate(
          store.companies.list(),
          optionalPlainObject(input, "ctx.companies.list: input"),
          "ctx.companies.list",
        );
      },
      async get(companyId) {
        gate.require("companies.read");
        return store.companies.get(requireNonEmptyString(companyId, "ctx.companies.get: companyId")) ?? null;
      },
    },

    projects: {
      async list(input) {
        gate.require("projects.read");
        const query = requirePlainObject(input, "ctx.projects.list: input");
        const companyId = requireNonEmptyString(query.companyId, "ctx.projects.list: companyId");
        return paginate(
          store.projects.list((project) => project.companyId === companyId),
          query,
          "ctx.projects.list",
        );
      },
      async get(projectId, companyId) {
        gate.require("projects.read");
        const project = store.inCompany(
          store.projects,
          requireNonEmptyString(projectId, "ctx.projects.get: projectId"),
          requireNonEmptyString(companyId, "ctx.projects.get: companyId"),
        );
        return project ? detached(project) : null;
      },
      async listWorkspaces(projectId, companyId) {
        gate.require("project.workspaces.read");
        return workspacesOf(
          projectId,
          requireNonEmptyString(companyId, "ctx.projects.listWorkspaces: companyId"),
          "ctx.projects.listWorkspaces",
        );
      },
      async getPrimaryWorkspace(projectId, companyId) {
        gate.require("project.workspaces.read");
        const company = requireNonEmptyString(companyId, "ctx.projects.getPrimaryWorkspace: companyId");
        if (
          !store.inCompany(
            store.projects,
            requireNonEmptyString(projectId, "ctx.projects.getPrimaryWorkspace: projectId"),
            company,
          )
        ) {
          return null;
        }
        return primaryOf(projectId, company, "ctx.projects.getPrimaryWorkspace");
      },
      async getWorkspaceForIssue(issueId, companyId) {
        gate.require("project.workspaces.read");
        const company = requireNonEmptyString(companyId, "ctx.projects.getWorkspaceForIssue: companyId");
        const issue = store.mustFind(
          store.issues,
          requireNonEmptyString(issueId, "ctx.projects.getWorkspaceForIssue: issueId"),
          company,
        );
        if (!issue.projectId || !store.inCompany(store.projects, issue.projectId, company)) return null;
        return primaryOf(issue.projectId, company, "ctx.projects.getWorkspaceForIssue");
      },
      managed: buildManagedProjectsClient(runtime),
    },

    executionWorkspaces: {
      async get(workspaceId, companyId) {
        gate.require("execution.workspaces.read");
        const workspace = store.inCompany(
          store.executionWorkspaces,
          requireNonEmptyString(workspaceId, "ctx.executionWorkspaces.get: workspaceId"),
          requireNonEmptyString(companyId, "ctx.executionWorkspaces.get: companyId"),
        );
        return workspace ? detached(workspace) : null;
      },
    },

    goals: {
      async list(input) {
        gate.require("goals.read");
        const query = requirePlainObject(input, "ctx.goals.list: input");
        const companyId = requireNonEmptyString(query.companyId, "ctx.goals.list: companyId");
        if (query.level !== undefined) requireOneOf(query.level, GOAL_LEVELS, "ctx.goals.list: level");
        if (query.status !== undefined) requireOneOf(query.status, GOAL_STATUSES, "ctx.goals.list: status");
        const matching = store.goals.list(
          (goal) =>
            goal.companyId === companyId &&
            (query.level === undefined || goal.level === query.level) &&
            (query.status === undefined || goal.status === query.status),
        );
        return paginate(matching, query, "ctx.goals.list");
      },
      async get(goalId, companyId) {
        gate.require("goals.read");
        const goal = store.inCompany(
          store.goals,
          requireNonEmptyString(goalId, "ctx.goals.get: goalId"),
          requireNonEmptyString(companyId, "ctx.goals.get: companyId"),
        );
        return goal ? detached(goal) : null;
      },
      async create(input) {
        gate.require("goals.create");
        const fields = requirePlainObject(input, "ctx.goals.create: input");
        const companyId = requireNonEmptyString(fields.companyId, "ctx.goals.create: companyId");
        const parentId = optionalNonEmptyString(fields.parentId, "ctx.goals.create: parentId");
        if (parentId) store.mustFind(store.goals, parentId, companyId);
        const now = wireTimestamp();
        const goal: Goal = {
          id: randomUUID(),
          companyId,
          title: requireNonEmptyString(fields.title, "ctx.goals.create: title"),
          description: optionalText(fields.description, "ctx.goals.create: description"),
          level:
            fields.level === undefined
              ? "task"
              : requireOneOf(fields.level, GOAL_LEVELS, "ctx.goals.create: level"),
          status:
            fields.status === undefined
              ? "planned"
              : requireOneOf(fields.status, GOAL_STATUSES, "ctx.goals.create: status"),
          parentId: parentId ?? null,
          ownerAgentId: optionalNonEmptyString(fields.ownerAgentId, "ctx.goals.create: ownerAgentId") ?? null,
          createdAt: now,
          updatedAt: now,
        };
        return store.goals.put(goal);
      },
      async update(goalId, patch, companyId) {
        gate.require("goals.update");
        const company = requireNonEmptyString(companyId, "ctx.goals.update: companyId");
        const goal = store.mustFind(
          store.goals,
          requireNonEmptyString(goalId, "ctx.goals.update: goalId"),
          company,
        );
        const changes = requirePlainObject(patch, "ctx.goals.update: patch");
        for (const key of Object.keys(changes)) {
          if (!(GOAL_PATCH_FIELDS as readonly string[]).includes(key)) {
            throw new TypeError(
              `ctx.goals.update: patch.${key} is not an updatable goal field (allowed: ${GOAL_PATCH_FIELDS.join(", ")})`,
            );
          }
        }
        if (changes.title !== undefined)
          requireNonEmptyString(changes.title, "ctx.goals.update: patch.title");
        if (changes.level !== undefined)
          requireOneOf(changes.level, GOAL_LEVELS, "ctx.goals.update: patch.level");
        if (changes.status !== undefined)
          requireOneOf(changes.status, GOAL_STATUSES, "ctx.goals.update: patch.status");
        if (typeof changes.parentId === "string") {
          if (changes.parentId === goal.id)
            throw new Error("ctx.goals.update: a goal cannot be its own parent");
          store.mustFind(store.goals, changes.parentId, company);
        }
        Object.assign(goal, detached(changes), { updatedAt: wireTimestamp() });
        return detached(goal);
      },
    },

    approvals: {
      async list(input) {
        gate.require("approvals.read");
        const query = requirePlainObject(input, "ctx.approvals.list: input");
        const companyId = requireNonEmptyString(query.companyId, "ctx.approvals.list: companyId");
        return store.approvals.list(
          (approval) =>
            approval.companyId === companyId && (query.status == null || approval.status === query.status),
        );
      },
      async get(approvalId, companyId) {
        gate.require("approvals.read");
        const approval = store.inCompany(
          store.approvals,
          requireNonEmptyString(approvalId, "ctx.approvals.get: approvalId"),
          requireNonEmptyString(companyId, "ctx.approvals.get: companyId"),
        );
        return approval ? detached(approval) : null;
      },
      async decide(approvalId, input, companyId) {
        gate.require("approvals.respond");
        const approval = store.mustFind(
          store.approvals,
          requireNonEmptyString(approvalId, "ctx.approvals.decide: approvalId"),
          requireNonEmptyString(companyId, "ctx.approvals.decide: companyId"),
        );
        const decision = requirePlainObject(input, "ctx.approvals.decide: input");
        const action = requireOneOf(
          decision.action,
          ["approve", "reject"] as const,
          "ctx.approvals.decide: action",
        );
        // Only an open approval changes; deciding a closed one reports applied: false.
        if (approval.status !== "pending" && approval.status !== "revision_requested") {
          return { approval: detached(approval), applied: false };
        }
        const now = wireTimestamp();
        Object.assign(approval, {
          status: action === "approve" ? "approved" : "rejected",
          decisionNote: (decision.decisionNote as string | null | undefined) ?? null,
          decidedByUserId:
            optionalNonEmptyString(decision.actorUserId, "ctx.approvals.decide: actorUserId") ?? null,
          decidedAt: now,
          updatedAt: now,
        });
        return { approval: detached(approval), applied: true };
      },
    },
  };
}
