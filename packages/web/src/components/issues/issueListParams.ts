// The issues list's URL state (`?status=&priority=&assignee=&project=&q=&sort=&dir=&page=`) and its mapping
// to the host's list filters. Every filter lives in the URL so a link or a reload shows the same list.
import {
  ISSUE_PRIORITIES,
  ISSUE_SORT_FIELDS,
  ISSUE_STATUSES,
  type IssueFilters,
  type IssuePriority,
  type IssueSortField,
  type IssueStatus,
  OPEN_ISSUE_STATUSES,
} from "@/api/types";

export const PAGE_SIZE = 50;

export interface IssueListState {
  /** null: every status ("all") */
  statuses: IssueStatus[] | null;
  priorities: IssuePriority[];
  /** an agent id, "none" for unassigned, null for anyone */
  assignee: string | null;
  /** a project id, "none" for no project, null for any */
  project: string | null;
  q: string;
  sort: IssueSortField;
  dir: "asc" | "desc" | null;
  /** 1-based */
  page: number;
}

const pick = <T extends string>(raw: string | null, allowed: readonly T[]): T[] =>
  (raw ?? "").split(",").filter((value): value is T => (allowed as readonly string[]).includes(value));

/** `?status=` is absent or "open" (the open statuses), "all", or a comma list. */
export function readIssueListState(params: URLSearchParams): IssueListState {
  const statusParam = params.get("status");
  let statuses: IssueStatus[] | null = [...OPEN_ISSUE_STATUSES];
  if (statusParam === "all") statuses = null;
  else if (statusParam && statusParam !== "open") {
    const list = pick(statusParam, ISSUE_STATUSES);
    if (list.length > 0) statuses = list;
  }
  const sort = params.get("sort");
  const dir = params.get("dir");
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return {
    statuses,
    priorities: pick(params.get("priority"), ISSUE_PRIORITIES),
    assignee: params.get("assignee") || null,
    project: params.get("project") || null,
    q: params.get("q") ?? "",
    sort: (ISSUE_SORT_FIELDS as readonly string[]).includes(sort ?? "")
      ? (sort as IssueSortField)
      : "priority",
    dir: dir === "asc" || dir === "desc" ? dir : null,
    page: Number.isFinite(page) && page > 1 ? page : 1,
  };
}

export function isOpenSet(statuses: readonly IssueStatus[] | null): boolean {
  return (
    statuses !== null &&
    statuses.length === OPEN_ISSUE_STATUSES.length &&
    OPEN_ISSUE_STATUSES.every((status) => statuses.includes(status))
  );
}

/** Applies `changes` to the URL; defaults are removed so a plain list has a clean URL. Any filter change resets the page. */
export function writeIssueListState(
  previous: URLSearchParams,
  changes: Partial<IssueListState>,
): URLSearchParams {
  const next = new URLSearchParams(previous);
  const set = (key: string, value: string | null) => {
    if (value) next.set(key, value);
    else next.delete(key);
  };
  if ("statuses" in changes) {
    const statuses = changes.statuses ?? null;
    set(
      "status",
      statuses === null ? "all" : isOpenSet(statuses) || statuses.length === 0 ? null : statuses.join(","),
    );
  }
  if ("priorities" in changes) set("priority", changes.priorities?.join(",") || null);
  if ("assignee" in changes) set("assignee", changes.assignee ?? null);
  if ("project" in changes) set("project", changes.project ?? null);
  if ("q" in changes) set("q", changes.q?.trim() || null);
  if ("sort" in changes) set("sort", changes.sort === "priority" ? null : (changes.sort ?? null));
  if ("dir" in changes) set("dir", changes.dir ?? null);
  if ("page" in changes) set("page", changes.page && changes.page > 1 ? String(changes.page) : null);
  else next.delete("page");
  return next;
}

/** The host's list filters for one page of the state. */
export function toIssueFilters(state: IssueListState): IssueFilters {
  return {
    status: state.statuses ?? undefined,
    priority: state.priorities.length > 0 ? state.priorities : undefined,
    assigneeAgentId: state.assignee === "none" ? "null" : (state.assignee ?? undefined),
    projectId: state.project === "none" ? "null" : (state.project ?? undefined),
    q: state.q || undefined,
    sortField: state.sort === "priority" ? undefined : state.sort,
    sortDir: state.dir ?? undefined,
    limit: PAGE_SIZE,
    offset: (state.page - 1) * PAGE_SIZE,
  };
}

export function hasActiveFilters(state: IssueListState): boolean {
  return (
    !isOpenSet(state.statuses) ||
    state.priorities.length > 0 ||
    state.assignee !== null ||
    state.project !== null ||
    state.q !== ""
  );
}
