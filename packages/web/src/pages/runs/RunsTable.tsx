// Heartbeat runs as a table (status, source, started, finished, duration, error), each row linking to the run's
// page. Used by the agent detail page's "Runs" tab; `formatDuration` / `runDuration` are shared with the run page.

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
          const duration = runDuration(run);
          return (
            <TableRow key={run.id}>
              <TableCell>
                <Link
                  to={to.agentRun(agentRef, run.id)}
                  className="rounded-sm font-mono text-xs font-medium hover:underline"
                >
                  {run.id.slice(0, 8)}
                </Link>
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
