import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, seg } from "./client";
import { keepSameCompany, queryKeys } from "./keys";
import type { ActivityEvent, ActivityFilters } from "./types";

/** The company's activity log, newest first (at most 500 per request). */
export const activityQuery = (companyId: string, filters: ActivityFilters = {}) =>
  queryOptions({
    queryKey: queryKeys.activity.list(companyId, filters),
    queryFn: ({ signal }) =>
      api.get<ActivityEvent[]>(`/companies/${seg(companyId)}/activity`, { limit: 100, ...filters }, signal),
  });

export function useActivity(companyId: string, filters?: ActivityFilters) {
  return useQuery({ ...activityQuery(companyId, filters), placeholderData: keepSameCompany(companyId) });
}
