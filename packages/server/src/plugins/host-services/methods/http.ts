// ctx.http: http.fetch through the host's outbound client (outbound-http.ts) under the plugin's egress policy
// (plugins/egress: allow-list, path prefixes, private grants, limits), read per call so an operator's change
// applies to the next one. Every call, refused or not, goes to the plugin's outbound log.
import { JSONRPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import { LIMITS, nonEmpty, str } from "../../../schema/schema-helpers.js";
import { type HostCall, invocationCompany, type NamespaceMethods } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { HostCallError } from "../errors.js";
import { type FetchInit, OutboundRequestError } from "../outbound-http.js";
import { paramsOf } from "../params.js";

const stringMap = { type: "object", additionalProperties: { type: "string" } };

/** Private grants of the calling company's config (`paperclipAllowedHosts`), for calls made for that company. */
async function companyGrants(
  deps: HostServiceDeps,
  call: HostCall,
  companyId: string | null,
): Promise<string[]> {
  if (!companyId) return [];
  const hosts = (await deps.config.get(call.plugin.pluginId, companyId))?.configJson.paperclipAllowedHosts;
  return Array.isArray(hosts) ? hosts.filter((h): h is string => typeof h === "string") : [];
}

/**
 * The contract types `init` as a loose record (it mirrors fetch's RequestInit); the params schema has already
 * checked the three fields the host reads, so this only picks them out.
 */
function fetchInit(init: Record<string, unknown> | undefined): FetchInit {
  const out: FetchInit = {};
  if (typeof init?.method === "string") out.method = init.method;
  if (typeof init?.body === "string") out.body = init.body;
  const headers = init?.headers;
  if (typeof headers === "object" && headers !== null) {
    out.headers = Object.fromEntries(
      Object.entries(headers).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    );
  }
  return out;
}

export function httpMethods(deps: HostServiceDeps) {
  return {
    "http.fetch": {
      rawText: true,
      params: paramsOf(
        {
          url: nonEmpty(LIMITS.url * 4),
          init: {
            type: "object",
            properties: { method: str(16), headers: stringMap, body: { type: "string" } },
          },
        },
        ["url"],
      ),
      async handle(p, call) {
        const companyId = invocationCompany(call);
        const plugin = { id: call.plugin.pluginId, pluginKey: call.plugin.pluginKey };
        const rules = await deps.egress.rulesFor(plugin, await companyGrants(deps, call, companyId));
        const startedAt = deps.clock.now();
        try {
          return await deps.outbound.fetch(p.url, fetchInit(p.init), rules, (entry) =>
            deps.egress.log.record({ ...entry, pluginId: plugin.id, companyId, startedAt }),
          );
        } catch (error) {
          if (!(error instanceof OutboundRequestError)) throw error;
          // data.code tells a refusal by policy from a network failure or a limit, without parsing the text.
          throw new HostCallError(JSONRPC_ERROR_CODES.INTERNAL_ERROR, `${call.method}: ${error.message}`, {
            code: error.outcome === "refused" ? "egress_refused" : "egress_failed",
          });
        }
      },
    },
  } satisfies NamespaceMethods<"http">;
}
