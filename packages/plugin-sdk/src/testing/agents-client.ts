/**
 * `ctx.agents`: reads, pause/resume, one-shot invoke and two-way sessions. No agent really
 * runs; a test drives a session's stream with `harness.simulateSessionEvent`.
 */
import { randomUUID } from "node:crypto";
import type { Agent, AgentSession, AgentStatus, PluginContext } from "../types/index.js";
import { detached, wireTimestamp } from "./domain-store.js";
import { NON_INVOKABLE_AGENT_STATUSES } from "./issues-client.js";
import { buildManagedAgentsClient } from "./managed-resources.js";
import type { HarnessRuntime, SessionEventCallback } from "./runtime.js";
import {
  optionalPlainObject,
  paginate,
  requireFunction,
  requireNonEmptyString,
  requireOneOf,
  requirePlainObject,
} from "./validate.js";

const AGENT_STATUSES: readonly AgentStatus[] = [
  "active",
  "paused",
  "idle",
  "running",
  "error",
  "pending_approval",
  "terminated",
];

export function buildAgentsClient(runtime: HarnessRuntime): PluginContext["agents"] {
  const { gate, store } = runtime;
  const agentIn = (agentId: unknown, companyId: unknown, method: string): Agent =>
    store.mustFind(
      store.agents,
      requireNonEmptyString(agentId, `ctx.agents.${method}: agentId`),
      requireNonEmptyString(companyId, `ctx.agents.${method}: companyId`),
    );

  /** The host refuses to wake an agent that is paused, terminated or awaiting approval. */
  const requireInvokable = (agent: Agent) => {
    if (NON_INVOKABLE_AGENT_STATUSES.has(agent.status)) {
      throw new Error(`Agent is not invokable in its current state: ${agent.status}`);
    }
  };

  const setStatus = (agent: Agent, status: AgentStatus): Agent => {
    agent.status = status;
    agent.updatedAt = wireTimestamp();
    return detached(agent);
  };

  return {
    async list(input) {
      gate.require("agents.read");
      const query = requirePlainObject(input, "ctx.agents.list: input");
      const companyId = requireNonEmptyString(query.companyId, "ctx.agents.list: companyId");
      if (query.status !== undefined) requireOneOf(query.status, AGENT_STATUSES, "ctx.agents.list: status");
      const matching = store.agents.list(
        (agent) =>
          agent.companyId === companyId && (query.status === undefined || agent.status === query.status),
      );
      return paginate(matching, query, "ctx.agents.list");
    },
    async get(agentId, companyId) {
      gate.require("agents.read");
      const agent = store.inCompany(
        store.agents,
        requireNonEmptyString(agentId, "ctx.agents.get: agentId"),
        requireNonEmptyString(companyId, "ctx.agents.get: companyId"),
      );
      return agent ? detached(agent) : null;
    },
    async pause(agentId, companyId) {
      gate.require("agents.pause");
      const agent = agentIn(agentId, companyId, "pause");
      if (agent.status === "terminated")
        throw new Error(`Agent is terminated and cannot be paused: ${agent.id}`);
      return setStatus(agent, "paused");
    },
    async resume(agentId, companyId) {
      gate.require("agents.resume");
      const agent = agentIn(agentId, companyId, "resume");
      if (agent.status === "terminated")
        throw new Error(`Agent is terminated and cannot be resumed: ${agent.id}`);
      return setStatus(agent, "idle");
    },
    async invoke(agentId, companyId, opts) {
      gate.require("agents.invoke");
      const agent = agentIn(agentId, companyId, "invoke");
      const options = requirePlainObject(opts, "ctx.agents.invoke: opts");
      requireNonEmptyString(options.prompt, "ctx.agents.invoke: opts.prompt");
      requireInvokable(agent);
      return { runId: randomUUID() };
    },
    managed: buildManagedAgentsClient(runtime),
    sessions: buildSessionsClient(runtime, agentIn, requireInvokable),
  };
}

function buildSessionsClient(
  runtime: HarnessRuntime,
  agentIn: (agentId: unknown, companyId: unknown, method: string) => Agent,
  requireInvokable: (agent: Agent) => void,
): PluginContext["agents"]["sessions"] {
  const { gate, pluginId } = runtime;
  const sessions = new Map<string, AgentSession & { taskKey: string }>();
  /** Sessions are owned through their task key prefix, exactly as the host decides ownership. */
  const ownPrefix = `plugin:${pluginId}:session:`;

  const ownedSession = (sessionId: unknown, companyId: unknown, method: string) => {
    const id = requireNonEmptyString(sessionId, `ctx.agents.sessions.${method}: sessionId`);
    const company = requireNonEmptyString(companyId, `ctx.agents.sessions.${method}: companyId`);
    const session = sessions.get(id);
    if (!session || session.companyId !== company) throw new Error(`Session not found: ${id}`);
    return session;
  };

  const publicView = ({
    taskKey: _taskKey,
    ...session
  }: AgentSession & { taskKey: string }): AgentSession => ({
    ...session,
  });

  return {
    async create(agentId, companyId, opts) {
      gate.require("agent.sessions.create");
      const agent = agentIn(agentId, companyId, "sessions.create");
      const options = optionalPlainObject(opts, "ctx.agents.sessions.create: opts") ?? {};
      const sessionId = randomUUID();
      const taskKey =
        options.taskKey === undefined
          ? `${ownPrefix}${sessionId}`
          : requireNonEmptyString(options.taskKey, "ctx.agents.sessions.create: opts.taskKey");
      const session = {
        sessionId,
        agentId: agent.id,
        companyId: agent.companyId as string,
        status: "active" as const,
        createdAt: new Date().toISOString(),
        taskKey,
      };
      sessions.set(sessionId, session);
      return publicView(session);
    },
    async list(agentId, companyId) {
      gate.require("agent.sessions.list");
      const agent = agentIn(agentId, companyId, "sessions.list");
      return [...sessions.values()]
        .filter(
          (session) =>
            session.agentId === agent.id &&
            session.companyId === agent.companyId &&
            // The host lists only sessions whose task key carries this plugin's prefix.
            session.taskKey.startsWith(ownPrefix),
        )
        .map(publicView);
    },
    async sendMessage(sessionId, companyId, opts) {
      gate.require("agent.sessions.send");
      const session = ownedSession(sessionId, companyId, "sendMessage");
      const options = requirePlainObject(opts, "ctx.agents.sessions.sendMessage: opts");
      requireNonEmptyString(options.prompt, "ctx.agents.sessions.sendMessage: opts.prompt");
      const onEvent =
        options.onEvent === undefined
          ? undefined
          : requireFunction<SessionEventCallback>(
              options.onEvent,
              "ctx.agents.sessions.sendMessage: opts.onEvent",
            );
      const agent = agentIn(session.agentId, session.companyId, "sessions.sendMessage");
      try {
        requireInvokable(agent);
      } catch (error) {
        // The worker forgets the callback when a send fails, so no stale stream reaches it.
        runtime.sessionCallbacks.delete(session.sessionId);
        throw error;
      }
      if (onEvent) runtime.sessionCallbacks.set(session.sessionId, onEvent);
      return { runId: randomUUID() };
    },
    async close(sessionId, companyId) {
      gate.require("agent.sessions.close");
      const session = ownedSession(sessionId, companyId, "close");
      // Like list, the host only deletes sessions it can attribute to this plugin by task key.
      if (!session.taskKey.startsWith(ownPrefix)) throw new Error(`Session not found: ${session.sessionId}`);
      sessions.delete(session.sessionId);
      runtime.sessionCallbacks.delete(session.sessionId);
    },
  };
}
