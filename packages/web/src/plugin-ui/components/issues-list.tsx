// IssuesList for plugin UIs: the company's issues from `GET /api/companies/:companyId/issues` with the given
// filters, a search box (server-side `q`, or within the loaded issues), status badges, and rows linking to
// the board's issue pages through host navigation. `viewStateKey` keeps the search across visits.
import type { IssuesListFilters, IssuesListProps, StatusBadgeVariant } from "@paperclipai/plugin-sdk/ui";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { useHostNavigation } from "../hooks/navigation.js";
import { getJson } from "../http.js";
import { Spinner, StatusBadge } from "./basic.js";

interface IssueRow {
  id: string;
  identifier?: string | null;
  title: string;
  status: string;
  priority?: string | null;
  updatedAt?: string;
}

const STATUS_VARIANTS: Record<string, StatusBadgeVariant> = {
  backlog: "pending",
  todo: "info",
  in_progress: "warning",
  in_review: "info",
  blocked: "error",
  done: "ok",
  cancelled: "pending",
};

/** The issue list URL for a company, project and filters (booleans as `true`, empty values dropped). */
export function issuesListUrl(
  companyId: string,
  projectId: string | null | undefined,
  filters: IssuesListFilters | undefined,
  search: string,
): string {
  const query = new URLSearchParams();
  const all: Record<string, unknown> = { ...filters, ...(projectId ? { projectId } : {}) };
  for (const key of Object.keys(all).sort()) {
    const value = all[key];
    if (value === undefined || value === null || value === "" || value === false) continue;
    query.set(key, value === true ? "true" : String(value));
  }
  if (search) query.set("q", search);
  const text = query.toString();
  return `/api/companies/${encodeURIComponent(companyId)}/issues${text ? `?${text}` : ""}`;
}

function storedSearch(viewStateKey: string | undefined, initial: string): string {
  if (!viewStateKey) return initial;
  try {
    return globalThis.sessionStorage?.getItem(`paperclip.issues-list.${viewStateKey}`) ?? initial;
  } catch {
    return initial;
  }
}

export function IssuesList({
  companyId,
  projectId,
  filters,
  viewStateKey,
  initialSearch = "",
  searchWithinLoadedIssues = false,
}: IssuesListProps) {
  const [search, setSearch] = useState(() => storedSearch(viewStateKey, initialSearch));
  const [debounced, setDebounced] = useState(search);
  const navigation = useHostNavigation();
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search.trim()), 250);
    if (viewStateKey) {
      try {
        globalThis.sessionStorage?.setItem(`paperclip.issues-list.${viewStateKey}`, search);
      } catch {
        // Storage full or disabled: the search is simply not remembered.
      }
    }
    return () => clearTimeout(timer);
  }, [search, viewStateKey]);

  const serverSearch = searchWithinLoadedIssues ? "" : debounced;
  const url = companyId ? issuesListUrl(companyId, projectId, filters, serverSearch) : null;
  const issues = useQuery({
    queryKey: ["plugin-ui", "issues-list", url],
    queryFn: ({ signal }) => getJson<IssueRow[]>(url!, signal),
    enabled: url !== null,
  });
  const rows = useMemo(() => {
    const list = issues.data ?? [];
    if (!searchWithinLoadedIssues || !debounced) return list;
    const needle = debounced.toLowerCase();
    return list.filter(
      (issue) =>
        issue.title.toLowerCase().includes(needle) || issue.identifier?.toLowerCase().includes(needle),
    );
  }, [issues.data, searchWithinLoadedIssues, debounced]);

  if (!companyId) return <div className="p-3 text-sm text-zinc-500">Select a company to see its issues.</div>;
  return (
    <div className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
      <div className="border-zinc-200 border-b p-2 dark:border-zinc-800">
        <input
          type="search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          placeholder="Search issues…"
          aria-label="Search issues"
          className="w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm outline-none focus:border-zinc-500 dark:border-zinc-700 dark:bg-zinc-900"
        />
      </div>
      {issues.isLoading ? (
        <div className="p-4">
          <Spinner label="Loading issues" />
        </div>
      ) : issues.error ? (
        <div role="alert" className="p-3 text-red-700 text-sm dark:text-red-300">
          {issues.error.message}{" "}
          <button type="button" className="underline" onClick={() => void issues.refetch()}>
            Retry
          </button>
        </div>
      ) : rows.length === 0 ? (
        <div className="p-4 text-center text-sm text-zinc-500">No issues</div>
      ) : (
        <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {rows.map((issue) => (
            <li key={issue.id}>
              <a
                {...navigation.linkProps(`/issues/${encodeURIComponent(issue.identifier ?? issue.id)}`)}
                className="flex items-center gap-3 px-3 py-2 text-sm hover:bg-zinc-50 dark:hover:bg-zinc-900"
              >
                <span className="w-20 shrink-0 font-mono text-xs text-zinc-500">
                  {issue.identifier ?? ""}
                </span>
                <span className="min-w-0 flex-1 truncate text-zinc-900 dark:text-zinc-100">
                  {issue.title}
                </span>
                <StatusBadge
                  label={issue.status.replace(/_/g, " ")}
                  status={STATUS_VARIANTS[issue.status] ?? "pending"}
                />
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
