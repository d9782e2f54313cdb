// Heartbeat runs as a table (status, what woke it, started, finished, duration, error), each row linking to the
// run's page. Used by the agent detail page (overview and "Runs" tab); `formatDuration` / `runDuration` /
// `runSummary` are shared with the run page. Durations of running runs tick every second; the list itself is
// refreshed by the company event stream (`agent.run.*` events).

import { Link } from "react-router";
import type { HeartbeatRun } from "@/api/types";
import { useCompanyPaths } from "@/app/CompanyContext";
import {
  RelativeTime,
  StatusBadge,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui";
import { humanize } from "@/lib/format";
import { useNow } from "@/lib/useNow";

export const ACTIVE_RUN_STATUSES: ReadonlySet<string> = new Set(["queued", "running", "scheduled_retry"]);
export const isActiveRun = (run: Pick<HeartbeatRun, "status">) => ACTIVE_RUN_STATUSES.has(run.status);

/** The prompt the run was given, else the reason it was woken (first line), else null. */
export function runSummary(run: HeartbeatRun): string | null {
  const context = run.contextSnapshot ?? {};
  for (const value of [context.prompt, context.wakeReason]) {
    if (typeof value === "string" && value.trim()) return value.trim().split("\n")[0]!;
  }
  return null;
}

/** "850 ms", "42 s", "3 min 5 s", "2 h 10 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/** Milliseconds from start to finish (to now while running); null before it started. */
export function runDuration(run: HeartbeatRun, now = Date.now()): number | null {
  if (!run.startedAt) return null;
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return end - Date.parse(run.startedAt);
}

export function RunsTable({ runs, agentRef }: { runs: HeartbeatRun[]; agentRef: string }) {
  const to = useCompanyPaths();
  const now = useNow(runs.some((run) => run.status === "running"));
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Run</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Source</TableHead>
          <TableHead>Started</TableHead>
          <TableHead>Finished</TableHead>
          <TableHead className="text-right">Duration</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {runs.map((run) => {
          const duration = runDuration(run, now);
          const summary = runSummary(run);
          return (
            <TableRow key={run.id} data-status={run.status}>
              <TableCell className="max-w-72">
                <Link
                  to={to.agentRun(agentRef, run.id)}
                  className="rounded-sm font-mono text-xs font-medium hover:underline"
                >
                  {run.id.slice(0, 8)}
                </Link>
                {summary ? (
                  <p className="truncate text-xs text-muted-foreground" title={summary}>
                    {summary}
                  </p>
                ) : null}
                {run.error ? (
                  <p className="max-w-56 truncate text-xs text-destructive" title={run.error}>
                    {run.error}
                  </p>
                ) : null}
              </TableCell>
              <TableCell>
                <StatusBadge kind="run" status={run.status} />
              </TableCell>
              <TableCell>{humanize(run.invocationSource)}</TableCell>
              <TableCell className="text-xs text-muted-foreground">
                {run.startedAt ? <RelativeTime date={run.startedAt} /> : "Not started"}
              </TableCell>
              <TableCell className="text-xs text-muted-foreground">
                {run.finishedAt ? <RelativeTime date={run.finishedAt} /> : "—"}
              </TableCell>
              <TableCell className="text-right text-xs tabular-nums">
                {duration === null ? "—" : formatDuration(duration)}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
