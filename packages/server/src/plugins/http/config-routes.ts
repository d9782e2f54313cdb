// GET/POST/DELETE /api/plugins/:pluginId/config and POST …/config/test (reference §11). A saved config is
// validated against the manifest's instanceConfigSchema (400 {error, fieldErrors}), its secret references must
// exist in the company, and the save answers once the row is written: the running worker hears about it behind
// the answer, through configChanged — or a restart when it does not implement that hook. A restart the new config
// makes fail holds that config back and brings the worker back with the configs that worked (see
// docs/plugin-config-and-secrets.md); the outcome shows in GET …/config (lastError) and the plugin's health.
import { JSONRPC_ERROR_CODES, PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Logger } from "pino";
import type { DomainServices } from "../../domain/services.js";
import { badRequest } from "../../errors.js";
import { LIMITS, nonEmpty, obj } from "../../schema/schema-helpers.js";
import type { RunningPluginAccess } from "../config/running-access.js";
import { ConfigSchemaError } from "../config/schema.js";
import {
  ConfigValidationError,
  type PluginConfig,
  type PluginConfigStore,
  type SaveResult,
} from "../config/store.js";
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

/** One company's config changed: saved (with what the worker ran with before) or deleted (`saved` absent). */
interface ConfigChange {
  companyId: string;
  /** What the worker should now run with for the company. */
  config: Record<string, unknown>;
  saved?: PluginConfig;
  previous: Record<string, unknown> | null;
}

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

  /** Per plugin, deliveries run one after another in save order (a restart never overlaps the next one). */
  const deliveries = new Map<string, Promise<void>>();
  const enqueue = (plugin: FoundPlugin, task: () => Promise<void>): void => {
    const previous = deliveries.get(plugin.id) ?? Promise.resolve();
    const next = previous.then(task).catch((error: unknown) => {
      logger.error(
        { pluginId: plugin.id, err: error },
        `Plugin ${plugin.pluginKey}: applying a config change failed: ${messageOf(error)}`,
      );
    });
    deliveries.set(plugin.id, next);
    void next.finally(() => {
      if (deliveries.get(plugin.id) === next) deliveries.delete(plugin.id);
    });
  };

  /**
   * Tell the running worker about a company's new config (`{}` once deleted); a worker without configChanged is
   * restarted so its setup() reads it. A restart that fails holds a saved config back (the worker gets the one
   * that worked before) and restarts the worker with the configs that worked.
   */
  const deliver = async (plugin: FoundPlugin, change: ConfigChange): Promise<void> => {
    const { companyId } = change;
    if (!access.callWorker(plugin.id)) return; // not running here: its next start reads the stored configs
    const problem = await applyToWorker(plugin, change);
    if (!problem) return;
    logger.warn({ pluginId: plugin.id, companyId }, `Plugin ${plugin.pluginKey}: ${problem}`);
    if (change.saved) await store.setLastError(plugin.id, companyId, problem, change.saved);
  };

  /** null when the worker took the change; else what went wrong (already handled for failed restarts). */
  const applyToWorker = async (plugin: FoundPlugin, change: ConfigChange): Promise<string | null> => {
    const call = access.callWorker(plugin.id);
    if (!call) return null;
    // Workers list configChanged only when the plugin has onConfigChanged (SDKs accept the call either way).
    if (access.supportsMethod(plugin.id, "configChanged")) {
      try {
        await call("configChanged", { config: change.config, companyId: change.companyId }, change.companyId);
        return null;
      } catch (error) {
        if (codeOf(error) === PLUGIN_RPC_ERROR_CODES.CROSS_TENANT_CONFIG) {
          return `The worker refused this company's config (CROSS_TENANT_CONFIG): ${messageOf(error)}`;
        }
        if (!notImplemented(error)) return `The worker failed to apply the config: ${messageOf(error)}`;
      }
    }
    const outcome = await access.tryRestartWorker(plugin.id);
    if (outcome.ok) return null;
    await recoverFromFailedRestart(plugin, change, outcome.reason);
    return null;
  };

  const recoverFromFailedRestart = async (plugin: FoundPlugin, change: ConfigChange, reason: string) => {
    const { companyId, saved } = change;
    let heldBack = false;
    if (saved) {
      const restored =
        change.previous === null
          ? "the worker runs without a config for this company"
          : "the worker runs with this company's previous config";
      heldBack = await store.holdBack(
        { id: plugin.id, schema: schemaOf(plugin) },
        saved,
        change.previous,
        `The config saved at ${saved.updatedAt} made the worker fail to start, so it is not applied (${restored}; ` +
          `fix it and save again, or delete it). Worker error: ${reason}`,
      );
    }
    logger.warn(
      { pluginId: plugin.id, companyId },
      `Plugin ${plugin.pluginKey}: restarting the worker to apply company ${companyId}'s config failed` +
        `${heldBack ? "; that config is held back and the worker restarts with the configs that worked" : ""}: ${reason}`,
    );
    // The configs that worked (a held-back save is not among them); from here on the usual crash policy applies.
    await access.restartWorker(plugin.id).catch((error: unknown) => {
      logger.error(
        { pluginId: plugin.id },
        `Plugin ${plugin.pluginKey}: restarting the worker with the configs that worked failed too: ${messageOf(error)}`,
      );
    });
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
      return store.saved(plugin.id, companyId);
    },
  );

  app.delete(
    "/api/plugins/:pluginId/config",
    {
      schema: {
        tags,
        params: pluginParams,
        querystring: obj({ companyId: { type: "string", maxLength: LIMITS.key } }),
      },
    },
    async (request, reply) => {
      requireInstanceAdmin(request);
      const plugin = await findPluginOr404(access, request);
      const { companyId } = request.query as { companyId?: string };
      if (!companyId) throw badRequest('"companyId" query parameter is required');
      await services.companies.get(companyId);
      const removed = await store.remove(plugin.id, companyId);
      if (!removed) {
        return reply
          .status(404)
          .send({ error: `Plugin ${plugin.pluginKey} has no config for company ${companyId}` });
      }
      await services.activity.log(request.actor, companyId, {
        actorType: request.actor.type,
        actorId: request.actor.id,
        action: "plugin.config.deleted",
        entityType: "plugin",
        entityId: plugin.id,
        details: { pluginKey: plugin.pluginKey, keys: Object.keys(removed.configJson).sort() },
      });
      enqueue(plugin, () => deliver(plugin, { companyId, config: {}, previous: null }));
      return removed;
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
      let result: SaveResult;
      try {
        result = await store.save({ id: plugin.id, schema: schemaOf(plugin) }, companyId, configJson);
      } catch (error) {
        return configError(reply, error);
      }
      const { saved, previous } = result;
      // Keys only: values may hold secrets.
      await services.activity.log(request.actor, companyId, {
        actorType: request.actor.type,
        actorId: request.actor.id,
        action: "plugin.config.updated",
        entityType: "plugin",
        entityId: plugin.id,
        details: { pluginKey: plugin.pluginKey, keys: Object.keys(configJson).sort() },
      });
      // Answered now; the worker hears about it behind the answer (GET …/config shows the outcome).
      enqueue(plugin, () => deliver(plugin, { companyId, config: saved.configJson, saved, previous }));
      return saved;
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
