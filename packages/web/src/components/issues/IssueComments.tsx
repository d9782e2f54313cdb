// An issue's comment thread: the list (oldest first), a Markdown composer, and in-place editing of the
// board's own comments.
import { MessageSquare, Pencil } from "lucide-react";
import { type FormEvent, useState } from "react";
import { useAgentsById } from "@/api/agents";
import { errorMessage } from "@/api/client";
import { useAddComment, useIssueComments, useUpdateComment } from "@/api/issues";
import type { IssueComment } from "@/api/types";
import { useCompany } from "@/app/CompanyContext";
import {
  Avatar,
  Button,
  Card,
  EmptyState,
  IconButton,
  ListSkeleton,
  QueryView,
  RelativeTime,
} from "@/components/ui";
import { Markdown } from "@/components/ui/Markdown";
import { formatDateTime } from "@/lib/format";
import { PluginCommentAnnotations, PluginCommentMenu } from "@/plugin-slots/surfaces";
import { MarkdownEditor } from "./MarkdownEditor";

/** The user id the local board acts as (the host's `local-board` actor): its comments are "yours". */
const BOARD_USER_ID = "local-board";

export function IssueComments({ issueId }: { issueId: string }) {
  const comments = useIssueComments(issueId);
  return (
    <div className="grid gap-4">
      <QueryView
        query={comments}
        loading={<ListSkeleton rows={3} />}
        empty={
          <EmptyState
            compact
            icon={<MessageSquare />}
            title="No comments yet"
            description="Questions, decisions and progress notes go here."
          />
        }
      >
        {(list) => (
          <ol aria-label="Comments" className="grid gap-3">
            {list.map((comment) => (
              <li key={comment.id}>
                <CommentCard issueId={issueId} comment={comment} />
              </li>
            ))}
          </ol>
        )}
      </QueryView>
      <CommentComposer issueId={issueId} />
    </div>
  );
}

function CommentCard({ issueId, comment }: { issueId: string; comment: IssueComment }) {
  const company = useCompany();
  const agents = useAgentsById(company.id);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(comment.body);
  const update = useUpdateComment(issueId, { silent: true });
  const own = comment.authorType === "user" && comment.authorUserId === BOARD_USER_ID && !comment.deletedAt;
  const author =
    comment.authorType === "agent"
      ? (agents.get(comment.authorAgentId ?? "")?.name ?? "Agent")
      : comment.authorType === "system"
        ? "System"
        : own
          ? "You"
          : "Board";
  const edited = comment.updatedAt !== comment.createdAt && !comment.deletedAt;

  const save = () => {
    if (!draft.trim()) return;
    update.mutate({ commentId: comment.id, body: draft }, { onSuccess: () => setEditing(false) });
  };
  const cancel = () => {
    setDraft(comment.body);
    setEditing(false);
    update.reset();
  };

  return (
    <Card className="group p-3.5">
      <div className="mb-1.5 flex items-center gap-2 text-xs text-muted-foreground">
        <Avatar name={author} kind={comment.authorType === "agent" ? "agent" : "person"} size="xs" />
        <span className="font-medium text-foreground">{author}</span>
        <span title={formatDateTime(comment.createdAt)}>
          <RelativeTime date={comment.createdAt} />
        </span>
        {edited ? <span title={`Edited ${formatDateTime(comment.updatedAt)}`}>· edited</span> : null}
        {own && !editing ? (
          <IconButton
            size="icon-sm"
            className="ml-auto opacity-60 group-hover:opacity-100 focus-visible:opacity-100"
            label="Edit comment"
            icon={<Pencil aria-hidden />}
            onClick={() => {
              setDraft(comment.body);
              setEditing(true);
            }}
          />
        ) : null}
        <PluginCommentMenu commentId={comment.id} issueId={issueId} className="ml-auto [.ml-auto~&]:ml-0" />
      </div>
      {editing ? (
        <div className="grid gap-2">
          <MarkdownEditor
            aria-label="Edit comment"
            autoFocus
            value={draft}
            onChange={setDraft}
            rows={4}
            onSubmitShortcut={save}
            onCancelShortcut={cancel}
          />
          {update.error ? (
            <p role="alert" className="text-xs font-medium text-destructive">
              {errorMessage(update.error)}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button size="sm" variant="outline" onClick={cancel}>
              Cancel
            </Button>
            <Button size="sm" onClick={save} loading={update.isPending} disabled={!draft.trim()}>
              Save
            </Button>
          </div>
        </div>
      ) : comment.deletedAt ? (
        <p className="text-sm text-muted-foreground italic">This comment was deleted.</p>
      ) : (
        <Markdown>{comment.body}</Markdown>
      )}
      <PluginCommentAnnotations commentId={comment.id} issueId={issueId} />
    </Card>
  );
}

function CommentComposer({ issueId }: { issueId: string }) {
  const [body, setBody] = useState("");
  const add = useAddComment(issueId, { silent: true });
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!body.trim() || add.isPending) return;
    add.mutate(body, { onSuccess: () => setBody("") });
  };
  return (
    <form onSubmit={submit} className="grid gap-2" aria-label="Add a comment">
      <MarkdownEditor
        aria-label="Comment"
        placeholder="Leave a comment… (Markdown; Ctrl+Enter to send)"
        value={body}
        onChange={setBody}
        rows={3}
        onSubmitShortcut={submit}
      />
      {add.error ? (
        <p role="alert" className="text-xs font-medium text-destructive">
          Could not add the comment: {errorMessage(add.error)}
        </p>
      ) : null}
      <div className="flex justify-end">
        <Button type="submit" loading={add.isPending} disabled={!body.trim()}>
          Comment
        </Button>
      </div>
    </form>
  );
}
