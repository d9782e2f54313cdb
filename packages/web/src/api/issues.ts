import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, request, seg } from "./client";
import { keepSameCompany, queryKeys } from "./keys";
import { type MutationHookOptions, mutationMeta } from "./mutations";
import type {
  ActivityEvent,
  CreateIssueInput,
  HeartbeatRun,
  IssueComment,
  IssueDetail,
  IssueDocument,
  IssueDocumentRevision,
  IssueFilters,
  IssueListItem,
  IssuePage,
  PutIssueDocumentInput,
  UpdateIssueInput,
} from "./types";

/**
 * A company's issues, sorted by priority then most recently updated (the host's order). The host returns at
 * most 1,000 per request (`limit`, `offset` page further).
 */
export const issuesQuery = (companyId: string, filters: IssueFilters = {}) =>
  queryOptions({
    queryKey: queryKeys.issues.list(companyId, filters),
    queryFn: ({ signal }) =>
      api.get<IssueListItem[]>(`/companies/${seg(companyId)}/issues`, { ...filters }, signal),
  });

/** One page of a company's issues plus the number matching the filters (the host's X-Total-Count). */
export const issuesPageQuery = (companyId: string, filters: IssueFilters = {}) =>
  queryOptions({
    queryKey: queryKeys.issues.page(companyId, filters),
    queryFn: async ({ signal }): Promise<IssuePage> => {
      let total: number | undefined;
      const items = await request<IssueListItem[]>(`/companies/${seg(companyId)}/issues`, {
        query: { ...filters, includeTotal: true },
        signal,
        onResponse: (response) => {
          const header = Number(response.headers.get("X-Total-Count"));
          if (Number.isFinite(header) && response.headers.has("X-Total-Count")) total = header;
        },
      });
      return { items, total: total ?? (filters.offset ?? 0) + items.length };
    },
  });

export function useIssuesPage(companyId: string, filters: IssueFilters) {
  return useQuery({ ...issuesPageQuery(companyId, filters), placeholderData: keepSameCompany(companyId) });
}

/** `ref` is the issue's id or identifier (`ACM-12`). */
export const issueQuery = (ref: string) =>
  queryOptions({
    queryKey: queryKeys.issues.detail(ref),
    queryFn: ({ signal }) => api.get<IssueDetail>(`/issues/${seg(ref)}`, undefined, signal),
  });

export function useIssues(companyId: string, filters?: IssueFilters, options: { enabled?: boolean } = {}) {
  return useQuery({
    ...issuesQuery(companyId, filters),
    enabled: options.enabled ?? true,
    placeholderData: keepSameCompany(companyId),
  });
}

export function useIssue(ref: string) {
  return useQuery(issueQuery(ref));
}

export function useIssueComments(issueId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.issues.comments(issueId ?? ""),
    queryFn: ({ signal }) =>
      api.get<IssueComment[]>(`/issues/${seg(issueId!)}/comments`, { order: "asc" }, signal),
    enabled: Boolean(issueId),
  });
}

export function useIssueDocuments(issueId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.issues.documents(issueId ?? ""),
    queryFn: ({ signal }) =>
      api.get<IssueDocument[]>(`/issues/${seg(issueId!)}/documents`, undefined, signal),
    enabled: Boolean(issueId),
  });
}

export function useIssueActivity(issueId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.issues.activity(issueId ?? ""),
    queryFn: ({ signal }) => api.get<ActivityEvent[]>(`/issues/${seg(issueId!)}/activity`, undefined, signal),
    enabled: Boolean(issueId),
  });
}

export function useIssueRuns(issueId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.issues.runs(issueId ?? ""),
    queryFn: ({ signal }) => api.get<HeartbeatRun[]>(`/issues/${seg(issueId!)}/runs`, undefined, signal),
    enabled: Boolean(issueId),
  });
}

export function useCreateIssue(companyId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (input: CreateIssueInput) =>
      api.post<IssueDetail>(`/companies/${seg(companyId)}/issues`, input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.issues.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.dashboard.all });
    },
  });
}

export function useUpdateIssue(issueId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (input: UpdateIssueInput) => api.patch<IssueDetail>(`/issues/${seg(issueId)}`, input),
    onSuccess: (issue) => {
      queryClient.setQueryData(queryKeys.issues.detail(issue.id), issue);
      queryClient.setQueryData(queryKeys.issues.detail(issue.identifier), issue);
      void queryClient.invalidateQueries({ queryKey: queryKeys.issues.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.dashboard.all });
    },
  });
}

export function useDeleteIssue(options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (issueId: string) => api.delete(`/issues/${seg(issueId)}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.issues.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.dashboard.all });
    },
  });
}

export function useAddComment(issueId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (body: string) => api.post<IssueComment>(`/issues/${seg(issueId)}/comments`, { body }),
    onSuccess: (comment) => {
      queryClient.setQueryData<IssueComment[]>(queryKeys.issues.comments(issueId), (list) =>
        list && !list.some((item) => item.id === comment.id) ? [...list, comment] : list,
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.issues.comments(issueId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.issues.activity(issueId) });
    },
  });
}

/** Edit the body of one of your comments. */
export function useUpdateComment(issueId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: ({ commentId, body }: { commentId: string; body: string }) =>
      api.patch<IssueComment>(`/issues/${seg(issueId)}/comments/${seg(commentId)}`, { body }),
    onSuccess: (comment) => {
      queryClient.setQueryData<IssueComment[]>(queryKeys.issues.comments(issueId), (list) =>
        list?.map((item) => (item.id === comment.id ? comment : item)),
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.issues.activity(issueId) });
    },
  });
}

export function useIssueDocument(issueId: string, key: string | undefined) {
  return useQuery({
    queryKey: queryKeys.issues.document(issueId, key ?? ""),
    queryFn: ({ signal }) =>
      api.get<IssueDocument>(`/issues/${seg(issueId)}/documents/${seg(key!)}`, undefined, signal),
    enabled: Boolean(key),
  });
}

export function useIssueDocumentRevisions(issueId: string, key: string | undefined) {
  return useQuery({
    queryKey: queryKeys.issues.revisions(issueId, key ?? ""),
    queryFn: ({ signal }) =>
      api.get<IssueDocumentRevision[]>(
        `/issues/${seg(issueId)}/documents/${seg(key!)}/revisions`,
        undefined,
        signal,
      ),
    enabled: Boolean(key),
  });
}

function invalidateIssueDocuments(queryClient: ReturnType<typeof useQueryClient>, issueId: string) {
  // the detail carries documentSummaries; the activity log records every write
  void queryClient.invalidateQueries({ queryKey: queryKeys.issues.all });
  void queryClient.invalidateQueries({ queryKey: queryKeys.issues.documents(issueId) });
}

/** Create (no baseRevisionId) or update a document; each write adds a revision. */
export function usePutIssueDocument(issueId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: ({ key, ...input }: PutIssueDocumentInput & { key: string }) =>
      api.put<IssueDocument>(`/issues/${seg(issueId)}/documents/${seg(key)}`, input),
    onSuccess: (document) => {
      queryClient.setQueryData(queryKeys.issues.document(issueId, document.key), document);
      invalidateIssueDocuments(queryClient, issueId);
    },
  });
}

/** Make an older revision current again (a new revision with its content). */
export function useRestoreIssueDocumentRevision(issueId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: ({ key, revisionId }: { key: string; revisionId: string }) =>
      api.post<IssueDocument>(
        `/issues/${seg(issueId)}/documents/${seg(key)}/revisions/${seg(revisionId)}/restore`,
      ),
    onSuccess: (document) => {
      queryClient.setQueryData(queryKeys.issues.document(issueId, document.key), document);
      invalidateIssueDocuments(queryClient, issueId);
    },
  });
}

export function useDeleteIssueDocument(issueId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (key: string) => api.delete(`/issues/${seg(issueId)}/documents/${seg(key)}`),
    onSuccess: () => invalidateIssueDocuments(queryClient, issueId),
  });
}
