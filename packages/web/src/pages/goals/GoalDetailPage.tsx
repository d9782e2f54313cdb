// A goal (`/:prefix/goals/:goalId`): its place in the tree (parent, sub-goals), owner, edit, and a tab bar
// following `?tab=` — overview, sub-goals, projects, issues.

import { ArrowLeft, CircleDot, FolderOpen, Pencil, Plus, Target } from "lucide-react";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { useAgentsById } from "@/api/agents";
import { isApiError } from "@/api/client";
import { useGoal, useGoals } from "@/api/goals";
import { useIssues } from "@/api/issues";
import { useProjects } from "@/api/projects";
import type { Goal } from "@/api/types";
import { useCompany, useCompanyPaths } from "@/app/CompanyContext";
import { IssueRow } from "@/components/issues/IssueRow";
import { Page } from "@/components/layout/Page";
import {
  Avatar,
  Badge,
  Button,
  Card,
  EmptyState,
  ErrorState,
  QueryView,
  Skeleton,
  StatusBadge,
  type UrlTab,
} from "@/components/ui";
import { Markdown } from "@/components/ui/Markdown";
import { formatDate, humanize } from "@/lib/format";
import { PluginEntityActions, PluginUrlTabs } from "@/plugin-slots/surfaces";
import { GoalDialog } from "./GoalDialog";

export default function GoalDetailPage() {
  const { goalId = "" } = useParams();
  const company = useCompany();
  const to = useCompanyPaths();
  const goal = useGoal(goalId);
  const crumbs = [{ label: "Goals", to: to.goals() }, { label: goal.data?.title ?? "Goal" }];
  // A goal of another company is as good as missing here.
  const foreign = goal.data && goal.data.companyId !== company.id;

  if (goal.isPending) {
    return (
      <Page title="Goal" breadcrumbs={crumbs} hideHeader>
        <Skeleton className="h-7 w-1/3" />
        <Skeleton className="mt-6 h-9 w-full" />
        <Skeleton className="mt-4 h-32 w-full" />
      </Page>
    );
  }
  if (goal.isError || foreign) {
    const notFound = foreign || (isApiError(goal.error) && goal.error.status === 404);
    return (
      <Page title="Goal not found" breadcrumbs={crumbs} hideHeader>
        <ErrorState
          title={notFound ? "This goal does not exist" : undefined}
          error={foreign ? new Error("Goal not found") : goal.error}
          onRetry={notFound ? undefined : () => goal.refetch()}
          actions={
            <Button asChild variant="outline" size="sm">
              <Link to={to.goals()}>
                <ArrowLeft aria-hidden />
                All goals
              </Link>
            </Button>
          }
        />
      </Page>
    );
  }
  return <GoalView goal={goal.data} crumbs={crumbs} />;
}

function GoalView({ goal, crumbs }: { goal: Goal; crumbs: { label: string; to?: string }[] }) {
  const company = useCompany();
  const to = useCompanyPaths();
  const goals = useGoals(company.id);
  const agents = useAgentsById(company.id);
  const [dialog, setDialog] = useState<"edit" | "child" | null>(null);
  const parent = goal.parentId ? goals.data?.find((candidate) => candidate.id === goal.parentId) : undefined;
  const owner = goal.ownerAgentId ? agents.get(goal.ownerAgentId) : undefined;
  const children = goals.data?.filter((candidate) => candidate.parentId === goal.id);

  // The tab bar. Plugin `detailTab` contributions for goals append their tabs to this array.
  const tabs: UrlTab[] = [
    { value: "overview", label: "Overview", content: <OverviewTab goal={goal} /> },
    {
      value: "sub-goals",
      label: (
        <>
          Sub-goals
          {children ? (
            <Badge tone="outline" className="ml-0.5 px-1.5">
              {children.length}
            </Badge>
          ) : null}
        </>
      ),
      icon: <Target aria-hidden />,
      content: <SubGoalsTab goal={goal} onAdd={() => setDialog("child")} />,
    },
    {
      value: "projects",
      label: "Projects",
      icon: <FolderOpen aria-hidden />,
      content: <ProjectsTab goal={goal} />,
    },
    { value: "issues", label: "Issues", icon: <CircleDot aria-hidden />, content: <IssuesTab goal={goal} /> },
  ];

  return (
    <Page
      title={goal.title}
      breadcrumbs={crumbs}
      eyebrow={
        <>
          <StatusBadge kind="goal" status={goal.status} />
          <Badge tone="outline">{humanize(goal.level)} goal</Badge>
        </>
      }
      description={
        <span className="inline-flex flex-wrap items-center gap-x-3 gap-y-1">
          {parent ? (
            <span>
              Part of{" "}
              <Link to={to.goal(parent.id)} className="font-medium text-foreground hover:underline">
                {parent.title}
              </Link>
            </span>
          ) : null}
          {owner ? (
            <span className="inline-flex items-center gap-1.5">
              <Avatar name={owner.name} kind="agent" size="sm" />
              Owned by{" "}
              <Link to={to.agent(owner.urlKey)} className="font-medium text-foreground hover:underline">
                {owner.name}
              </Link>
            </span>
          ) : null}
        </span>
      }
      actions={
        <>
          <Button variant="outline" onClick={() => setDialog("edit")}>
            <Pencil aria-hidden />
            Edit
          </Button>
          <PluginEntityActions entityType="goal" entityId={goal.id} />
        </>
      }
    >
      <PluginUrlTabs entityType="goal" entityId={goal.id} tabs={tabs} aria-label="Goal sections" />
      <GoalDialog
        open={dialog !== null}
        onOpenChange={(open) => !open && setDialog(null)}
        goal={dialog === "edit" ? goal : null}
        parent={dialog === "child" ? goal : null}
      />
    </Page>
  );
}

function OverviewTab({ goal }: { goal: Goal }) {
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card className="p-5 lg:col-span-2">
        <h2 className="mb-2 text-sm font-semibold">Description</h2>
        {goal.description ? (
          <Markdown>{goal.description}</Markdown>
        ) : (
          <p className="text-sm text-muted-foreground">No description.</p>
        )}
      </Card>
      <Card className="grid content-start gap-4 p-5 text-sm">
        <div>
          <div className="text-xs font-medium text-muted-foreground">Level</div>
          <div className="mt-0.5">{humanize(goal.level)}</div>
        </div>
        <div>
          <div className="text-xs font-medium text-muted-foreground">Created</div>
          <div className="mt-0.5">{formatDate(goal.createdAt)}</div>
        </div>
        <div>
          <div className="text-xs font-medium text-muted-foreground">Updated</div>
          <div className="mt-0.5">{formatDate(goal.updatedAt)}</div>
        </div>
      </Card>
    </div>
  );
}

function SubGoalsTab({ goal, onAdd }: { goal: Goal; onAdd: () => void }) {
  const company = useCompany();
  const to = useCompanyPaths();
  const goals = useGoals(company.id);
  const addButton = (
    <Button size="sm" variant="outline" onClick={onAdd}>
      <Plus aria-hidden />
      Add sub-goal
    </Button>
  );
  return (
    <Card className="overflow-hidden">
      <QueryView
        query={{ ...goals, data: goals.data?.filter((candidate) => candidate.parentId === goal.id) }}
        empty={
          <EmptyState
            compact
            icon={<Target />}
            title="No sub-goals"
            description="Break the goal down into team, agent or task goals."
            action={addButton}
          />
        }
      >
        {(list) => (
          <>
            <div className="flex justify-end border-b px-4 py-2">{addButton}</div>
            <ul className="divide-y">
              {list.map((child) => (
                <li key={child.id} className="flex items-center gap-3 px-4 py-3">
                  <Target aria-hidden className="size-4 text-muted-foreground" />
                  <Link
                    to={to.goal(child.id)}
                    className="min-w-0 flex-1 truncate text-sm font-medium hover:underline"
                  >
                    {child.title}
                  </Link>
                  <Badge tone="outline">{humanize(child.level)}</Badge>
                  <StatusBadge kind="goal" status={child.status} />
                </li>
              ))}
            </ul>
          </>
        )}
      </QueryView>
    </Card>
  );
}

function ProjectsTab({ goal }: { goal: Goal }) {
  const company = useCompany();
  const to = useCompanyPaths();
  const projects = useProjects(company.id);
  return (
    <Card className="overflow-hidden">
      <QueryView
        query={{
          ...projects,
          data: projects.data?.filter(
            (project) => project.goalIds.includes(goal.id) || project.goalId === goal.id,
          ),
        }}
        empty={<EmptyState compact icon={<FolderOpen />} title="No project works toward this goal yet" />}
      >
        {(list) => (
          <ul className="divide-y">
            {list.map((project) => (
              <li key={project.id} className="flex items-center gap-3 px-4 py-3">
                <FolderOpen aria-hidden className="size-4 text-muted-foreground" />
                <Link
                  to={to.project(project.urlKey)}
                  className="min-w-0 flex-1 truncate text-sm font-medium hover:underline"
                >
                  {project.name}
                </Link>
                <StatusBadge kind="project" status={project.status} />
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </Card>
  );
}

function IssuesTab({ goal }: { goal: Goal }) {
  const company = useCompany();
  const agents = useAgentsById(company.id);
  const issues = useIssues(company.id, { goalId: goal.id, limit: 200 });
  return (
    <Card className="overflow-hidden">
      <QueryView
        query={issues}
        empty={<EmptyState compact icon={<CircleDot />} title="No issues for this goal" />}
      >
        {(list) => (
          <ul className="divide-y">
            {list.map((issue) => (
              <li key={issue.id}>
                <IssueRow
                  issue={issue}
                  assignee={issue.assigneeAgentId ? agents.get(issue.assigneeAgentId) : undefined}
                />
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </Card>
  );
}
