import { ArrowLeft, FileText, History, Link2, MessageSquare, Pencil } from "lucide-react";
import { type FormEvent, type ReactNode, useState } from "react";
import { Link, useParams } from "react-router";
import { useAgents } from "@/api/agents";
import { errorMessage, isApiError } from "@/api/client";
import { useIssue, useIssueActivity, useUpdateIssue } from "@/api/issues";
import { useProjects } from "@/api/projects";
import type { IssueDetail, IssueSummary, UpdateIssueInput } from "@/api/types";
import { useCompany, useCompanyPaths } from "@/app/CompanyContext";
import { ActivityFeed } from "@/components/activity/ActivityFeed";
import { fieldErrors } from "@/components/issues/fieldErrors";
import { IssueComments } from "@/components/issues/IssueComments";
import { IssueDocuments } from "@/components/issues/IssueDocuments";
import { IssueRelations } from "@/components/issues/IssueRelations";
import {
  AssigneeSelect,
  PrioritySelect,
  ProjectSelect,
  StatusSelect,
} from "@/components/issues/IssueSelects";
import { MarkdownEditor } from "@/components/issues/MarkdownEditor";
import { Page } from "@/components/layout/Page";
import {
  Badge,
  Button,
  Card,
  EmptyState,
  ErrorState,
  Field,
  Input,
  IssueStatusIcon,
  ListSkeleton,
  QueryView,
  RelativeTime,
  Skeleton,
  StatusBadge,
  type UrlTab,
} from "@/components/ui";
import { Markdown } from "@/components/ui/Markdown";
import { formatDateTime } from "@/lib/format";
import { PluginEntityActions, PluginTaskDetailViews, PluginUrlTabs } from "@/plugin-slots/surfaces";

export default function IssueDetailPage() {
  const { identifier = "" } = useParams();
  const to = useCompanyPaths();
  const issue = useIssue(identifier);

  if (issue.isPending) {
    return (
      <Page
        title={identifier}
        breadcrumbs={[{ label: "Issues", to: to.issues() }, { label: identifier }]}
        hideHeader
        width="wide"
      >
        <Skeleton className="h-4 w-24" />
        <Skeleton className="mt-3 h-7 w-2/3" />
        <div className="mt-6 grid gap-8 lg:grid-cols-[minmax(0,1fr)_16rem]">
          <Skeleton className="h-32 w-full" />
          <Skeleton className="h-64 w-full" />
        </div>
      </Page>
    );
  }
  if (issue.isError) {
    const notFound = isApiError(issue.error) && issue.error.status === 404;
    return (
      <Page
        title={notFound ? "Issue not found" : identifier}
        breadcrumbs={[{ label: "Issues", to: to.issues() }, { label: identifier }]}
        hideHeader
      >
        <ErrorState
          title={notFound ? `Issue ${identifier} does not exist` : undefined}
          error={issue.error}
          onRetry={notFound ? undefined : () => issue.refetch()}
          actions={
            <Button asChild variant="outline" size="sm">
              <Link to={to.issues()}>
                <ArrowLeft aria-hidden />
                All issues
              </Link>
            </Button>
          }
        />
      </Page>
    );
  }
  return <IssueView issue={issue.data} />;
}

function IssueView({ issue }: { issue: IssueDetail }) {
  const to = useCompanyPaths();
  const update = useUpdateIssue(issue.id);
  // Optimistic: while a property change is on its way, show the new value.
  const data: IssueDetail = update.isPending ? { ...issue, ...pickShown(update.variables) } : issue;
  const [editing, setEditing] = useState(false);

  // Core tabs. Plugin `detailTab` contributions for issues are appended to this array.
  const tabs: UrlTab[] = [
    {
      value: "comments",
      label: "Comments",
      icon: <MessageSquare aria-hidden />,
      content: <IssueComments issueId={issue.id} />,
    },
    {
      value: "documents",
      label: <TabLabel count={issue.documentSummaries.length}>Documents</TabLabel>,
      icon: <FileText aria-hidden />,
      content: <IssueDocuments issueId={issue.id} />,
    },
    {
      value: "relations",
      label: <TabLabel count={issue.blockedBy.length + issue.blocks.length}>Relations</TabLabel>,
      icon: <Link2 aria-hidden />,
      content: <IssueRelations issue={issue} />,
    },
    {
      value: "activity",
      label: "Activity",
      icon: <History aria-hidden />,
      content: <IssueActivity issueId={issue.id} />,
    },
  ];

  return (
    <Page
      title={data.title}
      hideHeader
      breadcrumbs={[{ label: "Issues", to: to.issues() }, { label: `${data.identifier} ${data.title}` }]}
      width="wide"
    >
      <div className="grid gap-8 lg:grid-cols-[minmax(0,1fr)_16rem]">
        <div className="min-w-0">
          {editing ? (
            <TitleDescriptionEditor issue={issue} onDone={() => setEditing(false)} />
          ) : (
            <>
              <div className="mb-2 flex flex-wrap items-center gap-2">
                <span className="font-mono text-xs text-muted-foreground">{data.identifier}</span>
                <StatusBadge kind="issue" status={data.status} />
                <StatusBadge kind="priority" status={data.priority} />
                <div className="ml-auto flex flex-wrap items-center justify-end gap-2">
                  <PluginEntityActions entityType="issue" entityId={data.id} projectId={data.projectId} />
                </div>
              </div>
              <div className="flex items-start gap-3">
                <h1 className="min-w-0 flex-1 text-xl font-semibold tracking-tight text-balance break-words">
                  {data.title}
                </h1>
                <Button variant="outline" size="sm" onClick={() => setEditing(true)}>
                  <Pencil aria-hidden />
                  Edit
                </Button>
              </div>
              <div className="mt-4">
                {data.description ? (
                  <Markdown>{data.description}</Markdown>
                ) : (
                  <button
                    type="button"
                    onClick={() => setEditing(true)}
                    className="w-full cursor-pointer rounded-lg border border-dashed px-3 py-4 text-left text-sm text-muted-foreground hover:bg-muted/40"
                  >
                    No description yet. Add one…
                  </button>
                )}
              </div>
            </>
          )}
          <PluginTaskDetailViews issueId={data.id} projectId={data.projectId} />
          <PluginUrlTabs
            entityType="issue"
            entityId={data.id}
            projectId={data.projectId}
            className="mt-8"
            aria-label="Issue details"
            tabs={tabs}
          />
        </div>
        <PropertiesPanel issue={data} onChange={(input) => update.mutate(input)} />
      </div>
    </Page>
  );
}

const SHOWN_FIELDS = ["status", "priority", "assigneeAgentId", "projectId", "title", "description"] as const;
function pickShown(input: UpdateIssueInput | undefined): Partial<IssueDetail> {
  const shown: Record<string, unknown> = {};
  for (const key of SHOWN_FIELDS) if (input && key in input) shown[key] = input[key];
  return shown as Partial<IssueDetail>;
}

function TabLabel({ count, children }: { count: number; children: ReactNode }) {
  return (
    <>
      {children}
      {count > 0 ? (
        <Badge tone="neutral" className="ml-0.5 px-1 tabular-nums">
          {count}
        </Badge>
      ) : null}
    </>
  );
}

function TitleDescriptionEditor({ issue, onDone }: { issue: IssueDetail; onDone: () => void }) {
  const [title, setTitle] = useState(issue.title);
  const [description, setDescription] = useState(issue.description ?? "");
  const [titleError, setTitleError] = useState<string | null>(null);
  const update = useUpdateIssue(issue.id, { silent: true });
  const errors = fieldErrors(update.error);

  const save = (event?: FormEvent) => {
    event?.preventDefault();
    if (!title.trim()) {
      setTitleError("The title cannot be empty");
      return;
    }
    setTitleError(null);
    update.mutate(
      { title: title.trim(), description: description.trim() ? description : null },
      { onSuccess: onDone },
    );
  };

  return (
    <form onSubmit={save} className="grid gap-3" aria-label="Edit title and description">
      <span className="font-mono text-xs text-muted-foreground">{issue.identifier}</span>
      <Field label="Title" required error={titleError ?? errors.title}>
        <Input
          autoFocus
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          className="text-base"
        />
      </Field>
      <Field label="Description" error={errors.description}>
        <MarkdownEditor
          value={description}
          onChange={setDescription}
          rows={10}
          onSubmitShortcut={save}
          onCancelShortcut={onDone}
        />
      </Field>
      {update.error && Object.keys(errors).length === 0 ? (
        <p role="alert" className="text-sm text-destructive">
          {errorMessage(update.error)}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button type="button" variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" loading={update.isPending}>
          Save
        </Button>
      </div>
    </form>
  );
}

function PropertiesPanel({
  issue,
  onChange,
}: {
  issue: IssueDetail;
  onChange: (input: UpdateIssueInput) => void;
}) {
  const company = useCompany();
  const to = useCompanyPaths();
  const agents = useAgents(company.id);
  const projects = useProjects(company.id);
  const assignee = agents.data?.find((agent) => agent.id === issue.assigneeAgentId);
  const project = projects.data?.find((item) => item.id === issue.projectId);

  return (
    <aside
      aria-label="Properties"
      className="grid h-fit gap-4 rounded-xl border p-4 text-sm lg:sticky lg:top-4"
    >
      <Field label="Status">
        <StatusSelect value={issue.status} onChange={(status) => onChange({ status })} />
      </Field>
      <Field label="Priority">
        <PrioritySelect value={issue.priority} onChange={(priority) => onChange({ priority })} />
      </Field>
      <div className="grid gap-1.5">
        <Field label="Assignee">
          <AssigneeSelect
            value={issue.assigneeAgentId}
            agents={agents.data ?? []}
            disabled={agents.isPending}
            onChange={(assigneeAgentId) => onChange({ assigneeAgentId })}
          />
        </Field>
        {assignee ? (
          <Link to={to.agent(assignee.urlKey)} className="text-xs text-muted-foreground hover:underline">
            Open {assignee.name}
          </Link>
        ) : issue.assigneeUserId ? (
          <span className="text-xs text-muted-foreground">Assigned to the board</span>
        ) : null}
      </div>
      <div className="grid gap-1.5">
        <Field label="Project">
          <ProjectSelect
            value={issue.projectId}
            projects={projects.data ?? []}
            disabled={projects.isPending}
            onChange={(projectId) => onChange({ projectId })}
          />
        </Field>
        {project ? (
          <Link to={to.project(project.urlKey)} className="text-xs text-muted-foreground hover:underline">
            Open {project.name}
          </Link>
        ) : null}
      </div>
      <RelationList label="Blocked by" issues={issue.blockedBy} />
      <RelationList label="Blocking" issues={issue.blocks} />
      <div className="grid grid-cols-2 gap-3 border-t pt-3">
        <Property label="Created">
          <span title={formatDateTime(issue.createdAt)}>
            <RelativeTime date={issue.createdAt} />
          </span>
        </Property>
        <Property label="Updated">
          <span title={formatDateTime(issue.updatedAt)}>
            <RelativeTime date={issue.updatedAt} />
          </span>
        </Property>
      </div>
    </aside>
  );
}

function Property({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1">
      <div className="text-xs font-medium text-muted-foreground">{label}</div>
      <div>{children}</div>
    </div>
  );
}

function RelationList({ label, issues }: { label: string; issues: IssueSummary[] }) {
  const to = useCompanyPaths();
  if (issues.length === 0) return null;
  return (
    <Property label={label}>
      <ul className="grid gap-1">
        {issues.map((item) => (
          <li key={item.id}>
            <Link
              to={to.issue(item.identifier)}
              className="flex min-w-0 items-center gap-1.5 hover:underline"
            >
              <IssueStatusIcon status={item.status} />
              <span className="shrink-0 font-mono text-xs whitespace-nowrap text-muted-foreground">
                {item.identifier}
              </span>
              <span className="min-w-0 truncate">{item.title}</span>
            </Link>
          </li>
        ))}
      </ul>
    </Property>
  );
}

function IssueActivity({ issueId }: { issueId: string }) {
  const activity = useIssueActivity(issueId);
  return (
    <Card className="overflow-hidden">
      <QueryView
        query={activity}
        loading={<ListSkeleton rows={4} />}
        empty={<EmptyState compact icon={<History />} title="No activity yet" />}
      >
        {(events) => <ActivityFeed events={events} />}
      </QueryView>
    </Card>
  );
}
