// The company's activity log (`/:prefix/activity`), newest first, in pages of 50 from the host (offset paging),
// filtered by entity type. Both live in the URL: `?type=issue&page=2`.

import { ChevronLeft, ChevronRight, History } from "lucide-react";
import { useSearchParams } from "react-router";
import { useActivity } from "@/api/activity";
import { useCompany } from "@/app/CompanyContext";
import { ActivityFeed } from "@/components/activity/ActivityFeed";
import { Page } from "@/components/layout/Page";
import { Button, Card, EmptyState, ListSkeleton, QueryView, Select } from "@/components/ui";

const PAGE_SIZE = 50;

const ENTITY_TYPES = [
  { value: "all", label: "Everything" },
  { value: "issue", label: "Issues" },
  { value: "project", label: "Projects" },
  { value: "goal", label: "Goals" },
  { value: "agent", label: "Agents" },
  { value: "heartbeat_run", label: "Runs" },
  { value: "approval", label: "Approvals" },
  { value: "cost_event", label: "Costs" },
  { value: "budget_incident", label: "Budget incidents" },
  { value: "company", label: "Company" },
  { value: "plugin", label: "Plugins" },
] as const;
type EntityFilter = (typeof ENTITY_TYPES)[number]["value"];

export default function ActivityPage() {
  const company = useCompany();
  const [params, setParams] = useSearchParams();
  const rawType = params.get("type");
  const type: EntityFilter = ENTITY_TYPES.some((entry) => entry.value === rawType)
    ? (rawType as EntityFilter)
    : "all";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  // One row more than a page tells whether there is a next page.
  const activity = useActivity(company.id, {
    entityType: type === "all" ? undefined : type,
    limit: PAGE_SIZE + 1,
    offset: (page - 1) * PAGE_SIZE,
  });
  const rows = activity.data?.slice(0, PAGE_SIZE);
  const hasNext = (activity.data?.length ?? 0) > PAGE_SIZE;

  const update = (next: { type?: EntityFilter; page?: number }) => {
    setParams(
      (previous) => {
        const result = new URLSearchParams(previous);
        const nextType = next.type ?? type;
        const nextPage = next.page ?? 1;
        if (nextType === "all") result.delete("type");
        else result.set("type", nextType);
        if (nextPage <= 1) result.delete("page");
        else result.set("page", String(nextPage));
        return result;
      },
      { preventScrollReset: false },
    );
  };

  return (
    <Page
      title="Activity"
      description="Everything that changed in the company, newest first."
      actions={
        <Select
          aria-label="Show activity for"
          value={type}
          onValueChange={(value) => update({ type: value, page: 1 })}
          options={ENTITY_TYPES}
          className="w-44"
        />
      }
    >
      <Card className="overflow-hidden">
        <QueryView
          query={{ ...activity, data: rows }}
          loading={<ListSkeleton rows={10} />}
          empty={
            <EmptyState
              icon={<History />}
              title={page > 1 ? "No more activity" : "No activity yet"}
              description={
                type === "all"
                  ? "Changes by the board, agents and plugins are recorded here."
                  : "Nothing of this kind has happened yet. Try another filter."
              }
            />
          }
        >
          {(events) => (
            <ActivityFeed events={events} className={activity.isPlaceholderData ? "opacity-60" : ""} />
          )}
        </QueryView>
      </Card>
      {page > 1 || hasNext ? (
        <nav aria-label="Activity pages" className="mt-4 flex items-center justify-between gap-3">
          <Button variant="outline" size="sm" disabled={page <= 1} onClick={() => update({ page: page - 1 })}>
            <ChevronLeft aria-hidden />
            Newer
          </Button>
          <span className="text-sm text-muted-foreground tabular-nums">Page {page}</span>
          <Button
            variant="outline"
            size="sm"
            disabled={!hasNext}
            loading={activity.isFetching && activity.isPlaceholderData}
            onClick={() => update({ page: page + 1 })}
          >
            Older
            <ChevronRight aria-hidden />
          </Button>
        </nav>
      ) : null}
    </Page>
  );
}
