// ctx.logger: `log` lines into the plugin's logs (redacted) — as the notification every SDK sends, and as the
// request of the published contract. Each line then goes to the sinks (job runs keep the lines of their run).
import { findJsonProblem, jsonProblemMessage } from "../../../json-values.js";
import { enumOf } from "../../../schema/schema-helpers.js";
import { invocationCompany, type NamespaceMethods, type NamespaceNotifications } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { paramsOf } from "../params.js";
import type { WorkerLogLevel } from "../sinks.js";
import { WORKER_LOG_LEVELS, writePluginLog } from "./shared.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isLogLevel(value: unknown): value is WorkerLogLevel {
  return WORKER_LOG_LEVELS.some((level) => level === value);
}

/** A non-string log message as text; a value too deep to stringify safely is named, not stringified. */
function logMessageText(message: unknown): string {
  const problem = findJsonProblem(message ?? "", { checkStrings: false });
  if (problem) return `[log message: ${jsonProblemMessage(problem, "message")}]`;
  return JSON.stringify(message ?? "") ?? "";
}

export function loggerMethods(deps: HostServiceDeps) {
  return {
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
        call.sinks.log({ level: p.level, message: p.message, invocationId: call.echoedInvocationId });
      },
    },
  } satisfies NamespaceMethods<"log">;
}

export function loggerNotifications(deps: HostServiceDeps) {
  return {
    // Never refused (there is no reply): an unknown level is kept as info and noted in the meta.
    log: {
      handle(params, call) {
        const p = isRecord(params) ? params : {};
        const level = isLogLevel(p.level) ? p.level : "info";
        const meta = isRecord(p.meta) ? { ...p.meta } : null;
        const message = typeof p.message === "string" ? p.message : logMessageText(p.message);
        writePluginLog(deps, call.plugin, {
          level,
          message,
          meta: level === p.level ? meta : { ...meta, invalidLevel: p.level ?? null },
          companyId: call.scope.kind === "company" ? call.scope.companyId : null,
        });
        if (isRecord(params)) call.sinks.log({ level, message, invocationId: call.echoedInvocationId });
      },
    },
  } satisfies NamespaceNotifications<"log">;
}
