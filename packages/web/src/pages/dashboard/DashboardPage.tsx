import {
  ArrowRight,
  Bot,
  CircleDot,
  DollarSign,
  History,
  Inbox,
  Play,
  ShieldCheck,
  Timer,
} from "lucide-react";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { useActivity } from "@/api/activity";
import { LIVE_RUNS_LIMIT, useAgentsById, useLiveRuns } from "@/api/agents";
import { type DashboardSummary, TREND_DAYS, useDashboardSummary } from "@/api/dashboard";
import { type IssueStatus, OPEN_ISSUE_STATUSES } from "@/api/types";
import { useCompany, useCompanyPaths } from "@/app/CompanyContext";
import { ActivityFeed } from "@/components/activity/ActivityFeed";
import { BarChart, everyNth } from "@/components/charts/BarChart";
import { BarList } from "@/components/charts/BarList";
import { IssueRow } from "@/components/issues/IssueRow";
import { Page } from "@/components/layout/Page";
import {
  Card,
  CardAction,
  CardDescription,
  CardFooter,
  CardHeader,
  CardTitle,
  EmptyState,
  ErrorState,
  IssueStatusIcon,
  ListSkeleton,
  Progress,
  QueryView,
  Skeleton,
  StatusBadge,
  statusLabel,
} from "@/components/ui";
import { cn } from "@/lib/cn";
import { formatCents, formatNumber, formatShortDate, plural } from "@/lib/format";
import { useNow } from "@/lib/useNow";
import { formatDuration, runDuration, runSummary } from "@/pages/runs/RunsTable";
import { PluginDashboardWidgets } from "@/plugin-slots/surfaces";

const STATUS_COLORS: Record<IssueStatus, string> = {
  backlog: "oklch(0.65 0.01 286)",
  todo: "oklch(0.55 0.01 286)",
  in_progress: "oklch(0.75 0.16 75)",
  in_review: "oklch(0.6 0.2 295)",
  blocked: "oklch(0.62 0.21 25)",
  done: "oklch(0.65 0.15 155)",
  cancelled: "oklch(0.65 0.01 286)",
};

export default function DashboardPage() {
  const company = useCompany();
  const summary = useDashboardSummary(company.id);

  return (
    <Page title="Dashboard" description={company.description ?? `Overview of ${company.name}`} width="wide">
      {summary.isError ? (
        <Card className="mb-6">
          <ErrorState
            title="Could not load the dashboard figures"
            error={summary.error}
            onRetry={summary.refetch}
          />
        </Card>
      ) : (
        <>
          <StatCards summary={summary.data} />
          <LiveRunsCard className="mt-4" />
          <div className="mt-4 grid gap-4 lg:grid-cols-3">
            <TrendCard summary={summary.data} className="lg:col-span-2" />
            <StatusCard summary={summary.data} />
          </div>
        </>
      )}
      <div className="mt-4 grid gap-4 lg:grid-cols-5">
        <RecentActivityCard className="lg:col-span-3" />
        <RecentIssuesCard summary={summary.data} failed={summary.isError} className="lg:col-span-2" />
      </div>
      <PluginDashboardWidgets className="mt-8 mb-0" />
      {summary.data?.issues.sampled ? (
        <p className="mt-4 text-xs text-muted-foreground">
          This company has more issues than the dashboard reads at once; issue figures are lower bounds.
        </p>
      ) : null}
    </Page>
  );
}

// ── stat cards ───────────────────────────────────────────────────────────────────────────────────────

function StatCards({ summary }: { summary: DashboardSummary | undefined }) {
  const to = useCompanyPaths();
  if (!summary) {
    return (
      <div role="status" aria-label="Loading figures" className="grid grid-cols-2 gap-4 xl:grid-cols-5">
        {[0, 1, 2, 3, 4].map((key) => (
          <Card key={key} className="p-4">
            <Skeleton className="h-3.5 w-24" />
            <Skeleton className="mt-3 h-7 w-16" />
            <Skeleton className="mt-2.5 h-3 w-32" />
          </Card>
        ))}
      </div>
    );
  }
  const { issues, agents, pendingApprovals, costs } = summary;
  const budget = costs.monthBudgetCents;
  const more = issues.sampled ? "+" : "";
  return (
    <div className="grid grid-cols-2 gap-3 sm:gap-4 xl:grid-cols-5">
      <StatCard
        to={to.issues()}
        icon={<CircleDot />}
        label="Open issues"
        value={`${formatNumber(issues.open)}${more}`}
        detail={`${formatNumber(issues.blocked)} blocked · ${formatNumber(issues.inReview)} in review`}
      />
      <StatCard
        to={`${to.issues()}?status=in_progress`}
        icon={<Timer />}
        label="In progress"
        value={`${formatNumber(issues.inProgress)}${more}`}
        detail={
          issues.open > 0
            ? `${Math.round((issues.inProgress / issues.open) * 100)}% of open work`
            : "Nothing started yet"
        }
      />
      <StatCard
        to={to.agents()}
        icon={<Bot />}
        label="Agents"
        value={formatNumber(agents.total)}
        detail={`${formatNumber(agents.running)} running · ${formatNumber(agents.paused)} paused${agents.error > 0 ? ` · ${plural(agents.error, "error")}` : ""}`}
        tone={agents.error > 0 ? "danger" : undefined}
      />
      <StatCard
        to={to.approvals()}
        icon={<ShieldCheck />}
        label="Pending approvals"
        value={formatNumber(pendingApprovals)}
        detail={pendingApprovals > 0 ? "Awaiting board review" : "Nothing to review"}
        tone={pendingApprovals > 0 ? "warning" : undefined}
      />
      <StatCard
        to={to.costs()}
        className="col-span-2 xl:col-span-1"
        icon={<DollarSign />}
        label="Spend this month"
        value={formatCents(costs.monthSpendCents)}
        detail={
          budget > 0 ? (
            <span className="grid gap-1.5">
              <span>
                {Math.round(costs.monthUtilizationPercent)}% of {formatCents(budget, { whole: true })} budget
              </span>
              <Progress
                value={costs.monthSpendCents}
                max={budget}
                label="Monthly budget used"
                tone={
                  costs.monthUtilizationPercent >= 100
                    ? "danger"
                    : costs.monthUtilizationPercent >= 80
                      ? "warning"
                      : "default"
                }
              />
            </span>
          ) : (
            "No monthly budget set"
          )
        }
      />
    </div>
  );
}

function StatCard({
  to,
  icon,
  label,
  value,
  detail,
  tone,
  className,
}: {
  className?: string;
  to: string;
  icon: ReactNode;
  label: string;
  value: string;
  detail: ReactNode;
  tone?: "warning" | "danger";
}) {
  return (
    <Link
      to={to}
      className={cn(
        "group min-w-0 rounded-xl border bg-card p-4 shadow-xs transition-colors hover:border-input hover:bg-muted/30",
        className,
      )}
    >
      <div className="flex items-center gap-2 text-muted-foreground">
        <span className="text-sm font-medium">{label}</span>
        <span
          aria-hidden
          className={cn(
            "ml-auto flex size-7 items-center justify-center rounded-md bg-muted/70 [&_svg]:size-4",
            tone === "warning" && "bg-amber-500/12 text-amber-600 dark:text-amber-400",
            tone === "danger" && "bg-red-500/12 text-red-600 dark:text-red-400",
          )}
        >
          {icon}
        </span>
      </div>
      <div className="mt-1 text-2xl font-semibold tracking-tight tabular-nums">{value}</div>
      <div className="mt-1 text-xs text-muted-foreground">{detail}</div>
    </Link>
  );
}

// ── live runs ────────────────────────────────────────────────────────────────────────────────────────

/** The runs in progress right now, refreshed by the company event stream; durations tick. */
function LiveRunsCard({ className }: { className?: string }) {
  const company = useCompany();
  const to = useCompanyPaths();
  const live = useLiveRuns(company.id);
  const agents = useAgentsById(company.id);
  const now = useNow(Boolean(live.data?.some((run) => run.status === "running")));
  const count = live.data?.length ?? 0;
  return (
    <Card className={cn("overflow-hidden", className)} role="region" aria-labelledby="dashboard-live-runs">
      <CardHeader className="items-center pb-2">
        <CardTitle id="dashboard-live-runs">Live runs</CardTitle>
        {count > 0 ? (
          <CardDescription className="mt-0">
            {formatNumber(count)}
            {count >= LIVE_RUNS_LIMIT ? "+" : ""} queued or running
          </CardDescription>
        ) : null}
      </CardHeader>
      <QueryView
        query={live}
        compact
        loading={<ListSkeleton rows={2} />}
        errorTitle="Could not load the live runs"
        empty={
          <p className="flex items-center gap-2 border-t px-4 py-3 text-sm text-muted-foreground">
            <Play aria-hidden className="size-4" />
            No agent is working right now. Runs show up here while they happen.
          </p>
        }
      >
        {(runs) => (
          <ul className="divide-y border-t">
            {runs.map((run) => {
              const agentKey = agents.get(run.agentId)?.urlKey ?? run.agentId;
              const duration = runDuration(run, now);
              const summary = runSummary(run);
              return (
                <li key={run.id}>
                  <Link
                    to={to.agentRun(agentKey, run.id)}
                    className="flex items-center gap-3 px-4 py-2.5 text-sm transition-colors hover:bg-muted/40"
                  >
                    <StatusBadge kind="run" status={run.status} className="w-20 justify-center" />
                    <span className="w-36 shrink-0 truncate font-medium">{run.agentName}</span>
                    <span className="min-w-0 flex-1 truncate text-muted-foreground">
                      {summary ?? <span className="font-mono text-xs">{run.adapterType}</span>}
                    </span>
                    <span className="shrink-0 text-xs text-muted-foreground tabular-nums">
                      {duration === null ? "waiting" : formatDuration(duration)}
                    </span>
                    <ArrowRight aria-hidden className="size-4 shrink-0 text-muted-foreground" />
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
      </QueryView>
    </Card>
  );
}

// ── charts ───────────────────────────────────────────────────────────────────────────────────────────

function TrendCard({ summary, className }: { summary: DashboardSummary | undefined; className?: string }) {
  const created = summary?.trend.reduce((sum, day) => sum + day.created, 0) ?? 0;
  const closed = summary?.trend.reduce((sum, day) => sum + day.closed, 0) ?? 0;
  return (
    <Card className={className}>
      <CardHeader>
        <div>
          <CardTitle>Issues created and closed</CardTitle>
          <CardDescription>Last {TREND_DAYS} days</CardDescription>
        </div>
        {summary ? (
          <CardAction className="gap-4 text-right">
            <Figure label="Created" value={created} color="var(--chart-1)" />
            <Figure label="Closed" value={closed} color="var(--chart-2)" />
          </CardAction>
        ) : null}
      </CardHeader>
      <div className="px-4 pb-3">
        {summary ? (
          <BarChart
            title={`Issues created and closed per day, last ${TREND_DAYS} days`}
            data={summary.trend}
            series={[
              { key: "created", label: "Created", color: "var(--chart-1)" },
              { key: "closed", label: "Closed", color: "var(--chart-2)" },
            ]}
            label={(day) => formatShortDate(day.date)}
            tick={everyNth(3, (day) => formatShortDate(day.date), summary.trend.length)}
            legend={false}
            height={196}
            emptyMessage="No issues created or closed in the last two weeks"
          />
        ) : (
          <Skeleton className="h-[196px] w-full" />
        )}
      </div>
    </Card>
  );
}

function Figure({ label, value, color }: { label: string; value: number; color: string }) {
  return (
    <div>
      <div className="flex items-center justify-end gap-1.5 text-xs text-muted-foreground">
        <span aria-hidden className="size-2 rounded-sm" style={{ background: color }} />
        {label}
      </div>
      <div className="text-base font-semibold tabular-nums">{formatNumber(value)}</div>
    </div>
  );
}

function StatusCard({ summary }: { summary: DashboardSummary | undefined }) {
  const to = useCompanyPaths();
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Open issues by status</CardTitle>
          <CardDescription>
            {summary ? `${formatNumber(summary.issues.open)} open` : "Loading"}
          </CardDescription>
        </div>
      </CardHeader>
      <div className="px-2 pb-3">
        {!summary ? (
          <ListSkeleton rows={5} className="p-2" />
        ) : summary.issues.open === 0 ? (
          <EmptyState
            compact
            icon={<Inbox />}
            title="No open issues"
            description="Everything is done or cancelled."
          />
        ) : (
          <BarList
            items={OPEN_ISSUE_STATUSES.map((status) => ({
              key: status,
              label: statusLabel("issue", status),
              value: summary.issues.byStatus[status],
              color: STATUS_COLORS[status],
              icon: <IssueStatusIcon status={status} />,
            }))}
            renderLabel={(item, label) => (
              <Link
                to={`${to.issues()}?status=${item.key}`}
                className="block rounded-sm hover:underline hover:underline-offset-2"
              >
                {label}
              </Link>
            )}
          />
        )}
      </div>
    </Card>
  );
}

// ── lists ────────────────────────────────────────────────────────────────────────────────────────────

function RecentActivityCard({ className }: { className?: string }) {
  const company = useCompany();
  const to = useCompanyPaths();
  const activity = useActivity(company.id, { limit: 10 });
  return (
    <Card className={cn("flex flex-col", className)}>
      <CardHeader className="pb-2">
        <CardTitle>Recent activity</CardTitle>
      </CardHeader>
      <div className="flex-1">
        <QueryView
          query={activity}
          compact
          loading={<ListSkeleton rows={6} />}
          empty={
            <EmptyState
              compact
              icon={<History />}
              title="No activity yet"
              description="Changes by the board, agents and plugins show up here."
            />
          }
        >
          {(events) => <ActivityFeed events={events} />}
        </QueryView>
      </div>
      <CardFooter className="mt-auto">
        <FooterLink to={to.activity()}>View all activity</FooterLink>
      </CardFooter>
    </Card>
  );
}

function RecentIssuesCard({
  summary,
  failed,
  className,
}: {
  summary: DashboardSummary | undefined;
  failed: boolean;
  className?: string;
}) {
  const company = useCompany();
  const to = useCompanyPaths();
  const agents = useAgentsById(company.id);
  return (
    <Card className={cn("flex flex-col", className)}>
      <CardHeader className="pb-2">
        <CardTitle>Recently updated issues</CardTitle>
      </CardHeader>
      <div className="flex-1">
        {failed ? (
          <p className="px-4 py-6 text-sm text-muted-foreground">Issues could not be loaded.</p>
        ) : !summary ? (
          <ListSkeleton rows={6} />
        ) : summary.recentIssues.length === 0 ? (
          <EmptyState
            compact
            icon={<CircleDot />}
            title="No issues yet"
            description="Issues are the units of work agents pick up."
          />
        ) : (
          <ul className="divide-y">
            {summary.recentIssues.map((issue) => (
              <li key={issue.id}>
                <IssueRow
                  issue={issue}
                  assignee={issue.assigneeAgentId ? agents.get(issue.assigneeAgentId) : undefined}
                  showPriority={false}
                />
              </li>
            ))}
          </ul>
        )}
      </div>
      <CardFooter className="mt-auto">
        <FooterLink to={to.issues()}>View all issues</FooterLink>
      </CardFooter>
    </Card>
  );
}

function FooterLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Link
      to={to}
      className="inline-flex items-center gap-1 rounded-sm text-xs font-medium text-muted-foreground hover:text-foreground"
    >
      {children}
      <ArrowRight aria-hidden className="size-3.5" />
    </Link>
  );
}
