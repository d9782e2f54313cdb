// ctx.projects: a company's projects and their workspaces, and the plugin's managed projects (manifest.projects,
// src/plugins/managed). A project named by id must belong to the company the call names.
import type {
  PluginManagedProjectResolution,
  PluginWorkspace,
  Project as SdkProject,
} from "@paperclipai/plugin-sdk/types";
import type { ProjectWorkspace } from "../../../domain/project-workspaces.js";
import { PROJECT_STATUSES, type Project } from "../../../domain/projects.js";
import { LIMITS, nonEmpty } from "../../../schema/schema-helpers.js";
import type { ManagedResources } from "../../managed/index.js";
import type { HostCall, NamespaceMethods } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
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

/** The SDK's Project: the same record, its status and pause reason typed. */
function toSdkProject(project: Project): SdkProject {
  return {
    ...project,
    status: storedEnum(project.status, PROJECT_STATUSES),
    pauseReason: storedEnumOrNull(project.pauseReason, PAUSE_REASONS),
  };
}

/** PluginWorkspace of the protocol (timestamps as the ISO strings JSON makes of them anyway). */
function toPluginWorkspace(ws: ProjectWorkspace): PluginWorkspace {
  return {
    id: ws.id,
    projectId: ws.projectId,
    name: ws.name,
    path: ws.cwd ?? ws.repoUrl ?? "",
    repoUrl: ws.repoUrl,
    repoRef: ws.repoRef,
    defaultRef: ws.defaultRef,
    isPrimary: ws.isPrimary,
    createdAt: ws.createdAt.toISOString(),
    updatedAt: ws.updatedAt.toISOString(),
  };
}

type ManagedResolution = Awaited<ReturnType<ManagedResources["get"]>>;

/** ManagedResources answers both kinds in one untyped shape; asked for a project, it carries a project. */
function toProjectResolution(resolution: ManagedResolution): PluginManagedProjectResolution {
  if (!("projectId" in resolution)) throw new Error("managed resources answered an agent for a project");
  const { project } = resolution;
  if (project !== null && !("goalIds" in project))
    throw new Error("managed resources answered an agent record for a project");
  return {
    pluginKey: resolution.pluginKey,
    resourceKind: "project",
    resourceKey: resolution.resourceKey,
    companyId: resolution.companyId,
    projectId: resolution.projectId,
    project: project && toSdkProject(project),
    status: resolution.status,
  };
}

const managedParams = paramsOf({ projectKey: nonEmpty(LIMITS.key), companyId: id }, [
  "projectKey",
  "companyId",
]);

export function projectMethods(deps: HostServiceDeps) {
  const { services } = deps;
  const managed = async (
    call: HostCall,
    operation: "get" | "reconcile" | "reset",
    p: { projectKey: string; companyId: string },
  ) => {
    const resolution = await managedCall(call, () =>
      deps.managed[operation](managedCaller(call), "project", p.projectKey, p.companyId),
    );
    return toProjectResolution(resolution);
  };
  const project = async (call: HostCall, projectId: string, companyId: string) =>
    requireOwned(call, await orNull(services.projects.get(projectId)), companyId, "project", projectId);

  return {
    "projects.list": {
      params: paramsOf({ companyId: id, ...page }, ["companyId"]),
      async handle(p) {
        const projects = await services.projects.list(p.companyId, { limit: p.limit, offset: p.offset });
        return projects.map(toSdkProject);
      },
    },
    "projects.get": {
      params: paramsOf({ projectId: id, companyId: id }, ["projectId", "companyId"]),
      async handle(p) {
        const found = ownedBy(await orNull(services.projects.get(p.projectId)), p.companyId);
        return found && toSdkProject(found);
      },
    },
    "projects.listWorkspaces": {
      params: paramsOf({ projectId: id, companyId: id }, ["projectId", "companyId"]),
      async handle(p, call) {
        const found = await project(call, p.projectId, p.companyId);
        return (await services.workspaces.list(found.id)).map(toPluginWorkspace);
      },
    },
    "projects.getPrimaryWorkspace": {
      params: paramsOf({ projectId: id, companyId: id }, ["projectId", "companyId"]),
      async handle(p) {
        const found = ownedBy(await orNull(services.projects.get(p.projectId)), p.companyId);
        if (!found) return null;
        const primary = await services.workspaces.primary(found.id);
        return primary ? toPluginWorkspace(primary) : null;
      },
    },
    "projects.getWorkspaceForIssue": {
      params: paramsOf({ issueId: id, companyId: id }, ["issueId", "companyId"]),
      async handle(p) {
        const issue = ownedBy(await orNull(services.issues.get(p.issueId)), p.companyId);
        if (!issue?.projectId) return null;
        const workspaces = await services.workspaces.list(issue.projectId);
        const chosen =
          workspaces.find((ws) => ws.id === issue.projectWorkspaceId) ??
          workspaces.find((ws) => ws.isPrimary) ??
          null;
        return chosen ? toPluginWorkspace(chosen) : null;
      },
    },
    "projects.managed.get": {
      params: managedParams,
      handle: (p, call) => managed(call, "get", p),
    },
    "projects.managed.reconcile": {
      params: managedParams,
      handle: (p, call) => managed(call, "reconcile", p),
    },
    "projects.managed.reset": {
      params: managedParams,
      handle: (p, call) => managed(call, "reset", p),
    },
  } satisfies NamespaceMethods<"projects">;
}
