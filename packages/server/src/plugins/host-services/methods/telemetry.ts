// ctx.telemetry: telemetry.track is kept as a `telemetry` line of the plugin's logs, named after the plugin.
import { nonEmpty } from "../../../schema/schema-helpers.js";
import { invocationCompany, type NamespaceMethods } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { invalidParams } from "../errors.js";
import { paramsOf } from "../params.js";
import { writePluginLog } from "./shared.js";

const TELEMETRY_NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;

export function telemetryMethods(deps: HostServiceDeps) {
  return {
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
      },
    },
  } satisfies NamespaceMethods<"telemetry">;
}
