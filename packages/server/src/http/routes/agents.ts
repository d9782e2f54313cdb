import type { FastifyInstance } from "fastify";
import {
  AGENT_ICONS,
  AGENT_ROLES,
  AGENT_STATUSES,
  type AgentFilter,
  type CreateAgentInput,
  type UpdateAgentInput,
} from "../../domain/agents.js";
import {
  bool,
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
  record,
  str,
} from "../../schema/schema-helpers.js";

const agentFields = {
  name: nonEmpty(LIMITS.name),
  role: enumOf(AGENT_ROLES),
  title: nullable(str(LIMITS.name)),
  icon: nullable(enumOf(AGENT_ICONS)),
  reportsTo: nullableUuid,
  capabilities: nullable(str(LIMITS.text)),
  adapterType: nonEmpty(64, { pattern: "^[a-z][a-z0-9_]*$" }),
  adapterConfig: record,
  runtimeConfig: record,
  defaultEnvironmentId: nullableUuid,
  budgetMonthlyCents: int(),
  metadata: nullableRecord,
};
const createBody = obj(agentFields, ["name"]);
const updateBody = partial(obj({ ...agentFields, replaceAdapterConfig: bool }));
const tags = ["agents"];
type P = { companyId: string; id: string };

export function registerAgentRoutes(app: FastifyInstance): void {
  const { agents } = app.paperclip.services;
  app.get(
    "/api/companies/:companyId/agents",
    {
      schema: {
        tags,
        params: idParam("companyId"),
        querystring: obj({ ...pageQuery(1000), status: enumOf(AGENT_STATUSES) }),
      },
    },
    async (request) => agents.list((request.params as P).companyId, request.query as AgentFilter),
  );
  app.post(
    "/api/companies/:companyId/agents",
    { schema: { tags, params: idParam("companyId"), body: createBody } },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await agents.create(
            request.actor,
            (request.params as P).companyId,
            request.body as CreateAgentInput,
          ),
        ),
  );
  app.get(
    "/api/agents/:id",
    { schema: { tags, params: idParam("id"), querystring: obj({ companyId: str(LIMITS.key) }) } },
    async (request) =>
      agents.get((request.params as P).id, (request.query as { companyId?: string }).companyId),
  );
  app.patch(
    "/api/agents/:id",
    { schema: { tags, params: idParam("id"), body: updateBody } },
    async (request) =>
      agents.update(request.actor, (request.params as P).id, request.body as UpdateAgentInput),
  );
  app.patch(
    "/api/agents/:id/budgets",
    {
      schema: {
        tags,
        params: idParam("id"),
        body: obj({ budgetMonthlyCents: int() }, ["budgetMonthlyCents"]),
      },
    },
    async (request) =>
      agents.update(request.actor, (request.params as P).id, request.body as { budgetMonthlyCents: number }),
  );
  app.delete("/api/agents/:id", { schema: { tags, params: idParam("id") } }, async (request) =>
    agents.delete(request.actor, (request.params as P).id),
  );
  app.post("/api/agents/:id/pause", { schema: { tags, params: idParam("id") } }, async (request) =>
    agents.pause(request.actor, (request.params as P).id),
  );
  app.post("/api/agents/:id/resume", { schema: { tags, params: idParam("id") } }, async (request) =>
    agents.resume(request.actor, (request.params as P).id),
  );
  app.post("/api/agents/:id/terminate", { schema: { tags, params: idParam("id") } }, async (request) =>
    agents.terminate(request.actor, (request.params as P).id),
  );
  app.post("/api/agents/:id/clear-error", { schema: { tags, params: idParam("id") } }, async (request) =>
    agents.clearError(request.actor, (request.params as P).id),
  );
}
