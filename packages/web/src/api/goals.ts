import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, seg } from "./client";
import { queryKeys } from "./keys";
import { type MutationHookOptions, mutationMeta } from "./mutations";
import type { Goal, GoalInput, GoalLevel, GoalStatus } from "./types";

export const goalsQuery = (companyId: string, filters: { level?: GoalLevel; status?: GoalStatus } = {}) =>
  queryOptions({
    queryKey: queryKeys.goals.list(companyId, filters),
    queryFn: ({ signal }) =>
      api.get<Goal[]>(`/companies/${seg(companyId)}/goals`, { limit: 1000, ...filters }, signal),
  });

export const goalQuery = (goalId: string) =>
  queryOptions({
    queryKey: queryKeys.goals.detail(goalId),
    queryFn: ({ signal }) => api.get<Goal>(`/goals/${seg(goalId)}`, undefined, signal),
  });

export function useGoals(companyId: string, filters?: { level?: GoalLevel; status?: GoalStatus }) {
  return useQuery(goalsQuery(companyId, filters));
}

export function useGoal(goalId: string) {
  return useQuery(goalQuery(goalId));
}

export function useCreateGoal(companyId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (input: GoalInput) => api.post<Goal>(`/companies/${seg(companyId)}/goals`, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.goals.all }),
  });
}

export function useUpdateGoal(goalId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (input: Partial<GoalInput>) => api.patch<Goal>(`/goals/${seg(goalId)}`, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.goals.all }),
  });
}

export function useDeleteGoal(options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (goalId: string) => api.delete(`/goals/${seg(goalId)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.goals.all }),
  });
}
