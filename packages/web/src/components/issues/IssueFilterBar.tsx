// The issues list toolbar: search, status and priority multi-selects, assignee and project, sort order.
// Controlled by the URL state in issueListParams.ts.
import { ArrowDownWideNarrow, ArrowUpNarrowWide, ChevronDown, Search, X } from "lucide-react";
import { useEffect, useState } from "react";
import type { Agent, IssueSortField, Project } from "@/api/types";
import { ISSUE_PRIORITIES, ISSUE_STATUSES, OPEN_ISSUE_STATUSES } from "@/api/types";
import {
  Avatar,
  Button,
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
  IconButton,
  Input,
  IssueStatusIcon,
  PriorityIcon,
  Select,
  statusLabel,
} from "@/components/ui";
import { hasActiveFilters, type IssueListState, isOpenSet } from "./issueListParams";

const SORT_LABELS: Record<IssueSortField, string> = {
  priority: "Priority",
  updated: "Last updated",
  created: "Created",
  identifier: "Identifier",
};
const ANY = "any";

/** The direction a sort uses when `?dir=` is absent (as the host does). */
export const defaultDir = (sort: IssueSortField) =>
  sort === "updated" || sort === "created" ? "desc" : "asc";

export function IssueFilterBar({
  state,
  onChange,
  agents,
  projects,
}: {
  state: IssueListState;
  onChange: (changes: Partial<IssueListState>) => void;
  agents: Agent[];
  projects: Project[];
}) {
  const [search, setSearch] = useState(state.q);
  // The URL can change under us (Back, a link): follow it.
  useEffect(() => setSearch(state.q), [state.q]);
  // Typing updates ?q= after a short pause.
  useEffect(() => {
    if (search.trim() === state.q) return;
    const timer = setTimeout(() => onChange({ q: search }), 250);
    return () => clearTimeout(timer);
  }, [search, state.q, onChange]);

  const statusText =
    state.statuses === null
      ? "All statuses"
      : isOpenSet(state.statuses)
        ? "Open"
        : state.statuses.length === 1
          ? statusLabel("issue", state.statuses[0]!)
          : `${state.statuses.length} statuses`;
  const priorityText =
    state.priorities.length === 0
      ? "Any priority"
      : state.priorities.length === 1
        ? statusLabel("priority", state.priorities[0]!)
        : `${state.priorities.length} priorities`;
  const dir = state.dir ?? defaultDir(state.sort);

  const toggleStatus = (status: (typeof ISSUE_STATUSES)[number], checked: boolean) => {
    const current = state.statuses ?? [...ISSUE_STATUSES];
    const next = checked ? [...current, status] : current.filter((item) => item !== status);
    onChange({
      statuses:
        next.length === ISSUE_STATUSES.length ? null : next.length === 0 ? [...OPEN_ISSUE_STATUSES] : next,
    });
  };

  return (
    <div className="mb-4 flex flex-wrap items-center gap-2">
      <div className="relative w-full sm:w-auto sm:max-w-64 sm:min-w-40 sm:flex-1">
        <Search
          aria-hidden
          className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
        />
        <Input
          type="search"
          aria-label="Search issues by title"
          placeholder="Search issues…"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter") onChange({ q: search });
          }}
          className="pl-8"
        />
      </div>

      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" aria-label={`Status filter: ${statusText}`}>
            <span className="text-muted-foreground">Status</span>
            {statusText}
            <ChevronDown aria-hidden className="opacity-60" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent>
          <DropdownMenuItem onSelect={() => onChange({ statuses: [...OPEN_ISSUE_STATUSES] })}>
            Open issues
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => onChange({ statuses: null })}>All statuses</DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuLabel>Show issues that are</DropdownMenuLabel>
          {ISSUE_STATUSES.map((status) => (
            <DropdownMenuCheckboxItem
              key={status}
              checked={state.statuses === null || state.statuses.includes(status)}
              onCheckedChange={(checked) => toggleStatus(status, checked === true)}
              onSelect={(event) => event.preventDefault()}
            >
              <IssueStatusIcon status={status} />
              {statusLabel("issue", status)}
            </DropdownMenuCheckboxItem>
          ))}
        </DropdownMenuContent>
      </DropdownMenu>

      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" aria-label={`Priority filter: ${priorityText}`}>
            <span className="text-muted-foreground">Priority</span>
            {state.priorities.length === 0 ? "Any" : priorityText}
            <ChevronDown aria-hidden className="opacity-60" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent>
          <DropdownMenuItem onSelect={() => onChange({ priorities: [] })}>Any priority</DropdownMenuItem>
          <DropdownMenuSeparator />
          {ISSUE_PRIORITIES.map((priority) => (
            <DropdownMenuCheckboxItem
              key={priority}
              checked={state.priorities.includes(priority)}
              onCheckedChange={(checked) =>
                onChange({
                  priorities: checked
                    ? [...state.priorities, priority]
                    : state.priorities.filter((item) => item !== priority),
                })
              }
              onSelect={(event) => event.preventDefault()}
            >
              <PriorityIcon priority={priority} />
              {statusLabel("priority", priority)}
            </DropdownMenuCheckboxItem>
          ))}
        </DropdownMenuContent>
      </DropdownMenu>

      <Select
        aria-label="Assignee filter"
        className="w-36"
        value={state.assignee ?? ANY}
        onValueChange={(value) => onChange({ assignee: value === ANY ? null : value })}
        options={[
          { value: ANY, label: "Any assignee" },
          { value: "none", label: "Unassigned" },
          ...agents.map((agent) => ({
            value: agent.id,
            label: agent.name,
            icon: <Avatar name={agent.name} kind="agent" size="xs" />,
          })),
        ]}
      />
      <Select
        aria-label="Project filter"
        className="w-36"
        value={state.project ?? ANY}
        onValueChange={(value) => onChange({ project: value === ANY ? null : value })}
        options={[
          { value: ANY, label: "Any project" },
          { value: "none", label: "No project" },
          ...projects.map((project) => ({ value: project.id, label: project.name })),
        ]}
      />

      {hasActiveFilters(state) ? (
        <Button
          variant="ghost"
          onClick={() =>
            onChange({
              statuses: [...OPEN_ISSUE_STATUSES],
              priorities: [],
              assignee: null,
              project: null,
              q: "",
            })
          }
        >
          <X aria-hidden />
          Clear filters
        </Button>
      ) : null}

      <div className="ml-auto flex items-center gap-1">
        <Select
          aria-label="Sort by"
          className="w-40"
          value={state.sort}
          onValueChange={(value) => onChange({ sort: value, dir: null })}
          options={(Object.keys(SORT_LABELS) as IssueSortField[]).map((value) => ({
            value,
            label: `Sort: ${SORT_LABELS[value]}`,
          }))}
        />
        <IconButton
          variant="outline"
          label={dir === "asc" ? "Ascending order (reverse)" : "Descending order (reverse)"}
          icon={dir === "asc" ? <ArrowUpNarrowWide aria-hidden /> : <ArrowDownWideNarrow aria-hidden />}
          onClick={() => {
            const flipped = dir === "asc" ? "desc" : "asc";
            onChange({ dir: flipped === defaultDir(state.sort) ? null : flipped });
          }}
        />
      </div>
    </div>
  );
}
