// ctx.issues: issues and what hangs off them — comments, documents, blocker relations, the checkout assertion and
// wake-ups of the assignee. Issues a plugin creates carry its origin: `plugin:<pluginKey>` by default, sub-kinds
// `plugin:<pluginKey>:<x>`; any other origin kind is refused. A plugin may act on behalf of one of the company's
// agents (actorAgentId), which is then the author of the change. An issue must belong to the company the call
// names.

import { CapabilityDeniedError } from "@paperclipai/plugin-sdk";
import type {
  IssueDocumentSummary,
  IssueOriginKind,
  IssueRelationIssueSummary,
  PluginIssueRelationSummary,
  IssueComment as SdkComment,
  IssueDocument as SdkDocument,
  Issue as SdkIssue,
} from "@paperclipai/plugin-sdk/types";
import type { Actor } from "../../../domain/actor.js";
import type { IssueComment } from "../../../domain/issue-comments.js";
import type { IssueDocument } from "../../../domain/issue-documents.js";
import {
  ISSUE_PRIORITIES,
  ISSUE_REVIEW_POLICIES,
  ISSUE_STATUSES,
  ISSUE_WORK_MODES,
  type Issue,
  type IssueSummary,
} from "../../../domain/issue-records.js";
import type { IssueRelations } from "../../../domain/issue-relations.js";
import type { CreateIssueInput, IssueDetail, UpdateIssueInput } from "../../../domain/issues.js";
import { DomainError } from "../../../errors.js";
import { enumOf, int, LIMITS, nonEmpty, nullable, str } from "../../../schema/schema-helpers.js";
import { type HostCall, type NamespaceMethods, notHosted } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { callFailed, invalidParams } from "../errors.js";
import { paramsOf } from "../params.js";
import {
  id,
  idList,
  optionalParamEnum,
  orNull,
  ownedBy,
  page,
  requireOwned,
  storedEnum,
  storedEnumOrNull,
} from "./shared.js";

// ── the SDK's records ─────────────────────────────────────────────────────────────────────────────────────

const BUILT_IN_ORIGIN_KINDS = [
  "manual",
  "routine_execution",
  "stale_active_run_evaluation",
  "harness_liveness_escalation",
  "issue_productivity_review",
  "stranded_issue_recovery",
  "task_watchdog",
  "task_watchdog_product_bug",
  "onboarding_first_task",
  "chat_channel",
] as const;
const COMMENT_AUTHOR_TYPES = ["user", "agent", "system"] as const;
const DOCUMENT_FORMATS = ["markdown"] as const;

function isPluginOrigin(kind: string): kind is `plugin:${string}` {
  return kind.startsWith("plugin:");
}

/**
 * Stored origins are `plugin:<key>[:<sub-kind>]` (originKindFor) or a kind the board set ("manual" by default).
 * The board's REST API accepts any kind, so one outside the SDK's built-in list passes through unchanged.
 */
function toOriginKind(kind: string): IssueOriginKind {
  return isPluginOrigin(kind) ? kind : storedEnum(kind, BUILT_IN_ORIGIN_KINDS);
}

/** The SDK's Issue: the same record, its enum columns typed; this host has no labels (always empty). */
function toSdkIssue(issue: Issue): SdkIssue {
  return {
    ...issue,
    status: storedEnum(issue.status, ISSUE_STATUSES),
    priority: storedEnum(issue.priority, ISSUE_PRIORITIES),
    workMode: storedEnum(issue.workMode, ISSUE_WORK_MODES),
    reviewPolicy: storedEnumOrNull(issue.reviewPolicy, ISSUE_REVIEW_POLICIES),
    originKind: toOriginKind(issue.originKind),
    labels: [],
  };
}

function toRelationIssue(summary: IssueSummary): IssueRelationIssueSummary {
  return {
    ...summary,
    status: storedEnum(summary.status, ISSUE_STATUSES),
    priority: storedEnum(summary.priority, ISSUE_PRIORITIES),
  };
}

function toRelations(relations: IssueRelations): PluginIssueRelationSummary {
  return {
    blockedBy: relations.blockedBy.map(toRelationIssue),
    blocks: relations.blocks.map(toRelationIssue),
  };
}

function toSdkIssueDetail(detail: IssueDetail): SdkIssue {
  return {
    ...toSdkIssue(detail),
    ...toRelations(detail),
    // The detail's summaries are document rows without body, author and lock columns (IssuesService.detail,
    // typed unknown[] there); the SDK's summary lists those columns too. Passed on as they are.
    documentSummaries: detail.documentSummaries as IssueDocumentSummary[],
  };
}

/** Comments on this host carry no presentation. */
function toSdkComment(comment: IssueComment): SdkComment {
  return { ...comment, authorType: storedEnum(comment.authorType, COMMENT_AUTHOR_TYPES), presentation: null };
}

/** Documents on this host are never locked. */
function toSdkDocument(doc: IssueDocument): SdkDocument {
  return {
    ...doc,
    format: storedEnum(doc.format, DOCUMENT_FORMATS),
    lockedAt: null,
    lockedByAgentId: null,
    lockedByUserId: null,
  };
}

function toDocumentSummary(doc: IssueDocument): IssueDocumentSummary {
  const { body: _body, ...summary } = toSdkDocument(doc);
  return summary;
}

// ── params ───────────────────────────────────────────────────────────────────────────────────────────────

type IssueRef = { issueId: string; companyId: string };
type ActorFields = { actorAgentId?: string | null; actorUserId?: string | null; actorRunId?: string | null };

const uuidText = { type: "string", format: "uuid" };
const issueRef = { issueId: id, companyId: id };
const actorFields = { actorAgentId: id, actorUserId: nonEmpty(LIMITS.key), actorRunId: uuidText };
const WAKEABLE = new Set(["todo", "in_progress", "in_review", "blocked"]);
const NO_INTERACTIONS = notHosted("issue thread interactions are not available on this host");
const NO_ATTACHMENTS = notHosted("issue attachments are not available on this host");

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

const UPDATABLE = new Set(Object.keys(issueFields));

/** The params of a blocker change: the issue, the blocker ids in `field`, who acts. */
const blockerParams = (field: string) =>
  paramsOf({ ...issueRef, [field]: idList(), ...actorFields }, ["issueId", "companyId", field]);

function present(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

/** A patch value the params schema checked to be a string (the contract types the patch loosely). */
function patchText(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
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
function originKindFor(call: HostCall, requested: string | null | undefined): string {
  const own = `plugin:${call.plugin.pluginKey}`;
  if (requested === undefined || requested === null || requested === "") return own;
  if (requested === own || requested.startsWith(`${own}:`)) return requested;
  throw invalidParams(
    call.method,
    `params.originKind "${requested}" is outside this plugin's namespace: use "${own}" or "${own}:<sub-kind>"`,
  );
}

export function issueMethods(deps: HostServiceDeps) {
  const { services } = deps;
  const issueOf = async (call: HostCall, p: IssueRef) =>
    requireOwned(call, await orNull(services.issues.get(p.issueId)), p.companyId, "issue", p.issueId);

  /** The plugin, acting for one of the company's agents and/or a user when the params say so. */
  const actingAs = async (call: HostCall, companyId: string, fields: ActorFields): Promise<Actor> => {
    if (fields.actorAgentId) {
      requireOwned(
        call,
        await orNull(services.agents.get(fields.actorAgentId)),
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
  };

  /** Change the issue's blockers as the acting plugin (or the agent/user it acts for). */
  const changeBlockers = async (
    call: HostCall,
    p: IssueRef & ActorFields,
    change: (actor: Actor, issueId: string) => Promise<IssueRelations>,
  ) => {
    const issue = await issueOf(call, p);
    return toRelations(await change(await actingAs(call, p.companyId, p), issue.id));
  };

  /** Queue a run for the issue's assignee; nothing to wake (no agent, closed issue, paused agent) → not queued. */
  const wake = async (
    call: HostCall,
    p: ActorFields & { companyId: string; reason?: string; contextSource?: string },
    issueId: string,
    idempotencyKey: string | null,
  ) => {
    const issue = await issueOf(call, { issueId, companyId: p.companyId });
    if (!issue.assigneeAgentId || !WAKEABLE.has(issue.status)) return { queued: false, runId: null };
    const actor = await actingAs(call, p.companyId, p);
    try {
      const run = await services.runs.wakeup(actor, issue.assigneeAgentId, {
        source: "automation",
        triggerDetail: "system",
        reason: p.reason ?? "plugin_wakeup",
        payload: {
          issueId: issue.id,
          taskKey: issue.identifier,
          contextSource: p.contextSource ?? `plugin:${call.plugin.pluginKey}`,
          idempotencyKey,
        },
      });
      return { queued: true, runId: run.id };
    } catch (error) {
      if (error instanceof DomainError && error.code === "conflict") return { queued: false, runId: null };
      throw error;
    }
  };

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
          ? p.status
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean)
          : undefined;
        const filter = {
          projectId: p.projectId,
          assigneeAgentId: p.assigneeAgentId,
          originKind: p.originKind,
          status,
        };
        if (!p.originKindPrefix && !p.originId) {
          const rows = await services.issues.list(p.companyId, {
            ...filter,
            limit: p.limit,
            offset: p.offset,
          });
          return rows.map(toSdkIssue);
        }
        // The domain filters exact origin kinds only: narrow a wide page here, then apply the paging.
        const rows = await services.issues.list(p.companyId, { ...filter, limit: 1000, offset: 0 });
        const matching = rows.filter(
          (issue) =>
            (!p.originKindPrefix || issue.originKind.startsWith(p.originKindPrefix)) &&
            (!p.originId || issue.originId === p.originId),
        );
        const offset = p.offset ?? 0;
        return matching.slice(offset, offset + (p.limit ?? 500)).map(toSdkIssue);
      },
    },
    "issues.get": {
      params: paramsOf(issueRef, ["issueId", "companyId"]),
      async handle(p) {
        const issue = ownedBy(await orNull(services.issues.get(p.issueId)), p.companyId);
        return issue && toSdkIssueDetail(issue);
      },
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
        const actor = await actingAs(call, p.companyId, p);
        const input: CreateIssueInput = {
          title: p.title,
          description: p.description,
          status: optionalParamEnum(call, "status", p.status, ISSUE_STATUSES),
          priority: p.priority,
          projectId: p.projectId,
          goalId: p.goalId,
          parentId: p.parentId,
          assigneeAgentId: p.assigneeAgentId,
          assigneeUserId: p.assigneeUserId,
          requestDepth: p.requestDepth,
          billingCode: p.billingCode,
          assigneeAdapterOverrides: p.assigneeAdapterOverrides && { ...p.assigneeAdapterOverrides },
          blockedByIssueIds: p.blockedByIssueIds,
          originKind: originKindFor(call, p.originKind),
          originId: p.originId ?? null,
          originRunId: p.originRunId ?? null,
        };
        return toSdkIssueDetail(await services.issues.create(actor, p.companyId, input));
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
      async handle(p, call) {
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
        const issue = await issueOf(call, p);
        const actor = await actingAs(call, p.companyId, {
          actorAgentId: patchText(actorAgentId),
          actorUserId: patchText(actorUserId),
          actorRunId: patchText(actorRunId),
        });
        // Every key is one of issueFields (checked above) and the params schema checked each value's type.
        const input: UpdateIssueInput = patch;
        const {
          changes: _changes,
          comment: _comment,
          ...updated
        } = await services.issues.update(actor, issue.id, input);
        return toSdkIssueDetail(updated);
      },
    },

    "issues.listComments": {
      params: paramsOf(issueRef, ["issueId", "companyId"]),
      async handle(p, call) {
        const issue = await issueOf(call, p);
        return (await services.comments.list(issue.id, { order: "asc" })).map(toSdkComment);
      },
    },
    "issues.createComment": {
      params: paramsOf(
        { ...issueRef, body: nonEmpty(LIMITS.text), authorAgentId: id, actorUserId: nonEmpty(LIMITS.key) },
        ["issueId", "companyId", "body"],
      ),
      async handle(p, call) {
        // Writing in a human's name needs a second capability (as the published host client does).
        const human = "issue.comments.create_human_attributed";
        if (p.actorUserId && !(call.plugin.manifest.capabilities ?? []).includes(human)) {
          throw new CapabilityDeniedError(call.plugin.pluginKey, call.method, human);
        }
        const issue = await issueOf(call, p);
        const actor = await actingAs(call, p.companyId, {
          actorAgentId: p.authorAgentId,
          actorUserId: p.actorUserId,
        });
        const comment = await services.comments.create(actor, issue.id, {
          body: p.body,
          authorType: p.authorAgentId ? "agent" : p.actorUserId ? "user" : "system",
          metadata: { pluginKey: call.plugin.pluginKey },
        });
        return toSdkComment(comment);
      },
    },

    "issues.documents.list": {
      params: paramsOf(issueRef, ["issueId", "companyId"]),
      async handle(p, call) {
        const issue = await issueOf(call, p);
        return (await services.documents.list(issue.id)).map(toDocumentSummary);
      },
    },
    "issues.documents.get": {
      params: paramsOf({ ...issueRef, key: nonEmpty(64) }, ["issueId", "companyId", "key"]),
      async handle(p, call) {
        const issue = await issueOf(call, p);
        const doc = await orNull(services.documents.get(issue.id, p.key));
        return doc && toSdkDocument(doc);
      },
    },
    "issues.documents.upsert": {
      params: paramsOf(
        {
          ...issueRef,
          key: nonEmpty(64),
          body: str(524_288),
          title: nullable(str(LIMITS.title)),
          format: enumOf(["markdown"]),
          changeSummary: nullable(str(LIMITS.shortText)),
        },
        ["issueId", "companyId", "key", "body"],
      ),
      async handle(p, call) {
        const issue = await issueOf(call, p);
        const { document } = await services.documents.put(call.actor, issue.id, p.key, {
          body: p.body,
          title: p.title ?? null,
          format: "markdown",
          changeSummary: p.changeSummary ?? null,
        });
        return toSdkDocument(document);
      },
    },
    "issues.documents.delete": {
      params: paramsOf({ ...issueRef, key: nonEmpty(64) }, ["issueId", "companyId", "key"]),
      async handle(p, call) {
        const issue = await issueOf(call, p);
        await services.documents.delete(call.actor, issue.id, p.key);
      },
    },

    "issues.relations.get": {
      params: paramsOf(issueRef, ["issueId", "companyId"]),
      async handle(p, call) {
        return toRelations(await services.relations.get((await issueOf(call, p)).id));
      },
    },
    "issues.relations.setBlockedBy": {
      params: blockerParams("blockedByIssueIds"),
      handle: (p, call) =>
        changeBlockers(call, p, (actor, issueId) =>
          services.relations.setBlockedBy(actor, issueId, p.blockedByIssueIds),
        ),
    },
    "issues.relations.addBlockers": {
      params: blockerParams("blockerIssueIds"),
      handle: (p, call) =>
        changeBlockers(call, p, (actor, issueId) =>
          services.relations.addBlockers(actor, issueId, p.blockerIssueIds),
        ),
    },
    "issues.relations.removeBlockers": {
      params: blockerParams("blockerIssueIds"),
      handle: (p, call) =>
        changeBlockers(call, p, (actor, issueId) =>
          services.relations.removeBlockers(actor, issueId, p.blockerIssueIds),
        ),
    },

    "issues.assertCheckoutOwner": {
      params: paramsOf({ ...issueRef, actorAgentId: id, actorRunId: id }, [
        "issueId",
        "companyId",
        "actorAgentId",
        "actorRunId",
      ]),
      async handle(p, call) {
        const issue = await issueOf(call, p);
        const owned =
          issue.status === "in_progress" &&
          issue.assigneeAgentId === p.actorAgentId &&
          (issue.checkoutRunId === p.actorRunId || issue.executionRunId === p.actorRunId);
        if (!owned) {
          throw callFailed(
            call.method,
            `issue "${issue.identifier}" is not checked out by agent "${p.actorAgentId}" in run "${p.actorRunId}" ` +
              `(status ${issue.status}, assignee ${issue.assigneeAgentId ?? "none"}, checkout run ${issue.checkoutRunId ?? "none"})`,
          );
        }
        return {
          issueId: issue.id,
          status: storedEnum(issue.status, ISSUE_STATUSES),
          assigneeAgentId: issue.assigneeAgentId,
          checkoutRunId: issue.checkoutRunId,
          adoptedFromRunId: null,
        };
      },
    },

    "issues.requestWakeup": {
      params: paramsOf(
        {
          ...issueRef,
          reason: str(LIMITS.shortText),
          contextSource: str(LIMITS.key),
          idempotencyKey: nullable(str(LIMITS.key)),
          ...actorFields,
        },
        ["issueId", "companyId"],
      ),
      handle: (p, call) => wake(call, p, p.issueId, p.idempotencyKey ?? null),
    },
    "issues.requestWakeups": {
      params: paramsOf(
        {
          companyId: id,
          issueIds: idList(),
          reason: str(LIMITS.shortText),
          contextSource: str(LIMITS.key),
          idempotencyKeyPrefix: nullable(str(LIMITS.key)),
          ...actorFields,
        },
        ["companyId", "issueIds"],
      ),
      async handle(p, call) {
        const results = [];
        for (const issueId of p.issueIds) {
          const idempotencyKey = p.idempotencyKeyPrefix ? `${p.idempotencyKeyPrefix}:${issueId}` : null;
          results.push({ issueId, ...(await wake(call, p, issueId, idempotencyKey)) });
        }
        return results;
      },
    },

    "issues.getSubtree": notHosted("issue subtrees are not available on this host"),
    "issues.summaries.getOrchestration": notHosted("orchestration summaries are not available on this host"),
    "issues.createInteraction": NO_INTERACTIONS,
    "issues.listInteractions": NO_INTERACTIONS,
    "issues.respondInteraction": NO_INTERACTIONS,
    "issues.listAttachments": NO_ATTACHMENTS,
    "issues.getAttachmentContent": NO_ATTACHMENTS,
  } satisfies NamespaceMethods<"issues">;
}
