import { ChevronLeft, ChevronRight, CircleDot, Plus } from "lucide-react";
import { type KeyboardEvent, lazy, Suspense, useCallback, useEffect, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { useAgents } from "@/api/agents";
import { useIssuesPage } from "@/api/issues";
import { useProjects } from "@/api/projects";
import { useCompany, useCompanyPaths } from "@/app/CompanyContext";
import { IssueFilterBar } from "@/components/issues/IssueFilterBar";
import { IssueRow } from "@/components/issues/IssueRow";
import {
  hasActiveFilters,
  type IssueListState,
  PAGE_SIZE,
  readIssueListState,
  toIssueFilters,
  writeIssueListState,
} from "@/components/issues/issueListParams";
import { Page } from "@/components/layout/Page";
import { Button, Card, EmptyState, IconButton, Kbd, ListSkeleton, QueryView, toast } from "@/components/ui";
import { formatNumber } from "@/lib/format";

// The dialog (and the Markdown renderer its preview uses) loads on first open, off the list's critical path.
const CreateIssueDialog = lazy(() =>
  import("@/components/issues/CreateIssueDialog").then((module) => ({ default: module.CreateIssueDialog })),
);

/**
 * The company's issues, one server page (50) at a time: filters, search, sort and page live in the URL.
 * Rows are links; ↑/↓ move between them. "c" opens the create dialog.
 */
export default function IssuesListPage() {
  const company = useCompany();
  const to = useCompanyPaths();
  const navigate = useNavigate();
  const agents = useAgents(company.id);
  const projects = useProjects(company.id);
  const [searchParams, setSearchParams] = useSearchParams();
  const state = readIssueListState(searchParams);
  const issues = useIssuesPage(company.id, toIssueFilters(state));
  const [creating, setCreating] = useState(false);
  const agentsById = new Map((agents.data ?? []).map((agent) => [agent.id, agent]));

  const update = useCallback(
    (changes: Partial<IssueListState>) =>
      setSearchParams((previous) => writeIssueListState(previous, changes), { replace: true }),
    [setSearchParams],
  );

  // "c" creates an issue, unless typing somewhere.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== "c" || event.metaKey || event.ctrlKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest("input, textarea, select, [contenteditable=true], [role=dialog], [role=menu]"))
        return;
      event.preventDefault();
      setCreating(true);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const total = issues.data?.total ?? 0;
  const first = (state.page - 1) * PAGE_SIZE;
  const filtered = hasActiveFilters(state);

  return (
    <Page
      title="Issues"
      description="Work for the company's agents, most important first."
      width="wide"
      actions={
        <Button onClick={() => setCreating(true)} aria-keyshortcuts="c">
          <Plus aria-hidden />
          New issue
          <Kbd className="ml-1 hidden sm:inline-flex">C</Kbd>
        </Button>
      }
    >
      <IssueFilterBar
        state={state}
        onChange={update}
        agents={agents.data ?? []}
        projects={projects.data ?? []}
      />
      <Card className="overflow-hidden">
        <QueryView
          query={issues}
          loading={<ListSkeleton rows={10} />}
          isEmpty={(page) => page.items.length === 0}
          empty={
            <EmptyState
              icon={<CircleDot />}
              title={
                state.page > 1 && total > 0
                  ? "This page is past the end"
                  : filtered
                    ? "No issues match these filters"
                    : "No open issues"
              }
              description={
                state.page > 1 && total > 0
                  ? "The list got shorter since this link was made."
                  : filtered
                    ? "Try other words, or widen the status and priority filters."
                    : "Issues are the units of work agents pick up. Create one to get started."
              }
              action={
                state.page > 1 && total > 0 ? (
                  <Button variant="outline" onClick={() => update({ page: 1 })}>
                    Go to the first page
                  </Button>
                ) : filtered ? null : (
                  <Button onClick={() => setCreating(true)}>
                    <Plus aria-hidden />
                    New issue
                  </Button>
                )
              }
            />
          }
        >
          {(page) => (
            <ul
              aria-label="Issues"
              className="divide-y"
              aria-busy={issues.isFetching && issues.isPlaceholderData}
              onKeyDown={moveFocusBetweenRows}
            >
              {page.items.map((issue) => (
                <li key={issue.id}>
                  <IssueRow
                    issue={issue}
                    assignee={issue.assigneeAgentId ? agentsById.get(issue.assigneeAgentId) : undefined}
                  />
                </li>
              ))}
            </ul>
          )}
        </QueryView>
        {issues.data && issues.data.items.length > 0 ? (
          <nav
            aria-label="Pages"
            className="flex items-center justify-between gap-3 border-t bg-muted/30 px-4 py-2 text-xs text-muted-foreground"
          >
            <span aria-live="polite" className="tabular-nums">
              {formatNumber(first + 1)}–{formatNumber(first + issues.data.items.length)} of{" "}
              {formatNumber(total)}
            </span>
            <div className="flex items-center gap-1">
              <IconButton
                size="icon-sm"
                variant="outline"
                label="Previous page"
                icon={<ChevronLeft aria-hidden />}
                disabled={state.page <= 1}
                onClick={() => update({ page: state.page - 1 })}
              />
              <span className="px-1.5 tabular-nums">
                Page {formatNumber(state.page)} of {formatNumber(Math.max(1, Math.ceil(total / PAGE_SIZE)))}
              </span>
              <IconButton
                size="icon-sm"
                variant="outline"
                label="Next page"
                icon={<ChevronRight aria-hidden />}
                disabled={first + issues.data.items.length >= total}
                onClick={() => update({ page: state.page + 1 })}
              />
            </div>
          </nav>
        ) : null}
      </Card>
      {creating ? (
        <Suspense fallback={null}>
          <CreateIssueDialog
            open={creating}
            onOpenChange={setCreating}
            onCreated={(issue) => {
              setCreating(false);
              toast.success(`Created ${issue.identifier}`);
              navigate(to.issue(issue.identifier));
            }}
          />
        </Suspense>
      ) : null}
    </Page>
  );
}

/** ↑/↓ (and j/k) move the focus between the row links. */
function moveFocusBetweenRows(event: KeyboardEvent<HTMLUListElement>) {
  const keys: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, j: 1, k: -1 };
  const step = keys[event.key];
  if (!step || event.metaKey || event.ctrlKey || event.altKey) return;
  const links = [...event.currentTarget.querySelectorAll<HTMLAnchorElement>("li > a")];
  const index = links.indexOf(document.activeElement as HTMLAnchorElement);
  if (index < 0) return;
  event.preventDefault();
  links[Math.min(links.length - 1, Math.max(0, index + step))]?.focus();
}
