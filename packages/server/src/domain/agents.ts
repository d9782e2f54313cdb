// Agents: members of a company that work on issues. Status changes (pause, resume, terminate, clear error,
// and runs starting or ending) each emit `agent.status_changed`. Every write to the agents table is here: the
// service's, and the functions runs (heartbeats) and budgets (spend, budget stops) call.
import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, ne } from "drizzle-orm";
import type { Database, Orm } from "../db/database.js";
import { agents } from "../db/schema.js";
import { conflict, notFound, unprocessable } from "../errors.js";
import type { Actor } from "./actor.js";
import { syncMonthlyBudgetPolicy } from "./budget-policies.js";
import {
  changedValues,
  diff,
  isUuid,
  monthKey,
  type Page,
  pageOf,
  requireCompanyRow,
  urlKeyOf,
} from "./shared.js";
import type { Mutation, MutationRunner } from "./unit-of-work.js";

export const AGENT_STATUSES = [
  "active",
  "paused",
  "idle",
  "running",
  "error",
  "pending_approval",
  "terminated",
] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];
export const AGENT_ROLES = [
  "ceo",
  "cto",
  "cmo",
  "cfo",
  "security",
  "engineer",
  "designer",
  "pm",
  "qa",
  "devops",
  "researcher",
  "general",
] as const;
export const AGENT_ICONS = ["bot", "crown", "radar", "telescope", "hexagon"] as const;
export type AgentRow = typeof agents.$inferSelect;

export interface CreateAgentInput {
  name: string;
  role?: (typeof AGENT_ROLES)[number];
  title?: string | null;
  icon?: string | null;
  reportsTo?: string | null;
  capabilities?: string | null;
  adapterType?: string;
  adapterConfig?: Record<string, unknown>;
  runtimeConfig?: Record<string, unknown>;
  defaultEnvironmentId?: string | null;
  budgetMonthlyCents?: number;
  metadata?: Record<string, unknown> | null;
}

export interface UpdateAgentInput extends Partial<CreateAgentInput> {
  replaceAdapterConfig?: boolean;
}

export interface AgentFilter extends Page {
  status?: string;
}

const SECRET_KEY_RE = /(secret|token|password|api[_-]?key|credential)/i;

/** Env values that look secret are never returned; the rest of the adapter config is. */
function redactAdapterConfig(config: Record<string, unknown>): Record<string, unknown> {
  const env = config.env;
  if (!env || typeof env !== "object" || Array.isArray(env)) return config;
  const redacted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env as Record<string, unknown>)) {
    redacted[key] = SECRET_KEY_RE.test(key) && typeof value === "string" ? "***REDACTED***" : value;
  }
  return { ...config, env: redacted };
}

export function toAgent(row: AgentRow, now: Date) {
  return {
    id: row.id,
    companyId: row.companyId,
    name: row.name,
    urlKey: row.urlKey,
    role: row.role,
    title: row.title,
    icon: row.icon,
    status: row.status as AgentStatus,
    reportsTo: row.reportsTo,
    capabilities: row.capabilities,
    adapterType: row.adapterType,
    adapterConfig: redactAdapterConfig(row.adapterConfig),
    runtimeConfig: row.runtimeConfig,
    defaultEnvironmentId: row.defaultEnvironmentId,
    budgetMonthlyCents: row.budgetMonthlyCents,
    spentMonthlyCents: row.spentMonth === monthKey(now) ? row.spentMonthlyCents : 0,
    pauseReason: row.pauseReason,
    pausedAt: row.pausedAt,
    errorReason: row.errorReason,
    permissions: { canCreateAgents: false, canCreateSkills: true, ...row.permissions },
    lastHeartbeatAt: row.lastHeartbeatAt,
    metadata: row.metadata,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
export type Agent = ReturnType<typeof toAgent>;

/** What agents need of runs (RunsService): pausing or terminating an agent cancels its active runs. */
export interface AgentRunCanceller {
  cancelActiveRunsOf(m: Mutation, agentId: string, reason: string): Promise<void>;
}

export class AgentsService {
  constructor(
    private readonly db: Database,
    private readonly runner: MutationRunner,
    private readonly runs: AgentRunCanceller,
  ) {}

  async list(companyId: string, filter: AgentFilter = {}): Promise<Agent[]> {
    await requireCompanyRow(this.db.orm, companyId);
    const { limit, offset } = pageOf(filter, 100, 1000);
    const where = [eq(agents.companyId, companyId)];
    // Terminated agents are left out unless asked for, as in the original.
    where.push(filter.status ? eq(agents.status, filter.status) : ne(agents.status, "terminated"));
    const rows = await this.db.orm
      .select()
      .from(agents)
      .where(and(...where))
      .orderBy(asc(agents.createdAt), asc(agents.id))
      .limit(limit)
      .offset(offset);
    const now = new Date();
    return rows.map((row) => toAgent(row, now));
  }

  /** By id, or by url key when `companyId` is given. */
  async get(idOrKey: string, companyId?: string): Promise<Agent> {
    return toAgent(await findAgent(this.db.orm, idOrKey, companyId), new Date());
  }

  create(actor: Actor, companyId: string, input: CreateAgentInput): Promise<Agent> {
    return this.runner.run(actor, async (m) => {
      const company = await requireCompanyRow(m.tx.orm, companyId);
      if (company.requireBoardApprovalForNewAgents) {
        throw conflict("Direct agent creation requires board approval for this company", {
          field: "requireBoardApprovalForNewAgents",
        });
      }
      if (input.reportsTo) await findAgent(m.tx.orm, input.reportsTo, undefined, companyId, "reportsTo");
      const id = randomUUID();
      const [row] = await m.tx.orm
        .insert(agents)
        .values({
          id,
          companyId,
          name: input.name,
          urlKey: urlKeyOf(input.name, id),
          role: input.role ?? "general",
          title: input.title ?? null,
          icon: input.icon ?? null,
          reportsTo: input.reportsTo ?? null,
          capabilities: input.capabilities ?? null,
          adapterType: input.adapterType ?? "process",
          adapterConfig: input.adapterConfig ?? {},
          runtimeConfig: input.runtimeConfig ?? {},
          defaultEnvironmentId: input.defaultEnvironmentId ?? null,
          budgetMonthlyCents: input.budgetMonthlyCents ?? 0,
          metadata: input.metadata ?? null,
          status: "idle",
          createdAt: m.now,
          updatedAt: m.now,
        })
        .returning();
      if ((input.budgetMonthlyCents ?? 0) > 0)
        await syncAgentBudgetPolicy(m, row!, input.budgetMonthlyCents!);
      m.activity({
        companyId,
        action: "agent.created",
        entityType: "agent",
        entityId: id,
        agentId: id,
        details: { name: row!.name, role: row!.role, adapterType: row!.adapterType },
      });
      return toAgent(row!, m.now);
    });
  }

  update(actor: Actor, id: string, input: UpdateAgentInput): Promise<Agent> {
    return this.runner.run(actor, async (m) => {
      const current = await lockAgent(m, id);
      const { replaceAdapterConfig, ...fields } = input;
      const patch: Record<string, unknown> = { ...fields };
      // Without replaceAdapterConfig the given keys are merged into the existing config, as in the original.
      if (input.adapterConfig && !replaceAdapterConfig) {
        patch.adapterConfig = { ...current.adapterConfig, ...input.adapterConfig };
      }
      if (input.name !== undefined) patch.urlKey = urlKeyOf(input.name, current.id);
      if (input.reportsTo) {
        if (input.reportsTo === current.id)
          throw unprocessable("reportsTo: an agent cannot report to itself");
        await findAgent(m.tx.orm, input.reportsTo, undefined, current.companyId, "reportsTo");
      }
      const changes = diff(current, patch);
      if (Object.keys(changes).length === 0) return toAgent(current, m.now);
      const [row] = await m.tx.orm
        .update(agents)
        .set({ ...changedValues(changes, patch), updatedAt: m.now })
        .where(eq(agents.id, id))
        .returning();
      if (changes.budgetMonthlyCents) await syncAgentBudgetPolicy(m, row!, row!.budgetMonthlyCents);
      m.activity({
        companyId: current.companyId,
        action: "agent.updated",
        entityType: "agent",
        entityId: id,
        agentId: id,
        details: { name: row!.name, changes: redactChanges(changes) },
      });
      return toAgent(row!, m.now);
    });
  }

  pause(actor: Actor, id: string, reason = "manual"): Promise<Agent> {
    return this.runner.run(actor, async (m) => {
      const current = await lockAgent(m, id);
      if (current.status === "terminated")
        throw conflict("Cannot pause terminated agent", { status: current.status });
      if (current.status === "paused") return toAgent(current, m.now);
      await this.runs.cancelActiveRunsOf(m, current.id, "agent paused");
      const row = await setAgentStatus(m, current, "paused", "agent.paused", {
        pauseReason: reason,
        pausedAt: m.now,
      });
      return toAgent(row, m.now);
    });
  }

  resume(actor: Actor, id: string): Promise<Agent> {
    return this.runner.run(actor, async (m) => {
      const current = await lockAgent(m, id);
      if (current.status !== "paused") {
        throw conflict(`Cannot resume an agent in status "${current.status}"; only paused agents resume`, {
          status: current.status,
        });
      }
      const row = await setAgentStatus(m, current, "idle", "agent.resumed", {
        pauseReason: null,
        pausedAt: null,
      });
      return toAgent(row, m.now);
    });
  }

  terminate(actor: Actor, id: string): Promise<Agent> {
    return this.runner.run(actor, async (m) => {
      const current = await lockAgent(m, id);
      if (current.status === "terminated") return toAgent(current, m.now);
      await this.runs.cancelActiveRunsOf(m, current.id, "agent terminated");
      const row = await setAgentStatus(m, current, "terminated", "agent.terminated", {});
      return toAgent(row, m.now);
    });
  }

  clearError(actor: Actor, id: string): Promise<Agent> {
    return this.runner.run(actor, async (m) => {
      const current = await lockAgent(m, id);
      if (current.status !== "error") {
        throw conflict("Only agents in error status can have their error cleared", {
          status: current.status,
        });
      }
      const [row] = await m.tx.orm
        .update(agents)
        .set({ status: "idle", errorReason: null, updatedAt: m.now })
        .where(eq(agents.id, id))
        .returning();
      m.activity({
        companyId: current.companyId,
        action: "agent.error_cleared",
        entityType: "agent",
        entityId: id,
        agentId: id,
        details: { name: current.name, previousError: current.errorReason },
      });
      return toAgent(row!, m.now);
    });
  }

  delete(actor: Actor, id: string): Promise<{ ok: true }> {
    return this.runner.run(actor, async (m) => {
      const current = await lockAgent(m, id);
      await m.tx.orm.delete(agents).where(eq(agents.id, id));
      m.activity({
        companyId: current.companyId,
        action: "agent.deleted",
        entityType: "agent",
        entityId: id,
        agentId: null,
        details: { name: current.name },
      });
      return { ok: true as const };
    });
  }
}

function redactChanges(changes: Record<string, { from: unknown; to: unknown }>) {
  if (!changes.adapterConfig) return changes;
  return { ...changes, adapterConfig: { from: "(changed)", to: "(changed)" } };
}

/** Set an agent's status and log the change (which emits `agent.status_changed`). */
export async function setAgentStatus(
  m: Mutation,
  current: AgentRow,
  status: AgentStatus,
  action: string,
  extra: Partial<AgentRow>,
): Promise<AgentRow> {
  const [row] = await m.tx.orm
    .update(agents)
    .set({ ...extra, status, updatedAt: m.now })
    .where(eq(agents.id, current.id))
    .returning();
  m.activity({
    companyId: current.companyId,
    action,
    entityType: "agent",
    entityId: current.id,
    agentId: current.id,
    details: {
      name: current.name,
      previousStatus: current.status,
      status,
      reason: extra.pauseReason ?? null,
    },
  });
  return row!;
}

export async function syncAgentBudgetPolicy(m: Mutation, agent: AgentRow, amount: number): Promise<void> {
  await syncMonthlyBudgetPolicy(
    m,
    { companyId: agent.companyId, scopeType: "agent", scopeId: agent.id },
    amount,
  );
}

/**
 * A run of the agent started or ended (RunsService): stamp the agent's heartbeat and, when `status` is given,
 * move it there and log `agent.status_changed`. An agent put in "error" keeps the run's error as the reason.
 */
export async function recordRunHeartbeat(
  m: Mutation,
  agent: AgentRow,
  run: { id: string; status: string; error: string | null },
  status: AgentStatus | null,
): Promise<void> {
  const values: Partial<AgentRow> = { lastHeartbeatAt: m.now, updatedAt: m.now };
  if (status) {
    values.status = status;
    if (status === "error") values.errorReason = run.error ?? `run ${run.status}`;
  }
  await m.tx.orm.update(agents).set(values).where(eq(agents.id, agent.id));
  if (status) {
    m.activity({
      companyId: agent.companyId,
      action: "agent.status_changed",
      entityType: "agent",
      entityId: agent.id,
      agentId: agent.id,
      runId: run.id,
      details: { name: agent.name, previousStatus: agent.status, status, runId: run.id },
    });
  }
}

/** This month's spend of the agent (BudgetsService recomputes it after every cost event). */
export async function recordAgentSpend(
  m: Mutation,
  agentId: string,
  cents: number,
  month: string,
): Promise<void> {
  await m.tx.orm
    .update(agents)
    .set({ spentMonthlyCents: cents, spentMonth: month })
    .where(eq(agents.id, agentId));
}

/** A new monthly budget for the agent, set by resolving a budget incident (its policy is updated there). */
export async function setAgentBudget(m: Mutation, agentId: string, amount: number): Promise<void> {
  await m.tx.orm.update(agents).set({ budgetMonthlyCents: amount }).where(eq(agents.id, agentId));
}

/**
 * Find an agent by id, or by url key inside a company. When `mustBelongTo` is set the agent must be in that
 * company (used to check body references; `field` names the body field in the error).
 */
export async function findAgent(
  orm: Orm,
  idOrKey: string,
  companyId?: string,
  mustBelongTo?: string,
  field?: string,
): Promise<AgentRow> {
  const label = field ? `${field}: Agent not found` : "Agent not found";
  let rows: AgentRow[];
  if (isUuid(idOrKey)) {
    rows = await orm.select().from(agents).where(eq(agents.id, idOrKey)).limit(1);
  } else if (companyId && isUuid(companyId)) {
    rows = await orm
      .select()
      .from(agents)
      .where(and(eq(agents.companyId, companyId), eq(agents.urlKey, idOrKey.toLowerCase())))
      .limit(2);
    if (rows.length > 1) throw conflict(`Agent shortname "${idOrKey}" is ambiguous in this company`);
  } else {
    throw notFound(label);
  }
  const row = rows[0];
  if (!row) throw notFound(label);
  if (mustBelongTo && row.companyId !== mustBelongTo) {
    throw unprocessable(`${field ?? "agentId"}: Agent belongs to another company`, { field });
  }
  return row;
}

export async function lockAgent(m: Mutation, id: string): Promise<AgentRow> {
  if (!isUuid(id)) throw notFound("Agent not found");
  const [row] = await m.tx.orm.select().from(agents).where(eq(agents.id, id)).for("update").limit(1);
  if (!row) throw notFound("Agent not found");
  return row;
}

export async function agentsByIds(orm: Orm, ids: string[]): Promise<AgentRow[]> {
  return ids.length === 0 ? [] : orm.select().from(agents).where(inArray(agents.id, ids));
}
