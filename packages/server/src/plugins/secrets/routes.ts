// Minimal company secret management: create, list (metadata only), rotate. A value goes in and never comes
// back out over HTTP; plugins reach it only through secrets.resolve once their config references it.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Clock } from "../../domain/actor.js";
import { systemClock } from "../../domain/actor.js";
import type { DomainServices } from "../../domain/services.js";
import { forbidden } from "../../errors.js";
import { idParam, LIMITS, nonEmpty, obj } from "../../schema/schema-helpers.js";
import type { CompanySecretsStore } from "./store.js";

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

function requireBoardUser(request: FastifyRequest): void {
  if (request.actor.type !== "user") throw forbidden("Board access required");
}

export function registerCompanySecretRoutes(app: FastifyInstance, deps: CompanySecretRouteDeps): void {
  const services = deps.services ?? app.paperclip.services;
  const clock = deps.clock ?? systemClock;
  const { secrets } = deps;

  app.post(
    "/api/companies/:companyId/secrets",
    { schema: { tags, params: idParam("companyId"), body: createBody } },
    async (request, reply) => {
      requireBoardUser(request);
      const { companyId } = request.params as { companyId: string };
      const { name, value } = request.body as { name: string; value: string };
      await services.companies.get(companyId);
      const created = await secrets.create(companyId, name.trim(), value, clock.now());
      await services.activity.log(request.actor, companyId, {
        actorType: request.actor.type,
        actorId: request.actor.id,
        action: "secret.created",
        entityType: "secret",
        entityId: created.id,
        details: { name: created.name, version: created.version },
      });
      return reply.status(201).send(created);
    },
  );

  app.get(
    "/api/companies/:companyId/secrets",
    { schema: { tags, params: idParam("companyId") } },
    async (request) => {
      requireBoardUser(request);
      const { companyId } = request.params as { companyId: string };
      await services.companies.get(companyId);
      return secrets.list(companyId);
    },
  );

  app.post(
    "/api/companies/:companyId/secrets/:secretId/versions",
    { schema: { tags, params: idParam("companyId", "secretId"), body: rotateBody } },
    async (request, reply) => {
      requireBoardUser(request);
      const { companyId, secretId } = request.params as { companyId: string; secretId: string };
      const { value } = request.body as { value: string };
      await services.companies.get(companyId);
      const rotated = await secrets.rotate(companyId, secretId, value, clock.now());
      await services.activity.log(request.actor, companyId, {
        actorType: request.actor.type,
        actorId: request.actor.id,
        action: "secret.rotated",
        entityType: "secret",
        entityId: rotated.id,
        details: { name: rotated.name, version: rotated.version },
      });
      return reply.status(201).send(rotated);
    },
  );
}
