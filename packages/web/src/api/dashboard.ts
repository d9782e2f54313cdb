// The dashboard's figures, from the host's aggregate route GET /api/companies/:companyId/dashboard (SQL counts,
// exact at any company size). The trend is bucketed in the browser's time zone, which is sent along.
// DashboardSummary is the shape the dashboard page consumes.

import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, seg } from "./client";
import { queryKeys } from "./keys";
import type { DashboardAggregate, IssueListItem, IssueStatus } from "./types";

export const TREND_DAYS = 14;

export interface DayCount {
  /** Local calendar day, "YYYY-MM-DD". */
  day: string;
  /** Local midnight of that day. */
  date: Date;
  created: number;
  closed: number;
}

export interface DashboardSummary {
  companyId: string;
  issues: {
    open: number;
    inProgress: number;
    blocked: number;
    inReview: number;
    byStatus: Record<IssueStatus, number>;
    /** True when counts are lower bounds. The aggregate route is exact, so this is always false now. */
    sampled: boolean;
  };
  agents: { total: number; running: number; paused: number; error: number; idle: number };
  pendingApprovals: number;
  costs: { monthSpendCents: number; monthBudgetCents: number; monthUtilizationPercent: number };
  /** Issues created and closed (done or cancelled) per day, oldest first, today last. */
  trend: DayCount[];
  /** Most recently updated issues, open or closed. */
  recentIssues: IssueListItem[];
}

export function localDayKey(date: Date): string {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, "0");
  const d = String(date.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

function browserTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

export function toDashboardSummary(aggregate: DashboardAggregate): DashboardSummary {
  return {
    companyId: aggregate.companyId,
    issues: {
      open: aggregate.issues.open,
      inProgress: aggregate.issues.inProgress,
      blocked: aggregate.issues.blocked,
      inReview: aggregate.issues.inReview,
      byStatus: aggregate.issues.byStatus,
      sampled: false,
    },
    agents: {
      total: aggregate.agents.total,
      running: aggregate.agents.running,
      paused: aggregate.agents.paused,
      error: aggregate.agents.error,
      idle: aggregate.agents.idle,
    },
    pendingApprovals: aggregate.pendingApprovals,
    costs: {
      monthSpendCents: aggregate.costs.monthSpendCents,
      monthBudgetCents: aggregate.costs.monthBudgetCents,
      monthUtilizationPercent: aggregate.costs.monthUtilizationPercent,
    },
    trend: aggregate.trend.map((entry) => {
      const [y, m, d] = entry.day.split("-").map(Number);
      return { ...entry, date: new Date(y!, m! - 1, d!) };
    }),
    recentIssues: aggregate.recentIssues,
  };
}

export const dashboardQuery = (companyId: string) =>
  queryOptions({
    queryKey: queryKeys.dashboard.summary(companyId),
    queryFn: ({ signal }) =>
      api.get<DashboardAggregate>(
        `/companies/${seg(companyId)}/dashboard`,
        { timeZone: browserTimeZone(), days: TREND_DAYS },
        signal,
      ),
  });

export interface DashboardResult {
  data: DashboardSummary | undefined;
  isPending: boolean;
  isError: boolean;
  error: Error | null;
  isFetching: boolean;
  refetch: () => void;
}

/**
 * Dashboard figures for one company. Live updates and mutations invalidate the `dashboard` root (live.ts),
 * so the figures follow changes made anywhere.
 */
export function useDashboardSummary(companyId: string): DashboardResult {
  const query = useQuery({ ...dashboardQuery(companyId), select: toDashboardSummary });
  return {
    data: query.data,
    isPending: query.isPending,
    isError: query.isError,
    error: query.error,
    isFetching: query.isFetching,
    refetch: () => void query.refetch(),
  };
}
