// A project (`/:prefix/projects/:projectRef`, urlKey or id): header facts and a tab bar following `?tab=` —
// overview, issues, workspaces (add / edit / make primary / remove), goals and activity.

import { ArrowLeft, CircleDot, FolderGit2, History, Target } from "lucide-react";
import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import { useActivity } from "@/api/activity";
import { useAgentsById } from "@/api/agents";
import { isApiError } from "@/api/client";
import { useGoals } from "@/api/goals";
import { useIssues } from "@/api/issues";
import { useProject } from "@/api/projects";
import type { Project } from "@/api/types";
import { useCompany, useCompanyPaths } from "@/app/CompanyContext";
import { ActivityFeed } from "@/components/activity/ActivityFeed";
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
import { formatDate, formatNumber } from "@/lib/format";
import { PluginEntityActions, PluginUrlTabs } from "@/plugin-slots/surfaces";
import { WorkspacesPanel } from "./WorkspacesPanel";

export default function ProjectDetailPage() {
  const { projectRef = "" } = useParams();
  const company = useCompany();
  const to = useCompanyPaths();
  const project = useProject(company.id, projectRef);
  const crumbs = [{ label: "Projects", to: to.projects() }, { label: project.data?.name ?? projectRef }];

  if (project.isPending) {
    return (
      <Page title={projectRef} breadcrumbs={crumbs} hideHeader>
        <Skeleton className="h-5 w-40" />
        <Skeleton className="mt-3 h-7 w-1/3" />
        <Skeleton className="mt-8 h-9 w-full" />
        <Skeleton className="mt-4 h-40 w-full" />
      </Page>
    );
  }
  if (project.isError) {
    const notFound = isApiError(project.error) && project.error.status === 404;
    return (
      <Page title={notFound ? "Project not found" : projectRef} breadcrumbs={crumbs} hideHeader>
        <ErrorState
          title={notFound ? "This project does not exist" : undefined}
          error={project.error}
          onRetry={notFound ? undefined : () => project.refetch()}
          actions={
            <Button asChild variant="outline" size="sm">
              <Link to={to.projects()}>
                <ArrowLeft aria-hidden />
                All projects
              </Link>
            </Button>
          }
        />
      </Page>
    );
  }
  return <ProjectView project={project.data} crumbs={crumbs} />;
}

function ProjectView({ project, crumbs }: { project: Project; crumbs: { label: string; to?: string }[] }) {
  const company = useCompany();
  const agents = useAgentsById(company.id);
  const lead = project.leadAgentId ? agents.get(project.leadAgentId) : undefined;

  // The tab bar. Plugin `detailTab` contributions for projects append their tabs to this array.
  const tabs: UrlTab[] = [
    { value: "overview", label: "Overview", content: <OverviewTab project={project} /> },
    {
      value: "issues",
      label: "Issues",
      icon: <CircleDot aria-hidden />,
      content: <IssuesTab project={project} />,
    },
    {
      value: "workspaces",
      label: (
        <>
          Workspaces
          <Badge tone="outline" className="ml-0.5 px-1.5">
            {project.workspaces.length}
          </Badge>
        </>
      ),
      icon: <FolderGit2 aria-hidden />,
      content: <WorkspacesPanel project={project} />,
    },
    { value: "goals", label: "Goals", icon: <Target aria-hidden />, content: <GoalsTab project={project} /> },
    {
      value: "activity",
      label: "Activity",
      icon: <History aria-hidden />,
      content: <ActivityTab project={project} />,
    },
  ];

  return (
    <Page
      title={project.name}
      breadcrumbs={crumbs}
      actions={<PluginEntityActions entityType="project" entityId={project.id} />}
      eyebrow={
        <>
          <StatusBadge kind="project" status={project.status} />
          {project.targetDate ? <Badge tone="outline">Target {formatDate(project.targetDate)}</Badge> : null}
          {project.archivedAt ? <Badge tone="outline">Archived</Badge> : null}
        </>
      }
      description={
        lead ? (
          <span className="inline-flex items-center gap-1.5">
            <Avatar name={lead.name} kind="agent" size="sm" /> Led by {lead.name}
          </span>
        ) : undefined
      }
    >
      <PluginUrlTabs entityType="project" entityId={project.id} tabs={tabs} aria-label="Project sections" />
    </Page>
  );
}

function OverviewTab({ project }: { project: Project }) {
  const to = useCompanyPaths();
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card className="p-5 lg:col-span-2">
        <h2 className="mb-2 text-sm font-semibold">Description</h2>
        {project.description ? (
          <Markdown>{project.description}</Markdown>
        ) : (
          <p className="text-sm text-muted-foreground">No description.</p>
        )}
      </Card>
      <Card className="grid content-start gap-4 p-5 text-sm">
        <Fact label="Issues">{formatNumber(project.taskCount ?? 0)}</Fact>
        <Fact label="Primary workspace">
          {project.primaryWorkspace ? (
            <span className="font-mono text-xs break-all">
              {project.primaryWorkspace.cwd ??
                project.primaryWorkspace.repoUrl ??
                project.primaryWorkspace.name}
            </span>
          ) : (
            "None"
          )}
        </Fact>
        <Fact label="Goals">
          {project.goals.length === 0 ? (
            "None"
          ) : (
            <ul className="grid gap-1">
              {project.goals.map((goal) => (
                <li key={goal.id}>
                  <Link to={to.goal(goal.id)} className="rounded-sm hover:underline">
                    {goal.title}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Fact>
        <Fact label="Created">{formatDate(project.createdAt)}</Fact>
      </Card>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <div className="text-xs font-medium text-muted-foreground">{label}</div>
      <div className="mt-0.5">{children}</div>
    </div>
  );
}

function IssuesTab({ project }: { project: Project }) {
  const company = useCompany();
  const to = useCompanyPaths();
  const agents = useAgentsById(company.id);
  const issues = useIssues(company.id, { projectId: project.id, limit: 500 });
  return (
    <Card className="overflow-hidden">
      <QueryView
        query={issues}
        empty={
          <EmptyState
            compact
            icon={<CircleDot />}
            title="No issues in this project yet"
            description="Issues created with this project show up here."
            action={
              <Button asChild variant="outline" size="sm">
                <Link to={to.issues()}>Go to issues</Link>
              </Button>
            }
          />
        }
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

function GoalsTab({ project }: { project: Project }) {
  const company = useCompany();
  const to = useCompanyPaths();
  const goals = useGoals(company.id);
  const linked = new Set(project.goalIds.length ? project.goalIds : project.goalId ? [project.goalId] : []);
  return (
    <Card className="overflow-hidden">
      <QueryView
        query={{ ...goals, data: goals.data?.filter((goal) => linked.has(goal.id)) }}
        empty={
          <EmptyState
            compact
            icon={<Target />}
            title="Not linked to a goal"
            description="Link the project to a goal so agents know why its work matters."
          />
        }
      >
        {(list) => (
          <ul className="divide-y">
            {list.map((goal) => (
              <li key={goal.id} className="flex items-center gap-3 px-4 py-3">
                <Target aria-hidden className="size-4 text-muted-foreground" />
                <Link to={to.goal(goal.id)} className="min-w-0 flex-1 truncate font-medium hover:underline">
                  {goal.title}
                </Link>
                <Badge tone="outline">{goal.level}</Badge>
                <StatusBadge kind="goal" status={goal.status} />
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </Card>
  );
}

function ActivityTab({ project }: { project: Project }) {
  const company = useCompany();
  const activity = useActivity(company.id, { entityType: "project", entityId: project.id, limit: 100 });
  return (
    <Card className="overflow-hidden">
      <QueryView
        query={activity}
        empty={<EmptyState compact icon={<History />} title="No activity on this project yet" />}
      >
        {(events) => <ActivityFeed events={events} />}
      </QueryView>
    </Card>
  );
}
