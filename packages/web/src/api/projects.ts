import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, seg } from "./client";
import { queryKeys } from "./keys";
import { type MutationHookOptions, mutationMeta } from "./mutations";
import type { Project, ProjectInput, ProjectWorkspace, WorkspaceInput } from "./types";

export const projectsQuery = (companyId: string, filters: { includeArchived?: boolean } = {}) =>
  queryOptions({
    queryKey: queryKeys.projects.list(companyId, filters),
    queryFn: ({ signal }) =>
      api.get<Project[]>(`/companies/${seg(companyId)}/projects`, { limit: 1000, ...filters }, signal),
  });

/** `ref` is the project's id or its urlKey (`website`); the company resolves urlKeys. */
export const projectQuery = (companyId: string, ref: string) =>
  queryOptions({
    queryKey: queryKeys.projects.detail(companyId, ref),
    queryFn: ({ signal }) => api.get<Project>(`/projects/${seg(ref)}`, { companyId }, signal),
  });

export function useProjects(companyId: string, filters?: { includeArchived?: boolean }) {
  return useQuery(projectsQuery(companyId, filters));
}

export function useProject(companyId: string, ref: string) {
  return useQuery(projectQuery(companyId, ref));
}

export function useProjectWorkspaces(projectId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.projects.workspaces(projectId ?? ""),
    queryFn: ({ signal }) =>
      api.get<ProjectWorkspace[]>(`/projects/${seg(projectId!)}/workspaces`, undefined, signal),
    enabled: Boolean(projectId),
  });
}

export function useCreateProject(companyId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (input: ProjectInput) => api.post<Project>(`/companies/${seg(companyId)}/projects`, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.projects.all }),
  });
}

export function useUpdateProject(projectId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (input: Partial<ProjectInput>) => api.patch<Project>(`/projects/${seg(projectId)}`, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.projects.all }),
  });
}

export function useDeleteProject(options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (projectId: string) => api.delete(`/projects/${seg(projectId)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.projects.all }),
  });
}

function invalidateWorkspaces(queryClient: ReturnType<typeof useQueryClient>) {
  // Workspaces live under the projects root (the project detail embeds them too).
  void queryClient.invalidateQueries({ queryKey: queryKeys.projects.all });
}

export function useCreateWorkspace(projectId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (input: WorkspaceInput) =>
      api.post<ProjectWorkspace>(`/projects/${seg(projectId)}/workspaces`, input),
    onSuccess: () => invalidateWorkspaces(queryClient),
  });
}

export function useUpdateWorkspace(projectId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: ({ workspaceId, ...input }: WorkspaceInput & { workspaceId: string }) =>
      api.patch<ProjectWorkspace>(`/projects/${seg(projectId)}/workspaces/${seg(workspaceId)}`, input),
    onSuccess: () => invalidateWorkspaces(queryClient),
  });
}

export function useDeleteWorkspace(projectId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (workspaceId: string) =>
      api.delete(`/projects/${seg(projectId)}/workspaces/${seg(workspaceId)}`),
    onSuccess: () => invalidateWorkspaces(queryClient),
  });
}
