// Comments on issues. Deleting keeps a tombstone (empty body, deletedAt) so threads keep their shape.
import { and, asc, desc, eq, gt, lt } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { issueComments } from "../db/schema.js";
import { conflict, forbidden, notFound } from "../errors.js";
import type { Actor } from "./actor.js";
import { findIssue, type IssueRow, lockIssue } from "./issue-records.js";
import { isUuid } from "./shared.js";
import type { Mutation, MutationRunner } from "./unit-of-work.js";

export type IssueComment = typeof issueComments.$inferSelect;

export interface CommentInput {
  body: string;
  authorType?: "user" | "agent" | "system";
  metadata?: Record<string, unknown> | null;
}

export interface CommentQuery {
  order?: "asc" | "desc";
  limit?: number;
  /** exclusive cursor (a comment id), following `order` */
  after?: string;
}

export async function insertComment(
  m: Mutation,
  issue: IssueRow,
  input: CommentInput,
): Promise<IssueComment> {
  const authorType =
    input.authorType ?? (m.actor.type === "agent" ? "agent" : m.actor.type === "user" ? "user" : "system");
  const [row] = await m.tx.orm
    .insert(issueComments)
    .values({
      companyId: issue.companyId,
      issueId: issue.id,
      authorAgentId: m.actor.agentId ?? null,
      authorUserId: m.actor.userId ?? null,
      authorType,
      createdByRunId: m.actor.runId ?? null,
      body: input.body,
      metadata: input.metadata ?? null,
      createdAt: m.now,
      updatedAt: m.now,
    })
    .returning();
  m.activity({
    companyId: issue.companyId,
    action: "issue.comment_added",
    entityType: "issue",
    entityId: issue.id,
    details: {
      commentId: row!.id,
      bodySnippet: input.body.slice(0, 120),
      identifier: issue.identifier,
      issueTitle: issue.title,
    },
  });
  return row!;
}

function isCommentAuthor(actor: Actor, comment: IssueComment): boolean {
  return (
    (actor.type === "agent" && comment.authorAgentId === actor.agentId) ||
    (actor.type === "user" && comment.authorUserId === actor.userId)
  );
}

export class IssueCommentsService {
  constructor(
    private readonly db: Database,
    private readonly runner: MutationRunner,
  ) {}

  async list(issueRef: string, query: CommentQuery = {}): Promise<IssueComment[]> {
    const issue = await findIssue(this.db.orm, issueRef);
    const order = query.order ?? "desc";
    const limit = Math.min(Math.max(1, query.limit ?? 500), 500);
    const where = [eq(issueComments.issueId, issue.id)];
    if (query.after) {
      if (!isUuid(query.after)) return [];
      const [cursor] = await this.db.orm
        .select({ createdAt: issueComments.createdAt })
        .from(issueComments)
        .where(and(eq(issueComments.id, query.after), eq(issueComments.issueId, issue.id)))
        .limit(1);
      if (!cursor) return [];
      where.push(
        order === "asc"
          ? gt(issueComments.createdAt, cursor.createdAt)
          : lt(issueComments.createdAt, cursor.createdAt),
      );
    }
    return this.db.orm
      .select()
      .from(issueComments)
      .where(and(...where))
      .orderBy(
        order === "asc" ? asc(issueComments.createdAt) : desc(issueComments.createdAt),
        order === "asc" ? asc(issueComments.id) : desc(issueComments.id),
      )
      .limit(limit);
  }

  async get(issueRef: string, commentId: string): Promise<IssueComment> {
    const issue = await findIssue(this.db.orm, issueRef);
    return this.find(issue.id, commentId);
  }

  create(actor: Actor, issueRef: string, input: CommentInput): Promise<IssueComment> {
    return this.runner.run(actor, async (m) => {
      const issue = await lockIssue(m, issueRef);
      const comment = await insertComment(m, issue, input);
      return comment;
    });
  }

  /** Replace the body of a comment: only its author may (like delete). A deleted comment stays deleted. */
  update(actor: Actor, issueRef: string, commentId: string, body: string): Promise<IssueComment> {
    return this.runner.run(actor, async (m) => {
      const issue = await lockIssue(m, issueRef);
      const comment = await this.find(issue.id, commentId, m);
      if (!isCommentAuthor(actor, comment)) throw forbidden("Only the comment author can edit comments");
      if (comment.deletedAt) throw conflict("Comment was deleted");
      if (comment.body === body) return comment;
      const [row] = await m.tx.orm
        .update(issueComments)
        .set({ body, updatedAt: m.now })
        .where(eq(issueComments.id, comment.id))
        .returning();
      m.activity({
        companyId: issue.companyId,
        action: "issue.comment_updated",
        entityType: "issue",
        entityId: issue.id,
        details: { commentId: comment.id, bodySnippet: body.slice(0, 120), identifier: issue.identifier },
      });
      return row!;
    });
  }

  delete(actor: Actor, issueRef: string, commentId: string): Promise<IssueComment> {
    return this.runner.run(actor, async (m) => {
      const issue = await lockIssue(m, issueRef);
      const comment = await this.find(issue.id, commentId, m);
      if (comment.deletedAt) return comment;
      if (!isCommentAuthor(actor, comment) && !actor.isInstanceAdmin) {
        throw forbidden("Only the comment author can delete comments");
      }
      const [row] = await m.tx.orm
        .update(issueComments)
        .set({ body: "", deletedAt: m.now, updatedAt: m.now })
        .where(eq(issueComments.id, comment.id))
        .returning();
      m.activity({
        companyId: issue.companyId,
        action: "issue.comment_deleted",
        entityType: "issue",
        entityId: issue.id,
        details: { commentId: comment.id, identifier: issue.identifier },
      });
      return row!;
    });
  }

  private async find(issueId: string, commentId: string, m?: Mutation): Promise<IssueComment> {
    if (!isUuid(commentId)) throw notFound("Comment not found");
    const orm = m?.tx.orm ?? this.db.orm;
    const [row] = await orm
      .select()
      .from(issueComments)
      .where(and(eq(issueComments.id, commentId), eq(issueComments.issueId, issueId)))
      .limit(1);
    if (!row) throw notFound("Comment not found");
    return row;
  }
}
