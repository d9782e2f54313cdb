// Status vocabulary of every entity in one place: label, colour tone and (for issues and priorities) an icon.
// Pages never spell out "In progress" or pick a colour for a status themselves; they use these.

import type {
  AgentStatus,
  ApprovalStatus,
  CompanyStatus,
  GoalStatus,
  IssuePriority,
  IssueStatus,
  PluginStatus,
  ProjectStatus,
  RunStatus,
} from "@/api/types";
import { cn } from "@/lib/cn";
import { humanize } from "@/lib/format";
import { Badge, type BadgeTone } from "./Badge";
import { LiveDot } from "./LiveDot";

interface Meta {
  label: string;
  tone: BadgeTone;
}

export const ISSUE_STATUS_META: Record<IssueStatus, Meta & { color: string }> = {
  backlog: { label: "Backlog", tone: "neutral", color: "text-zinc-400 dark:text-zinc-500" },
  todo: { label: "Todo", tone: "neutral", color: "text-zinc-500 dark:text-zinc-400" },
  in_progress: { label: "In progress", tone: "warning", color: "text-amber-500" },
  in_review: { label: "In review", tone: "violet", color: "text-violet-500" },
  done: { label: "Done", tone: "success", color: "text-emerald-500" },
  blocked: { label: "Blocked", tone: "danger", color: "text-red-500" },
  cancelled: { label: "Cancelled", tone: "neutral", color: "text-zinc-400 dark:text-zinc-500" },
};

export const PRIORITY_META: Record<IssuePriority, Meta> = {
  critical: { label: "Critical", tone: "danger" },
  high: { label: "High", tone: "warning" },
  medium: { label: "Medium", tone: "neutral" },
  low: { label: "Low", tone: "neutral" },
};

export const PLUGIN_STATUS_META: Record<PluginStatus, Meta> = {
  installed: { label: "Installed", tone: "neutral" },
  ready: { label: "Ready", tone: "success" },
  disabled: { label: "Disabled", tone: "neutral" },
  error: { label: "Error", tone: "danger" },
  upgrade_pending: { label: "Upgrade pending", tone: "warning" },
  uninstalled: { label: "Uninstalled", tone: "neutral" },
};

export const AGENT_STATUS_META: Record<AgentStatus, Meta> = {
  active: { label: "Active", tone: "success" },
  idle: { label: "Idle", tone: "neutral" },
  running: { label: "Running", tone: "info" },
  paused: { label: "Paused", tone: "warning" },
  error: { label: "Error", tone: "danger" },
  pending_approval: { label: "Pending approval", tone: "violet" },
  terminated: { label: "Terminated", tone: "neutral" },
};

export const APPROVAL_STATUS_META: Record<ApprovalStatus, Meta> = {
  pending: { label: "Pending", tone: "warning" },
  revision_requested: { label: "Revision requested", tone: "violet" },
  approved: { label: "Approved", tone: "success" },
  rejected: { label: "Rejected", tone: "danger" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

export const PROJECT_STATUS_META: Record<ProjectStatus, Meta> = {
  backlog: { label: "Backlog", tone: "neutral" },
  planned: { label: "Planned", tone: "info" },
  in_progress: { label: "In progress", tone: "warning" },
  completed: { label: "Completed", tone: "success" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

export const GOAL_STATUS_META: Record<GoalStatus, Meta> = {
  planned: { label: "Planned", tone: "info" },
  active: { label: "Active", tone: "warning" },
  achieved: { label: "Achieved", tone: "success" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

export const RUN_STATUS_META: Record<RunStatus, Meta> = {
  queued: { label: "Queued", tone: "neutral" },
  scheduled_retry: { label: "Retry scheduled", tone: "warning" },
  running: { label: "Running", tone: "info" },
  succeeded: { label: "Succeeded", tone: "success" },
  interrupted: { label: "Interrupted", tone: "warning" },
  failed: { label: "Failed", tone: "danger" },
  cancelled: { label: "Cancelled", tone: "neutral" },
  timed_out: { label: "Timed out", tone: "danger" },
};

export const COMPANY_STATUS_META: Record<CompanyStatus, Meta> = {
  active: { label: "Active", tone: "success" },
  paused: { label: "Paused", tone: "warning" },
  archived: { label: "Archived", tone: "neutral" },
};

/** Plugin administration: workers (reference §12.2), jobs and their runs, webhook deliveries, dead letters, log levels. */
export const PLUGIN_ADMIN_STATUS_META = {
  worker: {
    running: { label: "Running", tone: "success" },
    starting: { label: "Starting", tone: "info" },
    stopping: { label: "Stopping", tone: "neutral" },
    stopped: { label: "Stopped", tone: "neutral" },
    crashed: { label: "Crashed", tone: "danger" },
    backoff: { label: "Restarting", tone: "warning" },
  },
  job: {
    active: { label: "Active", tone: "success" },
    paused: { label: "Paused", tone: "warning" },
    failed: { label: "Failed", tone: "danger" },
  },
  jobRun: {
    pending: { label: "Pending", tone: "neutral" },
    queued: { label: "Queued", tone: "neutral" },
    running: { label: "Running", tone: "info" },
    succeeded: { label: "Succeeded", tone: "success" },
    failed: { label: "Failed", tone: "danger" },
    cancelled: { label: "Cancelled", tone: "neutral" },
  },
  delivery: {
    pending: { label: "Pending", tone: "info" },
    queued: { label: "Queued", tone: "warning" },
    success: { label: "Delivered", tone: "success" },
    failed: { label: "Failed", tone: "danger" },
  },
  deadLetter: {
    dead: { label: "Dead", tone: "danger" },
    replay_pending: { label: "Replay queued", tone: "info" },
    replayed: { label: "Replayed", tone: "success" },
  },
  logLevel: {
    debug: { label: "Debug", tone: "neutral" },
    info: { label: "Info", tone: "info" },
    warn: { label: "Warn", tone: "warning" },
    error: { label: "Error", tone: "danger" },
    metric: { label: "Metric", tone: "violet" },
    telemetry: { label: "Telemetry", tone: "violet" },
  },
} as const satisfies Record<string, Record<string, Meta>>;

/** Host nodes (docs/scale-out.md): `unreachable` means its heartbeat is too old. */
export const NODE_STATUS_META: Record<"active" | "draining" | "stopped" | "unreachable", Meta> = {
  active: { label: "Active", tone: "success" },
  draining: { label: "Draining", tone: "warning" },
  stopped: { label: "Stopped", tone: "neutral" },
  unreachable: { label: "Unreachable", tone: "danger" },
};

const META = {
  ...PLUGIN_ADMIN_STATUS_META,
  node: NODE_STATUS_META,
  company: COMPANY_STATUS_META,
  issue: ISSUE_STATUS_META,
  priority: PRIORITY_META,
  plugin: PLUGIN_STATUS_META,
  agent: AGENT_STATUS_META,
  approval: APPROVAL_STATUS_META,
  project: PROJECT_STATUS_META,
  goal: GOAL_STATUS_META,
  run: RUN_STATUS_META,
} as const;

export type StatusKind = keyof typeof META;

export function statusMeta(kind: StatusKind, status: string): Meta {
  return (META[kind] as Record<string, Meta>)[status] ?? { label: humanize(status), tone: "neutral" };
}

export function statusLabel(kind: StatusKind, status: string): string {
  return statusMeta(kind, status).label;
}

/**
 * A coloured label for any entity status: `<StatusBadge kind="plugin" status={plugin.status} />`. A running
 * run or agent gets a pulsing dot.
 */
export function StatusBadge({
  kind,
  status,
  className,
}: {
  kind: StatusKind;
  status: string;
  className?: string;
}) {
  const meta = statusMeta(kind, status);
  return (
    <Badge tone={meta.tone} className={className}>
      {kind === "issue" ? <IssueStatusIcon status={status as IssueStatus} className="size-3" /> : null}
      {kind === "priority" ? <PriorityIcon priority={status as IssuePriority} className="size-3" /> : null}
      {(kind === "run" || kind === "agent") && status === "running" ? <LiveDot /> : null}
      {meta.label}
    </Badge>
  );
}

/**
 * The issue status glyph (Linear style): dashed ring for backlog, ring for todo, a ring filling up for work in
 * progress and review, a check for done, a bar for blocked, a cross for cancelled. Decorative unless `title`.
 */
export function IssueStatusIcon({
  status,
  className,
  title,
}: {
  status: IssueStatus;
  className?: string;
  title?: string;
}) {
  const meta = ISSUE_STATUS_META[status] ?? ISSUE_STATUS_META.todo;
  const label = title ?? undefined;
  return (
    <svg
      viewBox="0 0 16 16"
      className={cn("size-3.5 shrink-0", meta.color, className)}
      role={label ? "img" : undefined}
      aria-hidden={label ? undefined : true}
      aria-label={label}
      fill="none"
    >
      {label ? <title>{label}</title> : null}
      {status === "backlog" ? (
        <circle cx="8" cy="8" r="6" stroke="currentColor" strokeWidth="1.5" strokeDasharray="2.2 2.2" />
      ) : status === "todo" ? (
        <circle cx="8" cy="8" r="6" stroke="currentColor" strokeWidth="1.5" />
      ) : status === "in_progress" || status === "in_review" ? (
        <>
          <circle cx="8" cy="8" r="6" stroke="currentColor" strokeWidth="1.5" />
          <path
            d={status === "in_progress" ? "M8 4.5a3.5 3.5 0 0 1 0 7z" : "M8 4.5a3.5 3.5 0 1 1-3.5 3.5H8z"}
            fill="currentColor"
          />
        </>
      ) : status === "done" ? (
        <>
          <circle cx="8" cy="8" r="7" fill="currentColor" />
          <path
            d="m5.2 8.2 1.9 1.9 3.7-3.9"
            stroke="var(--background)"
            strokeWidth="1.6"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </>
      ) : status === "blocked" ? (
        <>
          <circle cx="8" cy="8" r="7" fill="currentColor" />
          <path d="M5 8h6" stroke="var(--background)" strokeWidth="1.8" strokeLinecap="round" />
        </>
      ) : (
        <>
          <circle cx="8" cy="8" r="7" fill="currentColor" />
          <path
            d="m5.8 5.8 4.4 4.4m0-4.4-4.4 4.4"
            stroke="var(--background)"
            strokeWidth="1.5"
            strokeLinecap="round"
          />
        </>
      )}
    </svg>
  );
}

/** Signal bars for priority; critical is an exclamation mark in a red square. Decorative unless `title`. */
export function PriorityIcon({
  priority,
  className,
  title,
}: {
  priority: IssuePriority;
  className?: string;
  title?: string;
}) {
  const label = title ?? undefined;
  if (priority === "critical") {
    return (
      <svg
        viewBox="0 0 16 16"
        role={label ? "img" : undefined}
        aria-hidden={label ? undefined : true}
        aria-label={label}
        className={cn("size-3.5 shrink-0 text-red-500", className)}
      >
        {label ? <title>{label}</title> : null}
        <rect x="1" y="1" width="14" height="14" rx="3.5" fill="currentColor" />
        <path d="M8 4.2v4.6" stroke="white" strokeWidth="1.8" strokeLinecap="round" />
        <circle cx="8" cy="11.4" r="1.05" fill="white" />
      </svg>
    );
  }
  const level = priority === "high" ? 3 : priority === "medium" ? 2 : 1;
  return (
    <svg
      viewBox="0 0 16 16"
      role={label ? "img" : undefined}
      aria-hidden={label ? undefined : true}
      aria-label={label}
      className={cn("size-3.5 shrink-0 text-foreground/75", className)}
    >
      {label ? <title>{label}</title> : null}
      {[0, 1, 2].map((bar) => (
        <rect
          key={bar}
          x={2 + bar * 4.5}
          y={10 - bar * 3.5}
          width="3"
          height={4 + bar * 3.5}
          rx="1"
          fill="currentColor"
          opacity={bar < level ? 1 : 0.25}
        />
      ))}
    </svg>
  );
}
