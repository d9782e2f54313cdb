// ctx.secrets: secrets.resolve acts for a company even when the params name none — the invocation's company, or
// outside a company invocation the only configured company (see docs/plugin-scopes.md).
import { LIMITS, nonEmpty, str } from "../../../schema/schema-helpers.js";
import { SecretResolutionError } from "../../secrets/resolver.js";
import { invocationCompany, type NamespaceMethods } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { callFailed, invalidParams, scopeDenied } from "../errors.js";
import { paramsOf } from "../params.js";
import { refuseUnknownInvocation } from "./shared.js";

/** `"<secret id>"` or `{type: "secret_ref", secretId, version?}` (version "latest" = none). */
function parseSecretRef(method: string, ref: unknown): { secretId: string; version: number | null } {
  if (typeof ref === "string" && ref.trim() !== "") return { secretId: ref.trim(), version: null };
  if (typeof ref === "object" && ref !== null && !Array.isArray(ref)) {
    const { type, secretId, version } = ref as Record<string, unknown>;
    if (type === "secret_ref" && typeof secretId === "string" && secretId.trim() !== "") {
      if (version === undefined || version === null || version === "latest")
        return { secretId: secretId.trim(), version: null };
      if (typeof version === "number" && Number.isInteger(version) && version >= 1)
        return { secretId: secretId.trim(), version };
      throw invalidParams(method, 'params.secretRef.version must be a positive integer or "latest"');
    }
  }
  throw invalidParams(
    method,
    'params.secretRef must be a secret id string or {type: "secret_ref", secretId, version?}',
  );
}

export function secretsMethods(deps: HostServiceDeps) {
  return {
    "secrets.resolve": {
      params: paramsOf(
        { secretRef: {}, companyId: nonEmpty(LIMITS.key), configPath: str(LIMITS.shortText) },
        ["secretRef"],
      ),
      async handle(p, call) {
        refuseUnknownInvocation(call);
        const ref = parseSecretRef(call.method, p.secretRef);
        let companyId = p.companyId ?? invocationCompany(call);
        if (!companyId) {
          const configured = [...(await call.configuredCompanies())];
          if (configured.length !== 1) {
            throw scopeDenied(
              call.plugin.pluginKey,
              call.method,
              `company context is required: outside a company invocation pass companyId (the plugin is configured ` +
                `for ${configured.length} companies)`,
            );
          }
          companyId = configured[0]!;
        }
        try {
          return await deps.secrets.resolve({
            pluginId: call.plugin.pluginId,
            pluginKey: call.plugin.pluginKey,
            companyId,
            secretId: ref.secretId,
            version: ref.version,
            configPath: p.configPath ?? null,
          });
        } catch (error) {
          if (error instanceof SecretResolutionError) throw callFailed(call.method, error.message);
          throw error;
        }
      },
    },
  } satisfies NamespaceMethods<"secrets">;
}
