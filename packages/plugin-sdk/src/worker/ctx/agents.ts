// ctx.agents → agents.list | .get | .pause | .resume | .invoke | .managed.{get,reconcile,reset} | .sessions.{create,list,sendMessage,close}
import type { PluginAgentsClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";
import type { HandlerRegistry } from "../registry.js";

export function buildAgentsClient(host: HostLink, registry: HandlerRegistry): PluginAgentsClient {
  return {
    list: (input) =>
      host.call("agents.list", {
        companyId: input.companyId,
        status: input.status,
        limit: input.limit,
        offset: input.offset,
      }),
    get: (agentId, companyId) => host.call("agents.get", { agentId, companyId }),
    pause: (agentId, companyId) => host.call("agents.pause", { agentId, companyId }),
    resume: (agentId, companyId) => host.call("agents.resume", { agentId, companyId }),
    invoke: (agentId, companyId, opts) =>
      host.call("agents.invoke", { agentId, companyId, prompt: opts.prompt, reason: opts.reason }),
    managed: {
      get: (agentKey, companyId) => host.call("agents.managed.get", { agentKey, companyId }),
      reconcile: (agentKey, companyId) => host.call("agents.managed.reconcile", { agentKey, companyId }),
      reset: (agentKey, companyId) => host.call("agents.managed.reset", { agentKey, companyId }),
    },
    sessions: {
      create: (agentId, companyId, opts) =>
        host.call("agents.sessions.create", {
          agentId,
          companyId,
          taskKey: opts?.taskKey,
          reason: opts?.reason,
        }),
      list: (agentId, companyId) => host.call("agents.sessions.list", { agentId, companyId }),
      async sendMessage(sessionId, companyId, opts) {
        // Register before sending: the host may stream the first event before the reply lands.
        if (opts.onEvent) registry.sessionCallbacks.set(sessionId, opts.onEvent);
        try {
          return await host.call("agents.sessions.sendMessage", {
            sessionId,
            companyId,
            prompt: opts.prompt,
            reason: opts.reason,
          });
        } catch (error) {
          registry.sessionCallbacks.delete(sessionId);
          throw error;
        }
      },
      async close(sessionId, companyId) {
        registry.sessionCallbacks.delete(sessionId);
        await host.call("agents.sessions.close", { sessionId, companyId });
      },
    },
  };
}
