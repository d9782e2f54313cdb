// ctx.tracer: span.record adds the worker's span to the trace of the host→worker call it ran in (the SDK sends it
// only when that call carried a `traceparent`). Without tracing on, or for a call the host did not trace, the span
// is dropped: tracing never fails plugin work.
import { LIMITS, nonEmpty } from "../../../schema/schema-helpers.js";
import type { NamespaceMethods } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { paramsOf } from "../params.js";

const epochMs = { type: "number", minimum: 0 } as const;

export function tracerMethods(deps: HostServiceDeps) {
  return {
    "span.record": {
      params: paramsOf(
        {
          name: nonEmpty(LIMITS.key),
          attributes: {
            type: "object",
            maxProperties: 64,
            additionalProperties: { type: ["string", "number", "boolean"] },
          },
          status: {
            type: "object",
            properties: { code: { type: "integer" }, message: { type: "string", maxLength: 1024 } },
            required: ["code"],
            additionalProperties: false,
          },
          startTimeMs: epochMs,
          endTimeMs: epochMs,
        },
        ["name"],
      ),
      async handle(p, call) {
        deps.observer?.spanRecorded(call.plugin.pluginKey, call.echoedInvocationId, p);
      },
    },
  } satisfies NamespaceMethods<"span">;
}
