// agents.* (list/get/pause/resume/invoke) and agents.sessions.* over the domain's runs: invoking queues a run
// for the agent carrying the prompt; a session is a task key the plugin's runs for that agent share.
import { AGENT_STATUSES } from "../../../domain/agents.js";
import { enumOf, LIMITS, nonEmpty, str } from "../../../schema/schema-helpers.js";
import type { HostCall, MethodTable } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { callFailed } from "../errors.js";
import { paramsOf } from "../params.js";
import { id, orNull, ownedBy, page, requireOwned } from "./shared.js";

type AgentRef = { agentId: string; companyId: string };
const agentRef = { agentId: id, companyId: id };
const prompt = nonEmpty(LIMITS.text);

export function agentMethods(deps: HostServiceDeps): MethodTable {
  const { services } = deps;
  const agentOf = async (call: HostCall, p: AgentRef) =>
    requireOwned(call, await orNull(services.agents.get(p.agentId)), p.companyId, "agent", p.agentId);

  const queueRun = async (
    call: HostCall,
    agentId: string,
    reason: string,
    payload: Record<string, unknown>,
  ) => {
    const run = await services.runs.wakeup(call.actor, agentId, {
      source: "automation",
      triggerDetail: "system",
      reason,
      payload,
    });
    return { runId: run.id };
  };

  return {
    "agents.list": {
      params: paramsOf({ companyId: id, status: enumOf(AGENT_STATUSES), ...page }, ["companyId"]),
      handle: (p: { companyId: string; status?: string; limit?: number; offset?: number }) =>
        services.agents.list(p.companyId, { status: p.status, limit: p.limit, offset: p.offset }),
    },
    "agents.get": {
      params: paramsOf(agentRef, ["agentId", "companyId"]),
      handle: async (p: AgentRef) => ownedBy(await orNull(services.agents.get(p.agentId)), p.companyId),
    },
    "agents.pause": {
      params: paramsOf(agentRef, ["agentId", "companyId"]),
      async handle(p: AgentRef, call) {
        const agent = await agentOf(call, p);
        return services.agents.pause(call.actor, agent.id, `plugin:${call.plugin.pluginKey}`);
      },
    },
    "agents.resume": {
      params: paramsOf(agentRef, ["agentId", "companyId"]),
      async handle(p: AgentRef, call) {
        const agent = await agentOf(call, p);
        return services.agents.resume(call.actor, agent.id);
      },
    },
    "agents.invoke": {
      params: paramsOf({ ...agentRef, prompt, reason: str(LIMITS.shortText) }, [
        "agentId",
        "companyId",
        "prompt",
      ]),
      async handle(p: AgentRef & { prompt: string; reason?: string }, call) {
        const agent = await agentOf(call, p);
        return queueRun(call, agent.id, p.reason ?? "plugin_invoke", {
          prompt: p.prompt,
          paperclipAgentMessage: {
            text: p.prompt,
            source: "plugin_invoke",
            pluginKey: call.plugin.pluginKey,
          },
        });
      },
    },

    "agents.sessions.create": {
      params: paramsOf({ ...agentRef, taskKey: nonEmpty(LIMITS.key), reason: str(LIMITS.shortText) }, [
        "agentId",
        "companyId",
      ]),
      async handle(p: AgentRef & { taskKey?: string }, call) {
        const agent = await agentOf(call, p);
        const { taskKey: _taskKey, ...session } = await deps.sessions.create(
          call.plugin.pluginId,
          p.companyId,
          agent.id,
          p.taskKey ?? null,
          call.plugin.pluginKey,
        );
        return session;
      },
    },
    "agents.sessions.list": {
      params: paramsOf(agentRef, ["agentId", "companyId"]),
      async handle(p: AgentRef, call) {
        const agent = await agentOf(call, p);
        const sessions = await deps.sessions.list(call.plugin.pluginId, p.companyId, agent.id);
        return sessions.map(({ taskKey: _taskKey, ...session }) => session);
      },
    },
    "agents.sessions.sendMessage": {
      params: paramsOf({ sessionId: id, companyId: id, prompt, reason: str(LIMITS.shortText) }, [
        "sessionId",
        "companyId",
        "prompt",
      ]),
      async handle(p: { sessionId: string; companyId: string; prompt: string; reason?: string }, call) {
        const session = await deps.sessions.find(call.plugin.pluginId, p.companyId, p.sessionId);
        if (!session)
          throw callFailed(
            call.method,
            `session "${p.sessionId}" not found for this plugin in company "${p.companyId}"`,
          );
        return queueRun(call, session.agentId, p.reason ?? "plugin_session", {
          taskKey: session.taskKey,
          prompt: p.prompt,
          paperclipAgentMessage: {
            text: p.prompt,
            source: "plugin_session",
            pluginKey: call.plugin.pluginKey,
            sessionId: session.sessionId,
          },
        });
      },
    },
    "agents.sessions.close": {
      params: paramsOf({ sessionId: id, companyId: id }, ["sessionId", "companyId"]),
      async handle(p: { sessionId: string; companyId: string }, call) {
        const closed = await deps.sessions.close(call.plugin.pluginId, p.companyId, p.sessionId);
        if (!closed)
          throw callFailed(
            call.method,
            `session "${p.sessionId}" not found for this plugin in company "${p.companyId}"`,
          );
        return null;
      },
    },
  };
}
