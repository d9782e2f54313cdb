// The project's workspaces (where its code lives): list, add, edit, make primary and remove, through
// /api/projects/:id/workspaces. Used by the project detail page's "Workspaces" tab.

import { FolderGit2, MoreHorizontal, Plus, Star } from "lucide-react";
import { type FormEvent, useState } from "react";
import { errorMessage } from "@/api/client";
import {
  useCreateWorkspace,
  useDeleteWorkspace,
  useProjectWorkspaces,
  useUpdateWorkspace,
} from "@/api/projects";
import type { Project, ProjectWorkspace, WorkspaceInput } from "@/api/types";
import {
  Badge,
  Button,
  Card,
  ConfirmDialog,
  Dialog,
  DialogBody,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
  EmptyState,
  Field,
  IconButton,
  Input,
  QueryView,
  RelativeTime,
  Select,
  toast,
} from "@/components/ui";

const SOURCE_TYPES: { value: ProjectWorkspace["sourceType"]; label: string }[] = [
  { value: "local_path", label: "Local folder" },
  { value: "git_repo", label: "Git repository" },
  { value: "non_git_path", label: "Folder without git" },
  { value: "remote_managed", label: "Remote (managed)" },
];
const sourceLabel = (type: string) => SOURCE_TYPES.find((entry) => entry.value === type)?.label ?? type;

export function WorkspacesPanel({ project }: { project: Project }) {
  const workspaces = useProjectWorkspaces(project.id);
  const [editing, setEditing] = useState<ProjectWorkspace | "new" | null>(null);
  const [removing, setRemoving] = useState<ProjectWorkspace | null>(null);
  const update = useUpdateWorkspace(project.id, { errorTitle: "Could not change the workspace" });
  const remove = useDeleteWorkspace(project.id, { silent: true });

  const addButton = (
    <Button size="sm" variant="outline" onClick={() => setEditing("new")}>
      <Plus aria-hidden />
      Add workspace
    </Button>
  );

  return (
    <>
      <Card className="overflow-hidden">
        <QueryView
          query={workspaces}
          empty={
            <EmptyState
              compact
              icon={<FolderGit2 />}
              title="No workspace yet"
              description="A workspace tells agents where the project's code lives: a folder or a git repository."
              action={addButton}
            />
          }
        >
          {(list) => (
            <>
              <div className="flex items-center justify-between gap-3 border-b px-4 py-2.5">
                <p className="text-sm text-muted-foreground">
                  {list.length === 1 ? "1 workspace" : `${list.length} workspaces`}
                </p>
                {addButton}
              </div>
              <ul className="divide-y">
                {list.map((workspace) => (
                  <li key={workspace.id} className="flex items-start gap-3 px-4 py-3">
                    <FolderGit2 aria-hidden className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
                    <div className="min-w-0 flex-1">
                      <div className="flex flex-wrap items-center gap-2">
                        <span className="font-medium">{workspace.name}</span>
                        {workspace.isPrimary ? (
                          <Badge tone="info">
                            <Star aria-hidden />
                            Primary
                          </Badge>
                        ) : null}
                        <Badge tone="outline">{sourceLabel(workspace.sourceType)}</Badge>
                      </div>
                      <p className="mt-0.5 truncate font-mono text-xs text-muted-foreground">
                        {[workspace.cwd, workspace.repoUrl, workspace.repoRef].filter(Boolean).join(" · ") ||
                          "—"}
                      </p>
                      {workspace.setupCommand ? (
                        <p className="mt-0.5 truncate text-xs text-muted-foreground">
                          Setup: <code className="font-mono">{workspace.setupCommand}</code>
                        </p>
                      ) : null}
                    </div>
                    <span className="hidden shrink-0 text-xs text-muted-foreground sm:block">
                      Updated <RelativeTime date={workspace.updatedAt} />
                    </span>
                    <DropdownMenu>
                      <DropdownMenuTrigger asChild>
                        <IconButton
                          size="icon-sm"
                          variant="ghost"
                          label={`Actions for workspace ${workspace.name}`}
                          icon={<MoreHorizontal />}
                        />
                      </DropdownMenuTrigger>
                      <DropdownMenuContent align="end">
                        <DropdownMenuItem onSelect={() => setEditing(workspace)}>Edit…</DropdownMenuItem>
                        {workspace.isPrimary ? null : (
                          <DropdownMenuItem
                            onSelect={() =>
                              update.mutate(
                                { workspaceId: workspace.id, isPrimary: true },
                                { onSuccess: () => toast.success(`${workspace.name} is now primary`) },
                              )
                            }
                          >
                            Make primary
                          </DropdownMenuItem>
                        )}
                        <DropdownMenuSeparator />
                        <DropdownMenuItem
                          className="text-destructive"
                          onSelect={() => setRemoving(workspace)}
                        >
                          Remove…
                        </DropdownMenuItem>
                      </DropdownMenuContent>
                    </DropdownMenu>
                  </li>
                ))}
              </ul>
            </>
          )}
        </QueryView>
      </Card>
      <WorkspaceDialog
        projectId={project.id}
        workspace={editing === "new" ? null : editing}
        open={editing !== null}
        onOpenChange={(open) => !open && setEditing(null)}
      />
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        destructive
        title={`Remove ${removing?.name ?? "the workspace"}?`}
        description="Agents stop using this folder for the project. Nothing on disk is deleted."
        confirmLabel="Remove workspace"
        onConfirm={async () => {
          if (!removing) return;
          await remove.mutateAsync(removing.id);
          toast.success(`${removing.name} removed`);
        }}
      />
    </>
  );
}

function WorkspaceDialog({
  projectId,
  workspace,
  open,
  onOpenChange,
}: {
  projectId: string;
  workspace: ProjectWorkspace | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        {open ? (
          <WorkspaceForm
            key={workspace?.id ?? "new"}
            projectId={projectId}
            workspace={workspace}
            onDone={() => onOpenChange(false)}
          />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

function WorkspaceForm({
  projectId,
  workspace,
  onDone,
}: {
  projectId: string;
  workspace: ProjectWorkspace | null;
  onDone: () => void;
}) {
  const create = useCreateWorkspace(projectId, { silent: true });
  const update = useUpdateWorkspace(projectId, { silent: true });
  const [name, setName] = useState(workspace?.name ?? "");
  const [sourceType, setSourceType] = useState<ProjectWorkspace["sourceType"]>(
    workspace?.sourceType ?? "local_path",
  );
  const [cwd, setCwd] = useState(workspace?.cwd ?? "");
  const [repoUrl, setRepoUrl] = useState(workspace?.repoUrl ?? "");
  const [repoRef, setRepoRef] = useState(workspace?.repoRef ?? "");
  const [setupCommand, setSetupCommand] = useState(workspace?.setupCommand ?? "");
  const [submitted, setSubmitted] = useState(false);
  const mutation = workspace ? update : create;

  const locationError = !cwd.trim() && !repoUrl.trim() ? "Enter a folder path or a repository URL" : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (locationError) return;
    const input: WorkspaceInput = {
      sourceType,
      cwd: cwd.trim() || null,
      repoUrl: repoUrl.trim() || null,
      repoRef: repoRef.trim() || null,
      setupCommand: setupCommand.trim() || null,
      ...(name.trim() ? { name: name.trim() } : {}),
    };
    const onSuccess = () => {
      toast.success(workspace ? "Workspace saved" : "Workspace added");
      onDone();
    };
    if (workspace) update.mutate({ workspaceId: workspace.id, ...input }, { onSuccess });
    else create.mutate(input, { onSuccess });
  };

  return (
    <form onSubmit={submit} noValidate className="grid gap-4">
      <DialogHeader>
        <DialogTitle>{workspace ? `Edit ${workspace.name}` : "Add a workspace"}</DialogTitle>
        <DialogDescription>Where agents find the project's code.</DialogDescription>
      </DialogHeader>
      <DialogBody>
        <Field label="Name" hint="Defaults to the folder or repository name.">
          <Input value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />
        </Field>
        <Field label="Kind">
          <Select value={sourceType} onValueChange={setSourceType} options={SOURCE_TYPES} />
        </Field>
        <Field label="Folder path" error={submitted ? locationError : null}>
          <Input
            value={cwd}
            placeholder="/home/me/code/website"
            className="font-mono"
            onChange={(event) => setCwd(event.target.value)}
          />
        </Field>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label="Repository URL" className="sm:col-span-2">
            <Input
              value={repoUrl}
              placeholder="https://github.com/acme/website"
              className="font-mono"
              onChange={(event) => setRepoUrl(event.target.value)}
            />
          </Field>
          <Field label="Branch or ref">
            <Input
              value={repoRef}
              placeholder="main"
              className="font-mono"
              onChange={(event) => setRepoRef(event.target.value)}
            />
          </Field>
        </div>
        <Field label="Setup command" hint="Run once before an agent works in the workspace.">
          <Input
            value={setupCommand}
            placeholder="npm install"
            className="font-mono"
            onChange={(event) => setSetupCommand(event.target.value)}
          />
        </Field>
        {mutation.error ? (
          <p role="alert" className="text-sm text-destructive">
            {errorMessage(mutation.error)}
          </p>
        ) : null}
      </DialogBody>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" loading={mutation.isPending}>
          {workspace ? "Save workspace" : "Add workspace"}
        </Button>
      </DialogFooter>
    </form>
  );
}
