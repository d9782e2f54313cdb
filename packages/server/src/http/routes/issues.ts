import type { FastifyInstance } from "fastify";
import {
  ISSUE_PRIORITIES,
  ISSUE_REVIEW_POLICIES,
  ISSUE_STATUSES,
  ISSUE_WORK_MODES,
} from "../../domain/issue-records.js";
import type { CreateIssueInput, IssueFilter, UpdateIssueInput } from "../../domain/issues.js";
import { badRequest } from "../../errors.js";
import {
  dateTime,
  enumOf,
  idParam,
  int,
  LIMITS,
  nonEmpty,
  nullable,
  nullableRecord,
  nullableUuid,
  obj,
  pageQuery,
  partial,
  str,
  uuidList,
} from "../schema-helpers.js";

const issueFields = {
  title: nonEmpty(LIMITS.title),
  description: nullable(str(LIMITS.text)),
  status: enumOf(ISSUE_STATUSES),
  priority: enumOf(ISSUE_PRIORITIES),
  workMode: enumOf(ISSUE_WORK_MODES),
  projectId: nullableUuid,
  projectWorkspaceId: nullableUuid,
  goalId: nullableUuid,
  parentId: nullableUuid,
  assigneeAgentId: nullableUuid,
  assigneeUserId: nullable(str(LIMITS.key)),
  blockedByIssueIds: uuidList(),
  reviewPolicy: nullable(enumOf(ISSUE_REVIEW_POLICIES)),
  requestDepth: int(0, 1000),
  billingCode: nullable(str(LIMITS.key)),
  assigneeAdapterOverrides: nullableRecord,
};
export const createIssueBody = obj(
  {
    ...issueFields,
    originKind: nonEmpty(64),
    originId: nullable(str(LIMITS.key)),
    originRunId: nullableUuid,
  },
  ["title"],
);
const updateIssueBody = partial(
  obj({
    ...issueFields,
    // PATCH also accepts an agent shortname as assignee, as the original does.
    assigneeAgentId: nullable(nonEmpty(LIMITS.key)),
    hiddenAt: nullable(dateTime),
    comment: nonEmpty(LIMITS.text),
  }),
);
const listQuery = obj({
  ...pageQuery(1000),
  status: str(LIMITS.shortText, { description: "comma-separated statuses" }),
  assigneeAgentId: str(LIMITS.key, { description: 'an agent id, or "null" for unassigned' }),
  assigneeUserId: str(LIMITS.key),
  projectId: str(LIMITS.key),
  parentId: str(LIMITS.key),
  parentIssueId: str(LIMITS.key),
  goalId: str(LIMITS.key),
  originKind: str(64),
  q: str(LIMITS.title),
});
const tags = ["issues"];
type P = { companyId: string; id: string };

export function registerIssueRoutes(app: FastifyInstance): void {
  const { issues } = app.paperclip.services;
  app.get(
    "/api/companies/:companyId/issues",
    { schema: { tags, params: idParam("companyId"), querystring: listQuery } },
    async (request) => {
      const query = request.query as Record<string, string | number | undefined>;
      const statuses =
        typeof query.status === "string"
          ? query.status
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean)
          : [];
      const unknown = statuses.find((status) => !(ISSUE_STATUSES as readonly string[]).includes(status));
      if (unknown) {
        throw badRequest(`Validation error: querystring.status has unknown status "${unknown}"`, {
          field: "status",
          allowed: ISSUE_STATUSES,
        });
      }
      const filter: IssueFilter = {
        ...(query as IssueFilter),
        status: statuses,
        parentId: (query.parentId ?? query.parentIssueId) as string | undefined,
      };
      return issues.list((request.params as P).companyId, filter);
    },
  );
  app.post(
    "/api/companies/:companyId/issues",
    { schema: { tags, params: idParam("companyId"), body: createIssueBody } },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await issues.create(
            request.actor,
            (request.params as P).companyId,
            request.body as CreateIssueInput,
          ),
        ),
  );
  app.get("/api/issues/:id", { schema: { tags, params: idParam("id") } }, async (request) =>
    issues.get((request.params as P).id),
  );
  app.patch(
    "/api/issues/:id",
    { schema: { tags, params: idParam("id"), body: updateIssueBody } },
    async (request) =>
      issues.update(request.actor, (request.params as P).id, request.body as UpdateIssueInput),
  );
  app.delete("/api/issues/:id", { schema: { tags, params: idParam("id") } }, async (request) =>
    issues.delete(request.actor, (request.params as P).id),
  );
  app.post(
    "/api/issues/:id/children",
    { schema: { tags, params: idParam("id"), body: createIssueBody } },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await issues.createChild(request.actor, (request.params as P).id, request.body as CreateIssueInput),
        ),
  );
}
