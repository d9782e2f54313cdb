/**
 * ctx namespaces for the board's domain besides issues: companies, projects (+workspaces),
 * execution workspaces, approvals, agents (+sessions), goals; and the namespaces this host does not
 * serve yet (managed routines/skills, access, authorization), which still forward to their wire
 * methods so the host can answer them (with METHOD_NOT_FOUND until it implements them).
 */
import type { PluginContext } from "../types/index.js";
import type { HostLink } from "./host-link.js";
import type { HandlerRegistry } from "./registry.js";

type DomainClients = Pick<
  PluginContext,
  | "projects"
  | "executionWorkspaces"
  | "routines"
  | "skills"
  | "companies"
  | "approvals"
  | "agents"
  | "goals"
  | "access"
  | "authorization"
>;

export function buildDomainClients(host: HostLink, registry: HandlerRegistry): DomainClients {
  return {
    projects: {
      list: (input) =>
        host.call("projects.list", { companyId: input.companyId, limit: input.limit, offset: input.offset }),
      get: (projectId, companyId) => host.call("projects.get", { projectId, companyId }),
      listWorkspaces: (projectId, companyId) =>
        host.call("projects.listWorkspaces", { projectId, companyId }),
      getPrimaryWorkspace: (projectId, companyId) =>
        host.call("projects.getPrimaryWorkspace", { projectId, companyId }),
      getWorkspaceForIssue: (issueId, companyId) =>
        host.call("projects.getWorkspaceForIssue", { issueId, companyId }),
      managed: {
        get: (projectKey, companyId) => host.call("projects.managed.get", { projectKey, companyId }),
        reconcile: (projectKey, companyId) =>
          host.call("projects.managed.reconcile", { projectKey, companyId }),
        reset: (projectKey, companyId) => host.call("projects.managed.reset", { projectKey, companyId }),
      },
    },
    executionWorkspaces: {
      get: (workspaceId, companyId) => host.call("executionWorkspaces.get", { workspaceId, companyId }),
    },
    routines: {
      managed: {
        get: (routineKey, companyId) => host.call("routines.managed.get", { routineKey, companyId }),
        reconcile: (routineKey, companyId, overrides) =>
          host.call("routines.managed.reconcile", { routineKey, companyId, ...overrides }),
        reset: (routineKey, companyId, overrides) =>
          host.call("routines.managed.reset", { routineKey, companyId, ...overrides }),
        update: (routineKey, companyId, patch) =>
          host.call("routines.managed.update", { routineKey, companyId, ...patch }),
        run: (routineKey, companyId, overrides) =>
          host.call("routines.managed.run", { routineKey, companyId, ...overrides }),
      },
    },
    skills: {
      managed: {
        get: (skillKey, companyId) => host.call("skills.managed.get", { skillKey, companyId }),
        reconcile: (skillKey, companyId) => host.call("skills.managed.reconcile", { skillKey, companyId }),
        reset: (skillKey, companyId) => host.call("skills.managed.reset", { skillKey, companyId }),
      },
    },
    companies: {
      list: (input) => host.call("companies.list", { limit: input?.limit, offset: input?.offset }),
      get: (companyId) => host.call("companies.get", { companyId }),
    },
    approvals: {
      list: (input) => host.call("approvals.list", { companyId: input.companyId, status: input.status }),
      get: (approvalId, companyId) => host.call("approvals.get", { approvalId, companyId }),
      decide: (approvalId, input, companyId) =>
        host.call("approvals.decide", {
          approvalId,
          companyId,
          action: input.action,
          actorUserId: input.actorUserId,
          decisionNote: input.decisionNote,
        }),
    },
    agents: {
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
    },
    goals: {
      list: (input) =>
        host.call("goals.list", {
          companyId: input.companyId,
          level: input.level,
          status: input.status,
          limit: input.limit,
          offset: input.offset,
        }),
      get: (goalId, companyId) => host.call("goals.get", { goalId, companyId }),
      create: (input) =>
        host.call("goals.create", {
          companyId: input.companyId,
          title: input.title,
          description: input.description,
          level: input.level,
          status: input.status,
          parentId: input.parentId,
          ownerAgentId: input.ownerAgentId,
        }),
      update: (goalId, patch, companyId) => host.call("goals.update", { goalId, patch, companyId }),
    },
    access: {
      members: {
        list: (input) =>
          host.call("access.members.list", {
            companyId: input.companyId,
            includeArchived: input.includeArchived,
          }),
        get: (memberId, companyId) => host.call("access.members.get", { memberId, companyId }),
        update: (memberId, patch, companyId) =>
          host.call("access.members.update", { memberId, patch, companyId }),
      },
      invites: {
        list: (input) =>
          host.call("access.invites.list", {
            companyId: input.companyId,
            state: input.state,
            limit: input.limit,
            offset: input.offset,
          }),
        create: (input) =>
          host.call("access.invites.create", {
            companyId: input.companyId,
            allowedJoinTypes: input.allowedJoinTypes,
            humanRole: input.humanRole,
            defaultsPayload: input.defaultsPayload,
            agentMessage: input.agentMessage,
          }),
        revoke: (inviteId, companyId) => host.call("access.invites.revoke", { inviteId, companyId }),
      },
    },
    authorization: {
      grants: {
        list: (input) => host.call("authorization.grants.list", input),
        set: (input) => host.call("authorization.grants.set", input),
      },
      policies: {
        summary: (companyId) => host.call("authorization.policies.summary", { companyId }),
        get: (input) => host.call("authorization.policies.get", input),
        update: (input) => host.call("authorization.policies.update", input),
        previewAssignment: (input) => host.call("authorization.policies.previewAssignment", input),
        explainAssignment: (input) => host.call("authorization.policies.explainAssignment", input),
      },
      audit: {
        search: (input) => host.call("authorization.audit.search", input),
      },
    },
  };
}
