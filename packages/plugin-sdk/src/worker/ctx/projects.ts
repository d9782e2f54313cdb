// ctx.projects → projects.list | .get | .listWorkspaces | .getPrimaryWorkspace | .getWorkspaceForIssue | .managed.{get,reconcile,reset}
import type { PluginProjectsClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildProjectsClient(host: HostLink): PluginProjectsClient {
  return {
    list: (input) =>
      host.call("projects.list", { companyId: input.companyId, limit: input.limit, offset: input.offset }),
    get: (projectId, companyId) => host.call("projects.get", { projectId, companyId }),
    listWorkspaces: (projectId, companyId) => host.call("projects.listWorkspaces", { projectId, companyId }),
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
  };
}
