import type { FastifyInstance } from "fastify";
import {
  COMPANY_STATUSES,
  type CreateCompanyInput,
  type UpdateCompanyInput,
} from "../../domain/companies.js";
import type { Page } from "../../domain/shared.js";
import {
  bool,
  enumOf,
  idParam,
  int,
  LIMITS,
  nonEmpty,
  nullable,
  obj,
  pageQuery,
  partial,
  str,
} from "../../schema/schema-helpers.js";

const companyBody = obj(
  {
    name: nonEmpty(LIMITS.name),
    description: nullable(str(LIMITS.text)),
    budgetMonthlyCents: int(),
    defaultResponsibleUserId: nullable(str(LIMITS.key)),
    requireBoardApprovalForNewAgents: bool,
  },
  ["name"],
);
const updateBody = partial(obj({ ...(companyBody.properties as object), status: enumOf(COMPANY_STATUSES) }));
const tags = ["companies"];
type P = { companyId: string };

export function registerCompanyRoutes(app: FastifyInstance): void {
  const { companies } = app.paperclip.services;
  // Only the companies the caller may see: all for the instance admin, their memberships for a signed-in user.
  app.get("/api/companies", { schema: { tags, querystring: obj(pageQuery(500)) } }, async (request) => {
    const visible = await app.paperclip.services.access.visibleCompanyIds(request.actor);
    return companies.list(request.query as Page, visible ?? undefined);
  });
  app.get("/api/companies/:companyId", { schema: { tags, params: idParam("companyId") } }, async (request) =>
    companies.get((request.params as P).companyId),
  );
  app.post("/api/companies", { schema: { tags, body: companyBody } }, async (request, reply) =>
    reply.status(201).send(await companies.create(request.actor, request.body as CreateCompanyInput)),
  );
  app.patch(
    "/api/companies/:companyId",
    { schema: { tags, params: idParam("companyId"), body: updateBody } },
    async (request) =>
      companies.update(request.actor, (request.params as P).companyId, request.body as UpdateCompanyInput),
  );
  app.post(
    "/api/companies/:companyId/archive",
    { schema: { tags, params: idParam("companyId") } },
    async (request) =>
      companies.update(request.actor, (request.params as P).companyId, { status: "archived" }),
  );
  app.delete(
    "/api/companies/:companyId",
    { schema: { tags, params: idParam("companyId") } },
    async (request) => companies.delete(request.actor, (request.params as P).companyId),
  );
  // The original answers these paths with a hint instead of a bare 404.
  for (const path of ["/api/companies/issues", "/api/issues"]) {
    app.get(path, { schema: { hide: true } }, async (_request, reply) =>
      reply.status(400).send({ error: "Missing companyId in path. Use /api/companies/{companyId}/issues." }),
    );
  }
}
