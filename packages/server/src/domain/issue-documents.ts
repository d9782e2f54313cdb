// Versioned documents keyed per issue ("plan", "notes", …). Every write adds a revision.
// Unlike the original, a write without baseRevisionId is last-writer-wins; with one, a stale base is a 409.
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { documentRevisions, issueDocuments } from "../db/schema.js";
import { badRequest, conflict, notFound } from "../errors.js";
import type { Actor } from "./actor.js";
import { findIssue, lockIssue } from "./issue-records.js";
import { isUuid } from "./shared.js";
import type { Mutation, MutationRunner } from "./unit-of-work.js";

export type IssueDocument = typeof issueDocuments.$inferSelect;
export type DocumentRevision = typeof documentRevisions.$inferSelect;
export const DOCUMENT_KEY_RE = /^[a-z0-9][a-z0-9_-]*$/;
export const DOCUMENT_BODY_MAX = 524_288;

export interface PutDocumentInput {
  format?: "markdown";
  body: string;
  title?: string | null;
  changeSummary?: string | null;
  baseRevisionId?: string | null;
}

export function normalizeDocumentKey(key: string): string {
  const normalized = key.toLowerCase();
  if (normalized.length < 1 || normalized.length > 64 || !DOCUMENT_KEY_RE.test(normalized)) {
    throw badRequest(
      "Invalid document key: use 1-64 characters a-z, 0-9, '_' or '-', starting with a letter or digit",
      {
        field: "key",
        key,
      },
    );
  }
  return normalized;
}

export class IssueDocumentsService {
  constructor(
    private readonly db: Database,
    private readonly runner: MutationRunner,
  ) {}

  async list(issueRef: string): Promise<IssueDocument[]> {
    const issue = await findIssue(this.db.orm, issueRef);
    return this.db.orm
      .select()
      .from(issueDocuments)
      .where(eq(issueDocuments.issueId, issue.id))
      .orderBy(asc(issueDocuments.key));
  }

  async get(issueRef: string, key: string): Promise<IssueDocument> {
    const issue = await findIssue(this.db.orm, issueRef);
    const [row] = await this.db.orm
      .select()
      .from(issueDocuments)
      .where(and(eq(issueDocuments.issueId, issue.id), eq(issueDocuments.key, normalizeDocumentKey(key))))
      .limit(1);
    if (!row) throw notFound("Document not found");
    return row;
  }

  async revisions(issueRef: string, key: string): Promise<DocumentRevision[]> {
    const document = await this.get(issueRef, key);
    return this.db.orm
      .select()
      .from(documentRevisions)
      .where(eq(documentRevisions.documentId, document.id))
      .orderBy(desc(documentRevisions.revisionNumber));
  }

  /** Create or update; `created` tells which (the HTTP layer answers 201 or 200). */
  put(
    actor: Actor,
    issueRef: string,
    key: string,
    input: PutDocumentInput,
  ): Promise<{ document: IssueDocument; created: boolean }> {
    return this.runner.run(actor, async (m) => {
      const issue = await lockIssue(m, issueRef);
      const docKey = normalizeDocumentKey(key);
      const [current] = await m.tx.orm
        .select()
        .from(issueDocuments)
        .where(and(eq(issueDocuments.issueId, issue.id), eq(issueDocuments.key, docKey)))
        .for("update")
        .limit(1);
      if (!current && input.baseRevisionId) {
        throw conflict("Document does not exist yet: omit baseRevisionId to create it", {
          field: "baseRevisionId",
        });
      }
      if (current && input.baseRevisionId && input.baseRevisionId !== current.latestRevisionId) {
        throw conflict("Document was updated by someone else", {
          field: "baseRevisionId",
          currentRevisionId: current.latestRevisionId,
        });
      }
      const revisionId = randomUUID();
      const documentId = current?.id ?? randomUUID();
      const revisionNumber = (current?.latestRevisionNumber ?? 0) + 1;
      const title = input.title !== undefined ? input.title : (current?.title ?? null);
      const author = { agentId: m.actor.agentId ?? null, userId: m.actor.userId ?? null };
      let document: IssueDocument;
      if (!current) {
        [document] = (await m.tx.orm
          .insert(issueDocuments)
          .values({
            id: documentId,
            companyId: issue.companyId,
            issueId: issue.id,
            key: docKey,
            title,
            format: input.format ?? "markdown",
            body: input.body,
            latestRevisionId: revisionId,
            latestRevisionNumber: revisionNumber,
            createdByAgentId: author.agentId,
            createdByUserId: author.userId,
            updatedByAgentId: author.agentId,
            updatedByUserId: author.userId,
            createdAt: m.now,
            updatedAt: m.now,
          })
          .returning()) as [IssueDocument];
      } else {
        [document] = (await m.tx.orm
          .update(issueDocuments)
          .set({
            title,
            body: input.body,
            latestRevisionId: revisionId,
            latestRevisionNumber: revisionNumber,
            updatedByAgentId: author.agentId,
            updatedByUserId: author.userId,
            updatedAt: m.now,
          })
          .where(eq(issueDocuments.id, documentId))
          .returning()) as [IssueDocument];
      }
      await m.tx.orm.insert(documentRevisions).values({
        id: revisionId,
        companyId: issue.companyId,
        documentId,
        issueId: issue.id,
        key: docKey,
        revisionNumber,
        title,
        format: document.format,
        body: input.body,
        changeSummary: input.changeSummary ?? null,
        createdByAgentId: author.agentId,
        createdByUserId: author.userId,
        createdAt: m.now,
      });
      this.log(m, current ? "issue.document_updated" : "issue.document_created", issue, document);
      return { document, created: !current };
    });
  }

  /**
   * Make an older revision current again: a new revision with its title and body (history is never
   * rewritten). 409 when it already is the latest.
   */
  async restore(actor: Actor, issueRef: string, key: string, revisionId: string): Promise<IssueDocument> {
    const document = await this.get(issueRef, key);
    if (!isUuid(revisionId)) throw notFound("Revision not found");
    const [revision] = await this.db.orm
      .select()
      .from(documentRevisions)
      .where(and(eq(documentRevisions.id, revisionId), eq(documentRevisions.documentId, document.id)))
      .limit(1);
    if (!revision) throw notFound("Revision not found");
    if (revision.id === document.latestRevisionId) {
      throw conflict("This revision is already the latest", { field: "revisionId" });
    }
    const { document: restored } = await this.put(actor, issueRef, key, {
      format: "markdown",
      body: revision.body,
      title: revision.title,
      changeSummary: `Restored revision ${revision.revisionNumber}`,
      baseRevisionId: document.latestRevisionId,
    });
    return restored;
  }

  delete(actor: Actor, issueRef: string, key: string): Promise<{ ok: true }> {
    return this.runner.run(actor, async (m) => {
      const issue = await lockIssue(m, issueRef);
      const [current] = await m.tx.orm
        .delete(issueDocuments)
        .where(and(eq(issueDocuments.issueId, issue.id), eq(issueDocuments.key, normalizeDocumentKey(key))))
        .returning();
      if (!current) throw notFound("Document not found");
      this.log(m, "issue.document_deleted", issue, current);
      return { ok: true as const };
    });
  }

  private log(
    m: Mutation,
    action: string,
    issue: { id: string; companyId: string; identifier: string },
    document: IssueDocument,
  ) {
    m.activity({
      companyId: issue.companyId,
      action,
      entityType: "issue",
      entityId: issue.id,
      details: {
        identifier: issue.identifier,
        documentId: document.id,
        key: document.key,
        title: document.title,
        revisionId: document.latestRevisionId,
        revisionNumber: document.latestRevisionNumber,
      },
    });
  }
}
