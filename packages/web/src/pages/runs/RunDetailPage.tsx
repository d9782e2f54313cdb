// A heartbeat run (`/:prefix/agents/:agentRef/runs/:runId`): status, timing, what woke it, its issue, error,
// usage and result, cost events and the run's activity log (the host keeps no separate run log). Cancel while
// it is queued or running. Tabs follow `?tab=`.

import { ArrowLeft, Ban, DollarSign, History, ScrollText } from "lucide-react";
import type { ReactNode } from "react";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { useActivity } from "@/api/activity";
import { useAgent, useCancelRun, useRun } from "@/api/agents";
import { isApiError } from "@/api/client";
import { useCostEvents } from "@/api/costs";
import { useIssue } from "@/api/issues";
import type { HeartbeatRun } from "@/api/types";
import { useCompany, useCompanyPaths } from "@/app/CompanyContext";
import { ActivityFeed } from "@/components/activity/ActivityFeed";
import { Page } from "@/components/layout/Page";
import {
  Button,
  Card,
  ConfirmDialog,
  EmptyState,
  ErrorState,
  QueryView,
  Skeleton,
  StatusBadge,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  toast,
  type UrlTab,
} from "@/components/ui";
import { formatCents, formatDateTime, formatNumber, humanize } from "@/lib/format";
import { PluginEntityActions, PluginUrlTabs } from "@/plugin-slots/surfaces";
import { formatDuration, runDuration } from "./RunsTable";

const ACTIVE = new Set(["queued", "running", "scheduled_retry"]);

export default function RunDetailPage() {
  const { agentRef = "", runId = "" } = useParams();
  const company = useCompany();
  const to = useCompanyPaths();
  const agent = useAgent(company.id, agentRef);
  const run = useRun(runId);
  const agentName = agent.data?.name ?? agentRef;
  const crumbs = [
    { label: "Agents", to: to.agents() },
    { label: agentName, to: to.agent(agentRef) },
    { label: `Run ${runId.slice(0, 8)}` },
  ];

  if (run.isPending) {
    return (
      <Page title={`Run ${runId.slice(0, 8)}`} breadcrumbs={crumbs} hideHeader>
        <Skeleton className="h-7 w-1/3" />
        <Skeleton className="mt-6 h-24 w-full" />
      </Page>
    );
  }
  const wrongAgent = run.data && agent.data && run.data.agentId !== agent.data.id;
  if (run.isError || wrongAgent) {
    const notFound = wrongAgent || (isApiError(run.error) && run.error.status === 404);
    return (
      <Page title="Run not found" breadcrumbs={crumbs} hideHeader>
        <ErrorState
          title={notFound ? "This run does not exist" : undefined}
          error={wrongAgent ? new Error(`${agentName} has no run ${runId}.`) : run.error}
          onRetry={notFound ? undefined : () => run.refetch()}
          actions={
            <Button asChild variant="outline" size="sm">
              <Link to={`${to.agent(agentRef)}?tab=runs`}>
                <ArrowLeft aria-hidden />
                Runs of {agentName}
              </Link>
            </Button>
          }
        />
      </Page>
    );
  }
  return <RunView run={run.data} crumbs={crumbs} agentName={agentName} />;
}

function RunView({
  run,
  crumbs,
  agentName,
}: {
  run: HeartbeatRun;
  crumbs: { label: string; to?: string }[];
  agentName: string;
}) {
  const cancel = useCancelRun({ silent: true });
  const [confirmCancel, setConfirmCancel] = useState(false);
  // The tab bar. Plugin `detailTab` contributions for runs append their tabs to this array.
  const tabs: UrlTab[] = [
    { value: "overview", label: "Overview", content: <OverviewTab run={run} /> },
    { value: "events", label: "Events", icon: <ScrollText aria-hidden />, content: <EventsTab run={run} /> },
    { value: "costs", label: "Costs", icon: <DollarSign aria-hidden />, content: <CostsTab run={run} /> },
  ];
  const duration = runDuration(run);
  return (
    <Page
      title={`Run ${run.id.slice(0, 8)}`}
      breadcrumbs={crumbs}
      eyebrow={<StatusBadge kind="run" status={run.status} />}
      description={
        <>
          {agentName} · {humanize(run.invocationSource)}
          {run.startedAt ? ` · started ${formatDateTime(run.startedAt)}` : " · not started yet"}
          {duration !== null ? ` · ${formatDuration(duration)}` : ""}
        </>
      }
      actions={
        <>
          {ACTIVE.has(run.status) ? (
            <Button variant="outline" onClick={() => setConfirmCancel(true)}>
              <Ban aria-hidden />
              Cancel run
            </Button>
          ) : null}
          <PluginEntityActions entityType="run" entityId={run.id} />
        </>
      }
    >
      <PluginUrlTabs entityType="run" entityId={run.id} tabs={tabs} aria-label="Run sections" />
      <ConfirmDialog
        open={confirmCancel}
        onOpenChange={setConfirmCancel}
        destructive
        title="Cancel this run?"
        description={`${agentName} stops working on it. The run is kept with the status "Cancelled".`}
        confirmLabel="Cancel run"
        cancelLabel="Keep running"
        onConfirm={async () => {
          await cancel.mutateAsync(run.id);
          toast.success("Run cancelled");
        }}
      />
    </Page>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-2.5 sm:grid-cols-[10rem_1fr] sm:gap-4">
      <dt className="text-xs font-medium text-muted-foreground sm:pt-0.5">{label}</dt>
      <dd className="min-w-0 text-sm">{children}</dd>
    </div>
  );
}

function Json({ value }: { value: unknown }) {
  return (
    <pre className="max-h-72 overflow-auto rounded-md bg-muted p-3 font-mono text-xs leading-5 scrollbar-thin">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

function OverviewTab({ run }: { run: HeartbeatRun }) {
  const context = run.contextSnapshot ?? {};
  const reason = typeof context.wakeReason === "string" ? context.wakeReason : null;
  const duration = runDuration(run);
  return (
    <div className="grid gap-6">
      {run.error ? (
        <Card role="alert" className="border-destructive/30 bg-destructive/5 p-4 text-sm">
          <span className="font-medium text-destructive">
            {run.errorCode ? `${run.errorCode}: ` : "Error: "}
          </span>
          {run.error}
        </Card>
      ) : null}
      <Card className="px-5 py-2">
        <dl className="divide-y">
          <Row label="Status">
            <StatusBadge kind="run" status={run.status} />
          </Row>
          <Row label="Woken by">
            {humanize(run.invocationSource)}
            {run.triggerDetail ? ` (${humanize(run.triggerDetail)})` : ""}
            {reason ? <span className="text-muted-foreground"> — {reason}</span> : null}
          </Row>
          <Row label="Issue">{run.issueId ? <RunIssue issueId={run.issueId} /> : "None"}</Row>
          <Row label="Queued">{formatDateTime(run.createdAt)}</Row>
          <Row label="Started">{run.startedAt ? formatDateTime(run.startedAt) : "Not yet"}</Row>
          <Row label="Finished">{run.finishedAt ? formatDateTime(run.finishedAt) : "—"}</Row>
          <Row label="Duration">{duration === null ? "—" : formatDuration(duration)}</Row>
          {run.exitCode !== null ? (
            <Row label="Exit code">
              <span className="font-mono">{run.exitCode}</span>
            </Row>
          ) : null}
          <Row label="Run id">
            <span className="font-mono text-xs break-all">{run.id}</span>
          </Row>
        </dl>
      </Card>
      {run.usageJson ? (
        <section>
          <h2 className="mb-2 text-sm font-semibold">Usage</h2>
          <Json value={run.usageJson} />
        </section>
      ) : null}
      {run.resultJson ? (
        <section>
          <h2 className="mb-2 text-sm font-semibold">Result</h2>
          <Json value={run.resultJson} />
        </section>
      ) : null}
    </div>
  );
}

function RunIssue({ issueId }: { issueId: string }) {
  const to = useCompanyPaths();
  const issue = useIssue(issueId);
  if (!issue.data) return <span className="font-mono text-xs">{issueId}</span>;
  return (
    <Link to={to.issue(issue.data.identifier)} className="hover:underline">
      <span className="font-mono text-xs text-muted-foreground">{issue.data.identifier}</span>{" "}
      {issue.data.title}
    </Link>
  );
}

function EventsTab({ run }: { run: HeartbeatRun }) {
  const company = useCompany();
  const events = useActivity(company.id, { entityId: run.id, limit: 200 });
  return (
    <Card className="overflow-hidden">
      <QueryView
        query={events}
        empty={
          <EmptyState
            compact
            icon={<History />}
            title="No events for this run"
            description="Status changes and actions on the run are recorded here."
          />
        }
      >
        {(list) => <ActivityFeed events={list} />}
      </QueryView>
    </Card>
  );
}

function CostsTab({ run }: { run: HeartbeatRun }) {
  const company = useCompany();
  const costs = useCostEvents(company.id, { agentId: run.agentId, limit: 1000 });
  const forRun = costs.data?.filter((event) => event.heartbeatRunId === run.id);
  return (
    <Card className="overflow-hidden">
      <QueryView
        query={{ ...costs, data: forRun }}
        empty={<EmptyState compact icon={<DollarSign />} title="No costs reported for this run" />}
      >
        {(list) => (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Model</TableHead>
                <TableHead className="text-right">Input tokens</TableHead>
                <TableHead className="text-right">Output tokens</TableHead>
                <TableHead className="text-right">Cost</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.map((event) => (
                <TableRow key={event.id}>
                  <TableCell>
                    <span className="font-mono text-xs">{event.model}</span>
                    <span className="ml-2 text-xs text-muted-foreground">{event.provider}</span>
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{formatNumber(event.inputTokens)}</TableCell>
                  <TableCell className="text-right tabular-nums">
                    {formatNumber(event.outputTokens)}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{formatCents(event.costCents)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </QueryView>
    </Card>
  );
}
