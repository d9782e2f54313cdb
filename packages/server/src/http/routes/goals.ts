import type { FastifyInstance } from "fastify";
import { GOAL_LEVELS, GOAL_STATUSES, type GoalFilter, type GoalInput } from "../../domain/goals.js";
import {
  enumOf,
  idParam,
  LIMITS,
  nonEmpty,
  nullable,
  nullableUuid,
  obj,
  pageQuery,
  partial,
  str,
} from "../../schema/schema-helpers.js";

const goalBody = obj(
  {
    title: nonEmpty(LIMITS.title),
    description: nullable(str(LIMITS.text)),
    level: enumOf(GOAL_LEVELS),
    status: enumOf(GOAL_STATUSES),
    parentId: nullableUuid,
    ownerAgentId: nullableUuid,
  },
  ["title"],
);
const tags = ["goals"];
type P = { companyId: string; id: string };

export function registerGoalRoutes(app: FastifyInstance): void {
  const { goals } = app.paperclip.services;
  app.get(
    "/api/companies/:companyId/goals",
    {
      schema: {
        tags,
        params: idParam("companyId"),
        querystring: obj({ ...pageQuery(1000), level: enumOf(GOAL_LEVELS), status: enumOf(GOAL_STATUSES) }),
      },
    },
    async (request) => goals.list((request.params as P).companyId, request.query as GoalFilter),
  );
  app.post(
    "/api/companies/:companyId/goals",
    { schema: { tags, params: idParam("companyId"), body: goalBody } },
    async (request, reply) =>
      reply
        .status(201)
        .send(await goals.create(request.actor, (request.params as P).companyId, request.body as GoalInput)),
  );
  app.get("/api/goals/:id", { schema: { tags, params: idParam("id") } }, async (request) =>
    goals.get((request.params as P).id),
  );
  app.patch(
    "/api/goals/:id",
    { schema: { tags, params: idParam("id"), body: partial(goalBody) } },
    async (request) =>
      goals.update(request.actor, (request.params as P).id, request.body as Partial<GoalInput>),
  );
  app.delete("/api/goals/:id", { schema: { tags, params: idParam("id") } }, async (request) =>
    goals.delete(request.actor, (request.params as P).id),
  );
}
