// Budget policies (a monthly or lifetime amount per company, agent or project), the incidents opened when
// spend crosses a policy's warn or hard threshold, and their resolution. Policy rows are written through
// budget-policies.ts, spend and budgets of agents and companies through agents.ts and companies.ts.
import { and, desc, eq, gte, lt, sql, sum } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { agents, approvals, budgetIncidents, budgetPolicies, companies, costEvents } from "../db/schema.js";
import { badRequest, conflict, notFound, unprocessable } from "../errors.js";
import type { Actor } from "./actor.js";
import { recordAgentSpend, setAgentBudget, setAgentStatus } from "./agents.js";
import { type BudgetPolicy, setBudgetPolicyAmount, upsertBudgetPolicy } from "./budget-policies.js";
import { recordCompanySpend, setCompanyBudget } from "./companies.js";
import type { RunsService } from "./runs.js";
import {
  isUuid,
  monthKey,
  monthStart,
  nextMonthStart,
  type Page,
  pageOf,
  requireCompanyRow,
} from "./shared.js";
import type { Mutation, MutationRunner } from "./unit-of-work.js";

export type { BudgetPolicy };
export type BudgetIncident = typeof budgetIncidents.$inferSelect;

export interface PolicyInput {
  scopeType: "company" | "agent" | "project";
  scopeId: string;
  amount: number;
  metric?: "billed_cents";
  windowKind?: "calendar_month_utc" | "lifetime";
  warnPercent?: number;
  hardStopEnabled?: boolean;
  notifyEnabled?: boolean;
  isActive?: boolean;
}

export interface ResolveIncidentInput {
  action: "keep_paused" | "raise_budget_and_resume";
  amount?: number;
  decisionNote?: string | null;
}

export class BudgetsService {
  constructor(
    private readonly db: Database,
    private readonly runner: MutationRunner,
    private readonly runs: RunsService,
  ) {}

  async overview(companyId: string) {
    await requireCompanyRow(this.db.orm, companyId);
    const policies = await this.db.orm
      .select()
      .from(budgetPolicies)
      .where(eq(budgetPolicies.companyId, companyId));
    const activeIncidents = await this.db.orm
      .select()
      .from(budgetIncidents)
      .where(and(eq(budgetIncidents.companyId, companyId), eq(budgetIncidents.status, "open")))
      .orderBy(desc(budgetIncidents.createdAt));
    const [paused] = await this.db.orm
      .select({ n: sql<number>`count(*)::int` })
      .from(agents)
      .where(and(eq(agents.companyId, companyId), eq(agents.status, "paused")));
    const [pending] = await this.db.orm
      .select({ n: sql<number>`count(*)::int` })
      .from(approvals)
      .where(and(eq(approvals.companyId, companyId), eq(approvals.status, "pending")));
    return {
      companyId,
      policies,
      activeIncidents,
      pausedAgentCount: paused?.n ?? 0,
      pausedProjectCount: 0,
      pendingApprovalCount: pending?.n ?? 0,
    };
  }

  async listIncidents(companyId: string, filter: Page & { status?: string } = {}): Promise<BudgetIncident[]> {
    await requireCompanyRow(this.db.orm, companyId);
    const { limit, offset } = pageOf(filter, 100, 1000);
    const where = [eq(budgetIncidents.companyId, companyId)];
    if (filter.status) where.push(eq(budgetIncidents.status, filter.status));
    return this.db.orm
      .select()
      .from(budgetIncidents)
      .where(and(...where))
      .orderBy(desc(budgetIncidents.createdAt), desc(budgetIncidents.id))
      .limit(limit)
      .offset(offset);
  }

  upsertPolicy(actor: Actor, companyId: string, input: PolicyInput): Promise<BudgetPolicy> {
    return this.runner.run(actor, async (m) => {
      await requireCompanyRow(m.tx.orm, companyId);
      if (!isUuid(input.scopeId)) throw notFound("scopeId: scope not found", { field: "scopeId" });
      const settings = {
        amount: input.amount,
        warnPercent: input.warnPercent ?? 80,
        hardStopEnabled: input.hardStopEnabled ?? true,
        notifyEnabled: input.notifyEnabled ?? true,
        isActive: input.isActive ?? true,
      };
      const row = await upsertBudgetPolicy(
        m,
        {
          companyId,
          scopeType: input.scopeType,
          scopeId: input.scopeId,
          metric: input.metric ?? "billed_cents",
          windowKind: input.windowKind ?? "calendar_month_utc",
          ...settings,
        },
        settings,
      );
      m.activity({
        companyId,
        action: "budget.policy_upserted",
        entityType: "budget_policy",
        entityId: row.id,
        details: { scopeType: row.scopeType, scopeId: row.scopeId, amount: row.amount },
      });
      return row;
    });
  }

  resolveIncident(
    actor: Actor,
    companyId: string,
    incidentId: string,
    input: ResolveIncidentInput,
  ): Promise<BudgetIncident> {
    return this.runner.run(actor, async (m) => {
      if (!isUuid(incidentId) || !isUuid(companyId)) throw notFound("Budget incident not found");
      const [incident] = await m.tx.orm
        .select()
        .from(budgetIncidents)
        .where(and(eq(budgetIncidents.id, incidentId), eq(budgetIncidents.companyId, companyId)))
        .for("update")
        .limit(1);
      if (!incident) throw notFound("Budget incident not found");
      if (incident.status !== "open") {
        throw conflict(`Budget incident is already ${incident.status}`, {
          field: "status",
          status: incident.status,
        });
      }
      if (input.action === "raise_budget_and_resume") {
        if (input.amount === undefined) {
          throw badRequest("amount: required when action is raise_budget_and_resume", { field: "amount" });
        }
        if (input.amount <= incident.amountObserved) {
          throw unprocessable("amount: New budget must exceed current observed spend", {
            field: "amount",
            amountObserved: incident.amountObserved,
          });
        }
        await setBudgetPolicyAmount(m, incident.policyId, input.amount);
        await this.resumeScope(m, incident, input.amount);
      }
      const [row] = await m.tx.orm
        .update(budgetIncidents)
        .set({
          status: "resolved",
          resolutionAction: input.action,
          decisionNote: input.decisionNote ?? null,
          resolvedAt: m.now,
          updatedAt: m.now,
        })
        .where(eq(budgetIncidents.id, incident.id))
        .returning();
      m.activity({
        companyId,
        action: "budget.incident_resolved",
        entityType: "budget_incident",
        entityId: incident.id,
        details: {
          scopeType: incident.scopeType,
          scopeId: incident.scopeId,
          thresholdType: incident.thresholdType,
          action: input.action,
          amount: input.amount ?? null,
        },
      });
      return row!;
    });
  }

  /** Recompute this month's spend for the agent and the company, then open any incident a policy now calls for. */
  async afterCost(m: Mutation, companyId: string, agentId: string): Promise<void> {
    const from = monthStart(m.now);
    const to = nextMonthStart(m.now);
    const month = monthKey(m.now);
    const window = and(gte(costEvents.occurredAt, from), lt(costEvents.occurredAt, to));
    const [agentSum] = await m.tx.orm
      .select({ total: sum(costEvents.costCents) })
      .from(costEvents)
      .where(and(eq(costEvents.agentId, agentId), window));
    const [companySum] = await m.tx.orm
      .select({ total: sum(costEvents.costCents) })
      .from(costEvents)
      .where(and(eq(costEvents.companyId, companyId), window));
    const spent = { agent: Number(agentSum?.total ?? 0), company: Number(companySum?.total ?? 0) };
    await recordAgentSpend(m, agentId, spent.agent, month);
    await recordCompanySpend(m, companyId, spent.company, month);
    const policies = await m.tx.orm
      .select()
      .from(budgetPolicies)
      .where(
        and(
          eq(budgetPolicies.companyId, companyId),
          eq(budgetPolicies.isActive, true),
          sql`(${budgetPolicies.scopeType} = 'company' AND ${budgetPolicies.scopeId} = ${companyId}::uuid)
            OR (${budgetPolicies.scopeType} = 'agent' AND ${budgetPolicies.scopeId} = ${agentId}::uuid)`,
        ),
      );
    for (const policy of policies) {
      if (policy.amount <= 0) continue;
      const observed = policy.scopeType === "agent" ? spent.agent : spent.company;
      if (policy.hardStopEnabled && observed >= policy.amount) {
        if (await this.open(m, policy, "hard", observed, from, to)) await this.pauseScope(m, policy);
      } else if (policy.notifyEnabled && observed * 100 >= policy.amount * policy.warnPercent) {
        await this.open(m, policy, "soft", observed, from, to);
      }
    }
  }

  /** Open an incident once per policy, window and threshold; true when this call opened it. */
  private async open(
    m: Mutation,
    policy: BudgetPolicy,
    threshold: "soft" | "hard",
    observed: number,
    from: Date,
    to: Date,
  ) {
    const scopeName = await this.scopeName(m, policy);
    const [incident] = await m.tx.orm
      .insert(budgetIncidents)
      .values({
        companyId: policy.companyId,
        policyId: policy.id,
        scopeType: policy.scopeType,
        scopeId: policy.scopeId,
        scopeName,
        metric: policy.metric,
        windowKind: policy.windowKind,
        windowStart: policy.windowKind === "lifetime" ? new Date(0) : from,
        windowEnd: policy.windowKind === "lifetime" ? null : to,
        thresholdType: threshold,
        amountLimit: policy.amount,
        amountObserved: observed,
        createdAt: m.now,
        updatedAt: m.now,
      })
      .onConflictDoNothing()
      .returning();
    if (!incident) return false;
    m.activity({
      companyId: policy.companyId,
      action: threshold === "hard" ? "budget.hard_threshold_crossed" : "budget.soft_threshold_crossed",
      entityType: "budget_incident",
      entityId: incident.id,
      details: {
        incidentId: incident.id,
        scopeType: policy.scopeType,
        scopeId: policy.scopeId,
        scopeName,
        thresholdType: threshold,
        amountLimit: policy.amount,
        amountObserved: observed,
      },
    });
    return true;
  }

  private async scopeName(m: Mutation, policy: BudgetPolicy): Promise<string> {
    if (policy.scopeType === "agent") {
      const [agent] = await m.tx.orm
        .select({ name: agents.name })
        .from(agents)
        .where(eq(agents.id, policy.scopeId));
      return agent?.name ?? "agent";
    }
    const [company] = await m.tx.orm
      .select({ name: companies.name })
      .from(companies)
      .where(eq(companies.id, policy.scopeId));
    return company?.name ?? policy.scopeType;
  }

  private async pauseScope(m: Mutation, policy: BudgetPolicy): Promise<void> {
    if (policy.scopeType !== "agent") return;
    const [agent] = await m.tx.orm.select().from(agents).where(eq(agents.id, policy.scopeId)).for("update");
    if (!agent || agent.status === "paused" || agent.status === "terminated") return;
    await this.runs.cancelActiveRunsOf(m, agent.id, "budget hard stop");
    await setAgentStatus(m, agent, "paused", "agent.paused", { pauseReason: "budget", pausedAt: m.now });
  }

  private async resumeScope(m: Mutation, incident: BudgetIncident, amount: number): Promise<void> {
    if (incident.scopeType === "agent") {
      const [agent] = await m.tx.orm
        .select()
        .from(agents)
        .where(eq(agents.id, incident.scopeId))
        .for("update");
      if (!agent) return;
      await setAgentBudget(m, agent.id, amount);
      if (agent.status === "paused" && agent.pauseReason === "budget") {
        await setAgentStatus(m, agent, "idle", "agent.resumed", { pauseReason: null, pausedAt: null });
      }
    } else if (incident.scopeType === "company") {
      await setCompanyBudget(m, incident.scopeId, amount);
    }
  }
}
