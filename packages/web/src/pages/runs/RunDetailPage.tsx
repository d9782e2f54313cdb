// A heartbeat run (`/:prefix/agents/:agentRef/runs/:runId`): a header with its status, agent and timing; the
// run's output live from the host's event stream (stdout, stderr, status changes, tool calls), its final text
// once done, and a details panel (what woke it, the prompt, timings, exit code, usage, result). Cancel while it
// is queued or running. Tabs follow `?tab=`: output, raw log, activity, costs.

import {
  AlertTriangle,
  ArrowLeft,
  Ban,
  DollarSign,
  FileText,
  History,
  MessageSquareText,
  RefreshCw,
  ScrollText,
  Terminal,
} from "lucide-react";
import { type ReactNode, useMemo, useState } from "react";
import { Link, useParams } from "react-router";
import { useActivity } from "@/api/activity";
import { useAgent, useCancelRun, useRun, useRunLog } from "@/api/agents";
import { isApiError } from "@/api/client";
import { useCostEvents } from "@/api/costs";
import { useIssue } from "@/api/issues";
import { useRunEvents } from "@/api/run-events";
import type { HeartbeatRun } from "@/api/types";
import { useCompany, useCompanyPaths } from "@/app/CompanyContext";
import { ActivityFeed } from "@/components/activity/ActivityFeed";
import { Page } from "@/components/layout/Page";
import {
  Badge,
  Button,
  Card,
  CardAction,
  CardHeader,
  CardTitle,
  ConfirmDialog,
  CopyButton,
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
import { useNow } from "@/lib/useNow";
import { PluginEntityActions, PluginUrlTabs } from "@/plugin-slots/surfaces";
import { RunOutput } from "./RunOutput";
import { formatDuration, isActiveRun, runDuration } from "./RunsTable";
import { finalTextOf, runOutcome } from "./run-output";

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
      <Page title={`Run ${runId.slice(0, 8)}`} breadcrumbs={crumbs} hideHeader width="wide">
        <Skeleton className="h-4 w-24" />
        <Skeleton className="mt-3 h-7 w-1/3" />
        <div className="mt-6 grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
          <Skeleton className="h-80 w-full" />
          <Skeleton className="h-80 w-full" />
        </div>
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
  return <RunView run={run.data} crumbs={crumbs} agentRef={agentRef} agentName={agentName} />;
}

function RunView({
  run,
  crumbs,
  agentRef,
  agentName,
}: {
  run: HeartbeatRun;
  crumbs: { label: string; to?: string }[];
  agentRef: string;
  agentName: string;
}) {
  const to = useCompanyPaths();
  const cancel = useCancelRun({ silent: true });
  const [confirmCancel, setConfirmCancel] = useState(false);
  const active = isActiveRun(run);
  const stream = useRunEvents(run.id, active);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `events` grows in place; `count` tracks it.
  const outcome = useMemo(() => runOutcome(stream.events), [stream.events, stream.count]);
  const now = useNow(run.status === "running");
  const duration = runDuration(run, now);
  // The record has the final word; the terminal status event has it a moment earlier.
  const finalText =
    finalTextOf(run.resultJson) ?? (outcome.status === "succeeded" ? outcome.finalText : null);
  const error = run.error ?? (outcome.ended ? outcome.error : null);

  // The tab bar. Plugin `detailTab` contributions for runs append their tabs to this array.
  const tabs: UrlTab[] = [
    {
      value: "output",
      label: "Output",
      icon: <Terminal aria-hidden />,
      content: (
        <div className="grid gap-6">
          <RunOutput
            events={stream.events}
            count={stream.count}
            phase={stream.phase}
            error={stream.error}
            onRetry={stream.retry}
            active={active}
            queued={run.status === "queued" || run.status === "scheduled_retry"}
          />
          {!active && finalText !== null ? <FinalText text={finalText} /> : null}
        </div>
      ),
    },
    { value: "log", label: "Raw log", icon: <ScrollText aria-hidden />, content: <LogTab run={run} /> },
    { value: "events", label: "Activity", icon: <History aria-hidden />, content: <EventsTab run={run} /> },
    { value: "costs", label: "Costs", icon: <DollarSign aria-hidden />, content: <CostsTab run={run} /> },
  ];
  return (
    <Page
      width="wide"
      title={`Run ${run.id.slice(0, 8)}`}
      breadcrumbs={crumbs}
      eyebrow={
        <>
          <StatusBadge kind="run" status={run.status} />
          <Badge tone="outline">{humanize(run.invocationSource)}</Badge>
        </>
      }
      description={
        <>
          <Link to={to.agent(agentRef)} className="font-medium text-foreground hover:underline">
            {agentName}
          </Link>
          {run.startedAt
            ? ` · started ${formatDateTime(run.startedAt)}`
            : ` · queued ${formatDateTime(run.createdAt)}`}
          {duration !== null
            ? ` · ${run.finishedAt ? "took" : "running for"} ${formatDuration(duration)}`
            : ""}
        </>
      }
      actions={
        <>
          {active ? (
            <Button variant="outline" onClick={() => setConfirmCancel(true)}>
              <Ban aria-hidden />
              Cancel run
            </Button>
          ) : null}
          <PluginEntityActions entityType="run" entityId={run.id} />
        </>
      }
    >
      {error ? (
        <Card
          role="alert"
          className="mb-6 flex items-start gap-2 border-destructive/30 bg-destructive/5 p-4 text-sm"
        >
          <AlertTriangle aria-hidden className="mt-0.5 size-4 shrink-0 text-destructive" />
          <span className="min-w-0 break-words">
            <span className="font-medium text-destructive">
              {run.errorCode ? `${run.errorCode}: ` : "Error: "}
            </span>
            {error}
          </span>
        </Card>
      ) : null}
      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_19rem]">
        {/* PluginUrlTabs renders the plugin launchers and the tabs side by side: keep them in one column. */}
        <div className="min-w-0">
          <PluginUrlTabs entityType="run" entityId={run.id} tabs={tabs} aria-label="Run sections" />
        </div>
        <RunDetails run={run} agentRef={agentRef} agentName={agentName} duration={duration} />
      </div>
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

function FinalText({ text }: { text: string }) {
  return (
    <Card role="region" aria-labelledby="run-final-text">
      <CardHeader className="items-center border-b py-2.5">
        <MessageSquareText aria-hidden className="size-4 text-muted-foreground" />
        <CardTitle id="run-final-text">Final text</CardTitle>
        <CardAction>
          <CopyButton value={text} label="Copy the final text" iconOnly />
        </CardAction>
      </CardHeader>
      {text.trim() ? (
        <div
          data-testid="run-final-text"
          className="max-h-96 overflow-auto px-4 py-3 text-sm leading-6 whitespace-pre-wrap break-words scrollbar-thin"
        >
          {text}
        </div>
      ) : (
        <p className="px-4 py-3 text-sm text-muted-foreground">The run ended with an empty answer.</p>
      )}
    </Card>
  );
}

// ── details panel ────────────────────────────────────────────────────────────────────────────────────

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-0.5 py-2">
      <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className="min-w-0 text-sm break-words">{children}</dd>
    </div>
  );
}

function Json({ value }: { value: unknown }) {
  return (
    <pre className="max-h-72 max-w-full overflow-auto rounded-md bg-muted p-3 font-mono text-xs leading-5 whitespace-pre-wrap break-words scrollbar-thin">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

function RunDetails({
  run,
  agentRef,
  agentName,
  duration,
}: {
  run: HeartbeatRun;
  agentRef: string;
  agentName: string;
  duration: number | null;
}) {
  const to = useCompanyPaths();
  const context = run.contextSnapshot ?? {};
  const reason = typeof context.wakeReason === "string" ? context.wakeReason : null;
  const prompt = typeof context.prompt === "string" && context.prompt.trim() ? context.prompt : null;
  return (
    <aside aria-label="Run details" className="grid min-w-0 gap-6">
      <Card className="px-4 py-2">
        <dl className="divide-y">
          <Detail label="Status">
            <StatusBadge kind="run" status={run.status} />
          </Detail>
          <Detail label="Agent">
            <Link to={to.agent(agentRef)} className="hover:underline">
              {agentName}
            </Link>
          </Detail>
          <Detail label="Woken by">
            {humanize(run.invocationSource)}
            {run.triggerDetail ? ` (${humanize(run.triggerDetail)})` : ""}
            {reason ? <span className="block text-muted-foreground">{reason}</span> : null}
          </Detail>
          {prompt ? (
            <Detail label="Prompt">
              <span className="line-clamp-6 font-mono text-xs whitespace-pre-wrap" title={prompt}>
                {prompt}
              </span>
            </Detail>
          ) : null}
          {run.issueId ? (
            <Detail label="Issue">
              <RunIssue issueId={run.issueId} />
            </Detail>
          ) : null}
          <Detail label="Queued">{formatDateTime(run.createdAt)}</Detail>
          <Detail label="Started">{run.startedAt ? formatDateTime(run.startedAt) : "Not yet"}</Detail>
          <Detail label="Finished">{run.finishedAt ? formatDateTime(run.finishedAt) : "—"}</Detail>
          <Detail label="Duration">
            <span className="tabular-nums">{duration === null ? "—" : formatDuration(duration)}</span>
          </Detail>
          <Detail label="Exit code">
            <span className="font-mono">{run.exitCode ?? "—"}</span>
          </Detail>
          <Detail label="Run id">
            <span className="flex items-center gap-1">
              <span className="min-w-0 font-mono text-xs break-all">{run.id}</span>
              <CopyButton value={run.id} label="Copy the run id" iconOnly />
            </span>
          </Detail>
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
    </aside>
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

// ── other tabs ───────────────────────────────────────────────────────────────────────────────────────

function LogTab({ run }: { run: HeartbeatRun }) {
  const log = useRunLog(run.id);
  const content = log.data?.pages.map((page) => page.content).join("") ?? "";
  return (
    <Card className="overflow-hidden">
      <CardHeader className="items-center border-b py-2.5">
        <FileText aria-hidden className="size-4 text-muted-foreground" />
        <CardTitle>Raw log</CardTitle>
        <span className="text-xs text-muted-foreground">stdout and stderr as plain text</span>
        <CardAction>
          {content ? <CopyButton value={content} label="Copy the log" iconOnly /> : null}
          <Button size="sm" variant="ghost" loading={log.isRefetching} onClick={() => void log.refetch()}>
            <RefreshCw aria-hidden />
            Reload
          </Button>
        </CardAction>
      </CardHeader>
      <QueryView
        query={log}
        compact
        isEmpty={() => content === ""}
        empty={
          <EmptyState
            compact
            icon={<ScrollText />}
            title={isActiveRun(run) ? "Nothing printed yet" : "The log is empty"}
            description="What the run prints on stdout and stderr is kept here."
          />
        }
      >
        {() => (
          <>
            <pre className="max-h-[32rem] overflow-auto bg-muted/30 px-4 py-3 font-mono text-xs leading-5 whitespace-pre-wrap break-words scrollbar-thin">
              {content}
            </pre>
            {log.hasNextPage ? (
              <div className="border-t px-4 py-2">
                <Button
                  size="sm"
                  variant="outline"
                  loading={log.isFetchingNextPage}
                  onClick={() => void log.fetchNextPage()}
                >
                  Load more
                </Button>
              </div>
            ) : null}
          </>
        )}
      </QueryView>
    </Card>
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
            title="No activity for this run"
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
