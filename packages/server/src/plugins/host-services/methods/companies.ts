// ctx.companies: the companies the call may see — a company invocation its company, anything else the
// companies the plugin is configured for.
import type { Company as SdkCompany } from "@paperclipai/plugin-sdk/types";
import type { Company } from "../../../domain/companies.js";
import type { NamespaceMethods } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { scopeDenied } from "../errors.js";
import { paramsOf } from "../params.js";
import { UNKNOWN_INVOCATION } from "../scope.js";
import { id, orNull, PAUSE_REASONS, page, storedEnumOrNull } from "./shared.js";

/** The SDK's Company: the same record, its pause reason typed. */
function toSdkCompany(company: Company): SdkCompany {
  return { ...company, pauseReason: storedEnumOrNull(company.pauseReason, PAUSE_REASONS) };
}

export function companyMethods(deps: HostServiceDeps) {
  const { services } = deps;
  return {
    // Listing never names a company: a company invocation sees its company, anything else the configured ones.
    "companies.list": {
      params: paramsOf(page),
      company: () => ({ kind: "none" }),
      async handle(p, call) {
        if (call.scope.kind === "invalid")
          throw scopeDenied(call.plugin.pluginKey, call.method, UNKNOWN_INVOCATION);
        const ids =
          call.scope.kind === "company" ? [call.scope.companyId] : [...(await call.configuredCompanies())];
        const companies: Company[] = [];
        for (const companyId of ids) {
          const company = await orNull(services.companies.get(companyId));
          if (company) companies.push(company);
        }
        companies.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
        const offset = p.offset ?? 0;
        return companies.slice(offset, offset + (p.limit ?? 100)).map(toSdkCompany);
      },
    },
    "companies.get": {
      params: paramsOf({ companyId: id }, ["companyId"]),
      async handle(p) {
        const company = await orNull(services.companies.get(p.companyId));
        return company && toSdkCompany(company);
      },
    },
  } satisfies NamespaceMethods<"companies">;
}
