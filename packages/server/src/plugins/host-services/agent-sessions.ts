// ctx.agents.sessions: a plugin's conversations with an agent, each a task key that the runs it starts carry.
// Only the plugin that created a session sees and uses it.
import type { Database } from "../../db/database.js";
import type { Clock } from "../../domain/actor.js";
import { systemClock } from "../../domain/actor.js";
import { isUuid } from "../../domain/shared.js";

export interface AgentSessionRecord {
  sessionId: string;
  agentId: string;
  companyId: string;
  taskKey: string;
  status: "active";
  createdAt: string;
}

function toSession(row: Record<string, unknown>): AgentSessionRecord {
  return {
    sessionId: String(row.id),
    agentId: String(row.agent_id),
    companyId: String(row.company_id),
    taskKey: String(row.task_key),
    status: "active",
    createdAt: (row.created_at as Date).toISOString(),
  };
}

export class AgentSessionStore {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock = systemClock,
  ) {}

  async create(
    pluginId: string,
    companyId: string,
    agentId: string,
    taskKey: string | null,
    pluginKey: string,
  ) {
    const [row] = await this.db.query(
      "plugin_session_create",
      `INSERT INTO plugin_agent_sessions (id, plugin_id, company_id, agent_id, task_key, created_at)
       SELECT id, $1, $2, $3, COALESCE($4, 'plugin:' || $5 || ':session:' || id), $6
       FROM (SELECT gen_random_uuid() AS id) AS fresh
       RETURNING *`,
      [pluginId, companyId, agentId, taskKey, pluginKey, this.clock.now()],
    );
    return toSession(row!);
  }

  async list(pluginId: string, companyId: string, agentId: string): Promise<AgentSessionRecord[]> {
    const rows = await this.db.query(
      "plugin_session_list",
      `SELECT * FROM plugin_agent_sessions WHERE plugin_id = $1 AND company_id = $2 AND agent_id = $3
       ORDER BY created_at, id`,
      [pluginId, companyId, agentId],
    );
    return rows.map(toSession);
  }

  async find(pluginId: string, companyId: string, sessionId: string): Promise<AgentSessionRecord | null> {
    if (!isUuid(sessionId)) return null;
    const [row] = await this.db.query(
      "plugin_session_find",
      "SELECT * FROM plugin_agent_sessions WHERE id = $1 AND plugin_id = $2 AND company_id = $3",
      [sessionId, pluginId, companyId],
    );
    return row ? toSession(row) : null;
  }

  async close(pluginId: string, companyId: string, sessionId: string): Promise<boolean> {
    if (!isUuid(sessionId)) return false;
    const rows = await this.db.query(
      "plugin_session_close",
      "DELETE FROM plugin_agent_sessions WHERE id = $1 AND plugin_id = $2 AND company_id = $3 RETURNING id",
      [sessionId, pluginId, companyId],
    );
    return rows.length > 0;
  }
}
