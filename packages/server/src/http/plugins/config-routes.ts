// GET/POST/DELETE /api/plugins/:pluginId/config and POST …/config/test (reference §11). What a save, delete or
// test does is PluginConfigService (src/plugins/config/config-service.ts); these routes check who calls, read the
// request and give the answers: a config failing the manifest's instanceConfigSchema is 400 {error, fieldErrors},
// a test the worker could not answer is a 502 PluginBridgeError.
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Logger } from "pino";
import { requireBoardUser, requireInstanceAdmin } from "../../domain/authorization.js";
import type { DomainServices } from "../../domain/services.js";
import { badRequest } from "../../errors.js";
import { type ConfigTestOutcome, PluginConfigService } from "../../plugins/config/config-service.js";
import type { RunningPluginAccess } from "../../plugins/config/running-access.js";
import { ConfigSchemaError } from "../../plugins/config/schema.js";
import { ConfigValidationError, type PluginConfigStore } from "../../plugins/config/store.js";
import { LIMITS, nonEmpty, obj } from "../../schema/schema-helpers.js";
import { findPluginOr404 } from "./plugin-request.js";

export interface PluginConfigRouteDeps {
  store: PluginConfigStore;
  access: RunningPluginAccess;
  /** Default: the app's domain services. */
  services?: DomainServices;
  logger?: Logger;
}

const tags = ["plugins"];
const pluginParams = obj({ pluginId: nonEmpty(500) }, ["pluginId"]);
const companyQuery = obj({ companyId: { type: "string", maxLength: LIMITS.key } });
const configBody = obj({ companyId: nonEmpty(LIMITS.key), configJson: { type: "object" } }, [
  "companyId",
  "configJson",
]);

type ConfigBody = { companyId: string; configJson: Record<string, unknown> };

/** A config the host's checks refuse: 400, with the field errors of a schema failure beside the message. */
function configError(reply: FastifyReply, error: unknown) {
  if (error instanceof ConfigValidationError) {
    return reply.status(400).send({ error: error.message, fieldErrors: error.fieldErrors });
  }
  if (error instanceof ConfigSchemaError) return reply.status(400).send({ error: error.message });
  throw error;
}

function requiredCompanyId(query: unknown): string {
  const { companyId } = query as { companyId?: string };
  if (!companyId) throw badRequest('"companyId" query parameter is required');
  return companyId;
}

export function registerPluginConfigRoutes(app: FastifyInstance, deps: PluginConfigRouteDeps): void {
  const { access } = deps;
  const config = new PluginConfigService({
    store: deps.store,
    access,
    services: deps.services ?? app.paperclip.services,
    logger: deps.logger ?? (app.log as unknown as Logger),
  });

  app.get(
    "/api/plugins/:pluginId/config",
    { schema: { tags, params: pluginParams, querystring: companyQuery } },
    async (request) => {
      requireBoardUser(request.actor);
      const plugin = await findPluginOr404(access, request);
      return config.saved(plugin, requiredCompanyId(request.query));
    },
  );

  app.delete(
    "/api/plugins/:pluginId/config",
    { schema: { tags, params: pluginParams, querystring: companyQuery } },
    async (request) => {
      requireInstanceAdmin(request.actor);
      const plugin = await findPluginOr404(access, request);
      return config.remove(request.actor, plugin, requiredCompanyId(request.query));
    },
  );

  app.post(
    "/api/plugins/:pluginId/config",
    { schema: { tags, params: pluginParams, body: configBody } },
    async (request, reply) => {
      requireInstanceAdmin(request.actor);
      const plugin = await findPluginOr404(access, request);
      const { companyId, configJson } = request.body as ConfigBody;
      // Answered once stored; the worker hears about it behind the answer (GET …/config shows the outcome).
      return config
        .save(request.actor, plugin, companyId, configJson)
        .catch((error) => configError(reply, error));
    },
  );

  app.post(
    "/api/plugins/:pluginId/config/test",
    { schema: { tags, params: pluginParams, body: configBody } },
    async (request, reply) => {
      requireBoardUser(request.actor);
      const plugin = await findPluginOr404(access, request);
      const { companyId, configJson } = request.body as ConfigBody;
      let outcome: ConfigTestOutcome;
      try {
        outcome = await config.test(plugin, companyId, configJson);
      } catch (error) {
        return configError(reply, error);
      }
      return outcome.ok ? outcome.result : reply.status(502).send(outcome.error);
    },
  );
}
