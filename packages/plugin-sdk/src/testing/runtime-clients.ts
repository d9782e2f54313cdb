/**
 * The plugin-runtime half of the harness ctx: config, events, jobs, launchers, db, http,
 * secrets, activity, state, entities, handler registration, streams and the recorders.
 * Each gated method checks its capability first, exactly where the host would reject it.
 */
import { randomUUID } from "node:crypto";
import { PLUGIN_STATE_SCOPE_KINDS } from "../constants.js";
import { NOOP_PLUGIN_TRACER, type PluginContext, type PluginEntityRecord } from "../types/index.js";
import { buildPluginEmittedEvent } from "./event-bus.js";
import type { ActionHandler, DataHandler, HarnessRuntime, JobHandler, ToolHandler } from "./runtime.js";
import {
  describeValue,
  jsonRoundTrip,
  optionalNonEmptyString,
  optionalPlainObject,
  paginate,
  requireNonEmptyString,
  requireOneOf,
  requirePlainObject,
} from "./validate.js";

type RuntimeClients = Pick<
  PluginContext,
  | "config"
  | "events"
  | "jobs"
  | "launchers"
  | "db"
  | "http"
  | "secrets"
  | "activity"
  | "state"
  | "entities"
  | "data"
  | "actions"
  | "tools"
  | "streams"
  | "metrics"
  | "telemetry"
  | "logger"
  | "tracer"
  | "execution"
  | "loginPty"
  | "duplexChannel"
>;

/** The host forwards telemetry as `plugin.<pluginKey>.<eventName>` and rejects other names. */
const TELEMETRY_EVENT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export function buildRuntimeClients(runtime: HarnessRuntime): RuntimeClients {
  const { gate, recorders } = runtime;
  return {
    config: {
      async get() {
        return jsonRoundTrip(runtime.config.current, "config");
      },
    },
    events: {
      on(name: unknown, filterOrHandler: unknown, maybeHandler?: unknown) {
        gate.require("events.subscribe");
        const hasFilter = typeof filterOrHandler !== "function";
        return runtime.events.subscribe(
          name,
          hasFilter ? filterOrHandler : null,
          hasFilter ? maybeHandler : filterOrHandler,
        );
      },
      async emit(name, companyId, payload) {
        gate.require("events.emit");
        await runtime.events.deliver(buildPluginEmittedEvent(runtime.pluginId, name, companyId, payload));
      },
    } as RuntimeClients["events"],
    jobs: {
      register(key, fn) {
        gate.require("jobs.schedule");
        runtime.handlers.jobs.register(key, fn as JobHandler);
      },
    },
    launchers: {
      register(launcher) {
        const declaration = requirePlainObject(launcher, "ctx.launchers.register: launcher");
        requireNonEmptyString(declaration.id, "ctx.launchers.register: launcher.id");
      },
    },
    db: buildDatabaseClient(runtime),
    http: {
      async fetch(url, init) {
        gate.require("http.outbound");
        const target = requireNonEmptyString(url, "ctx.http.fetch: url");
        let protocol: string;
        try {
          protocol = new URL(target).protocol;
        } catch {
          throw new TypeError(`ctx.http.fetch: url ${JSON.stringify(target)} is not an absolute URL`);
        }
        if (protocol !== "http:" && protocol !== "https:") {
          throw new TypeError(`ctx.http.fetch: only http and https URLs are allowed (got ${protocol})`);
        }
        return fetch(target, init);
      },
    },
    secrets: {
      async resolve(secretRef) {
        gate.require("secrets.read-ref");
        // The host refuses bare strings (legacy refs); plugins must pass the config's secret_ref object.
        const ref = requirePlainObject(
          secretRef,
          'ctx.secrets.resolve: secretRef (use { type: "secret_ref", secretId })',
        );
        if (ref.type !== "secret_ref") {
          throw new TypeError(
            `ctx.secrets.resolve: secretRef.type must be "secret_ref" (got ${describeValue(ref.type)})`,
          );
        }
        return `resolved:${requireNonEmptyString(ref.secretId, "ctx.secrets.resolve: secretRef.secretId")}`;
      },
    },
    activity: {
      async log(entry) {
        gate.require("activity.log.write");
        const input = requirePlainObject(entry, "ctx.activity.log: entry");
        recorders.activity.push(
          withoutUndefined({
            companyId: requireNonEmptyString(input.companyId, "ctx.activity.log: companyId"),
            message: requireNonEmptyString(input.message, "ctx.activity.log: message"),
            entityType: optionalNonEmptyString(input.entityType, "ctx.activity.log: entityType"),
            entityId: optionalNonEmptyString(input.entityId, "ctx.activity.log: entityId"),
            metadata: optionalPlainObject(input.metadata, "ctx.activity.log: metadata"),
          }) as { message: string },
        );
      },
    },
    state: {
      async get(input) {
        gate.require("plugin.state.read");
        return runtime.state.get(input, "ctx.state.get");
      },
      async set(input, value) {
        gate.require("plugin.state.write");
        runtime.state.set(input, value, "ctx.state.set");
      },
      async delete(input) {
        gate.require("plugin.state.write");
        runtime.state.delete(input, "ctx.state.delete");
      },
    },
    entities: buildEntitiesClient(),
    data: {
      register(key, handler) {
        runtime.handlers.data.register(key, handler as DataHandler);
      },
    },
    actions: {
      register(key, handler) {
        runtime.handlers.actions.register(key, handler as ActionHandler);
      },
    },
    tools: {
      register(name, declaration, fn) {
        gate.require("agent.tools.register");
        requirePlainObject(declaration, "ctx.tools.register: declaration");
        runtime.handlers.tools.register(name, fn as ToolHandler);
      },
    },
    streams: buildStreamsClient(),
    metrics: {
      async write(name, value, tags) {
        gate.require("metrics.write");
        const metricName = requireNonEmptyString(name, "ctx.metrics.write: name");
        if (typeof value !== "number" || !Number.isFinite(value)) {
          throw new TypeError(
            `ctx.metrics.write: value must be a finite number (got ${describeValue(value)})`,
          );
        }
        const tagMap = optionalPlainObject(tags, "ctx.metrics.write: tags") as
          | Record<string, string>
          | undefined;
        for (const [key, tag] of Object.entries(tagMap ?? {})) {
          if (typeof tag !== "string") {
            throw new TypeError(
              `ctx.metrics.write: tags.${key} must be a string (got ${describeValue(tag)})`,
            );
          }
        }
        recorders.metrics.push(
          withoutUndefined({ name: metricName, value, tags: tagMap }) as { name: string; value: number },
        );
      },
    },
    telemetry: {
      async track(eventName, dimensions) {
        gate.require("telemetry.track");
        if (typeof eventName !== "string" || !TELEMETRY_EVENT_NAME.test(eventName)) {
          throw new TypeError(
            `ctx.telemetry.track: eventName must match ${TELEMETRY_EVENT_NAME} (lowercase letters, digits, "_" and "-"; got ${describeValue(eventName)})`,
          );
        }
        const dims = optionalPlainObject(dimensions, "ctx.telemetry.track: dimensions");
        for (const [key, dim] of Object.entries(dims ?? {})) {
          if (!["string", "number", "boolean"].includes(typeof dim)) {
            throw new TypeError(
              `ctx.telemetry.track: dimensions.${key} must be a string, number or boolean (got ${describeValue(dim)})`,
            );
          }
        }
        recorders.telemetry.push(
          withoutUndefined({
            eventName,
            dimensions: dims as Record<string, string | number | boolean> | undefined,
          }) as {
            eventName: string;
          },
        );
      },
    },
    logger: {
      info: (message, meta) => recordLog(runtime, "info", message, meta),
      warn: (message, meta) => recordLog(runtime, "warn", message, meta),
      error: (message, meta) => recordLog(runtime, "error", message, meta),
      debug: (message, meta) => recordLog(runtime, "debug", message, meta),
    },
    tracer: NOOP_PLUGIN_TRACER,
    // Environment-provider notifications: no environment driver runs in this harness, so they go nowhere.
    execution: { log() {} },
    loginPty: { output() {}, exit() {} },
    duplexChannel: { data() {}, exit() {} },
  };
}

function recordLog(
  runtime: HarnessRuntime,
  level: "info" | "warn" | "error" | "debug",
  message: unknown,
  meta: unknown,
): void {
  const text = typeof message === "string" ? message : String(message);
  const details = optionalPlainObject(meta, `ctx.logger.${level}: meta`);
  runtime.recorders.logs.push(details ? { level, message: text, meta: details } : { level, message: text });
}

/** The harness has no SQL engine: it records statements so tests can assert what the plugin ran. */
function buildDatabaseClient(runtime: HarnessRuntime): PluginContext["db"] {
  const { gate, recorders } = runtime;
  const statement = (method: string, sql: unknown, params: unknown) => {
    const text = requireNonEmptyString(sql, `ctx.db.${method}: sql`);
    if (params !== undefined && !Array.isArray(params)) {
      throw new TypeError(`ctx.db.${method}: params must be an array (got ${describeValue(params)})`);
    }
    return params === undefined ? { sql: text } : { sql: text, params: params as unknown[] };
  };
  return {
    namespace: runtime.manifest.database ? `test_${runtime.pluginId.replace(/[^a-z0-9_]/g, "_")}` : "",
    async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      gate.require("database.namespace.read");
      recorders.dbQueries.push(statement("query", sql, params));
      return [];
    },
    async execute(sql: string, params?: unknown[]) {
      gate.require("database.namespace.write");
      recorders.dbExecutes.push(statement("execute", sql, params));
      return { rowCount: 0 };
    },
  };
}

/**
 * Plugin-owned entities, upserted like the host does: one record per entityType +
 * externalId (a missing externalId counts as ""), keeping its id and createdAt.
 */
function buildEntitiesClient(): PluginContext["entities"] {
  const records: PluginEntityRecord[] = [];
  return {
    async upsert(input) {
      const entry = requirePlainObject(input, "ctx.entities.upsert: input");
      const entityType = requireNonEmptyString(entry.entityType, "ctx.entities.upsert: entityType");
      const scopeKind = requireOneOf(
        entry.scopeKind,
        PLUGIN_STATE_SCOPE_KINDS,
        "ctx.entities.upsert: scopeKind",
      );
      const data = jsonRoundTrip(
        requirePlainObject(entry.data, "ctx.entities.upsert: data"),
        "ctx.entities.upsert: data",
      );
      const externalId = optionalNonEmptyString(entry.externalId, "ctx.entities.upsert: externalId") ?? null;
      const now = new Date().toISOString();
      const fields = {
        scopeKind,
        scopeId: optionalNonEmptyString(entry.scopeId, "ctx.entities.upsert: scopeId") ?? null,
        title: optionalNonEmptyString(entry.title, "ctx.entities.upsert: title") ?? null,
        status: optionalNonEmptyString(entry.status, "ctx.entities.upsert: status") ?? null,
        data,
        updatedAt: now,
      };
      const existing = records.find(
        (record) => record.entityType === entityType && (record.externalId ?? "") === (externalId ?? ""),
      );
      if (existing) {
        Object.assign(existing, fields);
        return jsonRoundTrip(existing, "entity");
      }
      const created: PluginEntityRecord = {
        id: randomUUID(),
        entityType,
        externalId,
        createdAt: now,
        ...fields,
      };
      records.push(created);
      return jsonRoundTrip(created, "entity");
    },
    async list(query) {
      const filter = (optionalPlainObject(query, "ctx.entities.list: query") ?? {}) as Record<
        string,
        unknown
      >;
      const matching = records.filter((record) =>
        (["entityType", "scopeKind", "scopeId", "externalId"] as const).every(
          (field) => filter[field] === undefined || record[field] === filter[field],
        ),
      );
      return paginate(matching, filter, "ctx.entities.list").map((record) => jsonRoundTrip(record, "entity"));
    },
  };
}

/** Streams only make sense with a browser attached; the harness checks the calls and drops the events. */
function buildStreamsClient(): PluginContext["streams"] {
  const openChannels = new Map<string, string>();
  return {
    open(channel, companyId) {
      openChannels.set(
        requireNonEmptyString(channel, "ctx.streams.open: channel"),
        requireNonEmptyString(companyId, "ctx.streams.open: companyId"),
      );
    },
    emit(channel) {
      requireNonEmptyString(channel, "ctx.streams.emit: channel");
    },
    close(channel) {
      openChannels.delete(requireNonEmptyString(channel, "ctx.streams.close: channel"));
    },
  };
}

function withoutUndefined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}
