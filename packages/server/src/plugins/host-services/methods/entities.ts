// ctx.entities: records a plugin owns (e.g. mirrored external tickets), keyed by scope like ctx.state.
import { int, LIMITS, nonEmpty, str } from "../../../schema/schema-helpers.js";
import type { NamespaceMethods } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { invalidParams } from "../errors.js";
import { paramsOf } from "../params.js";
import { MAX_STATE_VALUE_CHARS, scopeKindSchema } from "./shared.js";

export function entityMethods(deps: HostServiceDeps) {
  return {
    "entities.upsert": {
      params: paramsOf(
        {
          entityType: nonEmpty(LIMITS.key),
          scopeKind: scopeKindSchema,
          scopeId: str(LIMITS.key),
          externalId: str(LIMITS.key),
          title: { type: ["string", "null"], maxLength: LIMITS.title },
          status: { type: ["string", "null"], maxLength: LIMITS.key },
          data: { type: "object" },
        },
        ["entityType", "scopeKind", "data"],
      ),
      async handle(p, call) {
        const json = JSON.stringify(p.data);
        if (json.length > MAX_STATE_VALUE_CHARS) {
          throw invalidParams(
            call.method,
            `params.data is ${json.length} characters of JSON; the limit is ${MAX_STATE_VALUE_CHARS}`,
          );
        }
        return deps.entities.upsert(call.plugin.pluginId, p);
      },
    },
    "entities.list": {
      params: paramsOf({
        entityType: nonEmpty(LIMITS.key),
        scopeKind: scopeKindSchema,
        scopeId: str(LIMITS.key),
        externalId: str(LIMITS.key),
        limit: int(1, 1000),
        offset: int(0, 10_000_000),
      }),
      async handle(p, call) {
        return deps.entities.list(call.plugin.pluginId, p);
      },
    },
  } satisfies NamespaceMethods<"entities">;
}
