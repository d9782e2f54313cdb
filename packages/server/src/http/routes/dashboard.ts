// GET /api/companies/:companyId/dashboard: the board's dashboard figures as SQL aggregates (exact at any size,
// a few milliseconds with 10,000 issues): issues by status, agents by status, pending approvals, this UTC
// month's spend against the budget, issues created and closed per local day, and the latest updated issues.
import { and, desc, eq, isNull } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import type { Database } from "../../db/database.js";
import { issues } from "../../db/schema.js";
import { AGENT_STATUSES } from "../../domain/agents.js";
import { ISSUE_STATUSES, toIssue } from "../../domain/issue-records.js";
import { requireCompanyRow } from "../../domain/shared.js";
import { badRequest } from "../../errors.js";
import { idParam, int, obj, str } from "../../schema/schema-helpers.js";

const OPEN_STATUSES = ["backlog", "todo", "in_progress", "in_review", "blocked"] as const;
const RECENT_ISSUES = 6;
const DESCRIPTION_LIMIT = 1200;

export interface DashboardQuery {
  /** IANA time zone the per-day trend is bucketed in (default UTC). */
  timeZone?: string;
  /** Days in the trend, today included (default 14). */
  days?: number;
}

function checkTimeZone(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw badRequest(`timeZone: unknown time zone "${timeZone}"`, { field: "timeZone" });
  }
}

const countsSql = {
  issues: `SELECT status, count(*)::int AS n FROM issues
    WHERE company_id = $1 AND hidden_at IS NULL GROUP BY status`,
  agents: `SELECT status, count(*)::int AS n FROM agents WHERE company_id = $1 GROUP BY status`,
  approvals: `SELECT count(*)::int AS n FROM approvals WHERE company_id = $1 AND status = 'pending'`,
  spend: `SELECT coalesce(sum(cost_cents), 0)::bigint AS cents FROM cost_events
    WHERE company_id = $1 AND occurred_at >= $2 AND occurred_at < $3`,
  // One row per local day, oldest first: created (by created_at) and closed (done/cancelled, by the time it
  // was closed) in the given time zone. $2 = now, $3 = time zone, $4 = number of days.
  trend: `WITH bounds AS (
      SELECT (($2::timestamptz AT TIME ZONE $3)::date - ($4::int - 1)) AS first_day,
             ($2::timestamptz AT TIME ZONE $3)::date AS last_day
    ), since AS (
      SELECT (first_day::timestamp AT TIME ZONE $3) AS at FROM bounds
    ), days AS (
      SELECT generate_series(first_day, last_day, interval '1 day')::date AS day FROM bounds
    ), created AS (
      SELECT (created_at AT TIME ZONE $3)::date AS day, count(*)::int AS n FROM issues, since
      WHERE company_id = $1 AND hidden_at IS NULL AND created_at >= since.at GROUP BY 1
    ), closed AS (
      SELECT (coalesce(completed_at, cancelled_at) AT TIME ZONE $3)::date AS day, count(*)::int AS n
      FROM issues, since
      WHERE company_id = $1 AND hidden_at IS NULL AND status IN ('done', 'cancelled')
        AND coalesce(completed_at, cancelled_at) >= since.at GROUP BY 1
    )
    SELECT to_char(days.day, 'YYYY-MM-DD') AS day, coalesce(created.n, 0) AS created,
           coalesce(closed.n, 0) AS closed
    FROM days LEFT JOIN created USING (day) LEFT JOIN closed USING (day) ORDER BY days.day`,
};

export async function dashboardSummary(db: Database, companyId: string, now: Date, query: DashboardQuery) {
  const company = await requireCompanyRow(db.orm, companyId);
  const timeZone = checkTimeZone(query.timeZone ?? "UTC");
  const days = query.days ?? 14;
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const monthEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));

  const [issueRows, agentRows, approvalRows, spendRows, trendRows, recentRows] = await Promise.all([
    db.query<{ status: string; n: number }>("dashboard_issue_counts", countsSql.issues, [companyId]),
    db.query<{ status: string; n: number }>("dashboard_agent_counts", countsSql.agents, [companyId]),
    db.query<{ n: number }>("dashboard_pending_approvals", countsSql.approvals, [companyId]),
    db.query<{ cents: string }>("dashboard_month_spend", countsSql.spend, [
      companyId,
      monthStart.toISOString(),
      monthEnd.toISOString(),
    ]),
    db.query<{ day: string; created: number; closed: number }>("dashboard_trend", countsSql.trend, [
      companyId,
      now.toISOString(),
      timeZone,
      days,
    ]),
    db.orm
      .select()
      .from(issues)
      .where(and(eq(issues.companyId, companyId), isNull(issues.hiddenAt)))
      .orderBy(desc(issues.updatedAt), desc(issues.id))
      .limit(RECENT_ISSUES),
  ]);

  const byStatus = Object.fromEntries(ISSUE_STATUSES.map((status) => [status, 0])) as Record<string, number>;
  for (const row of issueRows) byStatus[row.status] = row.n;
  const agentsByStatus = Object.fromEntries(AGENT_STATUSES.map((status) => [status, 0])) as Record<
    string,
    number
  >;
  for (const row of agentRows) agentsByStatus[row.status] = row.n;

  const spendCents = Number(spendRows[0]?.cents ?? 0);
  const budgetCents = company.budgetMonthlyCents;
  return {
    companyId,
    generatedAt: now.toISOString(),
    timeZone,
    issues: {
      total: Object.values(byStatus).reduce((sum, n) => sum + n, 0),
      open: OPEN_STATUSES.reduce((sum, status) => sum + (byStatus[status] ?? 0), 0),
      inProgress: byStatus.in_progress ?? 0,
      blocked: byStatus.blocked ?? 0,
      inReview: byStatus.in_review ?? 0,
      byStatus,
    },
    agents: {
      // Terminated agents are gone from the company's lists; they are not counted in the total either.
      total: Object.entries(agentsByStatus).reduce(
        (sum, [status, n]) => sum + (status === "terminated" ? 0 : n),
        0,
      ),
      running: agentsByStatus.running ?? 0,
      paused: agentsByStatus.paused ?? 0,
      error: agentsByStatus.error ?? 0,
      idle: (agentsByStatus.idle ?? 0) + (agentsByStatus.active ?? 0),
      byStatus: agentsByStatus,
    },
    pendingApprovals: approvalRows[0]?.n ?? 0,
    costs: {
      monthStart: monthStart.toISOString(),
      monthSpendCents: spendCents,
      monthBudgetCents: budgetCents,
      monthUtilizationPercent: budgetCents > 0 ? Math.round((spendCents / budgetCents) * 10_000) / 100 : 0,
    },
    trend: trendRows.map((row) => ({ day: row.day, created: row.created, closed: row.closed })),
    recentIssues: recentRows.map((row) => {
      const truncated = (row.description?.length ?? 0) > DESCRIPTION_LIMIT;
      return {
        ...toIssue(row),
        description: truncated ? row.description!.slice(0, DESCRIPTION_LIMIT) : row.description,
        descriptionTruncated: truncated,
      };
    }),
  };
}

export function registerDashboardRoutes(app: FastifyInstance): void {
  const { db } = app.paperclip.services;
  app.get(
    "/api/companies/:companyId/dashboard",
    {
      schema: {
        tags: ["dashboard"],
        params: idParam("companyId"),
        querystring: obj({ timeZone: str(64), days: int(1, 90) }),
      },
    },
    async (request) =>
      dashboardSummary(
        db,
        (request.params as { companyId: string }).companyId,
        new Date(),
        request.query as DashboardQuery,
      ),
  );
}
