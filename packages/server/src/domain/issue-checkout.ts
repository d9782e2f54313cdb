// Checkout and release: the execution lock an agent run takes on an issue while it works on it.
import { eq } from "drizzle-orm";
import { heartbeatRuns } from "../db/schema.js";
import { conflict, unprocessable } from "../errors.js";
import type { Actor } from "./actor.js";
import { findAgent } from "./agents.js";
import type { IssueStatus } from "./issue-records.js";
import { lockIssue } from "./issue-records.js";
import { unresolvedBlockers } from "./issue-relations.js";
import { type IssueDetail, type IssuesService, releaseExecutionLock, takeExecutionLock } from "./issues.js";
import { runIsActive } from "./runs.js";
import type { Mutation, MutationRunner } from "./unit-of-work.js";

export interface CheckoutInput {
  agentId: string;
  expectedStatuses: IssueStatus[];
}

export class IssueCheckoutService {
  constructor(
    private readonly runner: MutationRunner,
    private readonly issues: IssuesService,
  ) {}

  checkout(actor: Actor, issueRef: string, input: CheckoutInput): Promise<IssueDetail> {
    return this.runner.run(actor, async (m) => {
      const issue = await lockIssue(m, issueRef);
      const runId = actor.type === "agent" ? (actor.runId ?? null) : null;
      const conflictDetails = {
        issueId: issue.id,
        status: issue.status,
        assigneeAgentId: issue.assigneeAgentId,
        checkoutRunId: issue.checkoutRunId,
        executionRunId: issue.executionRunId,
      };
      // The same run checking out again changes nothing.
      if (
        issue.status === "in_progress" &&
        issue.assigneeAgentId === input.agentId &&
        issue.checkoutRunId === runId
      ) {
        if (runId !== null || issue.executionLockedAt !== null) return this.issues.detail(m.tx.orm, issue);
      }
      if (!input.expectedStatuses.includes(issue.status as IssueStatus)) {
        throw conflict("Issue checkout conflict", { ...conflictDetails, reason: "status_not_expected" });
      }
      if (issue.assigneeAgentId && issue.assigneeAgentId !== input.agentId) {
        throw conflict("Issue checkout conflict", {
          ...conflictDetails,
          reason: "assigned_to_another_agent",
        });
      }
      if (
        issue.executionRunId &&
        issue.executionRunId !== runId &&
        (await isLiveRun(m, issue.executionRunId))
      ) {
        throw conflict("Issue checkout conflict", { ...conflictDetails, reason: "locked_by_another_run" });
      }
      const agent = await findAgent(m.tx.orm, input.agentId, undefined, issue.companyId, "agentId");
      if (agent.status === "terminated" || agent.status === "pending_approval" || agent.status === "paused") {
        throw conflict(`agentId: cannot check out for an agent in status "${agent.status}"`, {
          field: "agentId",
          status: agent.status,
        });
      }
      const open = await unresolvedBlockers(m.tx.orm, issue.id);
      if (open.length > 0) {
        throw unprocessable("Issue is blocked by unresolved blockers", {
          unresolvedBlockerIssueIds: open.map((blocker) => blocker.id),
        });
      }
      const row = await takeExecutionLock(m, issue, agent, runId);
      m.activity({
        companyId: issue.companyId,
        action: "issue.checked_out",
        entityType: "issue",
        entityId: issue.id,
        details: {
          identifier: issue.identifier,
          agentId: agent.id,
          checkoutRunId: runId,
          previousStatus: issue.status,
        },
      });
      return this.issues.detail(m.tx.orm, row);
    });
  }

  /**
   * Release the execution lock. Deviation from the original: the assignee stays (release is about the lock,
   * not the assignment); `in_progress` goes back to `todo` as before.
   */
  release(actor: Actor, issueRef: string): Promise<IssueDetail> {
    return this.runner.run(actor, async (m) => {
      const issue = await lockIssue(m, issueRef);
      if (actor.type === "agent") {
        if (issue.assigneeAgentId !== actor.agentId) throw conflict("Only assignee can release issue");
        if (issue.checkoutRunId && actor.runId && issue.checkoutRunId !== actor.runId) {
          throw conflict("Only checkout run can release issue", { checkoutRunId: issue.checkoutRunId });
        }
      }
      if (!issue.executionLockedAt && !issue.checkoutRunId && !issue.executionRunId) {
        throw conflict("Issue is not checked out", { issueId: issue.id, status: issue.status });
      }
      const status = issue.status === "in_progress" ? "todo" : issue.status;
      const row = await releaseExecutionLock(m, issue, status);
      m.activity({
        companyId: issue.companyId,
        action: "issue.released",
        entityType: "issue",
        entityId: issue.id,
        details: {
          identifier: issue.identifier,
          agentId: issue.assigneeAgentId,
          previousCheckoutRunId: issue.checkoutRunId,
          previousStatus: issue.status,
          status,
        },
      });
      return this.issues.detail(m.tx.orm, row);
    });
  }
}

async function isLiveRun(m: Mutation, runId: string): Promise<boolean> {
  const [run] = await m.tx.orm
    .select({ status: heartbeatRuns.status })
    .from(heartbeatRuns)
    .where(eq(heartbeatRuns.id, runId))
    .limit(1);
  return run !== undefined && runIsActive(run.status);
}
