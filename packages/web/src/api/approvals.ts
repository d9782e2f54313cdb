import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, seg } from "./client";
import { budgetOverviewQuery } from "./costs";
import { queryKeys } from "./keys";
import { type MutationHookOptions, mutationMeta } from "./mutations";
import type { Approval, ApprovalDecision, ApprovalStatus, IssueSummary } from "./types";

export const approvalsQuery = (companyId: string, filters: { status?: ApprovalStatus } = {}) =>
  queryOptions({
    queryKey: queryKeys.approvals.list(companyId, filters),
    queryFn: ({ signal }) =>
      api.get<Approval[]>(`/companies/${seg(companyId)}/approvals`, { limit: 1000, ...filters }, signal),
  });

export function useApprovals(companyId: string, filters?: { status?: ApprovalStatus }) {
  return useQuery(approvalsQuery(companyId, filters));
}

export function useApproval(approvalId: string) {
  return useQuery({
    queryKey: queryKeys.approvals.detail(approvalId),
    queryFn: ({ signal }) => api.get<Approval>(`/approvals/${seg(approvalId)}`, undefined, signal),
  });
}

export function useApprovalIssues(approvalId: string) {
  return useQuery({
    queryKey: queryKeys.approvals.issues(approvalId),
    queryFn: ({ signal }) =>
      api.get<IssueSummary[]>(`/approvals/${seg(approvalId)}/issues`, undefined, signal),
  });
}

/** The exact number of pending approvals (from the budget overview, so it is a count, not a page). */
export function usePendingApprovalCount(companyId: string): number | undefined {
  const { data } = useQuery({ ...budgetOverviewQuery(companyId), select: (o) => o.pendingApprovalCount });
  return data;
}

/** approve / reject / request-revision: `mutate({ approvalId, decision: "approve", decisionNote })`. */
export function useDecideApproval(options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: ({
      approvalId,
      decision,
      decisionNote,
    }: {
      approvalId: string;
      decision: ApprovalDecision;
      decisionNote?: string | null;
    }) => api.post<Approval>(`/approvals/${seg(approvalId)}/${decision}`, { decisionNote }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.approvals.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.costs.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.dashboard.all });
    },
  });
}
