// ctx.events: events.emit (plugin-namespaced, reference §5.4) and events.subscribe (recorded once per pattern
// and filter).
import { randomUUID } from "node:crypto";
import type { PluginEvent } from "@paperclipai/plugin-sdk/types";
import { LIMITS, nonEmpty } from "../../../schema/schema-helpers.js";
import type { NamespaceMethods } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { invalidParams } from "../errors.js";
import { paramsOf } from "../params.js";

/** Exact event types, or a prefix ending in ".*" (e.g. "issue.*", "plugin.acme.sync.*"). */
const PATTERN_RE = /^[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+)*(\.\*)?$/;
const NAME_RE = /^[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+)*$/;

export function eventMethods(deps: HostServiceDeps) {
  return {
    "events.emit": {
      params: paramsOf({ name: nonEmpty(LIMITS.key), companyId: nonEmpty(LIMITS.key), payload: {} }, [
        "name",
        "companyId",
      ]),
      async handle(p, call) {
        const name = p.name.trim();
        if (name.startsWith("plugin.")) {
          throw invalidParams(
            call.method,
            `params.name must not start with "plugin." (the host adds "plugin.${call.plugin.pluginKey}." itself)`,
          );
        }
        if (!NAME_RE.test(name)) {
          throw invalidParams(
            call.method,
            "params.name may use letters, digits, '_', ':', '-' and dots between parts",
          );
        }
        const event: PluginEvent = {
          eventId: randomUUID(),
          eventType: `plugin.${call.plugin.pluginKey}.${name}`,
          occurredAt: deps.clock.now().toISOString(),
          actorId: call.plugin.pluginKey,
          actorType: "plugin",
          companyId: p.companyId,
          payload: p.payload ?? null,
        };
        // Answered once the event is durable (the outbox writer resolves after its commit).
        await deps.pluginEvents.publish(event);
      },
    },
    "events.subscribe": {
      params: paramsOf({ eventPattern: nonEmpty(LIMITS.key), filter: { type: ["object", "null"] } }, [
        "eventPattern",
      ]),
      async handle(p, call) {
        if (!PATTERN_RE.test(p.eventPattern)) {
          throw invalidParams(
            call.method,
            `params.eventPattern "${p.eventPattern}" must be an event type or a prefix ending in ".*" (e.g. "issue.*")`,
          );
        }
        await call.registrationsReady;
        await deps.subscriptions.record(call.plugin.pluginId, p.eventPattern, p.filter ?? null);
      },
    },
  } satisfies NamespaceMethods<"events">;
}
