// An issue's documents ("plan", "notes", …): the list, one document's Markdown, editing (each save is a new
// revision, guarded by the revision the edit started from), the revision history with restore, and delete.
// The open document is `?doc=<key>` so a link can point at it.
import { ArrowLeft, FileText, History, Pencil, Plus, RotateCcw, Trash2 } from "lucide-react";
import { type FormEvent, useState } from "react";
import { useSearchParams } from "react-router";
import { errorMessage, isApiError } from "@/api/client";
import {
  useDeleteIssueDocument,
  useIssueDocument,
  useIssueDocumentRevisions,
  useIssueDocuments,
  usePutIssueDocument,
  useRestoreIssueDocumentRevision,
} from "@/api/issues";
import type { IssueDocument, IssueDocumentRevision } from "@/api/types";
import {
  Badge,
  Button,
  Card,
  ConfirmDialog,
  EmptyState,
  ErrorState,
  Field,
  Input,
  ListSkeleton,
  QueryView,
  RelativeTime,
  Skeleton,
  toast,
} from "@/components/ui";
import { Markdown } from "@/components/ui/Markdown";
import { cn } from "@/lib/cn";
import { formatDateTime } from "@/lib/format";
import { fieldErrors } from "./fieldErrors";
import { MarkdownEditor } from "./MarkdownEditor";

const KEY_RE = /^[a-z0-9][a-z0-9_-]*$/;
const NEW = "__new";

export function IssueDocuments({ issueId }: { issueId: string }) {
  const [searchParams, setSearchParams] = useSearchParams();
  const selected = searchParams.get("doc");
  const select = (key: string | null) =>
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (key) next.set("doc", key);
        else next.delete("doc");
        return next;
      },
      { replace: true, preventScrollReset: true },
    );

  if (selected === NEW) return <NewDocument issueId={issueId} onDone={select} />;
  if (selected) return <DocumentView issueId={issueId} docKey={selected} onBack={() => select(null)} />;
  return <DocumentList issueId={issueId} onOpen={select} />;
}

function DocumentList({ issueId, onOpen }: { issueId: string; onOpen: (key: string) => void }) {
  const documents = useIssueDocuments(issueId);
  const newButton = (
    <Button variant="outline" size="sm" onClick={() => onOpen(NEW)}>
      <Plus aria-hidden />
      New document
    </Button>
  );
  return (
    <QueryView
      query={documents}
      loading={<ListSkeleton rows={2} />}
      empty={
        <EmptyState
          compact
          icon={<FileText />}
          title="No documents"
          description="Plans, specs and notes that belong to this issue, with every revision kept."
          action={newButton}
        />
      }
    >
      {(list) => (
        <div className="grid gap-3">
          <div className="flex justify-end">{newButton}</div>
          <Card className="overflow-hidden">
            <ul aria-label="Documents" className="divide-y">
              {list.map((document) => (
                <li key={document.id}>
                  <button
                    type="button"
                    onClick={() => onOpen(document.key)}
                    className="flex w-full cursor-pointer items-center gap-3 px-4 py-2.5 text-left text-sm transition-colors hover:bg-muted/60 focus-visible:bg-muted/60 focus-visible:outline-offset-[-2px]"
                  >
                    <FileText aria-hidden className="size-4 shrink-0 text-muted-foreground" />
                    <span className="min-w-0 flex-1 truncate font-medium">
                      {document.title || document.key}
                    </span>
                    <span className="font-mono text-xs text-muted-foreground">{document.key}</span>
                    <Badge tone="neutral">rev {document.latestRevisionNumber}</Badge>
                    <RelativeTime
                      date={document.updatedAt}
                      className="w-20 shrink-0 text-right text-xs text-muted-foreground"
                    />
                  </button>
                </li>
              ))}
            </ul>
          </Card>
        </div>
      )}
    </QueryView>
  );
}

function NewDocument({ issueId, onDone }: { issueId: string; onDone: (key: string | null) => void }) {
  const [key, setKey] = useState("");
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [keyError, setKeyError] = useState<string | null>(null);
  const put = usePutIssueDocument(issueId, { silent: true });
  const existing = useIssueDocuments(issueId);
  const serverErrors = fieldErrors(put.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const normalized = key.trim().toLowerCase();
    if (!KEY_RE.test(normalized) || normalized.length > 64) {
      setKeyError("Use 1–64 characters a–z, 0–9, “-” or “_”, starting with a letter or digit");
      return;
    }
    if (existing.data?.some((document) => document.key === normalized)) {
      setKeyError(`This issue already has a document “${normalized}”`);
      return;
    }
    setKeyError(null);
    put.mutate(
      { key: normalized, format: "markdown", body, title: title.trim() || null },
      {
        onSuccess: (document) => {
          toast.success(`Created ${document.title || document.key}`);
          onDone(document.key);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate className="grid gap-4">
      <BackButton onClick={() => onDone(null)} />
      <h3 className="text-sm font-semibold">New document</h3>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Key" required hint="Short name, e.g. plan or spec" error={keyError ?? serverErrors.key}>
          <Input value={key} onChange={(event) => setKey(event.target.value)} placeholder="plan" autoFocus />
        </Field>
        <Field label="Title" error={serverErrors.title}>
          <Input value={title} onChange={(event) => setTitle(event.target.value)} placeholder="Plan" />
        </Field>
      </div>
      <Field label="Body" error={serverErrors.body}>
        <MarkdownEditor value={body} onChange={setBody} rows={10} />
      </Field>
      {put.error && Object.keys(serverErrors).length === 0 ? (
        <p role="alert" className="text-sm text-destructive">
          {errorMessage(put.error)}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button type="button" variant="outline" onClick={() => onDone(null)}>
          Cancel
        </Button>
        <Button type="submit" loading={put.isPending}>
          Create document
        </Button>
      </div>
    </form>
  );
}

function BackButton({ onClick }: { onClick: () => void }) {
  return (
    <div>
      <Button variant="ghost" size="sm" onClick={onClick} className="-ml-2">
        <ArrowLeft aria-hidden />
        All documents
      </Button>
    </div>
  );
}

function DocumentView({ issueId, docKey, onBack }: { issueId: string; docKey: string; onBack: () => void }) {
  const document = useIssueDocument(issueId, docKey);
  const [mode, setMode] = useState<"view" | "edit" | "history">("view");
  const [deleting, setDeleting] = useState(false);
  const remove = useDeleteIssueDocument(issueId);

  if (document.isPending) {
    return (
      <div className="grid gap-3">
        <BackButton onClick={onBack} />
        <Skeleton className="h-5 w-48" />
        <Skeleton className="h-32 w-full" />
      </div>
    );
  }
  if (document.isError) {
    const missing = isApiError(document.error) && document.error.status === 404;
    return (
      <div className="grid gap-3">
        <BackButton onClick={onBack} />
        <ErrorState
          compact
          title={missing ? `There is no document “${docKey}”` : undefined}
          error={document.error}
          onRetry={missing ? undefined : () => document.refetch()}
        />
      </div>
    );
  }
  const doc = document.data;
  return (
    <div className="grid gap-3">
      <BackButton onClick={onBack} />
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="text-base font-semibold">{doc.title || doc.key}</h3>
        <span className="font-mono text-xs text-muted-foreground">{doc.key}</span>
        <Badge tone="neutral">rev {doc.latestRevisionNumber}</Badge>
        <span className="text-xs text-muted-foreground" title={formatDateTime(doc.updatedAt)}>
          updated <RelativeTime date={doc.updatedAt} />
        </span>
        {mode === "view" ? (
          <div className="ml-auto flex gap-1">
            <Button variant="outline" size="sm" onClick={() => setMode("edit")}>
              <Pencil aria-hidden />
              Edit
            </Button>
            <Button variant="outline" size="sm" onClick={() => setMode("history")}>
              <History aria-hidden />
              History
            </Button>
            <Button variant="ghost" size="sm" onClick={() => setDeleting(true)}>
              <Trash2 aria-hidden />
              Delete
            </Button>
          </div>
        ) : null}
      </div>
      {mode === "edit" ? (
        <DocumentEditor issueId={issueId} document={doc} onDone={() => setMode("view")} />
      ) : mode === "history" ? (
        <RevisionHistory issueId={issueId} document={doc} onClose={() => setMode("view")} />
      ) : (
        <Card className="p-4">
          {doc.body.trim() ? (
            <Markdown>{doc.body}</Markdown>
          ) : (
            <p className="text-sm text-muted-foreground italic">This document is empty.</p>
          )}
        </Card>
      )}
      <ConfirmDialog
        open={deleting}
        onOpenChange={setDeleting}
        title={`Delete “${doc.title || doc.key}”?`}
        description="The document and all its revisions are removed from the issue."
        confirmLabel="Delete document"
        destructive
        onConfirm={async () => {
          await remove.mutateAsync(doc.key);
          toast.success("Document deleted");
          onBack();
        }}
      />
    </div>
  );
}

function DocumentEditor({
  issueId,
  document,
  onDone,
}: {
  issueId: string;
  document: IssueDocument;
  onDone: () => void;
}) {
  const [title, setTitle] = useState(document.title ?? "");
  const [body, setBody] = useState(document.body);
  const [summary, setSummary] = useState("");
  // The revision this edit started from: a save on top of someone else's newer revision is refused (409).
  const [baseRevisionId] = useState(document.latestRevisionId);
  const put = usePutIssueDocument(issueId, { silent: true });
  const conflict = isApiError(put.error) && put.error.status === 409;

  const save = (event?: FormEvent) => {
    event?.preventDefault();
    put.mutate(
      {
        key: document.key,
        format: "markdown",
        body,
        title: title.trim() || null,
        changeSummary: summary.trim() || null,
        baseRevisionId,
      },
      {
        onSuccess: (saved) => {
          toast.success(`Saved revision ${saved.latestRevisionNumber}`);
          onDone();
        },
      },
    );
  };

  return (
    <form onSubmit={save} className="grid gap-3">
      <Field label="Title">
        <Input value={title} onChange={(event) => setTitle(event.target.value)} />
      </Field>
      <Field label="Body">
        <MarkdownEditor
          value={body}
          onChange={setBody}
          rows={14}
          onSubmitShortcut={save}
          onCancelShortcut={onDone}
        />
      </Field>
      <Field label="Change summary" hint="Optional: what this revision changes, shown in the history.">
        <Input value={summary} onChange={(event) => setSummary(event.target.value)} maxLength={500} />
      </Field>
      {put.error ? (
        <p role="alert" className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive">
          {conflict
            ? "Someone saved a newer revision while you were editing. Copy your text, cancel, and edit the latest revision."
            : errorMessage(put.error)}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button type="button" variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" loading={put.isPending}>
          Save revision
        </Button>
      </div>
    </form>
  );
}

function RevisionHistory({
  issueId,
  document,
  onClose,
}: {
  issueId: string;
  document: IssueDocument;
  onClose: () => void;
}) {
  const revisions = useIssueDocumentRevisions(issueId, document.key);
  const restore = useRestoreIssueDocumentRevision(issueId);
  const [viewing, setViewing] = useState<string | null>(null);
  const [restoring, setRestoring] = useState<IssueDocumentRevision | null>(null);

  return (
    <div className="grid gap-3">
      <div className="flex items-center justify-between">
        <h4 className="text-sm font-medium">Revision history</h4>
        <Button variant="outline" size="sm" onClick={onClose}>
          Done
        </Button>
      </div>
      <QueryView query={revisions} loading={<ListSkeleton rows={3} />}>
        {(list) => {
          const shown = list.find((revision) => revision.id === viewing) ?? list[0];
          return (
            <div className="grid gap-3 md:grid-cols-[15rem_minmax(0,1fr)]">
              <ol aria-label="Revisions" className="grid h-fit gap-1">
                {list.map((revision) => {
                  const latest = revision.id === document.latestRevisionId;
                  return (
                    <li key={revision.id}>
                      <button
                        type="button"
                        aria-current={revision.id === shown?.id ? "true" : undefined}
                        onClick={() => setViewing(revision.id)}
                        className={cn(
                          "grid w-full cursor-pointer gap-0.5 rounded-md border px-3 py-2 text-left text-sm transition-colors hover:bg-muted/60",
                          revision.id === shown?.id && "border-foreground/30 bg-muted/60",
                        )}
                      >
                        <span className="flex items-center gap-2 font-medium">
                          Revision {revision.revisionNumber}
                          {latest ? <Badge tone="success">current</Badge> : null}
                        </span>
                        <span className="truncate text-xs text-muted-foreground">
                          {revision.changeSummary || "No summary"}
                        </span>
                        <span
                          className="text-xs text-muted-foreground"
                          title={formatDateTime(revision.createdAt)}
                        >
                          <RelativeTime date={revision.createdAt} />
                          {revision.createdByAgentId
                            ? " · by an agent"
                            : revision.createdByUserId
                              ? " · by the board"
                              : ""}
                        </span>
                      </button>
                    </li>
                  );
                })}
              </ol>
              {shown ? (
                <Card className="min-w-0 p-4">
                  <div className="mb-3 flex items-center gap-2">
                    <span className="text-sm font-medium">
                      Revision {shown.revisionNumber}
                      {shown.title ? ` · ${shown.title}` : ""}
                    </span>
                    {shown.id !== document.latestRevisionId ? (
                      <Button
                        size="sm"
                        variant="outline"
                        className="ml-auto"
                        onClick={() => setRestoring(shown)}
                      >
                        <RotateCcw aria-hidden />
                        Restore this revision
                      </Button>
                    ) : null}
                  </div>
                  {shown.body.trim() ? (
                    <Markdown>{shown.body}</Markdown>
                  ) : (
                    <p className="text-sm text-muted-foreground italic">Empty.</p>
                  )}
                </Card>
              ) : null}
            </div>
          );
        }}
      </QueryView>
      <ConfirmDialog
        open={restoring !== null}
        onOpenChange={(open) => (open ? null : setRestoring(null))}
        title={`Restore revision ${restoring?.revisionNumber ?? ""}?`}
        description="Its title and body become a new revision; the history keeps every revision."
        confirmLabel="Restore"
        onConfirm={async () => {
          if (!restoring) return;
          const saved = await restore.mutateAsync({ key: document.key, revisionId: restoring.id });
          toast.success(`Restored as revision ${saved.latestRevisionNumber}`);
          setViewing(null);
        }}
      />
    </div>
  );
}
