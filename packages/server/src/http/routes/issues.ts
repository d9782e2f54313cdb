import type { FastifyInstance } from "fastify";
import {
  ISSUE_PRIORITIES,
  ISSUE_REVIEW_POLICIES,
  ISSUE_STATUSES,
  ISSUE_WORK_MODES,
} from "../../domain/issue-records.js";
import {
  type CreateIssueInput,
  ISSUE_SORT_FIELDS,
  type IssueFilter,
  type UpdateIssueInput,
} from "../../domain/issues.js";
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
} from "../../schema/schema-helpers.js";

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
  priority: str(LIMITS.shortText, { description: "comma-separated priorities" }),
  sortField: enumOf(ISSUE_SORT_FIELDS),
  sortDir: enumOf(["asc", "desc"]),
  includeTotal: { type: "boolean", description: "answer the number of matching issues in X-Total-Count" },
});

/** "a,b" → ["a", "b"]; every value must be one of `allowed` (400 names the first that is not). */
function commaList(value: unknown, field: string, allowed: readonly string[]): string[] {
  const values =
    typeof value === "string"
      ? value
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  const unknown = values.find((item) => !allowed.includes(item));
  if (unknown) {
    throw badRequest(`Validation error: querystring.${field} has unknown ${field} "${unknown}"`, {
      field,
      allowed,
    });
  }
  return values;
}
const tags = ["issues"];
type P = { companyId: string; id: string };

export function registerIssueRoutes(app: FastifyInstance): void {
  const { issues } = app.paperclip.services;
  app.get(
    "/api/companies/:companyId/issues",
    { schema: { tags, params: idParam("companyId"), querystring: listQuery } },
    async (request, reply) => {
      const query = request.query as Record<string, string | number | boolean | undefined>;
      const { includeTotal, ...rest } = query;
      const filter: IssueFilter = {
        ...(rest as IssueFilter),
        status: commaList(query.status, "status", ISSUE_STATUSES),
        priority: commaList(query.priority, "priority", ISSUE_PRIORITIES),
        parentId: (query.parentId ?? query.parentIssueId) as string | undefined,
      };
      const companyId = (request.params as P).companyId;
      if (includeTotal) {
        // The board's paged list: the page and the total of the same filter.
        const [items, total] = await Promise.all([
          issues.list(companyId, filter),
          issues.count(companyId, filter),
        ]);
        reply.header("X-Total-Count", String(total));
        return items;
      }
      return issues.list(companyId, filter);
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
