// ctx.config: config.get acts for a company even when the params name none — the invocation's company, or
// outside a company invocation the only configured company's (see docs/plugin-scopes.md).
import { LIMITS, nonEmpty } from "../../../schema/schema-helpers.js";
import { invocationCompany, type NamespaceMethods } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { paramsOf } from "../params.js";
import { refuseUnknownInvocation } from "./shared.js";

export function configMethods(deps: HostServiceDeps) {
  return {
    "config.get": {
      params: paramsOf({ companyId: nonEmpty(LIMITS.key) }),
      async handle(p, call) {
        refuseUnknownInvocation(call);
        const target = p.companyId ?? invocationCompany(call);
        if (target) return (await deps.config.get(call.plugin.pluginId, target))?.configJson ?? {};
        // Instance level (setup(), jobs, webhooks): the only configured company's config, else {}.
        const configured = [...(await call.configuredCompanies())];
        if (configured.length !== 1) return {};
        return (await deps.config.get(call.plugin.pluginId, configured[0]!))?.configJson ?? {};
      },
    },
  } satisfies NamespaceMethods<"config">;
}
