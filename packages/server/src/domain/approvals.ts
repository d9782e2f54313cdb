// Approvals: a request (hire an agent, a strategy, a budget override, …) the board decides on.
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Database, Orm } from "../db/database.js";
import { approvals, issues } from "../db/schema.js";
import { conflict, notFound, unprocessable } from "../errors.js";
import type { Actor } from "./actor.js";
import { findAgent } from "./agents.js";
import { isUuid, type Page, pageOf, requireCompanyRow } from "./shared.js";
import type { MutationRunner } from "./unit-of-work.js";

export const APPROVAL_TYPES = [
  "hire_agent",
  "approve_ceo_strategy",
  "budget_override_required",
  "request_board_approval",
] as const;
export const APPROVAL_STATUSES = [
  "pending",
  "revision_requested",
  "approved",
  "rejected",
  "cancelled",
] as const;
export type Approval = typeof approvals.$inferSelect;
export type Decision = "approve" | "reject" | "request_revision";

export interface CreateApprovalInput {
  type: (typeof APPROVAL_TYPES)[number];
  payload: Record<string, unknown>;
  requestedByAgentId?: string | null;
  issueIds?: string[];
}

const DECISION: Record<Decision, { status: string; action: string; from: readonly string[] }> = {
  approve: { status: "approved", action: "approval.approved", from: ["pending", "revision_requested"] },
  reject: { status: "rejected", action: "approval.rejected", from: ["pending", "revision_requested"] },
  request_revision: {
    status: "revision_requested",
    action: "approval.revision_requested",
    from: ["pending"],
  },
};

export class ApprovalsService {
  constructor(
    private readonly db: Database,
    private readonly runner: MutationRunner,
  ) {}

  async list(companyId: string, filter: Page & { status?: string } = {}): Promise<Approval[]> {
    await requireCompanyRow(this.db.orm, companyId);
    const { limit, offset } = pageOf(filter, 100, 1000);
    const where = [eq(approvals.companyId, companyId)];
    if (filter.status) where.push(eq(approvals.status, filter.status));
    return this.db.orm
      .select()
      .from(approvals)
      .where(and(...where))
      .orderBy(desc(approvals.createdAt), desc(approvals.id))
      .limit(limit)
      .offset(offset);
  }

  async get(id: string): Promise<Approval> {
    return findApproval(this.db.orm, id);
  }

  async linkedIssues(id: string) {
    const approval = await findApproval(this.db.orm, id);
    if (approval.issueIds.length === 0) return [];
    return this.db.orm.select().from(issues).where(inArray(issues.id, approval.issueIds));
  }

  create(actor: Actor, companyId: string, input: CreateApprovalInput): Promise<Approval> {
    return this.runner.run(actor, async (m) => {
      await requireCompanyRow(m.tx.orm, companyId);
      const requestedByAgentId = input.requestedByAgentId ?? actor.agentId ?? null;
      if (requestedByAgentId)
        await findAgent(m.tx.orm, requestedByAgentId, undefined, companyId, "requestedByAgentId");
      const issueIds = [...new Set(input.issueIds ?? [])];
      if (issueIds.length > 0) {
        const found = issueIds.every(isUuid)
          ? await m.tx.orm
              .select({ id: issues.id })
              .from(issues)
              .where(and(eq(issues.companyId, companyId), inArray(issues.id, issueIds)))
          : [];
        if (found.length !== issueIds.length) {
          throw unprocessable("issueIds: every issue must exist in this company", { field: "issueIds" });
        }
      }
      const [row] = await m.tx.orm
        .insert(approvals)
        .values({
          companyId,
          type: input.type,
          payload: input.payload,
          requestedByAgentId,
          requestedByUserId: actor.type === "user" ? (actor.userId ?? null) : null,
          issueIds,
          status: "pending",
          createdAt: m.now,
          updatedAt: m.now,
        })
        .returning();
      m.activity({
        companyId,
        action: "approval.created",
        entityType: "approval",
        entityId: row!.id,
        details: { type: row!.type, requestedByAgentId, issueIds },
      });
      return row!;
    });
  }

  /**
   * Decide. Repeating the decision already taken returns the approval unchanged (no event); any other
   * decision on a closed approval is an illegal transition (409; the original answers 422).
   */
  decide(
    actor: Actor,
    id: string,
    decision: Decision,
    decisionNote?: string | null,
  ): Promise<{ approval: Approval; applied: boolean }> {
    return this.runner.run(actor, async (m) => {
      const current = await findApproval(m.tx.orm, id, true);
      const rule = DECISION[decision];
      if (current.status === rule.status && decision !== "request_revision")
        return { approval: current, applied: false };
      if (!rule.from.includes(current.status)) {
        throw conflict(`Cannot ${decision.replace("_", " ")} an approval in status "${current.status}"`, {
          field: "status",
          status: current.status,
          allowedFrom: rule.from,
        });
      }
      const [row] = await m.tx.orm
        .update(approvals)
        .set({
          status: rule.status,
          decisionNote: decisionNote ?? null,
          decidedByUserId: actor.userId ?? null,
          decidedAt: m.now,
          updatedAt: m.now,
        })
        .where(eq(approvals.id, id))
        .returning();
      m.activity({
        companyId: current.companyId,
        action: rule.action,
        entityType: "approval",
        entityId: id,
        details: {
          type: current.type,
          decision: rule.status,
          previousStatus: current.status,
          decisionNote: decisionNote ?? null,
          requestedByAgentId: current.requestedByAgentId,
        },
      });
      return { approval: row!, applied: true };
    });
  }

  resubmit(actor: Actor, id: string, payload?: Record<string, unknown>): Promise<Approval> {
    return this.runner.run(actor, async (m) => {
      const current = await findApproval(m.tx.orm, id, true);
      if (current.status !== "revision_requested") {
        throw conflict("Only revision requested approvals can be resubmitted", { status: current.status });
      }
      const [row] = await m.tx.orm
        .update(approvals)
        .set({ status: "pending", payload: payload ?? current.payload, updatedAt: m.now })
        .where(eq(approvals.id, id))
        .returning();
      m.activity({
        companyId: current.companyId,
        action: "approval.resubmitted",
        entityType: "approval",
        entityId: id,
        details: { type: current.type },
      });
      return row!;
    });
  }
}

async function findApproval(orm: Orm, id: string, lock = false): Promise<Approval> {
  if (!isUuid(id)) throw notFound("Approval not found");
  const query = orm.select().from(approvals).where(eq(approvals.id, id)).limit(1);
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw notFound("Approval not found");
  return row;
}
