// ctx.executionWorkspaces → executionWorkspaces.get
import type { PluginExecutionWorkspacesClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildExecutionWorkspacesClient(host: HostLink): PluginExecutionWorkspacesClient {
  return {
    get: (workspaceId, companyId) => host.call("executionWorkspaces.get", { workspaceId, companyId }),
  };
}
