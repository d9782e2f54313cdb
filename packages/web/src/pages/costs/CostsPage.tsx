// Costs (`/:prefix/costs`): this month's spend against the budget, spend per day (chart), per agent and per
// project (this month), and the latest cost events.

import { DollarSign, FolderOpen, Settings } from "lucide-react";
import { useMemo } from "react";
import { Link } from "react-router";
import { useAgentsById } from "@/api/agents";
import {
  currentMonthWindow,
  useCostEvents,
  useCostSummary,
  useCostsByAgent,
  useCostsByProject,
} from "@/api/costs";
import { localDayKey } from "@/api/dashboard";
import type { CostEvent } from "@/api/types";
import { useCompany, useCompanyPaths } from "@/app/CompanyContext";
import { BarChart, everyNth } from "@/components/charts/BarChart";
import { BarList } from "@/components/charts/BarList";
import { Page, PageSection } from "@/components/layout/Page";
import {
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  EmptyState,
  ListSkeleton,
  Progress,
  QueryView,
  RelativeTime,
  Skeleton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui";
import { formatCents, formatNumber, formatShortDate } from "@/lib/format";

const DAYS = 30;

function spendPerDay(events: CostEvent[], now = new Date()) {
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const days = Array.from({ length: DAYS }, (_, index) => {
    const date = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (DAYS - 1 - index));
    return { day: localDayKey(date), date, cents: 0 };
  });
  const byDay = new Map(days.map((day) => [day.day, day]));
  for (const event of events) {
    const bucket = byDay.get(localDayKey(new Date(event.occurredAt)));
    if (bucket) bucket.cents += event.costCents;
  }
  return days;
}

export default function CostsPage() {
  const company = useCompany();
  const to = useCompanyPaths();
  const month = currentMonthWindow();
  const summary = useCostSummary(company.id, month);
  const byAgent = useCostsByAgent(company.id, month);
  const byProject = useCostsByProject(company.id, month);
  const agents = useAgentsById(company.id);
  const events = useCostEvents(company.id, { limit: 1000 });
  const perDay = useMemo(() => (events.data ? spendPerDay(events.data) : undefined), [events.data]);

  return (
    <Page
      title="Costs"
      description="What agents spend on models, against the company's monthly budget."
      width="wide"
      actions={
        <Button asChild variant="outline">
          <Link to={to.companySettings()}>
            <Settings aria-hidden />
            Edit budget
          </Link>
        </Button>
      }
    >
      <div className="mb-8 grid gap-4 md:grid-cols-3">
        <Card className="p-4">
          <div className="text-sm font-medium text-muted-foreground">Spend this month</div>
          {summary.data ? (
            <>
              <div className="mt-1 text-2xl font-semibold tabular-nums">
                {formatCents(summary.data.spendCents)}
              </div>
              {summary.data.budgetCents > 0 ? (
                <div className="mt-2 grid gap-1.5 text-xs text-muted-foreground">
                  {Math.round(summary.data.utilizationPercent)}% of{" "}
                  {formatCents(summary.data.budgetCents, { whole: true })} budget
                  <Progress
                    value={summary.data.spendCents}
                    max={summary.data.budgetCents}
                    label="Monthly budget used"
                    tone={
                      summary.data.utilizationPercent >= 100
                        ? "danger"
                        : summary.data.utilizationPercent >= 80
                          ? "warning"
                          : "default"
                    }
                  />
                  <span>
                    {summary.data.budgetCents > summary.data.spendCents
                      ? `${formatCents(summary.data.budgetCents - summary.data.spendCents)} left this month`
                      : "Budget used up"}
                  </span>
                </div>
              ) : (
                <div className="mt-1 text-xs text-muted-foreground">No monthly budget set</div>
              )}
            </>
          ) : (
            <Skeleton className="mt-2 h-7 w-24" />
          )}
        </Card>
        <Card className="md:col-span-2">
          <CardHeader className="pb-1">
            <div>
              <CardTitle>Spend per day</CardTitle>
              <CardDescription>Last {DAYS} days</CardDescription>
            </div>
          </CardHeader>
          <CardContent>
            {perDay ? (
              <BarChart
                title={`Spend per day, last ${DAYS} days`}
                data={perDay}
                series={[{ key: "cents", label: "Spend", color: "var(--chart-1)" }]}
                label={(day) => formatShortDate(day.date)}
                tick={everyNth(7, (day) => formatShortDate(day.date), perDay.length)}
                formatValue={(cents) => formatCents(cents)}
                formatTick={(cents) => formatCents(cents, { whole: true })}
                integer={false}
                height={140}
                emptyMessage="No spend recorded in the last 30 days"
              />
            ) : (
              <Skeleton className="h-[140px] w-full" />
            )}
          </CardContent>
        </Card>
      </div>
      <div className="grid gap-x-6 lg:grid-cols-2">
        <PageSection title="By agent" description="This month">
          <Card className="p-2">
            <QueryView
              query={byAgent}
              loading={<ListSkeleton rows={3} />}
              empty={
                <EmptyState
                  compact
                  icon={<DollarSign />}
                  title="No spend this month"
                  description="Agents report costs as they run; they show up here per agent."
                />
              }
            >
              {(rows) => (
                <BarList
                  items={rows
                    .slice()
                    .sort((a, b) => b.costCents - a.costCents)
                    .map((row) => ({
                      key: row.agentId,
                      label: row.agentName,
                      value: row.costCents,
                      color: "var(--chart-1)",
                    }))}
                  formatValue={(cents) => formatCents(cents)}
                  renderLabel={(item, label) => {
                    const agent = agents.get(item.key);
                    return agent ? (
                      <Link to={to.agent(agent.urlKey)} className="rounded-sm hover:underline">
                        {label}
                      </Link>
                    ) : (
                      label
                    );
                  }}
                />
              )}
            </QueryView>
          </Card>
        </PageSection>
        <PageSection title="By project" description="This month">
          <Card className="p-2">
            <QueryView
              query={byProject}
              loading={<ListSkeleton rows={3} />}
              empty={
                <EmptyState
                  compact
                  icon={<FolderOpen />}
                  title="No spend this month"
                  description="Costs reported with a project show up here per project."
                />
              }
            >
              {(rows) => (
                <BarList
                  items={rows.map((row) => ({
                    key: row.projectId ?? "none",
                    label: row.projectName ?? "No project",
                    value: row.costCents,
                    color: row.projectId ? "var(--chart-2)" : "var(--muted-foreground)",
                  }))}
                  formatValue={(cents) => formatCents(cents)}
                />
              )}
            </QueryView>
          </Card>
        </PageSection>
      </div>
      <PageSection title="Latest cost events">
        <Card className="overflow-hidden">
          <QueryView
            query={{ ...events, data: events.data?.slice(0, 15) }}
            empty={<EmptyState compact icon={<DollarSign />} title="No costs reported yet" />}
          >
            {(rows) => (
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Agent</TableHead>
                    <TableHead>Model</TableHead>
                    <TableHead className="text-right">Tokens in / out</TableHead>
                    <TableHead className="text-right">Cost</TableHead>
                    <TableHead className="text-right">When</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {rows.map((event) => (
                    <TableRow key={event.id}>
                      <TableCell>{agents.get(event.agentId)?.name ?? "Agent"}</TableCell>
                      <TableCell>
                        <span className="font-mono text-xs">{event.model}</span>
                        <span className="ml-2 text-xs text-muted-foreground">{event.provider}</span>
                      </TableCell>
                      <TableCell className="text-right text-xs tabular-nums">
                        {formatNumber(event.inputTokens)} / {formatNumber(event.outputTokens)}
                      </TableCell>
                      <TableCell className="text-right tabular-nums">
                        {formatCents(event.costCents)}
                      </TableCell>
                      <TableCell className="text-right text-xs text-muted-foreground">
                        <RelativeTime date={event.occurredAt} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </QueryView>
        </Card>
      </PageSection>
    </Page>
  );
}
