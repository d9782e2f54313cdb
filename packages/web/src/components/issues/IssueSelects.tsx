// Selects for an issue's status, priority, assignee and project: one look for the create dialog, the
// properties panel and the list filters.
import type { Agent, IssuePriority, IssueStatus, Project } from "@/api/types";
import { ISSUE_PRIORITIES, ISSUE_STATUSES } from "@/api/types";
import { Avatar, IssueStatusIcon, PriorityIcon, Select, statusLabel } from "@/components/ui";

/** Radix Select has no empty value: "none" stands for "no assignee" / "no project". */
export const NONE = "none";

type Common = { id?: string; className?: string; disabled?: boolean; "aria-label"?: string };

export function StatusSelect({
  value,
  onChange,
  ...props
}: Common & { value: IssueStatus; onChange: (status: IssueStatus) => void }) {
  return (
    <Select
      {...props}
      value={value}
      onValueChange={onChange}
      options={ISSUE_STATUSES.map((status) => ({
        value: status,
        label: statusLabel("issue", status),
        icon: <IssueStatusIcon status={status} />,
      }))}
    />
  );
}

export function PrioritySelect({
  value,
  onChange,
  ...props
}: Common & { value: IssuePriority; onChange: (priority: IssuePriority) => void }) {
  return (
    <Select
      {...props}
      value={value}
      onValueChange={onChange}
      options={ISSUE_PRIORITIES.map((priority) => ({
        value: priority,
        label: statusLabel("priority", priority),
        icon: <PriorityIcon priority={priority} />,
      }))}
    />
  );
}

export function AssigneeSelect({
  value,
  onChange,
  agents,
  ...props
}: Common & { value: string | null; onChange: (agentId: string | null) => void; agents: Agent[] }) {
  return (
    <Select
      {...props}
      value={value ?? NONE}
      onValueChange={(next) => onChange(next === NONE ? null : next)}
      options={[
        { value: NONE, label: "Unassigned" },
        ...agents
          .filter((agent) => agent.status !== "terminated" || agent.id === value)
          .map((agent) => ({
            value: agent.id,
            label: agent.name,
            icon: <Avatar name={agent.name} kind="agent" size="xs" />,
          })),
      ]}
    />
  );
}

export function ProjectSelect({
  value,
  onChange,
  projects,
  ...props
}: Common & { value: string | null; onChange: (projectId: string | null) => void; projects: Project[] }) {
  return (
    <Select
      {...props}
      value={value ?? NONE}
      onValueChange={(next) => onChange(next === NONE ? null : next)}
      options={[
        { value: NONE, label: "No project" },
        ...projects.map((project) => ({ value: project.id, label: project.name })),
      ]}
    />
  );
}
