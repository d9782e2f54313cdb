import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, seg } from "./client";
import { queryKeys } from "./keys";
import type {
  AgentCost,
  BudgetIncident,
  BudgetOverview,
  CostEvent,
  CostSummary,
  CostWindow,
  ProjectCost,
} from "./types";

/** [start of this UTC month, start of next): the window budgets are kept in. */
export function currentMonthWindow(now: Date = new Date()): Required<CostWindow> {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { from: from.toISOString(), to: to.toISOString() };
}

export const costSummaryQuery = (companyId: string, window: CostWindow = {}) =>
  queryOptions({
    queryKey: queryKeys.costs.summary(companyId, window),
    queryFn: ({ signal }) =>
      api.get<CostSummary>(`/companies/${seg(companyId)}/costs/summary`, { ...window }, signal),
  });

export const costsByAgentQuery = (companyId: string, window: CostWindow = {}) =>
  queryOptions({
    queryKey: queryKeys.costs.byAgent(companyId, window),
    queryFn: ({ signal }) =>
      api.get<AgentCost[]>(`/companies/${seg(companyId)}/costs/by-agent`, { ...window }, signal),
  });

export const costsByProjectQuery = (companyId: string, window: CostWindow = {}) =>
  queryOptions({
    queryKey: queryKeys.costs.byProject(companyId, window),
    queryFn: ({ signal }) =>
      api.get<ProjectCost[]>(`/companies/${seg(companyId)}/costs/by-project`, { ...window }, signal),
  });

export const costEventsQuery = (companyId: string, filters: { agentId?: string; limit?: number } = {}) =>
  queryOptions({
    queryKey: queryKeys.costs.events(companyId, filters),
    queryFn: ({ signal }) =>
      api.get<CostEvent[]>(`/companies/${seg(companyId)}/cost-events`, { limit: 1000, ...filters }, signal),
  });

export const budgetOverviewQuery = (companyId: string) =>
  queryOptions({
    queryKey: queryKeys.costs.budgets(companyId),
    queryFn: ({ signal }) =>
      api.get<BudgetOverview>(`/companies/${seg(companyId)}/budgets/overview`, undefined, signal),
  });

export function useCostSummary(companyId: string, window?: CostWindow) {
  return useQuery(costSummaryQuery(companyId, window));
}

export function useCostsByAgent(companyId: string, window?: CostWindow) {
  return useQuery(costsByAgentQuery(companyId, window));
}

export function useCostsByProject(companyId: string, window?: CostWindow) {
  return useQuery(costsByProjectQuery(companyId, window));
}

export function useCostEvents(companyId: string, filters?: { agentId?: string; limit?: number }) {
  return useQuery(costEventsQuery(companyId, filters));
}

export function useBudgetOverview(companyId: string) {
  return useQuery(budgetOverviewQuery(companyId));
}

export function useBudgetIncidents(companyId: string, filters: { status?: BudgetIncident["status"] } = {}) {
  return useQuery({
    queryKey: queryKeys.costs.incidents(companyId, filters),
    queryFn: ({ signal }) =>
      api.get<BudgetIncident[]>(`/companies/${seg(companyId)}/budget-incidents`, { ...filters }, signal),
  });
}
