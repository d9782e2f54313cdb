// The Jobs tab: each scheduled job with its schedule in words (cronstrue), next and last run, "Run now" and
// pause/resume; under it the run history with each run's log lines and "Re-run" for runs that failed.
import cronstrue from "cronstrue";
import { CalendarClock, ChevronRight, Pause, Play, RotateCcw, Timer } from "lucide-react";
import { useState } from "react";
import {
  type PluginJob,
  type PluginJobRun,
  usePluginJobRuns,
  usePluginJobs,
  useRetryJobRun,
  useSetJobStatus,
  useTriggerJob,
} from "@/api/plugins";
import {
  Badge,
  Button,
  Card,
  CardAction,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  EmptyState,
  ListSkeleton,
  QueryView,
  RelativeTime,
  StatusBadge,
  toast,
} from "@/components/ui";
import { cn } from "@/lib/cn";
import { formatDateTime, humanize } from "@/lib/format";
import { formatDuration } from "./format";

/** A 5-field cron in words ("0 9 * * 1" → "At 09:00, only on Monday"); "" → manual only. */
export function describeSchedule(schedule: string): string {
  if (!schedule.trim()) return "Manual only (no schedule)";
  try {
    return cronstrue.toString(schedule, { use24HourTimeFormat: true, verbose: false });
  } catch {
    return schedule;
  }
}

export function PluginJobsTab({ pluginId, pluginReady }: { pluginId: string; pluginReady: boolean }) {
  const jobs = usePluginJobs(pluginId);
  return (
    <QueryView
      query={jobs}
      loading={<ListSkeleton rows={4} />}
      empty={
        <Card>
          <EmptyState
            compact
            icon={<CalendarClock />}
            title="No jobs"
            description="This plugin's manifest declares no scheduled jobs."
          />
        </Card>
      }
    >
      {(list) => (
        <div className="grid gap-4">
          {list.map((job) => (
            <JobCard key={job.id} pluginId={pluginId} job={job} pluginReady={pluginReady} />
          ))}
        </div>
      )}
    </QueryView>
  );
}

function JobCard({ pluginId, job, pluginReady }: { pluginId: string; job: PluginJob; pluginReady: boolean }) {
  const trigger = useTriggerJob(pluginId, { errorTitle: `Could not run ${job.displayName}` });
  const setStatus = useSetJobStatus(pluginId, { errorTitle: `Could not change ${job.displayName}` });
  const runs = usePluginJobRuns(pluginId, job.id);
  const paused = job.status === "paused";
  const headingId = `job-${job.id}`;
  return (
    <Card role="region" aria-labelledby={headingId}>
      <CardHeader className="flex-wrap">
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <CardTitle id={headingId}>{job.displayName}</CardTitle>
            <StatusBadge kind="job" status={job.status} />
            <span className="font-mono text-xs text-muted-foreground">{job.jobKey}</span>
          </div>
          {job.description ? <CardDescription>{job.description}</CardDescription> : null}
        </div>
        <CardAction>
          {job.pausedBy !== "manifest" ? (
            <Button
              variant="outline"
              size="sm"
              loading={setStatus.isPending}
              onClick={() =>
                setStatus.mutate(
                  { jobId: job.id, status: paused ? "active" : "paused" },
                  {
                    onSuccess: () =>
                      toast.success(paused ? `${job.displayName} resumed` : `${job.displayName} paused`),
                  },
                )
              }
            >
              {paused ? <Play aria-hidden /> : <Pause aria-hidden />}
              {paused ? "Resume" : "Pause"}
            </Button>
          ) : null}
          <Button
            size="sm"
            loading={trigger.isPending}
            disabled={!pluginReady}
            title={pluginReady ? undefined : "The plugin must be ready to run a job"}
            onClick={() =>
              trigger.mutate(
                { jobId: job.id },
                { onSuccess: () => toast.success(`${job.displayName} started`) },
              )
            }
          >
            <Play aria-hidden />
            Run now
          </Button>
        </CardAction>
      </CardHeader>
      <CardContent className="grid gap-4">
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-xs text-muted-foreground">Schedule</dt>
            <dd>
              {describeSchedule(job.schedule)}
              {job.schedule ? (
                <span className="block font-mono text-xs text-muted-foreground">
                  {job.schedule}
                  {job.timeZone ? ` · ${job.timeZone}` : ""}
                </span>
              ) : null}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-muted-foreground">Next run</dt>
            <dd>
              {paused ? (
                <span className="text-muted-foreground">
                  Paused{job.pausedBy === "manifest" ? " (no longer declared)" : ""}
                </span>
              ) : job.nextRunAt ? (
                <>
                  <RelativeTime date={job.nextRunAt} />
                  <span className="block text-xs text-muted-foreground">{formatDateTime(job.nextRunAt)}</span>
                </>
              ) : (
                "—"
              )}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-muted-foreground">Last run</dt>
            <dd>{job.lastRunAt ? <RelativeTime date={job.lastRunAt} /> : "Never"}</dd>
          </div>
        </dl>
        {job.lastError ? (
          <p className="rounded-md border border-destructive/30 bg-destructive/5 px-3 py-2 font-mono text-xs break-words text-destructive">
            {job.lastError}
          </p>
        ) : null}
        <section aria-label={`Runs of ${job.displayName}`} className="rounded-lg border">
          <h3 className="border-b px-3 py-2 text-xs font-medium text-muted-foreground">Run history</h3>
          <QueryView
            query={runs}
            loading={<ListSkeleton rows={3} />}
            compact
            empty={
              <p className="px-3 py-4 text-sm text-muted-foreground">No runs yet. "Run now" starts one.</p>
            }
          >
            {(list) => (
              <ul className="divide-y">
                {list.map((run) => (
                  <RunRow key={run.id} pluginId={pluginId} run={run} />
                ))}
              </ul>
            )}
          </QueryView>
        </section>
      </CardContent>
    </Card>
  );
}

function RunRow({ pluginId, run }: { pluginId: string; run: PluginJobRun }) {
  const [open, setOpen] = useState(false);
  const retry = useRetryJobRun(pluginId, { errorTitle: "Could not re-run" });
  const canRetry = run.status === "failed" || run.status === "cancelled";
  const panelId = `run-${run.id}-logs`;
  return (
    <li data-run-status={run.status}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm">
        <button
          type="button"
          onClick={() => setOpen((value) => !value)}
          aria-expanded={open}
          aria-controls={panelId}
          className="-ml-1 inline-flex cursor-pointer items-center gap-2 rounded-md px-1 py-0.5 hover:bg-accent"
        >
          <ChevronRight
            aria-hidden
            className={cn("size-4 text-muted-foreground transition-transform", open && "rotate-90")}
          />
          <StatusBadge kind="jobRun" status={run.status} />
          <span className="sr-only">Show the log of this run</span>
        </button>
        <Badge tone="outline">{humanize(run.trigger)}</Badge>
        {run.attempt > 1 ? (
          <span className="text-xs text-muted-foreground">attempt {run.attempt}</span>
        ) : null}
        <span className="text-xs text-muted-foreground">
          <RelativeTime date={run.startedAt ?? run.scheduledAt} />
        </span>
        {run.durationMs !== null ? (
          <span className="inline-flex items-center gap-1 text-xs text-muted-foreground">
            <Timer aria-hidden className="size-3" />
            {formatDuration(run.durationMs)}
          </span>
        ) : null}
        <span className="text-xs text-muted-foreground">
          {run.logs.length} log line{run.logs.length === 1 ? "" : "s"}
        </span>
        {canRetry ? (
          <Button
            variant="outline"
            size="sm"
            className="ml-auto"
            loading={retry.isPending}
            onClick={() =>
              retry.mutate(
                { jobId: run.jobId, runId: run.id },
                { onSuccess: () => toast.success("Re-run started") },
              )
            }
          >
            <RotateCcw aria-hidden />
            Re-run
          </Button>
        ) : null}
        {run.error ? (
          <p className="w-full font-mono text-xs break-words text-destructive">{run.error}</p>
        ) : null}
      </div>
      {open ? (
        <div id={panelId} className="px-3 pb-3">
          {run.logs.length ? (
            <pre
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
              tabIndex={0}
              className="max-h-64 overflow-auto rounded-md bg-muted/50 p-2.5 font-mono text-xs leading-5 whitespace-pre-wrap scrollbar-thin"
            >
              {run.logs.join("\n")}
            </pre>
          ) : (
            <p className="text-xs text-muted-foreground">This run wrote no log lines.</p>
          )}
          <p className="mt-1.5 text-xs text-muted-foreground">
            Due {formatDateTime(run.scheduledAt)}
            {run.finishedAt ? ` · finished ${formatDateTime(run.finishedAt)}` : ""} · run{" "}
            <span className="font-mono">{run.id}</span>
          </p>
        </div>
      ) : null}
    </li>
  );
}
