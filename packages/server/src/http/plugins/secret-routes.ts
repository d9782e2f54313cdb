// Minimal company secret management: create, list (metadata only), rotate. A value goes in and never comes
// back out over HTTP; plugins reach it only through secrets.resolve once their config references it. What each
// route does is CompanySecretService (src/plugins/secrets/secret-service.ts).
import type { FastifyInstance } from "fastify";
import type { Clock } from "../../domain/actor.js";
import { requireBoardUser } from "../../domain/authorization.js";
import type { DomainServices } from "../../domain/services.js";
import { CompanySecretService } from "../../plugins/secrets/secret-service.js";
import type { CompanySecretsStore } from "../../plugins/secrets/store.js";
import { idParam, LIMITS, nonEmpty, obj } from "../../schema/schema-helpers.js";

export interface CompanySecretRouteDeps {
  secrets: CompanySecretsStore;
  /** Default: the app's domain services. */
  services?: DomainServices;
  clock?: Clock;
}

export const MAX_SECRET_VALUE_CHARS = 65_536;

const tags = ["secrets"];
const valueField = nonEmpty(MAX_SECRET_VALUE_CHARS);
const createBody = obj({ name: nonEmpty(LIMITS.name), value: valueField }, ["name", "value"]);
const rotateBody = obj({ value: valueField }, ["value"]);

export function registerCompanySecretRoutes(app: FastifyInstance, deps: CompanySecretRouteDeps): void {
  const secrets = new CompanySecretService({
    secrets: deps.secrets,
    services: deps.services ?? app.paperclip.services,
    clock: deps.clock,
  });

  app.post(
    "/api/companies/:companyId/secrets",
    { schema: { tags, params: idParam("companyId"), body: createBody } },
    async (request, reply) => {
      requireBoardUser(request.actor);
      const { companyId } = request.params as { companyId: string };
      const { name, value } = request.body as { name: string; value: string };
      return reply.status(201).send(await secrets.create(request.actor, companyId, name, value));
    },
  );

  app.get(
    "/api/companies/:companyId/secrets",
    { schema: { tags, params: idParam("companyId") } },
    async (request) => {
      requireBoardUser(request.actor);
      return secrets.list((request.params as { companyId: string }).companyId);
    },
  );

  app.post(
    "/api/companies/:companyId/secrets/:secretId/versions",
    { schema: { tags, params: idParam("companyId", "secretId"), body: rotateBody } },
    async (request, reply) => {
      requireBoardUser(request.actor);
      const { companyId, secretId } = request.params as { companyId: string; secretId: string };
      const { value } = request.body as { value: string };
      return reply.status(201).send(await secrets.rotate(request.actor, companyId, secretId, value));
    },
  );
}
