// ctx.metrics: metrics.write is kept as a `metric` line of the plugin's logs, and is the latest value of the
// plugin's `paperclip_plugin_metric` series on /metrics (src/observability/metrics.ts).
import { LIMITS, nonEmpty } from "../../../schema/schema-helpers.js";
import { invocationCompany, type NamespaceMethods } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { paramsOf } from "../params.js";
import { writePluginLog } from "./shared.js";

export function metricsMethods(deps: HostServiceDeps) {
  return {
    "metrics.write": {
      params: paramsOf(
        {
          name: nonEmpty(LIMITS.key),
          value: { type: "number" },
          tags: { type: "object", additionalProperties: { type: "string" } },
          companyId: { type: ["string", "null"] },
        },
        ["name", "value"],
      ),
      async handle(p, call) {
        deps.observer?.metricWritten(call.plugin.pluginKey, p.name, p.value, p.tags ?? {});
        writePluginLog(deps, call.plugin, {
          level: "metric",
          message: p.name,
          meta: { value: p.value, tags: p.tags ?? {} },
          companyId: p.companyId ?? invocationCompany(call),
        });
      },
    },
  } satisfies NamespaceMethods<"metrics">;
}
