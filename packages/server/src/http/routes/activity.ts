import type { FastifyInstance } from "fastify";
import type { ActivityFilter, LogActivityInput } from "../../domain/activity.js";
import {
  enumOf,
  idParam,
  LIMITS,
  nonEmpty,
  nullableRecord,
  nullableUuid,
  obj,
  pageQuery,
  str,
} from "../../schema/schema-helpers.js";

const logBody = obj(
  {
    actorId: nonEmpty(LIMITS.key),
    action: nonEmpty(LIMITS.key),
    entityType: nonEmpty(64),
    entityId: nonEmpty(LIMITS.key),
    actorType: enumOf(["agent", "user", "system", "plugin"]),
    agentId: nullableUuid,
    details: nullableRecord,
  },
  ["actorId", "action", "entityType", "entityId"],
);
const tags = ["activity"];
type P = { companyId: string };

export function registerActivityRoutes(app: FastifyInstance): void {
  const { activity } = app.paperclip.services;
  app.get(
    "/api/companies/:companyId/activity",
    {
      schema: {
        tags,
        params: idParam("companyId"),
        querystring: obj({
          ...pageQuery(500),
          agentId: { type: "string", format: "uuid" },
          entityType: str(64),
          entityId: str(LIMITS.key),
        }),
      },
    },
    async (request) => activity.list((request.params as P).companyId, request.query as ActivityFilter),
  );
  app.post(
    "/api/companies/:companyId/activity",
    { schema: { tags, params: idParam("companyId"), body: logBody } },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await activity.log(
            request.actor,
            (request.params as P).companyId,
            request.body as LogActivityInput,
          ),
        ),
  );
}
