// Cost events reported by agents' runs. Each one updates this month's spend and may open budget incidents.
// Unlike the original, recording a cost emits `cost_event.created`.
import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { agents, costEvents, projects } from "../db/schema.js";
import { forbidden } from "../errors.js";
import type { Actor } from "./actor.js";
import { findAgent } from "./agents.js";
import type { BudgetsService } from "./budgets.js";
import { type Page, pageOf, requireCompanyRow } from "./shared.js";
import type { MutationRunner } from "./unit-of-work.js";

export const BILLING_TYPES = [
  "metered_api",
  "subscription_included",
  "subscription_overage",
  "credits",
  "fixed",
  "unknown",
] as const;
export type CostEvent = typeof costEvents.$inferSelect;

export interface CostEventInput {
  agentId: string;
  provider: string;
  model: string;
  costCents: number;
  occurredAt: string;
  issueId?: string | null;
  projectId?: string | null;
  goalId?: string | null;
  heartbeatRunId?: string | null;
  billingCode?: string | null;
  biller?: string;
  billingType?: (typeof BILLING_TYPES)[number];
  costStatus?: "reported" | "unpriced";
  inputTokens?: number;
  cachedInputTokens?: number;
  outputTokens?: number;
}

export interface ProjectCost {
  projectId: string | null;
  projectName: string | null;
  costCents: number;
  inputTokens: number;
  outputTokens: number;
}

export interface CostWindow {
  from?: string;
  to?: string;
}

export class CostsService {
  constructor(
    private readonly db: Database,
    private readonly runner: MutationRunner,
    private readonly budgets: BudgetsService,
  ) {}

  create(actor: Actor, companyId: string, input: CostEventInput): Promise<CostEvent> {
    return this.runner.run(actor, async (m) => {
      await requireCompanyRow(m.tx.orm, companyId);
      if (actor.type === "agent" && actor.agentId !== input.agentId) {
        throw forbidden("agentId: an agent may only report its own costs", { field: "agentId" });
      }
      await findAgent(m.tx.orm, input.agentId, undefined, companyId, "agentId");
      const [row] = await m.tx.orm
        .insert(costEvents)
        .values({
          companyId,
          agentId: input.agentId,
          issueId: input.issueId ?? null,
          projectId: input.projectId ?? null,
          goalId: input.goalId ?? null,
          heartbeatRunId: input.heartbeatRunId ?? null,
          billingCode: input.billingCode ?? null,
          provider: input.provider,
          biller: input.biller ?? input.provider,
          billingType: input.billingType ?? "unknown",
          costStatus: input.costStatus ?? "reported",
          model: input.model,
          inputTokens: input.inputTokens ?? 0,
          cachedInputTokens: input.cachedInputTokens ?? 0,
          outputTokens: input.outputTokens ?? 0,
          costCents: input.costCents,
          occurredAt: new Date(input.occurredAt),
          createdAt: m.now,
        })
        .returning();
      const cost = row!;
      m.activity({
        companyId,
        action: "cost.reported",
        entityType: "cost_event",
        entityId: cost.id,
        agentId: cost.agentId,
        runId: cost.heartbeatRunId,
        details: {
          costEventId: cost.id,
          agentId: cost.agentId,
          provider: cost.provider,
          model: cost.model,
          costCents: cost.costCents,
          inputTokens: cost.inputTokens,
          outputTokens: cost.outputTokens,
          issueId: cost.issueId,
          projectId: cost.projectId,
          occurredAt: cost.occurredAt.toISOString(),
        },
      });
      await this.budgets.afterCost(m, companyId, cost.agentId);
      return cost;
    });
  }

  async list(companyId: string, filter: Page & { agentId?: string } = {}): Promise<CostEvent[]> {
    await requireCompanyRow(this.db.orm, companyId);
    const { limit, offset } = pageOf(filter, 100, 1000);
    const where = [eq(costEvents.companyId, companyId)];
    if (filter.agentId) where.push(eq(costEvents.agentId, filter.agentId));
    return this.db.orm
      .select()
      .from(costEvents)
      .where(and(...where))
      .orderBy(desc(costEvents.occurredAt), desc(costEvents.id))
      .limit(limit)
      .offset(offset);
  }

  async summary(companyId: string, window: CostWindow = {}) {
    const company = await requireCompanyRow(this.db.orm, companyId);
    const [row] = await this.db.orm
      .select({ spend: sql<string>`coalesce(sum(${costEvents.costCents}), 0)` })
      .from(costEvents)
      .where(and(eq(costEvents.companyId, companyId), ...windowOf(window)));
    const spendCents = Number(row?.spend ?? 0);
    const budgetCents = company.budgetMonthlyCents;
    return {
      companyId,
      spendCents,
      budgetCents,
      utilizationPercent: budgetCents > 0 ? Math.round((spendCents / budgetCents) * 10_000) / 100 : 0,
    };
  }

  async byAgent(companyId: string, window: CostWindow = {}) {
    await requireCompanyRow(this.db.orm, companyId);
    const rows = await this.db.orm
      .select({
        agentId: agents.id,
        agentName: agents.name,
        agentStatus: agents.status,
        costCents: sql<string>`coalesce(sum(${costEvents.costCents}), 0)`,
        inputTokens: sql<string>`coalesce(sum(${costEvents.inputTokens}), 0)`,
        cachedInputTokens: sql<string>`coalesce(sum(${costEvents.cachedInputTokens}), 0)`,
        outputTokens: sql<string>`coalesce(sum(${costEvents.outputTokens}), 0)`,
      })
      .from(costEvents)
      .innerJoin(agents, eq(agents.id, costEvents.agentId))
      .where(and(eq(costEvents.companyId, companyId), ...windowOf(window)))
      .groupBy(agents.id, agents.name, agents.status);
    return rows.map((row) => ({
      ...row,
      costCents: Number(row.costCents),
      inputTokens: Number(row.inputTokens),
      cachedInputTokens: Number(row.cachedInputTokens),
      outputTokens: Number(row.outputTokens),
    }));
  }

  /** Spend per project in the window; events without a project form one row with `projectId: null`. */
  async byProject(companyId: string, window: CostWindow = {}) {
    await requireCompanyRow(this.db.orm, companyId);
    const rows = await this.db.orm
      .select({
        projectId: costEvents.projectId,
        projectName: projects.name,
        costCents: sql<string>`coalesce(sum(${costEvents.costCents}), 0)`,
        inputTokens: sql<string>`coalesce(sum(${costEvents.inputTokens}), 0)`,
        outputTokens: sql<string>`coalesce(sum(${costEvents.outputTokens}), 0)`,
      })
      .from(costEvents)
      .leftJoin(projects, eq(projects.id, costEvents.projectId))
      .where(and(eq(costEvents.companyId, companyId), ...windowOf(window)))
      .groupBy(costEvents.projectId, projects.name);
    // Events of a deleted project join no name: they count with the events that name no project.
    const merged = new Map<string | null, ProjectCost>();
    for (const row of rows) {
      const projectId = row.projectName === null ? null : row.projectId;
      const entry = merged.get(projectId) ?? {
        projectId,
        projectName: row.projectName,
        costCents: 0,
        inputTokens: 0,
        outputTokens: 0,
      };
      entry.costCents += Number(row.costCents);
      entry.inputTokens += Number(row.inputTokens);
      entry.outputTokens += Number(row.outputTokens);
      merged.set(projectId, entry);
    }
    return [...merged.values()].sort((a, b) => b.costCents - a.costCents);
  }
}

function windowOf(window: CostWindow) {
  const conditions = [];
  if (window.from) conditions.push(gte(costEvents.occurredAt, new Date(window.from)));
  if (window.to) conditions.push(lt(costEvents.occurredAt, new Date(window.to)));
  return conditions;
}
