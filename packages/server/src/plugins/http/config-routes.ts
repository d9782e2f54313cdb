// GET/POST /api/plugins/:pluginId/config and POST …/config/test (reference §11). A saved config is validated
// against the manifest's instanceConfigSchema (400 {error, fieldErrors}), its secret references must exist in
// the company, and the running worker hears about it through configChanged — or is restarted when it does not
// implement that hook.
import { JSONRPC_ERROR_CODES, PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Logger } from "pino";
import type { DomainServices } from "../../domain/services.js";
import { badRequest } from "../../errors.js";
import { LIMITS, nonEmpty, obj } from "../../http/schema-helpers.js";
import type { RunningPluginAccess } from "../config/running-access.js";
import { ConfigSchemaError } from "../config/schema.js";
import { ConfigValidationError, type PluginConfig, type PluginConfigStore } from "../config/store.js";
import {
  type FoundPlugin,
  findPluginOr404,
  requireBoardUser,
  requireInstanceAdmin,
} from "./plugin-request.js";

export interface PluginConfigRouteDeps {
  store: PluginConfigStore;
  access: RunningPluginAccess;
  /** Default: the app's domain services. */
  services?: DomainServices;
  logger?: Logger;
}

const tags = ["plugins"];
const pluginParams = obj({ pluginId: nonEmpty(500) }, ["pluginId"]);
const configBody = obj({ companyId: nonEmpty(LIMITS.key), configJson: { type: "object" } }, [
  "companyId",
  "configJson",
]);

type ConfigBody = { companyId: string; configJson: Record<string, unknown> };

const BRIDGE_CODES: Record<number, string> = {
  [PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE]: "WORKER_UNAVAILABLE",
  [PLUGIN_RPC_ERROR_CODES.CAPABILITY_DENIED]: "CAPABILITY_DENIED",
  [PLUGIN_RPC_ERROR_CODES.INVOCATION_SCOPE_DENIED]: "INVOCATION_SCOPE_DENIED",
  [PLUGIN_RPC_ERROR_CODES.TIMEOUT]: "TIMEOUT",
  [PLUGIN_RPC_ERROR_CODES.WORKER_ERROR]: "WORKER_ERROR",
};

const codeOf = (error: unknown) => (error as { code?: unknown })?.code;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const notImplemented = (error: unknown) =>
  codeOf(error) === PLUGIN_RPC_ERROR_CODES.METHOD_NOT_IMPLEMENTED ||
  codeOf(error) === JSONRPC_ERROR_CODES.METHOD_NOT_FOUND;

/** A worker failure as the UI bridge reports it (PluginBridgeError). */
function bridgeError(reply: FastifyReply, error: unknown) {
  const code = codeOf(error);
  return reply
    .status(502)
    .send({ code: (typeof code === "number" && BRIDGE_CODES[code]) || "UNKNOWN", message: messageOf(error) });
}

function configError(reply: FastifyReply, error: unknown) {
  if (error instanceof ConfigValidationError) {
    return reply.status(400).send({ error: error.message, fieldErrors: error.fieldErrors });
  }
  if (error instanceof ConfigSchemaError) return reply.status(400).send({ error: error.message });
  throw error;
}

export function registerPluginConfigRoutes(app: FastifyInstance, deps: PluginConfigRouteDeps): void {
  const { store, access } = deps;
  const services = deps.services ?? app.paperclip.services;
  const logger = deps.logger ?? (app.log as unknown as Logger);
  const schemaOf = (plugin: FoundPlugin) =>
    plugin.manifestJson.instanceConfigSchema as Record<string, unknown> | undefined;

  /** Tell the running worker; a worker without configChanged is restarted so its setup() reads the config. */
  const deliver = async (plugin: FoundPlugin, saved: PluginConfig): Promise<PluginConfig> => {
    const call = access.callWorker(plugin.id);
    if (!call) return saved;
    let problem: string | null = null;
    const restart = () =>
      access.restartWorker(plugin.id).catch((restartError: unknown) => {
        problem = `The config was saved, but restarting the worker to apply it failed: ${messageOf(restartError)}`;
      });
    try {
      // Workers list configChanged only when the plugin has onConfigChanged (SDKs accept the call either way).
      if (access.supportsMethod(plugin.id, "configChanged")) {
        await call(
          "configChanged",
          { config: saved.configJson, companyId: saved.companyId },
          saved.companyId,
        );
      } else await restart();
    } catch (error) {
      if (notImplemented(error)) await restart();
      else if (codeOf(error) === PLUGIN_RPC_ERROR_CODES.CROSS_TENANT_CONFIG) {
        problem = `The worker refused this company's config (CROSS_TENANT_CONFIG): ${messageOf(error)}`;
      } else {
        problem = `The worker failed to apply the config: ${messageOf(error)}`;
      }
    }
    if (!problem) return saved;
    logger.warn(
      { pluginId: plugin.id, companyId: saved.companyId },
      `Plugin ${plugin.pluginKey}: ${problem}`,
    );
    await store.setLastError(plugin.id, saved.companyId, problem);
    return { ...saved, lastError: problem };
  };

  app.get(
    "/api/plugins/:pluginId/config",
    {
      schema: {
        tags,
        params: pluginParams,
        querystring: obj({ companyId: { type: "string", maxLength: LIMITS.key } }),
      },
    },
    async (request) => {
      requireBoardUser(request);
      const plugin = await findPluginOr404(access, request);
      const { companyId } = request.query as { companyId?: string };
      if (!companyId) throw badRequest('"companyId" query parameter is required');
      await services.companies.get(companyId);
      return store.get(plugin.id, companyId);
    },
  );

  app.post(
    "/api/plugins/:pluginId/config",
    { schema: { tags, params: pluginParams, body: configBody } },
    async (request, reply) => {
      requireInstanceAdmin(request);
      const plugin = await findPluginOr404(access, request);
      const { companyId, configJson } = request.body as ConfigBody;
      await services.companies.get(companyId);
      let saved: PluginConfig;
      try {
        saved = await store.save({ id: plugin.id, schema: schemaOf(plugin) }, companyId, configJson);
      } catch (error) {
        return configError(reply, error);
      }
      // Keys only: values may hold secrets.
      await services.activity.log(request.actor, companyId, {
        actorType: request.actor.type,
        actorId: request.actor.id,
        action: "plugin.config.updated",
        entityType: "plugin",
        entityId: plugin.id,
        details: { pluginKey: plugin.pluginKey, keys: Object.keys(configJson).sort() },
      });
      return deliver(plugin, saved);
    },
  );

  app.post(
    "/api/plugins/:pluginId/config/test",
    { schema: { tags, params: pluginParams, body: configBody } },
    async (request, reply) => {
      requireBoardUser(request);
      const plugin = await findPluginOr404(access, request);
      if (plugin.status !== "ready")
        throw badRequest(`Plugin is not ready (current status: ${plugin.status})`);
      const { companyId, configJson } = request.body as ConfigBody;
      await services.companies.get(companyId);
      try {
        await store.check(schemaOf(plugin), companyId, configJson);
      } catch (error) {
        return configError(reply, error);
      }
      const call = access.callWorker(plugin.id);
      if (!call) {
        return reply
          .status(502)
          .send({ code: "WORKER_UNAVAILABLE", message: `Plugin ${plugin.pluginKey} is not running` });
      }
      const unsupported = {
        valid: false,
        supported: false,
        message: "This plugin does not implement validateConfig",
      };
      if (!access.supportsMethod(plugin.id, "validateConfig")) return unsupported;
      let result: { ok?: unknown; warnings?: unknown; errors?: unknown };
      try {
        result = ((await call("validateConfig", { config: configJson }, companyId)) ?? {}) as typeof result;
      } catch (error) {
        if (notImplemented(error)) return unsupported;
        return bridgeError(reply, error);
      }
      const list = (value: unknown) => (Array.isArray(value) ? value.map(String).filter(Boolean) : []);
      if (result.ok === true) {
        const warnings = list(result.warnings);
        return warnings.length > 0
          ? { valid: true, message: `Warnings: ${warnings.join("; ")}` }
          : { valid: true };
      }
      const errors = list(result.errors);
      return {
        valid: false,
        message: errors.length > 0 ? errors.join("; ") : "The plugin rejected the configuration",
      };
    },
  );
}
