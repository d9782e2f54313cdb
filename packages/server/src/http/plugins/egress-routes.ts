// GET/PUT /api/plugins/:pluginId/egress — the plugin's outbound HTTP policy (mode, allow entries, private grants,
// limits) — and GET /api/plugins/:pluginId/outbound?limit=1..500 (default 50)&before=<id>&outcome=… — its
// outbound calls, newest first. Instance admins only: the policy opens the network, and the log names every
// host and path the plugin reached. What the policy means: plugins/egress/policy.ts, docs/egress.md.
import type { FastifyInstance } from "fastify";
import { requireInstanceAdmin } from "../../domain/authorization.js";
import { badRequest } from "../../errors.js";
import type { RunningPluginAccess } from "../../plugins/config/running-access.js";
import {
  EGRESS_MODES,
  type EgressService,
  MAX_POLICY_ENTRIES,
  OUTBOUND_OUTCOMES,
  RESPONSE_BYTES_RANGE,
  TIMEOUT_RANGE,
} from "../../plugins/egress/index.js";
import type { OutboundOutcome } from "../../plugins/host-services/outbound-http.js";
import { enumOf, nonEmpty, nullable, obj } from "../../schema/schema-helpers.js";
import { findPluginOr404 } from "./plugin-request.js";

export interface PluginEgressRouteDeps {
  egress: EgressService;
  access: RunningPluginAccess;
}

export const DEFAULT_OUTBOUND_LIMIT = 50;
export const MAX_OUTBOUND_LIMIT = 500;

const tags = ["plugins"];
const params = obj({ pluginId: nonEmpty(500) }, ["pluginId"]);
const entryList = (description: string) => ({
  type: "array",
  maxItems: MAX_POLICY_ENTRIES,
  items: { type: "string", maxLength: 1_000 },
  description,
});
const policyBody = obj(
  {
    mode: enumOf(EGRESS_MODES),
    allow: entryList(
      'allow-list mode: "host", "*.example.com", "host:port", each with an optional path prefix ("api.example.com/v1")',
    ),
    privateGrants: entryList("IP addresses, CIDR ranges, host names or host:port allowed although private"),
    timeoutMs: nullable({ type: "integer", minimum: TIMEOUT_RANGE.min, maximum: TIMEOUT_RANGE.max }),
    maxResponseBytes: nullable({
      type: "integer",
      minimum: RESPONSE_BYTES_RANGE.min,
      maximum: RESPONSE_BYTES_RANGE.max,
    }),
  },
  ["mode"],
);
const outboundQuery = obj({
  limit: { type: "string", maxLength: 20 },
  before: { type: "string", maxLength: 30 },
  outcome: { type: "string", maxLength: 40 },
});

export function parseOutboundQuery(raw: { limit?: string; before?: string; outcome?: string }) {
  let limit = DEFAULT_OUTBOUND_LIMIT;
  if (raw.limit !== undefined && raw.limit !== "") {
    limit = Number(raw.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_OUTBOUND_LIMIT) {
      throw badRequest(`limit must be an integer from 1 to ${MAX_OUTBOUND_LIMIT} (got "${raw.limit}")`, {
        field: "limit",
      });
    }
  }
  let before: number | null = null;
  if (raw.before !== undefined && raw.before !== "") {
    before = Number(raw.before);
    if (!/^\d{1,18}$/.test(raw.before) || !Number.isSafeInteger(before) || before < 1) {
      throw badRequest(`before must be a call id from a previous page's nextBefore (got "${raw.before}")`, {
        field: "before",
      });
    }
  }
  const outcome = raw.outcome ? raw.outcome : null;
  if (outcome !== null && !OUTBOUND_OUTCOMES.includes(outcome as OutboundOutcome)) {
    throw badRequest(`outcome must be one of: ${OUTBOUND_OUTCOMES.join(", ")} (got "${outcome}")`, {
      field: "outcome",
    });
  }
  return { limit, before, outcome: outcome as OutboundOutcome | null };
}

export function registerPluginEgressRoutes(app: FastifyInstance, deps: PluginEgressRouteDeps): void {
  const { egress, access } = deps;

  app.get("/api/plugins/:pluginId/egress", { schema: { tags, params } }, async (request) => {
    requireInstanceAdmin(request.actor);
    const plugin = await findPluginOr404(access, request);
    return egress.view({ id: plugin.id, pluginKey: plugin.pluginKey });
  });

  app.put(
    "/api/plugins/:pluginId/egress",
    { schema: { tags, params, body: policyBody } },
    async (request) => {
      requireInstanceAdmin(request.actor);
      const plugin = await findPluginOr404(access, request);
      return egress.update(
        request.actor,
        { id: plugin.id, pluginKey: plugin.pluginKey },
        request.body as Record<string, unknown>,
      );
    },
  );

  app.get(
    "/api/plugins/:pluginId/outbound",
    { schema: { tags, params, querystring: outboundQuery } },
    async (request) => {
      requireInstanceAdmin(request.actor);
      const plugin = await findPluginOr404(access, request);
      const query = parseOutboundQuery(request.query as Record<string, string | undefined>);
      return egress.log.query(plugin.id, query);
    },
  );
}
