// What hangs off an issue: comments, documents, blocker relations, the checkout assertion and wake-ups of the
// assignee. The issue must belong to the company the call names.

import { CapabilityDeniedError } from "@paperclipai/plugin-sdk";
import type { IssueDocument } from "../../../domain/issue-documents.js";
import { DomainError } from "../../../errors.js";
import { enumOf, LIMITS, nonEmpty, nullable, str } from "../../../schema/schema-helpers.js";
import type { HostCall, MethodTable } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { callFailed } from "../errors.js";
import { paramsOf } from "../params.js";
import { actingAs, actorFields } from "./issues.js";
import { id, idList, orNull, requireOwned } from "./shared.js";

type IssueRef = { issueId: string; companyId: string };
const issueRef = { issueId: id, companyId: id };
const WAKEABLE = new Set(["todo", "in_progress", "in_review", "blocked"]);

function summary(doc: IssueDocument) {
  const { body: _body, ...rest } = doc;
  return rest;
}

export function issueThreadMethods(deps: HostServiceDeps): MethodTable {
  const { services } = deps;
  const issueOf = async (call: HostCall, p: IssueRef) =>
    requireOwned(call, await orNull(services.issues.get(p.issueId)), p.companyId, "issue", p.issueId);

  /** Queue a run for the issue's assignee; nothing to wake (no agent, closed issue, paused agent) → not queued. */
  const wake = async (call: HostCall, p: Record<string, any> & { companyId: string }, issueId: string) => {
    const issue = await issueOf(call, { issueId, companyId: p.companyId });
    if (!issue.assigneeAgentId || !WAKEABLE.has(issue.status)) return { queued: false, runId: null };
    const actor = await actingAs(deps, call, p.companyId, {
      actorAgentId: p.actorAgentId,
      actorUserId: p.actorUserId,
      actorRunId: p.actorRunId,
    });
    try {
      const run = await services.runs.wakeup(actor, issue.assigneeAgentId, {
        source: "automation",
        triggerDetail: "system",
        reason: p.reason ?? "plugin_wakeup",
        payload: {
          issueId: issue.id,
          taskKey: issue.identifier,
          contextSource: p.contextSource ?? `plugin:${call.plugin.pluginKey}`,
          idempotencyKey: p.idempotencyKey ?? null,
        },
      });
      return { queued: true, runId: run.id };
    } catch (error) {
      if (error instanceof DomainError && error.code === "conflict") return { queued: false, runId: null };
      throw error;
    }
  };

  return {
    "issues.listComments": {
      params: paramsOf(issueRef, ["issueId", "companyId"]),
      async handle(p: IssueRef, call) {
        const issue = await issueOf(call, p);
        return services.comments.list(issue.id, { order: "asc" });
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
        const actor = await actingAs(deps, call, p.companyId, {
          actorAgentId: p.authorAgentId,
          actorUserId: p.actorUserId,
        });
        return services.comments.create(actor, issue.id, {
          body: p.body,
          authorType: p.authorAgentId ? "agent" : p.actorUserId ? "user" : "system",
          metadata: { pluginKey: call.plugin.pluginKey },
        });
      },
    },

    "issues.documents.list": {
      params: paramsOf(issueRef, ["issueId", "companyId"]),
      async handle(p: IssueRef, call) {
        const issue = await issueOf(call, p);
        return (await services.documents.list(issue.id)).map(summary);
      },
    },
    "issues.documents.get": {
      params: paramsOf({ ...issueRef, key: nonEmpty(64) }, ["issueId", "companyId", "key"]),
      async handle(p: IssueRef & { key: string }, call) {
        const issue = await issueOf(call, p);
        return orNull(services.documents.get(issue.id, p.key));
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
        return document;
      },
    },
    "issues.documents.delete": {
      params: paramsOf({ ...issueRef, key: nonEmpty(64) }, ["issueId", "companyId", "key"]),
      async handle(p: IssueRef & { key: string }, call) {
        const issue = await issueOf(call, p);
        await services.documents.delete(call.actor, issue.id, p.key);
        return null;
      },
    },

    "issues.relations.get": {
      params: paramsOf(issueRef, ["issueId", "companyId"]),
      async handle(p: IssueRef, call) {
        return services.relations.get((await issueOf(call, p)).id);
      },
    },
    "issues.relations.setBlockedBy": {
      params: paramsOf({ ...issueRef, blockedByIssueIds: idList(), ...actorFields }, [
        "issueId",
        "companyId",
        "blockedByIssueIds",
      ]),
      async handle(p, call) {
        const issue = await issueOf(call, p);
        return services.relations.setBlockedBy(
          await actingAs(deps, call, p.companyId, p),
          issue.id,
          p.blockedByIssueIds,
        );
      },
    },
    "issues.relations.addBlockers": {
      params: paramsOf({ ...issueRef, blockerIssueIds: idList(), ...actorFields }, [
        "issueId",
        "companyId",
        "blockerIssueIds",
      ]),
      async handle(p, call) {
        const issue = await issueOf(call, p);
        return services.relations.addBlockers(
          await actingAs(deps, call, p.companyId, p),
          issue.id,
          p.blockerIssueIds,
        );
      },
    },
    "issues.relations.removeBlockers": {
      params: paramsOf({ ...issueRef, blockerIssueIds: idList(), ...actorFields }, [
        "issueId",
        "companyId",
        "blockerIssueIds",
      ]),
      async handle(p, call) {
        const issue = await issueOf(call, p);
        return services.relations.removeBlockers(
          await actingAs(deps, call, p.companyId, p),
          issue.id,
          p.blockerIssueIds,
        );
      },
    },

    "issues.assertCheckoutOwner": {
      params: paramsOf({ ...issueRef, actorAgentId: id, actorRunId: id }, [
        "issueId",
        "companyId",
        "actorAgentId",
        "actorRunId",
      ]),
      async handle(p: IssueRef & { actorAgentId: string; actorRunId: string }, call) {
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
          status: issue.status,
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
      handle: (p, call) => wake(call, p, p.issueId),
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
        for (const issueId of p.issueIds as string[]) {
          const idempotencyKey = p.idempotencyKeyPrefix ? `${p.idempotencyKeyPrefix}:${issueId}` : null;
          results.push({ issueId, ...(await wake(call, { ...p, idempotencyKey }, issueId)) });
        }
        return results;
      },
    },
  };
}
