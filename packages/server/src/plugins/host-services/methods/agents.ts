// ctx.agents: a company's agents (list/get/pause/resume/invoke), the plugin's managed agents (manifest.agents,
// src/plugins/managed) and agents.sessions.* over the domain's runs: invoking queues a run for the agent carrying
// the prompt; a session is a task key the plugin's runs for that agent share.
import type { PluginManagedAgentResolution, Agent as SdkAgent } from "@paperclipai/plugin-sdk/types";
import { AGENT_ROLES, AGENT_STATUSES, type Agent } from "../../../domain/agents.js";
import { enumOf, LIMITS, nonEmpty, str } from "../../../schema/schema-helpers.js";
import type { ManagedResources } from "../../managed/index.js";
import type { AgentSessionRecord } from "../agent-sessions.js";
import type { HostCall, NamespaceMethods } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { callFailed, invalidParams } from "../errors.js";
import { paramsOf } from "../params.js";
import {
  id,
  managedCall,
  managedCaller,
  orNull,
  ownedBy,
  PAUSE_REASONS,
  page,
  requireOwned,
  storedEnum,
  storedEnumOrNull,
} from "./shared.js";

type AgentRef = { agentId: string; companyId: string };
const agentRef = { agentId: id, companyId: id };
const prompt = nonEmpty(LIMITS.text);

/** The SDK's Agent: the same record, its role and pause reason typed. */
function toSdkAgent(agent: Agent): SdkAgent {
  return {
    ...agent,
    role: storedEnum(agent.role, AGENT_ROLES),
    pauseReason: storedEnumOrNull(agent.pauseReason, PAUSE_REASONS),
  };
}

/** A session as the plugin sees it: its task key stays on the host. */
function toSession({ taskKey: _taskKey, ...session }: AgentSessionRecord) {
  return session;
}

/**
 * A plugin's own session task keys start `plugin:<pluginKey>:`; a task key under another plugin's prefix would
 * let its runs pass for that plugin's session runs, so it is refused.
 */
function assertOwnTaskKey(call: HostCall, taskKey: string): void {
  if (!taskKey.startsWith("plugin:") || taskKey.startsWith(`plugin:${call.plugin.pluginKey}:`)) return;
  throw invalidParams(
    call.method,
    `params.taskKey "${taskKey}" is under another plugin's prefix; this plugin's task keys start "plugin:${call.plugin.pluginKey}:"`,
  );
}

type ManagedResolution = Awaited<ReturnType<ManagedResources["get"]>>;

/** ManagedResources answers both kinds in one untyped shape; asked for an agent, it carries an agent. */
function toAgentResolution(resolution: ManagedResolution): PluginManagedAgentResolution {
  if (!("agentId" in resolution)) throw new Error("managed resources answered a project for an agent");
  const { agent } = resolution;
  if (agent !== null && !("adapterType" in agent))
    throw new Error("managed resources answered a project record for an agent");
  return {
    pluginKey: resolution.pluginKey,
    resourceKind: "agent",
    resourceKey: resolution.resourceKey,
    companyId: resolution.companyId,
    agentId: resolution.agentId,
    agent: agent && toSdkAgent(agent),
    status: resolution.status,
    approvalId: resolution.approvalId,
    defaultDrift: resolution.defaultDrift,
  };
}

const managedParams = paramsOf({ agentKey: nonEmpty(LIMITS.key), companyId: id }, ["agentKey", "companyId"]);

export function agentMethods(deps: HostServiceDeps) {
  const { services } = deps;
  const agentOf = async (call: HostCall, p: AgentRef) =>
    requireOwned(call, await orNull(services.agents.get(p.agentId)), p.companyId, "agent", p.agentId);
  const managed = async (
    call: HostCall,
    operation: "get" | "reconcile" | "reset",
    p: { agentKey: string; companyId: string },
  ) => {
    const resolution = await managedCall(call, () =>
      deps.managed[operation](managedCaller(call), "agent", p.agentKey, p.companyId),
    );
    return toAgentResolution(resolution);
  };
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
  const sessionNotFound = (call: HostCall, p: { sessionId: string; companyId: string }) =>
    callFailed(call.method, `session "${p.sessionId}" not found for this plugin in company "${p.companyId}"`);

  return {
    "agents.list": {
      params: paramsOf({ companyId: id, status: enumOf(AGENT_STATUSES), ...page }, ["companyId"]),
      async handle(p) {
        const agents = await services.agents.list(p.companyId, {
          status: p.status,
          limit: p.limit,
          offset: p.offset,
        });
        return agents.map(toSdkAgent);
      },
    },
    "agents.get": {
      params: paramsOf(agentRef, ["agentId", "companyId"]),
      async handle(p) {
        const agent = ownedBy(await orNull(services.agents.get(p.agentId)), p.companyId);
        return agent && toSdkAgent(agent);
      },
    },
    "agents.pause": {
      params: paramsOf(agentRef, ["agentId", "companyId"]),
      async handle(p, call) {
        const agent = await agentOf(call, p);
        return toSdkAgent(
          await services.agents.pause(call.actor, agent.id, `plugin:${call.plugin.pluginKey}`),
        );
      },
    },
    "agents.resume": {
      params: paramsOf(agentRef, ["agentId", "companyId"]),
      async handle(p, call) {
        const agent = await agentOf(call, p);
        return toSdkAgent(await services.agents.resume(call.actor, agent.id));
      },
    },
    "agents.invoke": {
      params: paramsOf({ ...agentRef, prompt, reason: str(LIMITS.shortText) }, [
        "agentId",
        "companyId",
        "prompt",
      ]),
      async handle(p, call) {
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

    "agents.managed.get": {
      params: managedParams,
      handle: (p, call) => managed(call, "get", p),
    },
    "agents.managed.reconcile": {
      params: managedParams,
      handle: (p, call) => managed(call, "reconcile", p),
    },
    "agents.managed.reset": {
      params: managedParams,
      handle: (p, call) => managed(call, "reset", p),
    },

    "agents.sessions.create": {
      params: paramsOf({ ...agentRef, taskKey: nonEmpty(LIMITS.key), reason: str(LIMITS.shortText) }, [
        "agentId",
        "companyId",
      ]),
      async handle(p, call) {
        const agent = await agentOf(call, p);
        if (p.taskKey !== undefined) assertOwnTaskKey(call, p.taskKey);
        const session = await deps.sessions.create(
          call.plugin.pluginId,
          p.companyId,
          agent.id,
          p.taskKey ?? null,
          call.plugin.pluginKey,
        );
        return toSession(session);
      },
    },
    "agents.sessions.list": {
      params: paramsOf(agentRef, ["agentId", "companyId"]),
      async handle(p, call) {
        const agent = await agentOf(call, p);
        return (await deps.sessions.list(call.plugin.pluginId, p.companyId, agent.id)).map(toSession);
      },
    },
    "agents.sessions.sendMessage": {
      params: paramsOf({ sessionId: id, companyId: id, prompt, reason: str(LIMITS.shortText) }, [
        "sessionId",
        "companyId",
        "prompt",
      ]),
      async handle(p, call) {
        // The worker generation that asked: a worker replaced meanwhile gets no relay (its callbacks are gone).
        const epoch = deps.sessionRelay?.epochOf(call.plugin.pluginId) ?? 0;
        const session = await deps.sessions.find(call.plugin.pluginId, p.companyId, p.sessionId);
        if (!session) throw sessionNotFound(call, p);
        const queued = await queueRun(call, session.agentId, p.reason ?? "plugin_session", {
          taskKey: session.taskKey,
          prompt: p.prompt,
          paperclipAgentMessage: {
            text: p.prompt,
            source: "plugin_session",
            pluginKey: call.plugin.pluginKey,
            sessionId: session.sessionId,
          },
        });
        // Answered once queued; the run's output follows as agents.sessions.event notifications.
        deps.sessionRelay?.follow({
          plugin: call.plugin,
          sessionId: session.sessionId,
          runId: queued.runId,
          epoch,
        });
        return queued;
      },
    },
    "agents.sessions.close": {
      params: paramsOf({ sessionId: id, companyId: id }, ["sessionId", "companyId"]),
      async handle(p, call) {
        const closed = await deps.sessions.close(call.plugin.pluginId, p.companyId, p.sessionId);
        if (!closed) throw sessionNotFound(call, p);
        deps.sessionRelay?.closeSession(call.plugin.pluginId, p.sessionId);
      },
    },
  } satisfies NamespaceMethods<"agents">;
}
