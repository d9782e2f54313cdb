// An agent (`/:prefix/agents/:agentRef`, urlKey or id): status, spend and the actions the host supports (run now
// with a prompt, wake up, pause, resume, clear error), and a tab bar following `?tab=` — overview (figures, recent
// runs, adapter, API keys, org), runs, assigned issues, activity. Run lists refresh from the company event stream.

import {
  AlertTriangle,
  ArrowLeft,
  ArrowRight,
  CircleDot,
  History,
  Pause,
  Play,
  RotateCcw,
  SquareTerminal,
  Zap,
} from "lucide-react";
import { type ReactNode, useState } from "react";
import { Link, useParams } from "react-router";
import { useActivity } from "@/api/activity";
import { useAgent, useAgentLifecycle, useAgentRuns, useAgentsById, useWakeAgent } from "@/api/agents";
import { isApiError } from "@/api/client";
import { useIssues } from "@/api/issues";
import type { Agent } from "@/api/types";
import { useCompany, useCompanyPaths } from "@/app/CompanyContext";
import { ActivityFeed } from "@/components/activity/ActivityFeed";
import { IssueRow } from "@/components/issues/IssueRow";
import { Page } from "@/components/layout/Page";
import {
  Avatar,
  Badge,
  Button,
  Card,
  CardAction,
  CardHeader,
  CardTitle,
  EmptyState,
  ErrorState,
  Progress,
  QueryView,
  RelativeTime,
  Skeleton,
  StatusBadge,
  toast,
  type UrlTab,
} from "@/components/ui";
import { formatCents, formatNumber, humanize } from "@/lib/format";
import { isActiveRun, RunsTable } from "@/pages/runs/RunsTable";
import { PluginEntityActions, PluginUrlTabs } from "@/plugin-slots/surfaces";
import { AdapterCard } from "./AdapterSection";
import { AgentKeysCard } from "./AgentKeysSection";
import { RunNowDialog } from "./RunNowDialog";

const roleLabel = (role: string) => (role.length <= 3 ? role.toUpperCase() : humanize(role));

export default function AgentDetailPage() {
  const { agentRef = "" } = useParams();
  const company = useCompany();
  const to = useCompanyPaths();
  const agent = useAgent(company.id, agentRef);
  const crumbs = [{ label: "Agents", to: to.agents() }, { label: agent.data?.name ?? agentRef }];

  if (agent.isPending) {
    return (
      <Page title={agentRef} breadcrumbs={crumbs} hideHeader>
        <Skeleton className="h-10 w-1/3" />
        <Skeleton className="mt-6 h-9 w-full" />
        <Skeleton className="mt-4 h-28 w-full" />
      </Page>
    );
  }
  if (agent.isError) {
    const notFound = isApiError(agent.error) && agent.error.status === 404;
    return (
      <Page title={notFound ? "Agent not found" : agentRef} breadcrumbs={crumbs} hideHeader>
        <ErrorState
          title={notFound ? "This agent does not exist" : undefined}
          error={agent.error}
          onRetry={notFound ? undefined : () => agent.refetch()}
          actions={
            <Button asChild variant="outline" size="sm">
              <Link to={to.agents()}>
                <ArrowLeft aria-hidden />
                All agents
              </Link>
            </Button>
          }
        />
      </Page>
    );
  }
  return <AgentView agent={agent.data} crumbs={crumbs} />;
}

function AgentView({ agent, crumbs }: { agent: Agent; crumbs: { label: string; to?: string }[] }) {
  // The tab bar. Plugin `detailTab` contributions for agents append their tabs to this array.
  const tabs: UrlTab[] = [
    { value: "overview", label: "Overview", content: <OverviewTab agent={agent} /> },
    { value: "runs", label: "Runs", icon: <Play aria-hidden />, content: <RunsTab agent={agent} /> },
    {
      value: "issues",
      label: "Issues",
      icon: <CircleDot aria-hidden />,
      content: <IssuesTab agent={agent} />,
    },
    {
      value: "activity",
      label: "Activity",
      icon: <History aria-hidden />,
      content: <ActivityTab agent={agent} />,
    },
  ];
  return (
    <Page
      title={
        <span className="flex items-center gap-3">
          <Avatar name={agent.name} kind="agent" size="lg" />
          {agent.name}
        </span>
      }
      titleText={agent.name}
      breadcrumbs={crumbs}
      description={agent.title ?? undefined}
      eyebrow={
        <>
          <StatusBadge kind="agent" status={agent.status} />
          <Badge tone="outline">{roleLabel(agent.role)}</Badge>
        </>
      }
      actions={
        <>
          <AgentActions agent={agent} />
          <PluginEntityActions entityType="agent" entityId={agent.id} />
        </>
      }
    >
      {agent.errorReason ? (
        <Card
          role="alert"
          className="mb-6 flex items-start gap-2 border-destructive/30 bg-destructive/5 p-4 text-sm"
        >
          <AlertTriangle aria-hidden className="mt-0.5 size-4 text-destructive" />
          <span>
            <span className="font-medium text-destructive">Error: </span>
            {agent.errorReason}
          </span>
        </Card>
      ) : null}
      {agent.status === "paused" && agent.pauseReason ? (
        <Card className="mb-6 p-4 text-sm text-muted-foreground">
          Paused
          {agent.pausedAt ? (
            <>
              {" "}
              <RelativeTime date={agent.pausedAt} />
            </>
          ) : null}
          : {humanize(agent.pauseReason)}
        </Card>
      ) : null}
      <PluginUrlTabs entityType="agent" entityId={agent.id} tabs={tabs} aria-label="Agent sections" />
    </Page>
  );
}

function AgentActions({ agent }: { agent: Agent }) {
  const wake = useWakeAgent({ errorTitle: "Could not wake the agent" });
  const lifecycle = useAgentLifecycle({ errorTitle: "Could not change the agent" });
  const [runNow, setRunNow] = useState(false);
  const busy = (action: string) => lifecycle.isPending && lifecycle.variables?.action === action;
  if (agent.status === "terminated" || agent.status === "pending_approval") return null;
  return (
    <>
      {agent.status === "error" ? (
        <Button
          variant="outline"
          loading={busy("clear-error")}
          onClick={() =>
            lifecycle.mutate(
              { agentId: agent.id, action: "clear-error" },
              { onSuccess: () => toast.success("Error cleared") },
            )
          }
        >
          <RotateCcw aria-hidden />
          Clear error
        </Button>
      ) : null}
      {agent.status === "paused" ? (
        <Button
          variant="outline"
          loading={busy("resume")}
          onClick={() =>
            lifecycle.mutate(
              { agentId: agent.id, action: "resume" },
              { onSuccess: () => toast.success(`${agent.name} resumed`) },
            )
          }
        >
          <Play aria-hidden />
          Resume
        </Button>
      ) : (
        <Button
          variant="outline"
          loading={busy("pause")}
          onClick={() =>
            lifecycle.mutate(
              { agentId: agent.id, action: "pause" },
              { onSuccess: () => toast.success(`${agent.name} paused`) },
            )
          }
        >
          <Pause aria-hidden />
          Pause
        </Button>
      )}
      <Button
        variant="outline"
        loading={wake.isPending}
        disabled={agent.status === "paused"}
        title="A heartbeat run without a prompt"
        onClick={() =>
          wake.mutate(
            { agentId: agent.id, reason: "Woken from the board" },
            { onSuccess: () => toast.success(`${agent.name} woken up`) },
          )
        }
      >
        <Zap aria-hidden />
        Wake up
      </Button>
      <Button disabled={agent.status === "paused"} onClick={() => setRunNow(true)}>
        <SquareTerminal aria-hidden />
        Run now
      </Button>
      <RunNowDialog agent={agent} open={runNow} onOpenChange={setRunNow} />
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Card className="p-4">
      <div className="text-xs font-medium text-muted-foreground">{label}</div>
      <div className="mt-1 text-lg font-semibold">{children}</div>
    </Card>
  );
}

function OverviewTab({ agent }: { agent: Agent }) {
  const company = useCompany();
  const runs = useAgentRuns(company.id, { agentId: agent.id });
  const running = runs.data?.filter(isActiveRun).length ?? 0;
  return (
    <div className="grid gap-6">
      <div className="grid gap-4 sm:grid-cols-3">
        <Fact label="Spend this month">
          <span className="tabular-nums">{formatCents(agent.spentMonthlyCents)}</span>
          {agent.budgetMonthlyCents > 0 ? (
            <>
              <span className="text-sm font-normal text-muted-foreground">
                {" "}
                of {formatCents(agent.budgetMonthlyCents, { whole: true })}
              </span>
              <Progress
                className="mt-2"
                value={agent.spentMonthlyCents}
                max={agent.budgetMonthlyCents}
                label="Agent budget used"
              />
            </>
          ) : (
            <span className="block text-xs font-normal text-muted-foreground">No budget set</span>
          )}
        </Fact>
        <Fact label="Runs">
          {runs.data ? (
            <>
              <span className="tabular-nums">
                {formatNumber(runs.data.length)}
                {runs.data.length >= 100 ? "+" : ""}
              </span>
              <span className="block text-xs font-normal text-muted-foreground">
                {running > 0 ? `${formatNumber(running)} in progress` : "None in progress"}
              </span>
            </>
          ) : (
            <Skeleton className="mt-1 h-6 w-12" />
          )}
        </Fact>
        <Fact label="Last heartbeat">
          {agent.lastHeartbeatAt ? <RelativeTime date={agent.lastHeartbeatAt} /> : "Never"}
        </Fact>
      </div>
      <RecentRunsCard agent={agent} />
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <AdapterCard agent={agent} />
        <AgentKeysCard agent={agent} />
      </div>
      <OrgCard agent={agent} />
    </div>
  );
}

const RECENT_RUNS = 5;

function RecentRunsCard({ agent }: { agent: Agent }) {
  const company = useCompany();
  const runs = useAgentRuns(company.id, { agentId: agent.id });
  return (
    <Card className="overflow-hidden" role="region" aria-labelledby="agent-recent-runs">
      <CardHeader className="items-center">
        <CardTitle id="agent-recent-runs">Recent runs</CardTitle>
        {runs.data && runs.data.length > 0 ? (
          <CardAction>
            <Button asChild size="sm" variant="ghost">
              <Link to="?tab=runs">
                All runs
                <ArrowRight aria-hidden />
              </Link>
            </Button>
          </CardAction>
        ) : null}
      </CardHeader>
      <div className="border-t">
        <QueryView
          query={runs}
          compact
          empty={
            <EmptyState
              compact
              icon={<Play />}
              title="No runs yet"
              description="Run now with a prompt, or wait for a heartbeat or an assignment."
            />
          }
        >
          {(list) => <RunsTable runs={list.slice(0, RECENT_RUNS)} agentRef={agent.urlKey} />}
        </QueryView>
      </div>
    </Card>
  );
}

function OrgCard({ agent }: { agent: Agent }) {
  const company = useCompany();
  const to = useCompanyPaths();
  const agents = useAgentsById(company.id);
  const manager = agent.reportsTo ? agents.get(agent.reportsTo) : undefined;
  const reports = [...agents.values()].filter((other) => other.reportsTo === agent.id);
  return (
    <Card className="grid gap-4 p-5 text-sm sm:grid-cols-2">
      <div>
        <div className="text-xs font-medium text-muted-foreground">Reports to</div>
        <div className="mt-1">
          {manager ? (
            <Link to={to.agent(manager.urlKey)} className="inline-flex items-center gap-1.5 hover:underline">
              <Avatar name={manager.name} kind="agent" size="sm" />
              {manager.name}
            </Link>
          ) : (
            "The board"
          )}
        </div>
      </div>
      <div>
        <div className="text-xs font-medium text-muted-foreground">Direct reports</div>
        <div className="mt-1 flex flex-wrap gap-2">
          {reports.length === 0
            ? "None"
            : reports.map((report) => (
                <Link
                  key={report.id}
                  to={to.agent(report.urlKey)}
                  className="inline-flex items-center gap-1.5 hover:underline"
                >
                  <Avatar name={report.name} kind="agent" size="sm" />
                  {report.name}
                </Link>
              ))}
        </div>
      </div>
      <div className="sm:col-span-2">
        <div className="text-xs font-medium text-muted-foreground">Capabilities</div>
        <p className="mt-1 whitespace-pre-wrap">{agent.capabilities || "Not described."}</p>
      </div>
    </Card>
  );
}

function RunsTab({ agent }: { agent: Agent }) {
  const company = useCompany();
  const runs = useAgentRuns(company.id, { agentId: agent.id });
  return (
    <Card className="overflow-hidden">
      <QueryView
        query={runs}
        empty={
          <EmptyState
            compact
            icon={<Play />}
            title="No runs yet"
            description="A run starts when the agent wakes up: on its heartbeat, an assignment or on demand."
          />
        }
      >
        {(list) => <RunsTable runs={list} agentRef={agent.urlKey} />}
      </QueryView>
    </Card>
  );
}

function IssuesTab({ agent }: { agent: Agent }) {
  const company = useCompany();
  const issues = useIssues(company.id, { assigneeAgentId: agent.id, limit: 200 });
  return (
    <Card className="overflow-hidden">
      <QueryView
        query={issues}
        empty={<EmptyState compact icon={<CircleDot />} title={`Nothing assigned to ${agent.name}`} />}
      >
        {(list) => (
          <ul className="divide-y">
            {list.map((issue) => (
              <li key={issue.id}>
                <IssueRow issue={issue} assignee={agent} />
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </Card>
  );
}

function ActivityTab({ agent }: { agent: Agent }) {
  const company = useCompany();
  const activity = useActivity(company.id, { agentId: agent.id, limit: 100 });
  return (
    <Card className="overflow-hidden">
      <QueryView
        query={activity}
        empty={<EmptyState compact icon={<History />} title={`No activity by ${agent.name} yet`} />}
      >
        {(events) => <ActivityFeed events={events} />}
      </QueryView>
    </Card>
  );
}
