import type { FastifyInstance } from "fastify";
import {
  APPROVAL_STATUSES,
  APPROVAL_TYPES,
  type CreateApprovalInput,
  type Decision,
} from "../../domain/approvals.js";
import {
  enumOf,
  idParam,
  LIMITS,
  nullable,
  nullableUuid,
  obj,
  pageQuery,
  record,
  str,
  uuidList,
} from "../../schema/schema-helpers.js";

const createBody = obj(
  { type: enumOf(APPROVAL_TYPES), payload: record, requestedByAgentId: nullableUuid, issueIds: uuidList() },
  ["type", "payload"],
);
const decisionBody = obj({ decisionNote: nullable(str(LIMITS.text)) });
const tags = ["approvals"];
type P = { companyId: string; id: string };

export function registerApprovalRoutes(app: FastifyInstance): void {
  const { approvals } = app.paperclip.services;
  app.get(
    "/api/companies/:companyId/approvals",
    {
      schema: {
        tags,
        params: idParam("companyId"),
        querystring: obj({ ...pageQuery(1000), status: enumOf(APPROVAL_STATUSES) }),
      },
    },
    async (request) => approvals.list((request.params as P).companyId, request.query as { status?: string }),
  );
  app.post(
    "/api/companies/:companyId/approvals",
    { schema: { tags, params: idParam("companyId"), body: createBody } },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await approvals.create(
            request.actor,
            (request.params as P).companyId,
            request.body as CreateApprovalInput,
          ),
        ),
  );
  app.get("/api/approvals/:id", { schema: { tags, params: idParam("id") } }, async (request) =>
    approvals.get((request.params as P).id),
  );
  app.get("/api/approvals/:id/issues", { schema: { tags, params: idParam("id") } }, async (request) =>
    approvals.linkedIssues((request.params as P).id),
  );
  const decisions: Array<[string, Decision]> = [
    ["approve", "approve"],
    ["reject", "reject"],
    ["request-revision", "request_revision"],
  ];
  for (const [path, decision] of decisions) {
    app.post(
      `/api/approvals/:id/${path}`,
      { schema: { tags, params: idParam("id"), body: decisionBody } },
      async (request) => {
        const body = request.body as { decisionNote?: string | null };
        return (await approvals.decide(request.actor, (request.params as P).id, decision, body.decisionNote))
          .approval;
      },
    );
  }
  app.post(
    "/api/approvals/:id/resubmit",
    { schema: { tags, params: idParam("id"), body: obj({ payload: record }) } },
    async (request) =>
      approvals.resubmit(
        request.actor,
        (request.params as P).id,
        (request.body as { payload?: Record<string, unknown> }).payload,
      ),
  );
}
