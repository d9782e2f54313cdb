// What happens when an operator reads, saves, deletes or tests a plugin's per-company config (reference §11; the
// routes are the HTTP layer's config-routes.ts). A save is validated against the manifest's instanceConfigSchema
// (ConfigValidationError / ConfigSchemaError), its secret references must exist in the company, and it is done
// once the row is written and the activity recorded: the running worker hears about it afterwards, through
// configChanged — or a restart when it does not implement that hook. A restart the new config makes fail holds
// that config back and brings the worker back with the configs that worked (docs/plugin-config-and-secrets.md);
// the outcome shows in the saved config's lastError and the plugin's health.
import { JSONRPC_ERROR_CODES, PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import type { Logger } from "pino";
import type { Actor } from "../../domain/actor.js";
import type { DomainServices } from "../../domain/services.js";
import {
  badRequest,
  errorMessage,
  notFound,
  type PluginBridgeError,
  rpcCodeOf,
  toBridge,
} from "../../errors.js";
import type { RunningPluginAccess } from "./running-access.js";
import type { PluginConfig, PluginConfigStore } from "./store.js";

/** A plugin as the config service needs it (RunningPluginAccess.findPlugin's record). */
export type ConfigurablePlugin = NonNullable<Awaited<ReturnType<RunningPluginAccess["findPlugin"]>>>;

export interface PluginConfigServiceDeps {
  store: PluginConfigStore;
  access: RunningPluginAccess;
  services: Pick<DomainServices, "companies" | "activity">;
  logger: Logger;
}

/** The answer of a config test the worker gave (or could not give: `supported: false`). */
export interface ConfigTestResult {
  valid: boolean;
  supported?: false;
  message?: string;
}

/** A config test's outcome: the worker's verdict, or why the worker could not be asked (a bridge error). */
export type ConfigTestOutcome =
  | { ok: true; result: ConfigTestResult }
  | { ok: false; error: PluginBridgeError };

/** One company's config changed: saved (with what the worker ran with before) or deleted (`saved` absent). */
interface ConfigChange {
  companyId: string;
  /** What the worker should now run with for the company. */
  config: Record<string, unknown>;
  saved?: PluginConfig;
  previous: Record<string, unknown> | null;
}

const UNSUPPORTED_TEST: ConfigTestResult = Object.freeze({
  valid: false,
  supported: false,
  message: "This plugin does not implement validateConfig",
});

const notImplemented = (error: unknown) =>
  rpcCodeOf(error) === PLUGIN_RPC_ERROR_CODES.METHOD_NOT_IMPLEMENTED ||
  rpcCodeOf(error) === JSONRPC_ERROR_CODES.METHOD_NOT_FOUND;

const schemaOf = (plugin: ConfigurablePlugin) =>
  plugin.manifestJson.instanceConfigSchema as Record<string, unknown> | undefined;

export class PluginConfigService {
  private readonly store: PluginConfigStore;
  private readonly access: RunningPluginAccess;
  private readonly services: PluginConfigServiceDeps["services"];
  private readonly logger: Logger;
  /** Per plugin, deliveries run one after another in save order (a restart never overlaps the next one). */
  private readonly deliveries = new Map<string, Promise<void>>();

  constructor(deps: PluginConfigServiceDeps) {
    this.store = deps.store;
    this.access = deps.access;
    this.services = deps.services;
    this.logger = deps.logger;
  }

  /** The company's saved config as stored (a held-back save with its lastError), or null. */
  async saved(plugin: ConfigurablePlugin, companyId: string): Promise<PluginConfig | null> {
    await this.services.companies.get(companyId);
    return this.store.saved(plugin.id, companyId);
  }

  /**
   * Validate and store the company's config, record the activity (keys only: values may hold secrets), and hand
   * the change to the worker behind the caller's back. Throws ConfigValidationError / ConfigSchemaError.
   */
  async save(
    actor: Actor,
    plugin: ConfigurablePlugin,
    companyId: string,
    configJson: Record<string, unknown>,
  ): Promise<PluginConfig> {
    await this.services.companies.get(companyId);
    const { saved, previous } = await this.store.save(
      { id: plugin.id, schema: schemaOf(plugin) },
      companyId,
      configJson,
    );
    await this.services.activity.log(actor, companyId, {
      actorType: actor.type,
      actorId: actor.id,
      action: "plugin.config.updated",
      entityType: "plugin",
      entityId: plugin.id,
      details: { pluginKey: plugin.pluginKey, keys: Object.keys(configJson).sort() },
    });
    this.enqueue(plugin, () =>
      this.deliver(plugin, { companyId, config: saved.configJson, saved, previous }),
    );
    this.access.configChanged?.(plugin, companyId);
    return saved;
  }

  /** Delete the company's config (404 when there is none); the worker then runs with `{}` for the company. */
  async remove(actor: Actor, plugin: ConfigurablePlugin, companyId: string): Promise<PluginConfig> {
    await this.services.companies.get(companyId);
    const removed = await this.store.remove(plugin.id, companyId);
    if (!removed) throw notFound(`Plugin ${plugin.pluginKey} has no config for company ${companyId}`);
    await this.services.activity.log(actor, companyId, {
      actorType: actor.type,
      actorId: actor.id,
      action: "plugin.config.deleted",
      entityType: "plugin",
      entityId: plugin.id,
      details: { pluginKey: plugin.pluginKey, keys: Object.keys(removed.configJson).sort() },
    });
    this.enqueue(plugin, () => this.deliver(plugin, { companyId, config: {}, previous: null }));
    this.access.configChanged?.(plugin, companyId);
    return removed;
  }

  /**
   * Check a config without saving it: the host's checks (throws ConfigValidationError / ConfigSchemaError), then
   * the worker's validateConfig when it implements it.
   */
  async test(
    plugin: ConfigurablePlugin,
    companyId: string,
    configJson: Record<string, unknown>,
  ): Promise<ConfigTestOutcome> {
    if (plugin.status !== "ready") throw badRequest(`Plugin is not ready (current status: ${plugin.status})`);
    await this.services.companies.get(companyId);
    await this.store.check(schemaOf(plugin), companyId, configJson);
    const call = this.access.callWorker(plugin.id);
    if (!call) {
      return {
        ok: false,
        error: { code: "WORKER_UNAVAILABLE", message: `Plugin ${plugin.pluginKey} is not running` },
      };
    }
    if (!this.access.supportsMethod(plugin.id, "validateConfig"))
      return { ok: true, result: UNSUPPORTED_TEST };
    let result: { ok?: unknown; warnings?: unknown; errors?: unknown };
    try {
      result = ((await call("validateConfig", { config: configJson }, companyId)) ?? {}) as typeof result;
    } catch (error) {
      if (notImplemented(error)) return { ok: true, result: UNSUPPORTED_TEST };
      // This answer never carried the error's details; it keeps to `{code, message}`.
      const { code, message } = toBridge(error);
      return { ok: false, error: { code, message } };
    }
    const list = (value: unknown) => (Array.isArray(value) ? value.map(String).filter(Boolean) : []);
    if (result.ok === true) {
      const warnings = list(result.warnings);
      return {
        ok: true,
        result:
          warnings.length > 0
            ? { valid: true, message: `Warnings: ${warnings.join("; ")}` }
            : { valid: true },
      };
    }
    const errors = list(result.errors);
    return {
      ok: true,
      result: {
        valid: false,
        message: errors.length > 0 ? errors.join("; ") : "The plugin rejected the configuration",
      },
    };
  }

  private enqueue(plugin: ConfigurablePlugin, task: () => Promise<void>): void {
    const previous = this.deliveries.get(plugin.id) ?? Promise.resolve();
    const next = previous.then(task).catch((error: unknown) => {
      this.logger.error(
        { pluginId: plugin.id, err: error },
        `Plugin ${plugin.pluginKey}: applying a config change failed: ${errorMessage(error)}`,
      );
    });
    this.deliveries.set(plugin.id, next);
    void next.finally(() => {
      if (this.deliveries.get(plugin.id) === next) this.deliveries.delete(plugin.id);
    });
  }

  /**
   * Tell the running worker about a company's new config (`{}` once deleted); a worker without configChanged is
   * restarted so its setup() reads it. A restart that fails holds a saved config back (the worker gets the one
   * that worked before) and restarts the worker with the configs that worked.
   */
  private async deliver(plugin: ConfigurablePlugin, change: ConfigChange): Promise<void> {
    const { companyId } = change;
    if (!this.access.callWorker(plugin.id)) return; // not running here: its next start reads the stored configs
    const problem = await this.applyToWorker(plugin, change);
    if (!problem) return;
    this.logger.warn({ pluginId: plugin.id, companyId }, `Plugin ${plugin.pluginKey}: ${problem}`);
    if (change.saved) await this.store.setLastError(plugin.id, companyId, problem, change.saved);
  }

  /** null when the worker took the change; else what went wrong (already handled for failed restarts). */
  private async applyToWorker(plugin: ConfigurablePlugin, change: ConfigChange): Promise<string | null> {
    const call = this.access.callWorker(plugin.id);
    if (!call) return null;
    // Workers list configChanged only when the plugin has onConfigChanged (SDKs accept the call either way).
    if (this.access.supportsMethod(plugin.id, "configChanged")) {
      try {
        await call("configChanged", { config: change.config, companyId: change.companyId }, change.companyId);
        return null;
      } catch (error) {
        if (rpcCodeOf(error) === PLUGIN_RPC_ERROR_CODES.CROSS_TENANT_CONFIG) {
          return `The worker refused this company's config (CROSS_TENANT_CONFIG): ${errorMessage(error)}`;
        }
        if (!notImplemented(error)) return `The worker failed to apply the config: ${errorMessage(error)}`;
      }
    }
    const outcome = await this.access.tryRestartWorker(plugin.id);
    if (outcome.ok) return null;
    await this.recoverFromFailedRestart(plugin, change, outcome.reason);
    return null;
  }

  private async recoverFromFailedRestart(
    plugin: ConfigurablePlugin,
    change: ConfigChange,
    reason: string,
  ): Promise<void> {
    const { companyId, saved } = change;
    let heldBack = false;
    if (saved) {
      const restored =
        change.previous === null
          ? "the worker runs without a config for this company"
          : "the worker runs with this company's previous config";
      heldBack = await this.store.holdBack(
        { id: plugin.id, schema: schemaOf(plugin) },
        saved,
        change.previous,
        `The config saved at ${saved.updatedAt} made the worker fail to start, so it is not applied (${restored}; ` +
          `fix it and save again, or delete it). Worker error: ${reason}`,
      );
    }
    this.logger.warn(
      { pluginId: plugin.id, companyId },
      `Plugin ${plugin.pluginKey}: restarting the worker to apply company ${companyId}'s config failed` +
        `${heldBack ? "; that config is held back and the worker restarts with the configs that worked" : ""}: ${reason}`,
    );
    // The configs that worked (a held-back save is not among them); from here on the usual crash policy applies.
    await this.access.restartWorker(plugin.id).catch((error: unknown) => {
      this.logger.error(
        { pluginId: plugin.id },
        `Plugin ${plugin.pluginKey}: restarting the worker with the configs that worked failed too: ${errorMessage(error)}`,
      );
    });
  }
}
