// ctx.activity: activity.log writes an activity row for the company, its metadata redacted.
import { LIMITS, nonEmpty } from "../../../schema/schema-helpers.js";
import type { NamespaceMethods } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { paramsOf } from "../params.js";

export function activityMethods(deps: HostServiceDeps) {
  return {
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
      },
    },
  } satisfies NamespaceMethods<"activity">;
}
