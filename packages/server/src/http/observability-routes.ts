// GET /metrics (Prometheus text) and GET /api/plugins/:pluginId/metrics (the board's Metrics tab), docs/observability.md.
//
// Who may scrape /metrics: with PAPERCLIP_METRICS_TOKEN set, a request carrying `Authorization: Bearer <that token>`;
// in local trusted mode a client on this machine (loopback) as well; in authenticated mode an instance admin's API
// key (`Bearer pck_…`). The route takes no Paperclip login of its own (`public`), so a scraper's token is not refused
// as an unknown API key before the handler compares it; the handler decides.
import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { requireBoardUser } from "../domain/authorization.js";
import { forbidden, notFound, unauthorized } from "../errors.js";
import type { HostMetrics } from "../observability/metrics.js";
import { nonEmpty, obj } from "../schema/schema-helpers.js";

export const METRICS_TOKEN_ENV = "PAPERCLIP_METRICS_TOKEN";
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const pluginParams = obj({ pluginId: nonEmpty(500) }, ["pluginId"]);

export interface ObservabilityRouteDeps {
  /** Null when PAPERCLIP_METRICS=off. */
  metrics: HostMetrics | null;
  plugins: { require(idOrKey: string): Promise<{ id: string; pluginKey: string }> };
  env?: NodeJS.ProcessEnv;
}

export function registerObservabilityRoutes(app: FastifyInstance, deps: ObservabilityRouteDeps): void {
  const env = deps.env ?? process.env;
  const token = env[METRICS_TOKEN_ENV] || null;

  app.get(
    "/metrics",
    // Prometheus text, not part of the JSON API: left out of the OpenAPI document like /api/openapi.json.
    { schema: { hide: true }, config: { public: true } },
    async (request, reply) => {
      if (!deps.metrics) throw notFound("Metrics are off on this host (PAPERCLIP_METRICS=off)");
      await checkScraper(app, request, token);
      const body = await deps.metrics.render();
      return reply.type(deps.metrics.contentType).send(body);
    },
  );

  app.get(
    "/api/plugins/:pluginId/metrics",
    { schema: { tags: ["plugins"], summary: "A plugin's metrics and recent history", params: pluginParams } },
    async (request) => {
      requireBoardUser(request.actor);
      const plugin = await deps.plugins.require((request.params as { pluginId: string }).pluginId);
      if (!deps.metrics) {
        return {
          pluginId: plugin.id,
          pluginKey: plugin.pluginKey,
          enabled: false,
          current: null,
          history: [],
        };
      }
      return { pluginId: plugin.id, enabled: true, ...(await deps.metrics.pluginView(plugin)) };
    },
  );
}

/** Throws 401/403 unless the caller may read /metrics (see the file comment). */
async function checkScraper(
  app: FastifyInstance,
  request: FastifyRequest,
  token: string | null,
): Promise<void> {
  const presented = bearerOf(request);
  if (token && presented !== null && sameSecret(presented, token)) return;
  const authenticated = app.paperclip.config.deploymentMode === "authenticated";
  const tokenHint = token
    ? "`Authorization: Bearer <PAPERCLIP_METRICS_TOKEN>`"
    : "a token set in PAPERCLIP_METRICS_TOKEN (`Authorization: Bearer <token>`)";
  if (!authenticated) {
    if (isLoopback(request.socket.remoteAddress)) return;
    throw forbidden(`/metrics answers clients on this machine only, or with ${tokenHint}`);
  }
  if (presented?.startsWith("pck_")) {
    const credential = await app.paperclip.services.userKeys.authenticate(presented);
    if (!credential)
      throw unauthorized("Authorization: the Bearer token is not a valid API key or metrics token");
    if (credential.isInstanceAdmin) return;
    throw forbidden("Instance admin access required to read /metrics");
  }
  if (presented !== null) throw unauthorized("Authorization: the Bearer token is not the metrics token");
  throw unauthorized(`Sign in required: /metrics needs an instance admin's API key or ${tokenHint}`);
}

function bearerOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  return typeof header === "string" ? (BEARER.exec(header)?.[1] ?? null) : null;
}

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}
