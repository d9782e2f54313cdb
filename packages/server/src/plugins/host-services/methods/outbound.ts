// http.fetch and the record-keeping methods: activity.log, metrics.write, telemetry.track and the `log`
// request. Everything a plugin writes to logs passes its secret redactor first.

import { findJsonProblem, storableJson, storableText } from "../../../json-values.js";
import { enumOf, LIMITS, nonEmpty, str } from "../../../schema/schema-helpers.js";
import type { PluginLogLevel } from "../../logs/log-service.js";
import { type HostCall, invocationCompany, type MethodTable } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { callFailed, invalidParams } from "../errors.js";
import { instanceAllowEntries, NetworkAllowList } from "../network-policy.js";
import { OutboundRequestError } from "../outbound-http.js";
import { paramsOf } from "../params.js";

const TELEMETRY_NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;
export const WORKER_LOG_LEVELS = ["info", "warn", "error", "debug"] as const;

const stringMap = { type: "object", additionalProperties: { type: "string" } };

/** Write one plugin log entry (redacted) and mirror worker log levels to the host log. */
export function writePluginLog(
  deps: HostServiceDeps,
  plugin: { pluginId: string; pluginKey: string },
  entry: {
    level: PluginLogLevel;
    message: string;
    meta?: Record<string, unknown> | null;
    companyId?: string | null;
  },
): void {
  const redactor = deps.secrets.redactorFor(plugin.pluginId);
  // A log line cannot be refused (notifications have no answer): what PostgreSQL cannot store (NUL, lone
  // surrogates, nesting past 64 levels) is replaced instead of failing the batch it is written with.
  const message = storableText(redactor.redact(entry.message));
  const meta = entry.meta
    ? redactor.empty && findJsonProblem(entry.meta) === null
      ? entry.meta
      : storableJson(entry.meta, (text) => redactor.redact(text))
    : null;
  // The log service applies the plugin's caps, and mirrors debug…error lines to the host log within its own cap.
  deps.logs.append(
    { pluginId: plugin.pluginId, companyId: entry.companyId ?? null, level: entry.level, message, meta },
    { pluginKey: plugin.pluginKey },
  );
}

async function allowListFor(deps: HostServiceDeps, call: HostCall): Promise<NetworkAllowList> {
  const entries = instanceAllowEntries(call.plugin.pluginKey, deps.outboundAllowList);
  const companyId = invocationCompany(call);
  if (companyId) {
    const hosts = (await deps.config.get(call.plugin.pluginId, companyId))?.configJson.paperclipAllowedHosts;
    if (Array.isArray(hosts)) entries.push(...hosts.filter((h): h is string => typeof h === "string"));
  }
  return new NetworkAllowList(entries);
}

export function outboundMethods(deps: HostServiceDeps): MethodTable {
  return {
    "http.fetch": {
      rawText: true,
      params: paramsOf(
        {
          url: nonEmpty(LIMITS.url * 4),
          init: {
            type: "object",
            properties: { method: str(16), headers: stringMap, body: { type: "string" } },
          },
        },
        ["url"],
      ),
      async handle(
        p: { url: string; init?: { method?: string; headers?: Record<string, string>; body?: string } },
        call,
      ) {
        try {
          return await deps.outbound.fetch(p.url, p.init ?? {}, await allowListFor(deps, call));
        } catch (error) {
          if (error instanceof OutboundRequestError) throw callFailed(call.method, error.message);
          throw error;
        }
      },
    },

    "activity.log": {
      params: paramsOf(
        {
          companyId: nonEmpty(LIMITS.key),
          message: nonEmpty(LIMITS.shortText),
          entityType: nonEmpty(LIMITS.key),
          entityId: nonEmpty(LIMITS.key),
          metadata: { type: "object" },
        },
        ["companyId", "message"],
      ),
      async handle(p, call) {
        await deps.services.activity.log(call.actor, p.companyId, {
          actorType: "plugin",
          actorId: call.plugin.pluginId,
          action: p.message,
          entityType: p.entityType ?? "plugin",
          entityId: p.entityId ?? call.plugin.pluginId,
          details: p.metadata ? deps.secrets.redactorFor(call.plugin.pluginId).redactValue(p.metadata) : null,
        });
        return null;
      },
    },

    "metrics.write": {
      params: paramsOf(
        {
          name: nonEmpty(LIMITS.key),
          value: { type: "number" },
          tags: stringMap,
          companyId: { type: ["string", "null"] },
        },
        ["name", "value"],
      ),
      async handle(p, call) {
        writePluginLog(deps, call.plugin, {
          level: "metric",
          message: p.name,
          meta: { value: p.value, tags: p.tags ?? {} },
          companyId: p.companyId ?? invocationCompany(call),
        });
        return null;
      },
    },

    "telemetry.track": {
      params: paramsOf(
        {
          eventName: nonEmpty(100),
          dimensions: { type: "object", additionalProperties: { type: ["string", "number", "boolean"] } },
        },
        ["eventName"],
      ),
      async handle(p, call) {
        if (!TELEMETRY_NAME_RE.test(p.eventName)) {
          throw invalidParams(
            call.method,
            `params.eventName "${p.eventName}" must match ${TELEMETRY_NAME_RE}`,
          );
        }
        writePluginLog(deps, call.plugin, {
          level: "telemetry",
          message: `plugin.${call.plugin.pluginKey}.${p.eventName}`,
          meta: { dimensions: p.dimensions ?? {} },
          companyId: invocationCompany(call),
        });
        return null;
      },
    },

    log: {
      params: paramsOf(
        {
          level: enumOf(WORKER_LOG_LEVELS),
          message: { type: "string" },
          meta: { type: ["object", "null"] },
          companyId: { type: ["string", "null"] },
        },
        ["level", "message"],
      ),
      async handle(p, call) {
        writePluginLog(deps, call.plugin, {
          level: p.level,
          message: p.message,
          meta: p.meta ?? null,
          companyId: p.companyId ?? invocationCompany(call),
        });
        return null;
      },
    },
  };
}
