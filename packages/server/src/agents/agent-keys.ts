// Agent API keys (domain reference §6.2) and per-run tokens, in one table that stores only sha256 hashes.
// An API key ("pcp_<48 hex>") lasts until revoked; a run token ("pcr_<48 hex>") is issued when a run is claimed,
// authenticates only while that run is `running`, and is revoked when the run ends.
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { agentApiKeys, agents, heartbeatRuns } from "../db/schema.js";
import { type Actor, LOCAL_BOARD_ACTOR } from "../domain/actor.js";
import { isUuid } from "../domain/shared.js";
import type { MutationRunner } from "../domain/unit-of-work.js";
import { conflict, notFound } from "../errors.js";

export interface AgentCredential {
  keyId: string;
  agentId: string;
  companyId: string;
  /** set for a run token */
  runId: string | null;
}

export interface AgentKeySummary {
  id: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

/** A run token outlives no run, but a lost revoke (host crash) must not leave it valid forever either. */
const RUN_TOKEN_MAX_MS = 24 * 60 * 60 * 1000;

const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");
const newToken = (prefix: "pcp_" | "pcr_") => `${prefix}${randomBytes(24).toString("hex")}`;

export class AgentKeys {
  constructor(
    private readonly db: Database,
    private readonly runner: MutationRunner,
  ) {}

  async issueRunToken(run: { id: string; companyId: string; agentId: string }): Promise<string> {
    const token = newToken("pcr_");
    await this.db.orm.insert(agentApiKeys).values({
      companyId: run.companyId,
      agentId: run.agentId,
      runId: run.id,
      name: `run:${run.id}`,
      keyHash: hashToken(token),
      expiresAt: new Date(Date.now() + RUN_TOKEN_MAX_MS),
    });
    return token;
  }

  async revokeRunTokens(runId: string): Promise<void> {
    if (!isUuid(runId)) return;
    await this.db.orm
      .update(agentApiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(agentApiKeys.runId, runId), isNull(agentApiKeys.revokedAt)));
  }

  /** The token is returned only here; the table keeps its hash. 404 unknown agent, 409 pending/terminated. */
  createKey(
    agentId: string,
    name = "default",
    actor: Actor = LOCAL_BOARD_ACTOR,
  ): Promise<{ id: string; name: string; token: string; createdAt: string }> {
    return this.runner.run(actor, async (m) => {
      const agent = await findAgent(m.tx.orm, agentId);
      if (agent.status === "pending_approval" || agent.status === "terminated") {
        throw conflict(`Cannot create a key for a ${agent.status} agent`, { status: agent.status });
      }
      const token = newToken("pcp_");
      const [row] = await m.tx.orm
        .insert(agentApiKeys)
        .values({ companyId: agent.companyId, agentId, name, keyHash: hashToken(token), createdAt: m.now })
        .returning();
      m.activity({
        companyId: agent.companyId,
        action: "agent.key_created",
        entityType: "agent",
        entityId: agentId,
        details: { keyId: row!.id, name },
      });
      return { id: row!.id, name: row!.name, token, createdAt: row!.createdAt.toISOString() };
    });
  }

  /** The agent's API keys (never run tokens), newest first; no token or hash. */
  async listKeys(agentId: string): Promise<AgentKeySummary[]> {
    await findAgent(this.db.orm, agentId);
    const rows = await this.db.orm
      .select()
      .from(agentApiKeys)
      .where(and(eq(agentApiKeys.agentId, agentId), isNull(agentApiKeys.runId)))
      .orderBy(desc(agentApiKeys.createdAt), desc(agentApiKeys.id));
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      createdAt: row.createdAt.toISOString(),
      revokedAt: row.revokedAt?.toISOString() ?? null,
    }));
  }

  revokeKey(agentId: string, keyId: string, actor: Actor = LOCAL_BOARD_ACTOR): Promise<void> {
    return this.runner.run(actor, async (m) => {
      const agent = await findAgent(m.tx.orm, agentId);
      if (!isUuid(keyId)) throw notFound("Key not found");
      const [row] = await m.tx.orm
        .select()
        .from(agentApiKeys)
        .where(and(eq(agentApiKeys.id, keyId), eq(agentApiKeys.agentId, agentId), isNull(agentApiKeys.runId)))
        .limit(1);
      if (!row) throw notFound("Key not found");
      if (row.revokedAt) return;
      await m.tx.orm.update(agentApiKeys).set({ revokedAt: m.now }).where(eq(agentApiKeys.id, keyId));
      m.activity({
        companyId: agent.companyId,
        action: "agent.key_revoked",
        entityType: "agent",
        entityId: agentId,
        details: { keyId, name: row.name },
      });
    });
  }

  /** null for an unknown, revoked or expired token, a finished run's token, or an agent that may not act. */
  async authenticate(token: string): Promise<AgentCredential | null> {
    if (typeof token !== "string" || !/^pc[pr]_[0-9a-f]{48}$/.test(token)) return null;
    const [row] = await this.db.orm
      .select({
        keyId: agentApiKeys.id,
        agentId: agentApiKeys.agentId,
        companyId: agentApiKeys.companyId,
        runId: agentApiKeys.runId,
        revokedAt: agentApiKeys.revokedAt,
        expiresAt: agentApiKeys.expiresAt,
        agentStatus: agents.status,
        runStatus: heartbeatRuns.status,
      })
      .from(agentApiKeys)
      .innerJoin(agents, eq(agents.id, agentApiKeys.agentId))
      .leftJoin(heartbeatRuns, eq(heartbeatRuns.id, agentApiKeys.runId))
      .where(eq(agentApiKeys.keyHash, hashToken(token)))
      .limit(1);
    if (!row || row.revokedAt) return null;
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return null;
    if (row.agentStatus === "terminated" || row.agentStatus === "pending_approval") return null;
    if (row.runId !== null && row.runStatus !== "running") return null;
    return { keyId: row.keyId, agentId: row.agentId, companyId: row.companyId, runId: row.runId };
  }
}

async function findAgent(orm: Database["orm"], agentId: string) {
  if (!isUuid(agentId)) throw notFound("Agent not found");
  const [agent] = await orm.select().from(agents).where(eq(agents.id, agentId)).limit(1);
  if (!agent) throw notFound("Agent not found");
  return agent;
}
