// The "New issue" dialog: title, Markdown description, status, priority, assignee and project. Host
// validation errors are shown on their fields; on success the caller gets the new issue (to open it).
import { type FormEvent, type ReactNode, useState } from "react";
import { useAgents } from "@/api/agents";
import { errorMessage } from "@/api/client";
import { useCreateIssue } from "@/api/issues";
import { useProjects } from "@/api/projects";
import type { IssueDetail, IssuePriority, IssueStatus } from "@/api/types";
import { useCompany } from "@/app/CompanyContext";
import {
  Button,
  Dialog,
  DialogBody,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  Field,
  Input,
} from "@/components/ui";
import { fieldErrors } from "./fieldErrors";
import { AssigneeSelect, PrioritySelect, ProjectSelect, StatusSelect } from "./IssueSelects";
import { MarkdownEditor } from "./MarkdownEditor";

interface Draft {
  title: string;
  description: string;
  status: IssueStatus;
  priority: IssuePriority;
  assigneeAgentId: string | null;
  projectId: string | null;
}

const EMPTY: Draft = {
  title: "",
  description: "",
  status: "backlog",
  priority: "medium",
  assigneeAgentId: null,
  projectId: null,
};

export function CreateIssueDialog({
  open,
  onOpenChange,
  onCreated,
  defaults,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (issue: IssueDetail) => void;
  /** Prefill (e.g. the project of the current filter). */
  defaults?: Partial<Draft>;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent width="lg">
        {/* Mounted only while open, so every opening starts from a clean draft. */}
        {open ? <CreateIssueForm onCreated={onCreated} defaults={defaults} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function CreateIssueForm({
  onCreated,
  defaults,
}: {
  onCreated: (issue: IssueDetail) => void;
  defaults?: Partial<Draft>;
}) {
  const company = useCompany();
  const agents = useAgents(company.id);
  const projects = useProjects(company.id);
  const create = useCreateIssue(company.id, { silent: true });
  const [draft, setDraft] = useState<Draft>({ ...EMPTY, ...defaults });
  const [titleError, setTitleError] = useState<string | null>(null);
  const serverErrors = fieldErrors(create.error);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.title.trim()) {
      setTitleError("Give the issue a title");
      return;
    }
    setTitleError(null);
    create.mutate(
      {
        title: draft.title.trim(),
        description: draft.description.trim() || null,
        status: draft.status,
        priority: draft.priority,
        assigneeAgentId: draft.assigneeAgentId,
        projectId: draft.projectId,
      },
      { onSuccess: onCreated },
    );
  };

  // An error the host did not tie to a field is shown above the buttons.
  const generalError =
    create.error && Object.keys(serverErrors).length === 0 ? errorMessage(create.error) : null;
  const errorFor = (field: keyof Draft): ReactNode => serverErrors[field];

  return (
    <form onSubmit={submit} noValidate className="grid gap-4">
      <DialogHeader>
        <DialogTitle>New issue</DialogTitle>
        <DialogDescription>Work for one of {company.name}'s agents.</DialogDescription>
      </DialogHeader>
      <DialogBody>
        <Field label="Title" required error={titleError ?? errorFor("title")}>
          <Input
            autoFocus
            value={draft.title}
            onChange={(event) => {
              set("title", event.target.value);
              if (titleError && event.target.value.trim()) setTitleError(null);
            }}
            placeholder="What needs doing?"
            maxLength={500}
          />
        </Field>
        <Field label="Description" error={errorFor("description")}>
          <MarkdownEditor
            value={draft.description}
            onChange={(value) => set("description", value)}
            rows={5}
            placeholder="Context, acceptance criteria, links…"
          />
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Status" error={errorFor("status")}>
            <StatusSelect value={draft.status} onChange={(value) => set("status", value)} />
          </Field>
          <Field label="Priority" error={errorFor("priority")}>
            <PrioritySelect value={draft.priority} onChange={(value) => set("priority", value)} />
          </Field>
          <Field
            label="Assignee"
            error={errorFor("assigneeAgentId")}
            hint={agents.isError ? "Agents could not be loaded." : undefined}
          >
            <AssigneeSelect
              value={draft.assigneeAgentId}
              onChange={(value) => set("assigneeAgentId", value)}
              agents={agents.data ?? []}
              disabled={agents.isPending}
            />
          </Field>
          <Field
            label="Project"
            error={errorFor("projectId")}
            hint={projects.isError ? "Projects could not be loaded." : undefined}
          >
            <ProjectSelect
              value={draft.projectId}
              onChange={(value) => set("projectId", value)}
              projects={projects.data ?? []}
              disabled={projects.isPending}
            />
          </Field>
        </div>
        {generalError ? (
          <p role="alert" className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive">
            {generalError}
          </p>
        ) : null}
      </DialogBody>
      <DialogFooter>
        <DialogClose asChild>
          <Button type="button" variant="outline">
            Cancel
          </Button>
        </DialogClose>
        <Button type="submit" loading={create.isPending}>
          Create issue
        </Button>
      </DialogFooter>
    </form>
  );
}
