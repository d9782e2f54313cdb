// Comments, documents, relations, checkout/release and activity of one issue.
import type { FastifyInstance } from "fastify";
import type { CommentInput, CommentQuery } from "../../domain/issue-comments.js";
import { DOCUMENT_BODY_MAX, type PutDocumentInput } from "../../domain/issue-documents.js";
import { ISSUE_STATUSES, type IssueStatus } from "../../domain/issue-records.js";
import {
  enumOf,
  idParam,
  int,
  LIMITS,
  nonEmpty,
  nullable,
  nullableRecord,
  nullableUuid,
  obj,
  str,
  uuid,
  uuidList,
} from "../../schema/schema-helpers.js";

const commentBody = obj(
  { body: nonEmpty(LIMITS.text), authorType: enumOf(["user", "agent", "system"]), metadata: nullableRecord },
  ["body"],
);
const documentBody = obj(
  {
    format: enumOf(["markdown"]),
    body: str(DOCUMENT_BODY_MAX),
    title: nullable(str(200)),
    changeSummary: nullable(str(500)),
    baseRevisionId: nullableUuid,
  },
  ["format", "body"],
);
const checkoutBody = obj(
  {
    agentId: uuid,
    expectedStatuses: {
      type: "array",
      items: enumOf(ISSUE_STATUSES),
      minItems: 1,
      maxItems: ISSUE_STATUSES.length,
    },
  },
  ["agentId", "expectedStatuses"],
);
const tags = ["issues"];
type P = { id: string; commentId: string; key: string };

export function registerIssueSubresourceRoutes(app: FastifyInstance): void {
  const { comments, documents, relations, checkout, activity, runs, issues } = app.paperclip.services;

  app.get(
    "/api/issues/:id/comments",
    {
      schema: {
        tags,
        params: idParam("id"),
        querystring: obj({
          order: enumOf(["asc", "desc"]),
          limit: int(1),
          after: str(LIMITS.key),
          afterCommentId: str(LIMITS.key),
        }),
      },
    },
    async (request) => {
      const query = request.query as CommentQuery & { afterCommentId?: string };
      return comments.list((request.params as P).id, {
        ...query,
        after: query.after ?? query.afterCommentId,
      });
    },
  );
  app.get(
    "/api/issues/:id/comments/:commentId",
    { schema: { tags, params: idParam("id", "commentId") } },
    async (request) => comments.get((request.params as P).id, (request.params as P).commentId),
  );
  app.post(
    "/api/issues/:id/comments",
    { schema: { tags, params: idParam("id"), body: commentBody } },
    async (request, reply) =>
      reply
        .status(201)
        .send(await comments.create(request.actor, (request.params as P).id, request.body as CommentInput)),
  );
  // Extension: the author edits a comment (the original only deletes).
  app.patch(
    "/api/issues/:id/comments/:commentId",
    {
      schema: {
        tags,
        params: idParam("id", "commentId"),
        body: obj({ body: nonEmpty(LIMITS.text) }, ["body"]),
      },
    },
    async (request) => {
      const params = request.params as P;
      return comments.update(
        request.actor,
        params.id,
        params.commentId,
        (request.body as { body: string }).body,
      );
    },
  );
  app.delete(
    "/api/issues/:id/comments/:commentId",
    { schema: { tags, params: idParam("id", "commentId") } },
    async (request) =>
      comments.delete(request.actor, (request.params as P).id, (request.params as P).commentId),
  );

  app.get("/api/issues/:id/documents", { schema: { tags, params: idParam("id") } }, async (request) =>
    documents.list((request.params as P).id),
  );
  app.get(
    "/api/issues/:id/documents/:key",
    { schema: { tags, params: idParam("id", "key") } },
    async (request) => documents.get((request.params as P).id, (request.params as P).key),
  );
  app.put(
    "/api/issues/:id/documents/:key",
    { schema: { tags, params: idParam("id", "key"), body: documentBody } },
    async (request, reply) => {
      const params = request.params as P;
      const result = await documents.put(
        request.actor,
        params.id,
        params.key,
        request.body as PutDocumentInput,
      );
      return reply.status(result.created ? 201 : 200).send(result.document);
    },
  );
  app.delete(
    "/api/issues/:id/documents/:key",
    { schema: { tags, params: idParam("id", "key") } },
    async (request) => documents.delete(request.actor, (request.params as P).id, (request.params as P).key),
  );
  app.get(
    "/api/issues/:id/documents/:key/revisions",
    { schema: { tags, params: idParam("id", "key") } },
    async (request) => documents.revisions((request.params as P).id, (request.params as P).key),
  );

  app.post(
    "/api/issues/:id/documents/:key/revisions/:revisionId/restore",
    { schema: { tags, params: idParam("id", "key", "revisionId") } },
    async (request) => {
      const params = request.params as P & { revisionId: string };
      return documents.restore(request.actor, params.id, params.key, params.revisionId);
    },
  );

  // Extension: relations read and written directly (the original only writes them through blockedByIssueIds).
  app.get("/api/issues/:id/relations", { schema: { tags, params: idParam("id") } }, async (request) =>
    relations.get((request.params as P).id),
  );
  app.put(
    "/api/issues/:id/relations/blocked-by",
    {
      schema: {
        tags,
        params: idParam("id"),
        body: obj({ blockedByIssueIds: uuidList() }, ["blockedByIssueIds"]),
      },
    },
    async (request) =>
      relations.setBlockedBy(
        request.actor,
        (request.params as P).id,
        (request.body as { blockedByIssueIds: string[] }).blockedByIssueIds,
      ),
  );

  app.post(
    "/api/issues/:id/checkout",
    { schema: { tags, params: idParam("id"), body: checkoutBody } },
    async (request) =>
      checkout.checkout(
        request.actor,
        (request.params as P).id,
        request.body as { agentId: string; expectedStatuses: IssueStatus[] },
      ),
  );
  app.post("/api/issues/:id/release", { schema: { tags, params: idParam("id") } }, async (request) =>
    checkout.release(request.actor, (request.params as P).id),
  );

  app.get("/api/issues/:id/activity", { schema: { tags, params: idParam("id") } }, async (request) =>
    activity.listForIssue((request.params as P).id),
  );
  app.get("/api/issues/:id/runs", { schema: { tags, params: idParam("id") } }, async (request) => {
    const issue = await issues.get((request.params as P).id);
    return runs.listForIssue(issue.id);
  });
}
