import { Link } from "react-router";
import type { Agent, Issue } from "@/api/types";
import { useCompanyPaths } from "@/app/CompanyContext";
import { Avatar, IssueStatusIcon, PriorityIcon, RelativeTime, statusLabel, Tooltip } from "@/components/ui";
import { cn } from "@/lib/cn";

/**
 * One issue as a dense list row: priority, identifier, status, title, assignee, last update. The whole row is
 * a link to the issue. Used by the dashboard and the issues list.
 */
export function IssueRow({
  issue,
  assignee,
  className,
  showPriority = true,
}: {
  issue: Issue;
  assignee?: Agent;
  className?: string;
  showPriority?: boolean;
}) {
  const to = useCompanyPaths();
  return (
    <Link
      to={to.issue(issue.identifier)}
      className={cn(
        "flex h-10 items-center gap-3 px-4 text-sm transition-colors hover:bg-muted/60 focus-visible:bg-muted/60 focus-visible:outline-offset-[-2px]",
        className,
      )}
    >
      {showPriority ? (
        <PriorityIcon
          priority={issue.priority}
          title={`Priority: ${statusLabel("priority", issue.priority)}`}
        />
      ) : null}
      <span className="w-16 shrink-0 font-mono text-xs text-muted-foreground">{issue.identifier}</span>
      <IssueStatusIcon status={issue.status} title={statusLabel("issue", issue.status)} />
      <span className="min-w-0 flex-1 truncate font-medium">{issue.title}</span>
      {assignee ? (
        <Tooltip content={`Assigned to ${assignee.name}`}>
          <span className="flex shrink-0 items-center">
            <Avatar name={assignee.name} kind="agent" size="xs" />
            <span className="sr-only">Assigned to {assignee.name}</span>
          </span>
        </Tooltip>
      ) : null}
      <RelativeTime
        date={issue.updatedAt}
        className="w-20 shrink-0 text-right text-xs text-muted-foreground tabular-nums"
      />
    </Link>
  );
}
