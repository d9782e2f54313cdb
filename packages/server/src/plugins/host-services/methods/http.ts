// ctx.http: http.fetch through the host's outbound client and network policy (outbound-http.ts).
import { LIMITS, nonEmpty, str } from "../../../schema/schema-helpers.js";
import { type HostCall, invocationCompany, type NamespaceMethods } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { callFailed } from "../errors.js";
import { instanceAllowEntries, NetworkAllowList } from "../network-policy.js";
import { type FetchInit, OutboundRequestError } from "../outbound-http.js";
import { paramsOf } from "../params.js";

const stringMap = { type: "object", additionalProperties: { type: "string" } };

async function allowListFor(deps: HostServiceDeps, call: HostCall): Promise<NetworkAllowList> {
  const entries = instanceAllowEntries(call.plugin.pluginKey, deps.outboundAllowList);
  const companyId = invocationCompany(call);
  if (companyId) {
    const hosts = (await deps.config.get(call.plugin.pluginId, companyId))?.configJson.paperclipAllowedHosts;
    if (Array.isArray(hosts)) entries.push(...hosts.filter((h): h is string => typeof h === "string"));
  }
  return new NetworkAllowList(entries);
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
        try {
          return await deps.outbound.fetch(p.url, fetchInit(p.init), await allowListFor(deps, call));
        } catch (error) {
          if (error instanceof OutboundRequestError) throw callFailed(call.method, error.message);
          throw error;
        }
      },
    },
  } satisfies NamespaceMethods<"http">;
}
