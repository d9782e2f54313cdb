// Run leases: how the run executor (agents/) claims queued runs and holds them. A claim makes a run `running` under
// a lease (owner node + expiry, renewed while it runs), so host nodes sharing one PostgreSQL never execute a run
// twice; runs whose lease expired belong to a host that stopped and are failed. Every status change goes through
// RunsService.transition, so it emits its `agent.run.*` event like any other.
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { heartbeatRuns } from "../db/schema.js";
import type { Actor } from "./actor.js";
import { lockRun, type Run, type RunStatusInput, type RunsService } from "./runs.js";
import type { MutationRunner } from "./unit-of-work.js";

/** An agent's concurrent-run limit from runtimeConfig.maxConcurrentRuns: a number 1–1000, default 1. */
const MAX_CONCURRENT_SQL = `(CASE WHEN jsonb_typeof(a.runtime_config->'maxConcurrentRuns') = 'number'
  THEN LEAST(GREATEST(floor((a.runtime_config->>'maxConcurrentRuns')::numeric), 1), 1000)::int ELSE 1 END)`;

export class RunLeases {
  constructor(
    private readonly db: Database,
    private readonly runner: MutationRunner,
    private readonly runs: RunsService,
  ) {}

  /**
   * Claim the oldest queued run whose agent may start one more (runtimeConfig.maxConcurrentRuns, default 1) and
   * make it `running` under a lease held by `owner` for `leaseMs`. Locked rows are skipped, so host nodes sharing
   * one database never claim the same run. null when nothing is claimable.
   */
  claimNext(actor: Actor, owner: string, leaseMs: number): Promise<Run | null> {
    return this.runner.run(actor, async (m) => {
      const [candidate] = await m.tx.query<{ id: string; agent_id: string }>(
        "runs_claim_candidate",
        `SELECT r.id, r.agent_id FROM heartbeat_runs r JOIN agents a ON a.id = r.agent_id
          WHERE r.status = 'queued' AND a.status NOT IN ('paused', 'terminated', 'pending_approval')
            AND (SELECT count(*) FROM heartbeat_runs x WHERE x.agent_id = r.agent_id AND x.status = 'running')
                < ${MAX_CONCURRENT_SQL}
          ORDER BY r.created_at, r.id LIMIT 1 FOR UPDATE OF r SKIP LOCKED`,
        [],
      );
      if (!candidate) return null;
      // The agent's lock serialises claims of its runs across nodes; recount under it.
      const [agent] = await m.tx.query<{ running: string; max: number }>(
        "runs_claim_agent",
        `SELECT (SELECT count(*) FROM heartbeat_runs x WHERE x.agent_id = a.id AND x.status = 'running') AS running,
                ${MAX_CONCURRENT_SQL} AS max
           FROM agents a WHERE a.id = $1 FOR UPDATE`,
        [candidate.agent_id],
      );
      if (!agent || Number(agent.running) >= Number(agent.max)) return null;
      const [run] = await m.tx.orm
        .select()
        .from(heartbeatRuns)
        .where(eq(heartbeatRuns.id, candidate.id))
        .limit(1);
      await this.runs.transition(m, run!, { status: "running" });
      const [claimed] = await m.tx.orm
        .update(heartbeatRuns)
        .set({
          leaseOwner: owner,
          leaseExpiresAt: sql`now() + ${leaseMs}::integer * interval '1 millisecond'`,
        })
        .where(eq(heartbeatRuns.id, candidate.id))
        .returning();
      return claimed!;
    });
  }

  /** Extend the lease of a run `owner` executes; the run's status, or null when the lease is no longer owner's. */
  async renewLease(runId: string, owner: string, leaseMs: number): Promise<string | null> {
    const [row] = await this.db.orm
      .update(heartbeatRuns)
      .set({ leaseExpiresAt: sql`now() + ${leaseMs}::integer * interval '1 millisecond'` })
      .where(and(eq(heartbeatRuns.id, runId), eq(heartbeatRuns.leaseOwner, owner)))
      .returning({ status: heartbeatRuns.status });
    return row?.status ?? null;
  }

  /**
   * End a run `owner` executes: the transition when it is still `running` under owner's lease, else the run as it is
   * (cancelled or failed meanwhile by someone else). The lease ends either way.
   */
  finishClaimed(actor: Actor, runId: string, owner: string, input: RunStatusInput): Promise<Run> {
    return this.runner.run(actor, async (m) => {
      let run = await lockRun(m, runId);
      if (run.status === "running" && run.leaseOwner === owner)
        run = await this.runs.transition(m, run, input);
      if (run.leaseOwner !== owner) return run;
      const [released] = await m.tx.orm
        .update(heartbeatRuns)
        .set({ leaseExpiresAt: null })
        .where(eq(heartbeatRuns.id, runId))
        .returning();
      return released!;
    });
  }

  /**
   * Fail the runs left `running` by a host that stopped: every leased run whose lease expired, or (`all`, for a
   * database only this host can open) every leased running run. Returns the failed runs.
   */
  failAbandoned(actor: Actor, reason: string, options: { all?: boolean } = {}): Promise<Run[]> {
    return this.runner.run(actor, async (m) => {
      const stale = await m.tx.orm
        .select()
        .from(heartbeatRuns)
        .where(
          and(
            eq(heartbeatRuns.status, "running"),
            sql`${heartbeatRuns.leaseOwner} IS NOT NULL`,
            options.all ? undefined : sql`${heartbeatRuns.leaseExpiresAt} < now()`,
          ),
        )
        .limit(100)
        .for("update", { skipLocked: true });
      const failed: Run[] = [];
      for (const run of stale) {
        const next = await this.runs.transition(m, run, {
          status: "failed",
          error: reason,
          errorCode: "host_lost",
        });
        await m.tx.orm
          .update(heartbeatRuns)
          .set({ leaseExpiresAt: null })
          .where(eq(heartbeatRuns.id, run.id));
        failed.push(next);
      }
      return failed;
    });
  }
}
