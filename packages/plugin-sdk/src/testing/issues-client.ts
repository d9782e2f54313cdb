/**
 * `ctx.issues` against the in-memory store: create/update/list with the host's filters and
 * origin-kind rule, checkout ownership, wake-ups, subtrees and orchestration summaries.
 * Comments, interactions and attachments live in issue-threads.ts; documents and blocker
 * relations in issue-links.ts.
 */
import { randomUUID } from "node:crypto";
import type {
  Issue,
  IssuePriority,
  IssueStatus,
  PluginContext,
  PluginIssueMutationActor,
  PluginIssueRelationSummary,
  PluginIssueSubtree,
} from "../types/index.js";
import { detached, wireTimestamp } from "./domain-store.js";
import {
  buildDocumentsClient,
  buildRelationsClient,
  relationSummary,
  setBlockedBy,
  summaryOf,
} from "./issue-links.js";
import { buildIssueThreadMethods } from "./issue-threads.js";
import type { HarnessRuntime } from "./runtime.js";
import {
  optionalNonEmptyString,
  optionalPlainObject,
  optionalText,
  paginate,
  requireNonEmptyString,
  requireOneOf,
  requirePlainObject,
  requireStringArray,
} from "./validate.js";

export const ISSUE_STATUSES: readonly IssueStatus[] = [
  "backlog",
  "todo",
  "in_progress",
  "in_review",
  "done",
  "blocked",
  "cancelled",
];
export const ISSUE_PRIORITIES: readonly IssuePriority[] = ["critical", "high", "medium", "low"];

/** Patch keys `ctx.issues.update` accepts (the published signature's Pick plus the three extras). */
const UPDATABLE_ISSUE_FIELDS = [
  "title",
  "description",
  "status",
  "priority",
  "assigneeAgentId",
  "assigneeUserId",
  "billingCode",
  "originKind",
  "originId",
  "originRunId",
  "requestDepth",
  "executionWorkspaceId",
  "executionWorkspacePreference",
  "blockedByIssueIds",
  "labelIds",
  "executionWorkspaceSettings",
] as const;

/** Agent states in which the host refuses to start a run. */
export const NON_INVOKABLE_AGENT_STATUSES = new Set(["paused", "terminated", "pending_approval"]);

export function buildIssuesClient(runtime: HarnessRuntime): PluginContext["issues"] {
  const { gate, store, pluginId } = runtime;
  const issueNumbers = new Map<string, number>();

  /** The host's origin rule: a plugin stamps `plugin:<its id>` or a `plugin:<its id>:<sub-kind>`. */
  const originKindFor = (value: unknown, where: string): Issue["originKind"] => {
    const own = `plugin:${pluginId}`;
    if (value === undefined || value === null) return own as Issue["originKind"];
    const kind = requireNonEmptyString(value, where);
    if (kind !== own && !kind.startsWith(`${own}:`)) {
      throw new Error(
        `${where}: plugin may only use originKind values under ${own} (got ${JSON.stringify(kind)})`,
      );
    }
    return kind as Issue["originKind"];
  };

  const applyStatusTimestamps = (issue: Issue, status: IssueStatus) => {
    const now = wireTimestamp();
    if (status === "in_progress" && !issue.startedAt) issue.startedAt = now;
    if (status === "done") issue.completedAt = now;
    if (status === "cancelled") issue.cancelledAt = now;
  };

  const nextIdentifier = (companyId: string) => {
    const issueNumber = (issueNumbers.get(companyId) ?? 0) + 1;
    issueNumbers.set(companyId, issueNumber);
    const prefix = store.companies.raw(companyId)?.issuePrefix;
    return { issueNumber, identifier: prefix ? `${prefix}-${issueNumber}` : null };
  };

  const threads = buildIssueThreadMethods(runtime);

  return {
    async list(input) {
      gate.require("issues.read");
      const query = requirePlainObject(input, "ctx.issues.list: input");
      const companyId = requireNonEmptyString(query.companyId, "ctx.issues.list: companyId");
      if (query.status !== undefined) requireOneOf(query.status, ISSUE_STATUSES, "ctx.issues.list: status");
      const prefix = optionalNonEmptyString(query.originKindPrefix, "ctx.issues.list: originKindPrefix");
      const matching = store.issues.list(
        (issue) =>
          issue.companyId === companyId &&
          (["projectId", "assigneeAgentId", "originKind", "originId", "status"] as const).every(
            (field) => query[field] === undefined || issue[field] === query[field],
          ) &&
          (prefix === undefined || (issue.originKind ?? "").startsWith(prefix)),
      );
      return paginate(matching, query, "ctx.issues.list");
    },

    async get(issueId, companyId) {
      gate.require("issues.read");
      const issue = store.inCompany(
        store.issues,
        requireNonEmptyString(issueId, "ctx.issues.get: issueId"),
        requireNonEmptyString(companyId, "ctx.issues.get: companyId"),
      );
      return issue ? detached(issue) : null;
    },

    async create(input) {
      gate.require("issues.create");
      const fields = requirePlainObject(input, "ctx.issues.create: input");
      const companyId = requireNonEmptyString(fields.companyId, "ctx.issues.create: companyId");
      const title = requireNonEmptyString(fields.title, "ctx.issues.create: title");
      const status =
        fields.status === undefined
          ? "todo"
          : requireOneOf(fields.status, ISSUE_STATUSES, "ctx.issues.create: status");
      const priority =
        fields.priority === undefined
          ? "medium"
          : requireOneOf(fields.priority, ISSUE_PRIORITIES, "ctx.issues.create: priority");
      const parentId = optionalNonEmptyString(fields.parentId, "ctx.issues.create: parentId");
      if (parentId) store.mustFind(store.issues, parentId, companyId);
      const actor = (optionalPlainObject(fields.actor, "ctx.issues.create: actor") ??
        {}) as PluginIssueMutationActor;
      const now = wireTimestamp();
      const issue: Issue = {
        id: randomUUID(),
        companyId,
        projectId: optionalNonEmptyString(fields.projectId, "ctx.issues.create: projectId") ?? null,
        projectWorkspaceId: null,
        goalId: optionalNonEmptyString(fields.goalId, "ctx.issues.create: goalId") ?? null,
        parentId: parentId ?? null,
        title,
        description: optionalText(fields.description, "ctx.issues.create: description"),
        status,
        workMode: "standard",
        priority,
        reviewPolicy: null,
        assigneeAgentId:
          optionalNonEmptyString(fields.assigneeAgentId, "ctx.issues.create: assigneeAgentId") ?? null,
        assigneeUserId:
          optionalNonEmptyString(fields.assigneeUserId, "ctx.issues.create: assigneeUserId") ?? null,
        checkoutRunId: null,
        executionRunId: null,
        executionAgentNameKey: null,
        executionLockedAt: null,
        createdByAgentId: actor.actorAgentId ?? null,
        createdByUserId: actor.actorUserId ?? null,
        responsibleUserId: null,
        ...nextIdentifier(companyId),
        originKind: originKindFor(fields.originKind, "ctx.issues.create: originKind"),
        originId: (fields.originId as string | null | undefined) ?? null,
        originRunId: (fields.originRunId as string | null | undefined) ?? actor.actorRunId ?? null,
        requestDepth: (fields.requestDepth as number | undefined) ?? 0,
        billingCode: (fields.billingCode as string | null | undefined) ?? null,
        assigneeAdapterOverrides:
          (fields.assigneeAdapterOverrides as Issue["assigneeAdapterOverrides"]) ?? null,
        executionWorkspaceId: (fields.executionWorkspaceId as string | null | undefined) ?? null,
        executionWorkspacePreference:
          (fields.executionWorkspacePreference as string | null | undefined) ?? null,
        executionWorkspaceSettings:
          (fields.executionWorkspaceSettings as Issue["executionWorkspaceSettings"]) ?? null,
        startedAt: null,
        completedAt: null,
        cancelledAt: null,
        hiddenAt: null,
        labelIds:
          fields.labelIds === undefined
            ? []
            : requireStringArray(fields.labelIds, "ctx.issues.create: labelIds"),
        createdAt: now,
        updatedAt: now,
      };
      applyStatusTimestamps(issue, status);
      store.issues.put(issue);
      if (fields.blockedByIssueIds !== undefined) {
        setBlockedBy(
          store,
          issue.id,
          requireStringArray(fields.blockedByIssueIds, "ctx.issues.create: blockedByIssueIds"),
          companyId,
          "ctx.issues.create",
        );
      }
      return detached(store.issues.raw(issue.id)!);
    },

    async update(issueId, patch, companyId) {
      gate.require("issues.update");
      const company = requireNonEmptyString(companyId, "ctx.issues.update: companyId");
      const issue = store.mustFind(
        store.issues,
        requireNonEmptyString(issueId, "ctx.issues.update: issueId"),
        company,
      );
      const changes = requirePlainObject(patch, "ctx.issues.update: patch");
      for (const key of Object.keys(changes)) {
        if (!(UPDATABLE_ISSUE_FIELDS as readonly string[]).includes(key)) {
          throw new TypeError(
            `ctx.issues.update: patch.${key} is not an updatable issue field (allowed: ${UPDATABLE_ISSUE_FIELDS.join(", ")})`,
          );
        }
      }
      if (changes.title !== undefined) requireNonEmptyString(changes.title, "ctx.issues.update: patch.title");
      if (changes.description !== undefined)
        optionalText(changes.description, "ctx.issues.update: patch.description");
      if (changes.status !== undefined)
        requireOneOf(changes.status, ISSUE_STATUSES, "ctx.issues.update: patch.status");
      if (changes.priority !== undefined) {
        requireOneOf(changes.priority, ISSUE_PRIORITIES, "ctx.issues.update: patch.priority");
      }
      if (changes.originKind !== undefined)
        originKindFor(changes.originKind, "ctx.issues.update: patch.originKind");
      const { blockedByIssueIds, ...fields } = changes;
      if (blockedByIssueIds !== undefined) {
        const ids = requireStringArray(blockedByIssueIds, "ctx.issues.update: patch.blockedByIssueIds");
        setBlockedBy(store, issue.id, ids, company, "ctx.issues.update");
      }
      Object.assign(issue, detached(fields));
      if (fields.status !== undefined) applyStatusTimestamps(issue, fields.status as IssueStatus);
      issue.updatedAt = wireTimestamp();
      return detached(issue);
    },

    async assertCheckoutOwner(input) {
      gate.require("issues.checkout");
      const query = requirePlainObject(input, "ctx.issues.assertCheckoutOwner: input");
      const companyId = requireNonEmptyString(query.companyId, "ctx.issues.assertCheckoutOwner: companyId");
      const agentId = requireNonEmptyString(
        query.actorAgentId,
        "ctx.issues.assertCheckoutOwner: actorAgentId",
      );
      const runId = requireNonEmptyString(query.actorRunId, "ctx.issues.assertCheckoutOwner: actorRunId");
      const issue = store.mustFind(
        store.issues,
        requireNonEmptyString(query.issueId, "ctx.issues.assertCheckoutOwner: issueId"),
        companyId,
      );
      if (issue.assigneeAgentId !== agentId || issue.checkoutRunId !== runId) {
        throw new Error(
          `Issue checkout conflict: issue ${issue.id} is checked out by agent ${issue.assigneeAgentId ?? "none"} in run ${issue.checkoutRunId ?? "none"}, not by agent ${agentId} in run ${runId}`,
        );
      }
      return {
        issueId: issue.id,
        status: issue.status,
        assigneeAgentId: issue.assigneeAgentId,
        checkoutRunId: issue.checkoutRunId,
        adoptedFromRunId: null,
      };
    },

    async getSubtree(issueId, companyId, options) {
      gate.require("issue.subtree.read");
      const company = requireNonEmptyString(companyId, "ctx.issues.getSubtree: companyId");
      const root = store.mustFind(
        store.issues,
        requireNonEmptyString(issueId, "ctx.issues.getSubtree: issueId"),
        company,
      );
      const opts = (optionalPlainObject(options, "ctx.issues.getSubtree: options") ?? {}) as Record<
        string,
        unknown
      >;
      const descendants = descendantIds(runtime, root.id, company);
      const issueIds = opts.includeRoot === false ? descendants : [root.id, ...descendants];
      const subtree: PluginIssueSubtree = {
        rootIssueId: root.id,
        companyId: company,
        issueIds,
        issues: issueIds.map((id) => detached(store.issues.raw(id)!)),
      };
      if (opts.includeRelations) subtree.relations = relationMap(runtime, issueIds);
      if (opts.includeDocuments) {
        subtree.documents = Object.fromEntries(
          issueIds.map((id) => [
            id,
            [...store.documents.values()].filter((doc) => doc.issueId === id).map(summaryOf),
          ]),
        );
      }
      if (opts.includeActiveRuns) subtree.activeRuns = Object.fromEntries(issueIds.map((id) => [id, []]));
      if (opts.includeAssignees) {
        subtree.assignees = {};
        for (const id of issueIds) {
          const agent = store.agents.raw(store.issues.raw(id)?.assigneeAgentId ?? "");
          if (agent) {
            subtree.assignees[agent.id] = {
              id: agent.id,
              name: agent.name,
              role: agent.role,
              title: agent.title,
              status: agent.status,
            };
          }
        }
      }
      return subtree;
    },

    async requestWakeup(issueId, companyId, options) {
      gate.require("issues.wakeup");
      const company = requireNonEmptyString(companyId, "ctx.issues.requestWakeup: companyId");
      const issue = store.mustFind(
        store.issues,
        requireNonEmptyString(issueId, "ctx.issues.requestWakeup: issueId"),
        company,
      );
      optionalPlainObject(options, "ctx.issues.requestWakeup: options");
      return wakeup(runtime, issue);
    },

    async requestWakeups(issueIds, companyId, options) {
      gate.require("issues.wakeup");
      const company = requireNonEmptyString(companyId, "ctx.issues.requestWakeups: companyId");
      const ids = requireStringArray(issueIds, "ctx.issues.requestWakeups: issueIds");
      optionalPlainObject(options, "ctx.issues.requestWakeups: options");
      const issues = ids.map((id) => store.mustFind(store.issues, id, company));
      return issues.map((issue) => ({ issueId: issue.id, ...wakeup(runtime, issue) }));
    },

    ...threads,
    documents: buildDocumentsClient(runtime),
    relations: buildRelationsClient(runtime),
    summaries: {
      async getOrchestration(input) {
        gate.require("issues.orchestration.read");
        const query = requirePlainObject(input, "ctx.issues.summaries.getOrchestration: input");
        const companyId = requireNonEmptyString(
          query.companyId,
          "ctx.issues.summaries.getOrchestration: companyId",
        );
        const root = store.mustFind(
          store.issues,
          requireNonEmptyString(query.issueId, "ctx.issues.summaries.getOrchestration: issueId"),
          companyId,
        );
        const subtreeIssueIds = query.includeSubtree
          ? [root.id, ...descendantIds(runtime, root.id, companyId)]
          : [root.id];
        return {
          issueId: root.id,
          companyId,
          subtreeIssueIds,
          relations: relationMap(runtime, subtreeIssueIds),
          approvals: [],
          runs: [],
          costs: {
            costCents: 0,
            inputTokens: 0,
            cachedInputTokens: 0,
            outputTokens: 0,
            billingCode: (query.billingCode as string | null | undefined) ?? root.billingCode,
          },
          openBudgetIncidents: [],
          invocationBlocks: [],
        };
      },
    },
  };
}

/** Children, grandchildren, … of an issue (by parentId), breadth first, within one company. */
function descendantIds(runtime: HarnessRuntime, rootId: string, companyId: string): string[] {
  const found: string[] = [];
  const queue = [rootId];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const child of runtime.store.issues.rawList(
      (issue) => issue.parentId === parent && issue.companyId === companyId,
    )) {
      if (!found.includes(child.id) && child.id !== rootId) {
        found.push(child.id);
        queue.push(child.id);
      }
    }
  }
  return found;
}

function relationMap(
  runtime: HarnessRuntime,
  issueIds: string[],
): Record<string, PluginIssueRelationSummary> {
  return Object.fromEntries(issueIds.map((id) => [id, relationSummary(runtime.store, id)]));
}

/** A wake-up is queued when the issue has an agent assignee that can run; otherwise nothing happens. */
function wakeup(runtime: HarnessRuntime, issue: Issue): { queued: boolean; runId: string | null } {
  if (!issue.assigneeAgentId) return { queued: false, runId: null };
  const agent = runtime.store.agents.raw(issue.assigneeAgentId);
  if (agent && NON_INVOKABLE_AGENT_STATUSES.has(agent.status)) return { queued: false, runId: null };
  return { queued: true, runId: randomUUID() };
}
