// Blocked-by relations of an issue: what blocks it (editable: PATCH blockedByIssueIds replaces the set) and
// what it blocks (set on those issues). A picker searches the company's issues by title or identifier.
import { Ban, Link2, Search, X } from "lucide-react";
import { useEffect, useId, useState } from "react";
import { Link } from "react-router";
import { errorMessage } from "@/api/client";
import { useIssues, useUpdateIssue } from "@/api/issues";
import type { IssueDetail, IssueSummary } from "@/api/types";
import { useCompany, useCompanyPaths } from "@/app/CompanyContext";
import {
  Card,
  EmptyState,
  IconButton,
  Input,
  IssueStatusIcon,
  Spinner,
  StatusBadge,
  statusLabel,
} from "@/components/ui";

export function IssueRelations({ issue }: { issue: IssueDetail }) {
  const update = useUpdateIssue(issue.id, { silent: true });
  const pendingIds = update.isPending ? update.variables?.blockedByIssueIds : undefined;
  const blockerIds = pendingIds ?? issue.blockedBy.map((item) => item.id);
  const setBlockers = (ids: string[]) => update.mutate({ blockedByIssueIds: ids });

  return (
    <div className="grid gap-6">
      <section aria-labelledby="blocked-by-heading" className="grid gap-2">
        <div className="flex items-center gap-2">
          <h3 id="blocked-by-heading" className="text-sm font-semibold">
            Blocked by
          </h3>
          {update.isPending ? <Spinner className="size-3.5" /> : null}
        </div>
        <p className="text-xs text-muted-foreground">
          This issue cannot move to In progress until these are done or cancelled.
        </p>
        <RelationCards
          issues={issue.blockedBy.filter((item) => blockerIds.includes(item.id))}
          empty="Nothing blocks this issue."
          onRemove={(id) => setBlockers(blockerIds.filter((item) => item !== id))}
        />
        <IssuePicker
          label="Add a blocker"
          exclude={[issue.id, ...blockerIds]}
          onPick={(picked) => setBlockers([...blockerIds, picked.id])}
        />
        {update.error ? (
          <p role="alert" className="text-xs font-medium text-destructive">
            {errorMessage(update.error)}
          </p>
        ) : null}
      </section>
      <section aria-labelledby="blocks-heading" className="grid gap-2">
        <h3 id="blocks-heading" className="text-sm font-semibold">
          Blocks
        </h3>
        <RelationCards issues={issue.blocks} empty="This issue blocks no other issue." />
      </section>
    </div>
  );
}

function RelationCards({
  issues,
  empty,
  onRemove,
}: {
  issues: IssueSummary[];
  empty: string;
  onRemove?: (id: string) => void;
}) {
  const to = useCompanyPaths();
  if (issues.length === 0) {
    return <EmptyState compact icon={<Link2 />} title={empty} className="rounded-xl border border-dashed" />;
  }
  return (
    <Card className="overflow-hidden">
      <ul className="divide-y">
        {issues.map((item) => (
          <li key={item.id} className="flex items-center gap-2 pr-2">
            <Link
              to={to.issue(item.identifier)}
              className="flex h-10 min-w-0 flex-1 items-center gap-2.5 px-4 text-sm hover:bg-muted/60 focus-visible:outline-offset-[-2px]"
            >
              <IssueStatusIcon status={item.status} title={statusLabel("issue", item.status)} />
              <span className="shrink-0 font-mono text-xs text-muted-foreground">{item.identifier}</span>
              <span className="min-w-0 flex-1 truncate font-medium">{item.title}</span>
              <StatusBadge kind="issue" status={item.status} />
            </Link>
            {onRemove ? (
              <IconButton
                size="icon-sm"
                label={`Remove blocker ${item.identifier}`}
                icon={<X aria-hidden />}
                onClick={() => onRemove(item.id)}
              />
            ) : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** Search the company's issues (title or identifier) and pick one. */
export function IssuePicker({
  label,
  exclude,
  onPick,
}: {
  label: string;
  exclude: string[];
  onPick: (issue: IssueSummary) => void;
}) {
  const company = useCompany();
  const [q, setQ] = useState("");
  const [debounced, setDebounced] = useState("");
  const listId = useId();
  const term = debounced.trim();
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(q), 200);
    return () => clearTimeout(timer);
  }, [q]);
  const byTitle = useIssues(company.id, { q: term || undefined, limit: 8 }, { enabled: term.length > 0 });
  const results = (byTitle.data ?? []).filter((item) => !exclude.includes(item.id));

  return (
    <div className="relative grid gap-1">
      <div className="relative max-w-md">
        <Search
          aria-hidden
          className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
        />
        <Input
          type="search"
          aria-label={label}
          aria-controls={listId}
          placeholder={`${label}: search by title…`}
          value={q}
          onChange={(event) => setQ(event.target.value)}
          className="pl-8"
        />
      </div>
      {term ? (
        <div id={listId} className="max-w-md">
          {byTitle.isPending ? (
            <p className="px-1 py-2 text-xs text-muted-foreground">Searching…</p>
          ) : byTitle.isError ? (
            <p role="alert" className="px-1 py-2 text-xs text-destructive">
              {errorMessage(byTitle.error)}
            </p>
          ) : results.length === 0 ? (
            <p className="flex items-center gap-1.5 px-1 py-2 text-xs text-muted-foreground">
              <Ban aria-hidden className="size-3.5" /> No other issue matches “{term}”.
            </p>
          ) : (
            <Card className="overflow-hidden">
              <ul aria-label="Matching issues" className="divide-y">
                {results.map((item) => (
                  <li key={item.id}>
                    <button
                      type="button"
                      onClick={() => {
                        onPick(item);
                        setQ("");
                        setDebounced("");
                      }}
                      className="flex h-9 w-full cursor-pointer items-center gap-2.5 px-3 text-left text-sm hover:bg-muted/60 focus-visible:bg-muted/60 focus-visible:outline-offset-[-2px]"
                    >
                      <IssueStatusIcon status={item.status} />
                      <span className="shrink-0 font-mono text-xs text-muted-foreground">
                        {item.identifier}
                      </span>
                      <span className="min-w-0 flex-1 truncate">{item.title}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </Card>
          )}
        </div>
      ) : null}
    </div>
  );
}
