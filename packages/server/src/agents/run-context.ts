// What an adapter is given about a claimed run: the prompt, the folder it works in, its agent.
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { PRIVATE_DIR_MODE } from "../db/private-files.js";
import { agents, issues, projectWorkspaces } from "../db/schema.js";
import type { Run } from "../domain/runs.js";
import { isUuid } from "../domain/shared.js";

export type AgentRow = typeof agents.$inferSelect;

/** The prompt of a wakeup: payload.prompt, payload.message, or a plugin's paperclipAgentMessage.text. */
export function promptOf(context: Record<string, unknown>): string {
  for (const value of [context.prompt, context.message]) if (typeof value === "string") return value;
  const message = context.paperclipAgentMessage;
  if (message && typeof message === "object" && typeof (message as { text?: unknown }).text === "string") {
    return (message as { text: string }).text;
  }
  return "";
}

export async function loadAgent(db: Database, agentId: string): Promise<AgentRow | null> {
  const [agent] = await db.orm.select().from(agents).where(eq(agents.id, agentId)).limit(1);
  return agent ?? null;
}

/**
 * The run's project workspace folder (contextSnapshot.projectWorkspaceId, else its issue's workspace) when that
 * workspace has a local folder; otherwise a per-agent folder under the instance folder (created).
 */
export async function workingFolder(db: Database, run: Run, dataDir: string | null): Promise<string> {
  const context = (run.contextSnapshot ?? {}) as Record<string, unknown>;
  let workspaceId = isUuid(context.projectWorkspaceId) ? (context.projectWorkspaceId as string) : null;
  if (!workspaceId && run.issueId) {
    const [issue] = await db.orm
      .select({ workspaceId: issues.projectWorkspaceId })
      .from(issues)
      .where(eq(issues.id, run.issueId))
      .limit(1);
    workspaceId = issue?.workspaceId ?? null;
  }
  if (workspaceId) {
    const [workspace] = await db.orm
      .select({ cwd: projectWorkspaces.cwd, companyId: projectWorkspaces.companyId })
      .from(projectWorkspaces)
      .where(eq(projectWorkspaces.id, workspaceId))
      .limit(1);
    if (workspace?.cwd && workspace.companyId === run.companyId) {
      if (!existsSync(workspace.cwd))
        throw new Error(`The project workspace folder ${workspace.cwd} does not exist`);
      return workspace.cwd;
    }
  }
  const folder = join(dataDir ?? join(tmpdir(), "paperclip-agents"), "agents", run.agentId, "workspace");
  mkdirSync(folder, { recursive: true, mode: PRIVATE_DIR_MODE });
  return folder;
}

/** A run's time limit in ms from adapterConfig.timeoutSec, else runtimeConfig.timeoutSec; 0 = none. */
export function timeoutMsOf(agent: AgentRow): number {
  for (const config of [agent.adapterConfig, agent.runtimeConfig]) {
    const value = (config as Record<string, unknown> | null)?.timeoutSec;
    if (typeof value === "number" && Number.isFinite(value) && value > 0) return Math.round(value * 1000);
  }
  return 0;
}
