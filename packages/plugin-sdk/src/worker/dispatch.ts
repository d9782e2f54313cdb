/**
 * Host→worker requests: one handler per method of inventory §3.5. The RPC host runs each inside
 * the request's invocation context and turns a thrown error into the error response.
 */
import type { PaperclipPlugin } from "../define-plugin.js";
import type {
  InitializeResult,
  PluginPerformActionActorType,
  PluginPerformActionContext,
} from "../protocol/index.js";
import { PLUGIN_RPC_ERROR_CODES } from "../protocol/index.js";
import type { PaperclipPluginManifestV1, PluginContext, PluginEvent } from "../types/index.js";
import { configsEqual } from "./config-equality.js";
import {
  errorMessage,
  errorWithCode,
  invalidParams,
  isRecord,
  methodNotImplemented,
  requireObjectField,
  requireParams,
  unknownMethod,
} from "./errors.js";
import { eventPassesFilter, matchesEventPattern } from "./event-matching.js";
import { callExtensionHook, implementedExtensionMethods, isExtensionMethod } from "./extension-hooks.js";
import type { HostLink } from "./host-link.js";
import type { HandlerRegistry } from "./registry.js";

/** The worker's lifecycle state; the context reads `manifest` and `databaseNamespace` from it. */
export class WorkerState {
  manifest: PaperclipPluginManifestV1 | null = null;
  config: Record<string, unknown> = {};
  /** The company whose config configChanged applied last; null until a company-scoped one. */
  configCompanyId: string | null = null;
  databaseNamespace: string | null = null;
  /** Set when initialize starts, so a second initialize is refused even while setup() runs. */
  initializeStarted = false;
}

export interface DispatcherDeps {
  plugin: PaperclipPlugin;
  ctx: PluginContext;
  registry: HandlerRegistry;
  state: WorkerState;
  host: HostLink;
  /** Called after `shutdown` has been answered. */
  afterShutdown(): void;
}

export type HostRequestDispatcher = (method: string, params: unknown) => Promise<unknown>;

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" && value.trim().length > 0 ? value.trim() : null;
}

function actorTypeOrSystem(value: unknown): PluginPerformActionActorType {
  return value === "user" || value === "agent" || value === "system" ? value : "system";
}

/** The frozen context an action handler receives; an unknown actor type becomes "system". */
function actionContextFrom(actorContext: unknown): PluginPerformActionContext {
  const raw = isRecord(actorContext) ? actorContext : {};
  const actor = Object.freeze({
    type: actorTypeOrSystem(raw.type),
    userId: stringOrNull(raw.userId),
    agentId: stringOrNull(raw.agentId),
    runId: stringOrNull(raw.runId),
    companyId: stringOrNull(raw.companyId),
  });
  return Object.freeze({ actor, companyId: actor.companyId }) as PluginPerformActionContext;
}

/** getData/performAction handlers see the UI params plus the top-level companyId/renderEnvironment. */
function handlerParams(params: Record<string, unknown>): Record<string, unknown> {
  return {
    ...(isRecord(params.params) ? params.params : {}),
    ...(params.companyId === undefined ? {} : { companyId: params.companyId }),
    ...(params.renderEnvironment === undefined ? {} : { renderEnvironment: params.renderEnvironment }),
  };
}

export function createDispatcher(deps: DispatcherDeps): {
  dispatch: HostRequestDispatcher;
  deliverEvent(params: unknown): Promise<void>;
} {
  const { plugin, ctx, registry, state, host } = deps;
  const definition = plugin.definition;

  async function initialize(params: unknown): Promise<InitializeResult> {
    if (state.initializeStarted) throw new Error("Worker already initialized");
    const input = requireParams("initialize", params);
    const manifest = requireObjectField("initialize", input, "manifest");
    state.initializeStarted = true;
    state.manifest = manifest as unknown as PaperclipPluginManifestV1;
    state.config = isRecord(input.config) ? input.config : {};
    state.databaseNamespace = typeof input.databaseNamespace === "string" ? input.databaseNamespace : null;
    try {
      // setup() may already call the host; those calls go out before this reply.
      await definition.setup(ctx);
    } catch (error) {
      state.initializeStarted = false;
      throw error;
    }
    const supportedMethods: string[] = [];
    if (definition.onValidateConfig) supportedMethods.push("validateConfig");
    if (definition.onConfigChanged) supportedMethods.push("configChanged");
    if (definition.onHealth) supportedMethods.push("health");
    if (definition.onShutdown) supportedMethods.push("shutdown");
    if (definition.onApiRequest) supportedMethods.push("handleApiRequest");
    supportedMethods.push(...implementedExtensionMethods(definition));
    return { ok: true, supportedMethods };
  }

  async function shutdown(): Promise<void> {
    if (definition.onShutdown) await definition.onShutdown();
    // Let the reply go out first; the RPC host then stops (and exits when it owns the process).
    setImmediate(deps.afterShutdown);
  }

  async function validateConfig(params: unknown): Promise<unknown> {
    if (!definition.onValidateConfig) throw methodNotImplemented("validateConfig");
    const input = requireParams("validateConfig", params);
    return definition.onValidateConfig(input.config as Record<string, unknown>);
  }

  async function configChanged(params: unknown): Promise<void> {
    const input = requireParams("configChanged", params);
    const config = (input.config ?? {}) as Record<string, unknown>;
    const incomingCompanyId = typeof input.companyId === "string" ? input.companyId : null;
    // One worker serves every company; a single-tenant plugin must not silently swap one
    // company's config (and secrets) for another's. Replaying an identical config is harmless.
    if (
      !definition.multiCompanyConfig &&
      incomingCompanyId !== null &&
      state.configCompanyId !== null &&
      state.configCompanyId !== incomingCompanyId &&
      !configsEqual(config, state.config)
    ) {
      throw errorWithCode(
        PLUGIN_RPC_ERROR_CODES.CROSS_TENANT_CONFIG,
        `configChanged: refusing to overwrite configuration for company "${state.configCompanyId}" with a ` +
          `different configuration for company "${incomingCompanyId}". This plugin is single-tenant and ` +
          `cannot safely serve multiple companies from one worker. If multi-company support is intended, ` +
          `set multiCompanyConfig: true on the plugin definition and key per-company state on context.companyId.`,
      );
    }
    state.config = config;
    if (incomingCompanyId !== null) state.configCompanyId = incomingCompanyId;
    if (definition.onConfigChanged)
      await definition.onConfigChanged(config, { companyId: incomingCompanyId });
  }

  /** Every matching handler runs, in registration order; one failing does not stop the rest. */
  async function deliverEvent(params: unknown): Promise<void> {
    const input = requireParams("onEvent", params);
    const event = requireObjectField("onEvent", input, "event") as unknown as PluginEvent;
    if (typeof event.eventType !== "string")
      throw invalidParams("onEvent", "params.event.eventType must be a string");
    for (const registration of [...registry.events]) {
      if (!matchesEventPattern(registration.name, event.eventType)) continue;
      if (registration.filter && !eventPassesFilter(registration.filter, event)) continue;
      try {
        await registration.fn(event);
      } catch (error) {
        host.notify("log", {
          level: "error",
          message: `Event handler for "${registration.name}" failed: ${errorMessage(error)}`,
          meta: { eventType: event.eventType, stack: error instanceof Error ? error.stack : undefined },
        });
      }
    }
  }

  async function runJob(params: unknown): Promise<void> {
    const job = requireObjectField("runJob", requireParams("runJob", params), "job");
    const handler = registry.jobs.get(job.jobKey as string);
    if (!handler) throw new Error(`No handler registered for job "${String(job.jobKey)}"`);
    await handler(job as never);
  }

  async function handleWebhook(params: unknown): Promise<void> {
    if (!definition.onWebhook) throw methodNotImplemented("handleWebhook");
    await definition.onWebhook(params as never);
  }

  async function handleApiRequest(params: unknown): Promise<unknown> {
    if (!definition.onApiRequest) throw methodNotImplemented("handleApiRequest");
    return definition.onApiRequest(params as never);
  }

  async function getData(params: unknown): Promise<unknown> {
    const input = requireParams("getData", params);
    const handler = registry.data.get(input.key as string);
    if (!handler) throw new Error(`No data handler registered for key "${String(input.key)}"`);
    return handler(handlerParams(input));
  }

  async function performAction(params: unknown): Promise<unknown> {
    const input = requireParams("performAction", params);
    const handler = registry.actions.get(input.key as string);
    if (!handler) throw new Error(`No action handler registered for key "${String(input.key)}"`);
    return handler(handlerParams(input), actionContextFrom(input.actorContext));
  }

  async function executeTool(params: unknown): Promise<unknown> {
    const input = requireParams("executeTool", params);
    const tool = registry.tools.get(input.toolName as string);
    if (!tool) throw new Error(`No tool handler registered for "${String(input.toolName)}"`);
    return tool.fn(input.parameters, input.runContext as never);
  }

  const handlers: Record<string, (params: unknown) => Promise<unknown>> = {
    initialize,
    health: async () => (definition.onHealth ? definition.onHealth() : { status: "ok" }),
    shutdown,
    validateConfig,
    configChanged,
    onEvent: deliverEvent,
    runJob,
    handleWebhook,
    handleApiRequest,
    getData,
    performAction,
    executeTool,
  };

  return {
    deliverEvent,
    async dispatch(method, params) {
      const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
      if (handler) return handler(params);
      if (isExtensionMethod(method)) return callExtensionHook(definition, method, params);
      throw unknownMethod(method);
    },
  };
}
