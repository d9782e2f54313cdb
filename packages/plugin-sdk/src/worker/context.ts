/**
 * buildContext: the `ctx` handed to `setup()`. Each method maps to exactly one worker→host wire
 * method with the published params (inventory §4); registrations stay local in the registry.
 * Domain namespaces (issues, agents, …) and the notification-only namespaces live in sibling files.
 */
import type { PaperclipPluginManifestV1, PluginContext } from "../types/index.js";
import { buildDomainClients } from "./context-domain.js";
import { buildHttpClient } from "./context-http.js";
import { buildIssuesClient } from "./context-issues.js";
import { buildNotificationClients } from "./context-notifications.js";
import { buildTracer } from "./context-tracer.js";
import { errorMessage } from "./errors.js";
import type { HostLink } from "./host-link.js";
import { serialisableLogMeta } from "./log-meta.js";
import type { EventRegistration, HandlerRegistry } from "./registry.js";

/** What the context reads from the worker's lifecycle state. */
export interface ContextState {
  /** The manifest from `initialize`, or null before it. */
  readonly manifest: PaperclipPluginManifestV1 | null;
  /** The database namespace from `initialize`, or null when the plugin has none. */
  readonly databaseNamespace: string | null;
}

export interface ContextDeps {
  host: HostLink;
  registry: HandlerRegistry;
  state: ContextState;
}

export function buildContext(deps: ContextDeps): PluginContext {
  const { host, registry, state } = deps;

  const requireManifest = (): PaperclipPluginManifestV1 => {
    if (!state.manifest) throw new Error("Plugin context accessed before initialization");
    return state.manifest;
  };

  const scopeParams = (input: {
    scopeKind: string;
    scopeId?: string;
    namespace?: string;
    stateKey: string;
  }) => ({
    scopeKind: input.scopeKind,
    scopeId: input.scopeId,
    namespace: input.namespace,
    stateKey: input.stateKey,
  });

  const log =
    (level: "info" | "warn" | "error" | "debug") => (message: string, meta?: Record<string, unknown>) =>
      host.notify("log", { level, message, meta: serialisableLogMeta(meta) });

  return {
    get manifest() {
      return requireManifest();
    },
    config: {
      get: (companyId) => host.call("config.get", companyId ? { companyId } : {}),
    },
    localFolders: {
      declarations: () => requireManifest().localFolders ?? [],
      configure: (input) =>
        host.call("localFolders.configure", {
          companyId: input.companyId,
          folderKey: input.folderKey,
          path: input.path,
          access: input.access,
          requiredDirectories: input.requiredDirectories,
          requiredFiles: input.requiredFiles,
        }),
      status: (companyId, folderKey) => host.call("localFolders.status", { companyId, folderKey }),
      list: (companyId, folderKey, options = {}) =>
        host.call("localFolders.list", {
          companyId,
          folderKey,
          relativePath: options.relativePath,
          recursive: options.recursive,
          maxEntries: options.maxEntries,
        }),
      readText: (companyId, folderKey, relativePath) =>
        host.call("localFolders.readText", { companyId, folderKey, relativePath }),
      writeTextAtomic: (companyId, folderKey, relativePath, contents) =>
        host.call("localFolders.writeTextAtomic", { companyId, folderKey, relativePath, contents }),
      deleteFile: (companyId, folderKey, relativePath) =>
        host.call("localFolders.deleteFile", { companyId, folderKey, relativePath }),
    },
    events: {
      on(
        name: string,
        filterOrFn: EventRegistration["filter"] | EventRegistration["fn"],
        maybeFn?: EventRegistration["fn"],
      ): () => void {
        let registration: EventRegistration;
        if (typeof filterOrFn === "function") {
          registration = { name, fn: filterOrFn };
        } else {
          if (!maybeFn) throw new Error("Event handler function is required");
          registration = { name, filter: filterOrFn, fn: maybeFn };
        }
        const unsubscribe = registry.addEventHandler(registration);
        // The host only forwards events this worker subscribed to; a failed subscription is
        // reported but must not break setup().
        host
          .call("events.subscribe", { eventPattern: name, filter: registration.filter ?? null })
          .catch((error: unknown) => {
            host.notify("log", {
              level: "warn",
              message: `Failed to subscribe to event "${name}" on host: ${errorMessage(error)}`,
            });
          });
        return unsubscribe;
      },
      emit: async (name, companyId, payload) => {
        await host.call("events.emit", { name, companyId, payload });
      },
    } as PluginContext["events"],
    jobs: {
      register: (key, fn) => void registry.jobs.set(key, fn),
    },
    launchers: {
      register: (launcher) => void registry.launchers.set(launcher.id, launcher),
    },
    db: {
      get namespace() {
        return state.databaseNamespace ?? "";
      },
      query: (sql, params) => host.call("db.query", { sql, params }),
      execute: (sql, params) => host.call("db.execute", { sql, params }),
    },
    http: buildHttpClient(host),
    secrets: {
      resolve: (secretRef, options = {}) =>
        host.call("secrets.resolve", {
          secretRef,
          companyId: options.companyId,
          configPath: options.configPath,
        }),
    },
    activity: {
      log: async (entry) => {
        await host.call("activity.log", {
          companyId: entry.companyId,
          message: entry.message,
          entityType: entry.entityType,
          entityId: entry.entityId,
          metadata: entry.metadata,
        });
      },
    },
    state: {
      get: (input) => host.call("state.get", scopeParams(input)),
      set: async (input, value) => {
        await host.call("state.set", { ...scopeParams(input), value });
      },
      delete: async (input) => {
        await host.call("state.delete", scopeParams(input));
      },
    },
    entities: {
      upsert: (input) =>
        host.call("entities.upsert", {
          entityType: input.entityType,
          scopeKind: input.scopeKind,
          scopeId: input.scopeId,
          externalId: input.externalId,
          title: input.title,
          status: input.status,
          data: input.data,
        }),
      list: (query) =>
        host.call("entities.list", {
          entityType: query.entityType,
          scopeKind: query.scopeKind,
          scopeId: query.scopeId,
          externalId: query.externalId,
          limit: query.limit,
          offset: query.offset,
        }),
    },
    issues: buildIssuesClient(host),
    ...buildDomainClients(host, registry),
    data: {
      register: (key, handler) => void registry.data.set(key, handler),
    },
    actions: {
      register: (key, handler) => void registry.actions.set(key, handler),
    },
    ...buildNotificationClients(host),
    tools: {
      register: (name, declaration, fn) => void registry.tools.set(name, { declaration, fn }),
    },
    metrics: {
      write: async (name, value, tags) => {
        await host.call("metrics.write", { name, value, tags });
      },
    },
    telemetry: {
      track: async (eventName, dimensions) => {
        await host.call("telemetry.track", { eventName, dimensions });
      },
    },
    logger: { info: log("info"), warn: log("warn"), error: log("error"), debug: log("debug") },
    tracer: buildTracer(host),
  };
}
