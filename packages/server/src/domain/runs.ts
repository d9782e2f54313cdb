// Agent runs (heartbeat runs): queued by a wakeup, then running, then succeeded / failed / timed_out /
// cancelled. The run executor (agents/) claims queued runs here under a lease; an external runner may still report
// the lifecycle through setStatus. Each step emits its `agent.run.*` event (entityType "run").
import { and, desc, eq, inArray, notInArray } from "drizzle-orm";
import type { Database, Orm } from "../db/database.js";
import { agents, heartbeatRuns } from "../db/schema.js";
import { conflict, notFound } from "../errors.js";
import type { Actor } from "./actor.js";
import { type AgentRow, type AgentStatus, recordRunHeartbeat } from "./agents.js";
import { isUuid, type Page, pageOf, requireCompanyRow } from "./shared.js";
import type { Mutation, MutationRunner } from "./unit-of-work.js";

export const RUN_STATUSES = [
  "queued",
  "scheduled_retry",
  "running",
  "succeeded",
  "interrupted",
  "failed",
  "cancelled",
  "timed_out",
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const RUN_SOURCES = ["timer", "assignment", "on_demand", "automation"] as const;
export const RUN_TRIGGERS = ["manual", "ping", "callback", "system"] as const;
export type Run = typeof heartbeatRuns.$inferSelect;
export type LiveRun = Run & { agentName: string; adapterType: string };

const ACTIVE: readonly string[] = ["queued", "scheduled_retry", "running"];
export const runIsActive = (status: string) => ACTIVE.includes(status);

/** Which status may follow which. Anything else is an illegal transition (409). */
const NEXT: Record<string, readonly string[]> = {
  queued: ["running", "cancelled"],
  scheduled_retry: ["queued", "running", "cancelled"],
  running: ["succeeded", "failed", "timed_out", "cancelled", "interrupted"],
};

const STATUS_ACTION: Record<string, string> = {
  running: "heartbeat.started",
  succeeded: "heartbeat.succeeded",
  failed: "heartbeat.failed",
  timed_out: "heartbeat.timed_out",
  cancelled: "heartbeat.cancelled",
  interrupted: "heartbeat.interrupted",
};

export interface WakeupInput {
  source?: (typeof RUN_SOURCES)[number];
  triggerDetail?: (typeof RUN_TRIGGERS)[number];
  reason?: string | null;
  payload?: Record<string, unknown> | null;
}

export interface RunStatusInput {
  status: RunStatus;
  error?: string | null;
  errorCode?: string | null;
  exitCode?: number | null;
  usageJson?: Record<string, unknown> | null;
  resultJson?: Record<string, unknown> | null;
}

export interface RunFilter extends Page {
  agentId?: string;
  status?: string;
}

export class RunsService {
  constructor(
    private readonly db: Database,
    private readonly runner: MutationRunner,
  ) {}

  async list(companyId: string, filter: RunFilter = {}): Promise<Run[]> {
    await requireCompanyRow(this.db.orm, companyId);
    const { limit, offset } = pageOf(filter, 200, 1000);
    const where = [eq(heartbeatRuns.companyId, companyId)];
    if (filter.agentId) {
      if (!isUuid(filter.agentId)) return [];
      where.push(eq(heartbeatRuns.agentId, filter.agentId));
    }
    if (filter.status) where.push(eq(heartbeatRuns.status, filter.status));
    return this.db.orm
      .select()
      .from(heartbeatRuns)
      .where(and(...where))
      .orderBy(desc(heartbeatRuns.createdAt), desc(heartbeatRuns.id))
      .limit(limit)
      .offset(offset);
  }

  /**
   * The company's queued and running runs, newest first, with their agent's name and adapter type; padded with
   * the most recent finished runs up to `minCount`.
   */
  async liveRuns(companyId: string, limit = 50, minCount = 0): Promise<LiveRun[]> {
    await requireCompanyRow(this.db.orm, companyId);
    const columns = { run: heartbeatRuns, agentName: agents.name, adapterType: agents.adapterType };
    const live = await this.db.orm
      .select(columns)
      .from(heartbeatRuns)
      .innerJoin(agents, eq(agents.id, heartbeatRuns.agentId))
      .where(
        and(eq(heartbeatRuns.companyId, companyId), inArray(heartbeatRuns.status, ["queued", "running"])),
      )
      .orderBy(desc(heartbeatRuns.createdAt), desc(heartbeatRuns.id))
      .limit(limit);
    const rows = [...live];
    if (rows.length < minCount) {
      const recent = await this.db.orm
        .select(columns)
        .from(heartbeatRuns)
        .innerJoin(agents, eq(agents.id, heartbeatRuns.agentId))
        .where(
          and(
            eq(heartbeatRuns.companyId, companyId),
            notInArray(heartbeatRuns.status, ["queued", "running"]),
          ),
        )
        .orderBy(desc(heartbeatRuns.createdAt), desc(heartbeatRuns.id))
        .limit(minCount - rows.length);
      rows.push(...recent);
    }
    return rows.map(({ run, agentName, adapterType }) => ({ ...run, agentName, adapterType }));
  }

  async listForIssue(issueId: string): Promise<Run[]> {
    return this.db.orm
      .select()
      .from(heartbeatRuns)
      .where(eq(heartbeatRuns.issueId, issueId))
      .orderBy(desc(heartbeatRuns.createdAt))
      .limit(200);
  }

  async get(id: string): Promise<Run> {
    return findRun(this.db.orm, id);
  }

  /** Queue a run for the agent, or return its already queued run (wakes merge). */
  wakeup(actor: Actor, agentId: string, input: WakeupInput): Promise<Run> {
    return this.runner.run(actor, async (m) => {
      if (!isUuid(agentId)) throw notFound("Agent not found");
      const [agent] = await m.tx.orm
        .select()
        .from(agents)
        .where(eq(agents.id, agentId))
        .for("update")
        .limit(1);
      if (!agent) throw notFound("Agent not found");
      return this.queue(m, agent, {
        source: input.source ?? "on_demand",
        triggerDetail: input.triggerDetail ?? "manual",
        reason: input.reason ?? null,
        payload: input.payload ?? null,
      });
    });
  }

  /** Queue (or merge into) a run inside an existing mutation. The agent row must be locked by the caller. */
  async queue(m: Mutation, agent: AgentRow, input: Required<WakeupInput>): Promise<Run> {
    assertInvokable(agent);
    const [existing] = await m.tx.orm
      .select()
      .from(heartbeatRuns)
      .where(and(eq(heartbeatRuns.agentId, agent.id), eq(heartbeatRuns.status, "queued")))
      .limit(1);
    if (existing) return existing;
    const issueId =
      typeof input.payload?.issueId === "string" && isUuid(input.payload.issueId)
        ? input.payload.issueId
        : null;
    const [run] = await m.tx.orm
      .insert(heartbeatRuns)
      .values({
        companyId: agent.companyId,
        agentId: agent.id,
        invocationSource: input.source!,
        triggerDetail: input.triggerDetail,
        status: "queued",
        responsibleUserId: m.actor.userId ?? null,
        issueId,
        contextSnapshot: { ...(input.payload ?? {}), wakeReason: input.reason, source: input.source },
        createdAt: m.now,
        updatedAt: m.now,
      })
      .returning();
    m.activity({
      companyId: agent.companyId,
      action: "heartbeat.invoked",
      entityType: "heartbeat_run",
      entityId: run!.id,
      agentId: agent.id,
      runId: run!.id,
      details: { agentId: agent.id, reason: input.reason, source: input.source, issueId },
    });
    return run!;
  }

  cancel(actor: Actor, id: string): Promise<Run> {
    return this.runner.run(actor, async (m) => {
      const run = await lockRun(m, id);
      // Cancelling a finished run changes nothing and logs nothing.
      if (!runIsActive(run.status)) return run;
      return this.transition(m, run, { status: "cancelled" });
    });
  }

  setStatus(actor: Actor, id: string, input: RunStatusInput): Promise<Run> {
    return this.runner.run(actor, async (m) => this.transition(m, await lockRun(m, id), input));
  }

  /** Cancel every active run of an agent (pause, terminate). */
  async cancelActiveRunsOf(m: Mutation, agentId: string, reason: string): Promise<void> {
    const active = await m.tx.orm
      .select()
      .from(heartbeatRuns)
      .where(and(eq(heartbeatRuns.agentId, agentId), inArray(heartbeatRuns.status, [...ACTIVE])))
      .for("update");
    for (const run of active) await this.transition(m, run, { status: "cancelled", error: reason }, false);
  }

  /** One status transition inside an existing mutation (the run row locked by the caller). */
  async transition(m: Mutation, run: Run, input: RunStatusInput, updateAgent = true): Promise<Run> {
    if (!NEXT[run.status]?.includes(input.status)) {
      throw conflict(`Illegal run status transition from "${run.status}" to "${input.status}"`, {
        field: "status",
        from: run.status,
        to: input.status,
        allowed: NEXT[run.status] ?? [],
      });
    }
    const terminal = !runIsActive(input.status);
    const [updated] = await m.tx.orm
      .update(heartbeatRuns)
      .set({
        status: input.status,
        startedAt: input.status === "running" ? m.now : run.startedAt,
        finishedAt: terminal ? m.now : null,
        error: input.error ?? run.error,
        errorCode: input.errorCode ?? run.errorCode,
        exitCode: input.exitCode ?? run.exitCode,
        usageJson: input.usageJson ?? run.usageJson,
        resultJson:
          input.status === "cancelled"
            ? { ...(input.resultJson ?? run.resultJson ?? {}), cancelledByActorType: m.actor.type }
            : (input.resultJson ?? run.resultJson),
        updatedAt: m.now,
      })
      .where(eq(heartbeatRuns.id, run.id))
      .returning();
    const next = updated!;
    // Run events are about the run and acted by its agent (inventory §5.2), whoever reported the change.
    m.activity(
      {
        companyId: run.companyId,
        action: STATUS_ACTION[input.status]!,
        entityType: "heartbeat_run",
        entityId: run.id,
        agentId: run.agentId,
        runId: run.id,
        details: { status: input.status, previousStatus: run.status },
      },
      {
        actorType: "agent",
        actorId: run.agentId,
        entityType: "run",
        entityId: run.id,
        payload: {
          runId: next.id,
          agentId: next.agentId,
          status: next.status,
          invocationSource: next.invocationSource,
          triggerDetail: next.triggerDetail,
          error: next.error,
          errorCode: next.errorCode,
          issueId: next.issueId,
          startedAt: next.startedAt?.toISOString() ?? null,
          finishedAt: next.finishedAt?.toISOString() ?? null,
        },
      },
    );
    if (updateAgent) await this.followAgentStatus(m, next);
    return next;
  }

  /** A starting run makes its agent "running"; an ending one makes it idle again, or "error" on failure. */
  private async followAgentStatus(m: Mutation, run: Run): Promise<void> {
    const [agent] = await m.tx.orm
      .select()
      .from(agents)
      .where(eq(agents.id, run.agentId))
      .for("update")
      .limit(1);
    if (!agent) return;
    let status: AgentStatus | null = null;
    if (run.status === "running" && (agent.status === "idle" || agent.status === "active"))
      status = "running";
    if (!runIsActive(run.status) && agent.status === "running") {
      status = run.status === "failed" || run.status === "timed_out" ? "error" : "idle";
    }
    await recordRunHeartbeat(m, agent, run, status);
  }
}

export function assertInvokable(agent: AgentRow): void {
  if (agent.status === "paused" || agent.status === "terminated" || agent.status === "pending_approval") {
    throw conflict("Agent is not invokable in its current state", {
      status: agent.status,
      reason: agent.status,
    });
  }
}

export async function findRun(orm: Orm, id: string): Promise<Run> {
  if (!isUuid(id)) throw notFound("Heartbeat run not found");
  const [row] = await orm.select().from(heartbeatRuns).where(eq(heartbeatRuns.id, id)).limit(1);
  if (!row) throw notFound("Heartbeat run not found");
  return row;
}

export async function lockRun(m: Mutation, id: string): Promise<Run> {
  if (!isUuid(id)) throw notFound("Heartbeat run not found");
  const [row] = await m.tx.orm
    .select()
    .from(heartbeatRuns)
    .where(eq(heartbeatRuns.id, id))
    .for("update")
    .limit(1);
  if (!row) throw notFound("Heartbeat run not found");
  return row;
}
