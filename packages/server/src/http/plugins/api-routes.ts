// Scoped plugin API routes (reference §11): `/api/plugins/:pluginId/api/*` reaches the worker's onApiRequest
// for requests that match a route the manifest declares. JSON only (415), at most 1 000 000 bytes (413); the
// worker chooses the status (200–599) and a few caching headers; worker failures map to 403 (capability or
// scope denied), 501 (no onApiRequest), 502 (other worker errors) and 500 (anything else).

import { PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import type { PluginApiRequestInput } from "@paperclipai/plugin-sdk/types";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { errorMessage, notFound, rpcCodeOf } from "../../errors.js";
import {
  assertCheckoutPolicy,
  assertRouteAuth,
  FORWARDED_RESPONSE_HEADERS,
  forwardedHeaders,
  resolveCompany,
  workerActorOf,
} from "../../plugins/api-routes/request-checks.js";
import { apiSubpathOf, matchApiRoute, queryRecord } from "../../plugins/api-routes/route-matcher.js";
import type { PluginHttpContext } from "./context.js";

export const API_ROUTE_BODY_LIMIT = 1_000_000;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Send the worker's PluginApiResponse: its status if 200–599, allowed headers, JSON body (none for 204). */
function sendWorkerResponse(reply: FastifyReply, result: unknown): FastifyReply {
  const response = isObject(result) ? result : {};
  const status = response.status;
  const code =
    typeof status === "number" && Number.isInteger(status) && status >= 200 && status <= 599 ? status : 200;
  if (isObject(response.headers)) {
    for (const [name, value] of Object.entries(response.headers)) {
      const lower = name.toLowerCase();
      if (FORWARDED_RESPONSE_HEADERS.includes(lower) && typeof value === "string") reply.header(lower, value);
    }
  }
  reply.code(code);
  if (code === 204) return reply.send();
  return reply.type("application/json; charset=utf-8").send(JSON.stringify(response.body ?? null));
}

/** A failed onApiRequest call: the JSON-RPC code (src/errors.ts) decides the status; the body is `{error}`. */
function workerFailure(reply: FastifyReply, error: unknown, pluginKey: string): FastifyReply {
  const code = rpcCodeOf(error);
  const message = errorMessage(error);
  if (
    code === PLUGIN_RPC_ERROR_CODES.CAPABILITY_DENIED ||
    code === PLUGIN_RPC_ERROR_CODES.INVOCATION_SCOPE_DENIED
  ) {
    return reply.code(403).send({ error: message });
  }
  if (code === PLUGIN_RPC_ERROR_CODES.METHOD_NOT_IMPLEMENTED) {
    return reply.code(501).send({ error: `Plugin ${pluginKey} does not implement onApiRequest` });
  }
  if (code !== null) return reply.code(502).send({ error: message });
  return reply.code(500).send({ error: `Plugin API request failed: ${message}` });
}

export function registerApiRoutes(app: FastifyInstance, ctx: PluginHttpContext): void {
  async function handle(request: FastifyRequest, reply: FastifyReply) {
    const { pluginId } = request.params as { pluginId: string };
    const plugin = await ctx.catalog.find(pluginId);
    if (!plugin) throw notFound("Plugin not found");
    const manifest = plugin.manifestJson;
    if (!manifest.capabilities?.includes("api.routes.register") || !manifest.apiRoutes?.length) {
      throw notFound(`Plugin ${plugin.pluginKey} declares no API routes`);
    }
    if (plugin.status !== "ready") {
      return reply.code(503).send({ error: `Plugin is not ready (current status: ${plugin.status})` });
    }
    if (!ctx.workers.isRunning(plugin.id)) {
      return reply.code(503).send({ error: `The worker of plugin ${plugin.pluginKey} is not running` });
    }
    const location = apiSubpathOf(request.url);
    const subpath = location?.subpath ?? "/";
    const matched = matchApiRoute(manifest.apiRoutes, request.method, subpath);
    if (!matched) {
      throw notFound(`Plugin API route not found: ${request.method} ${subpath}`, {
        method: request.method,
        path: subpath,
      });
    }
    const { route, params } = matched;
    const { actor } = request;
    assertRouteAuth(route, actor);
    const query = queryRecord(location?.query ?? "");
    const body = request.method === "GET" ? null : (request.body ?? null);
    const companyId = await resolveCompany(
      route,
      { params, query, body },
      actor,
      ctx.services,
      ctx.companies,
    );
    await ctx.companies.assert(actor, companyId, request.method === "GET" ? "read" : "write");
    await assertCheckoutPolicy(route, params, actor, companyId, ctx.services);

    const input: PluginApiRequestInput = {
      routeKey: route.routeKey,
      method: request.method,
      path: subpath,
      params,
      query,
      body,
      actor: workerActorOf(actor),
      companyId,
      headers: forwardedHeaders(request.headers),
    };
    let result: unknown;
    try {
      result = await ctx.workers.call(plugin.id, "handleApiRequest", input, companyId);
    } catch (error) {
      return workerFailure(reply, error, plugin.pluginKey);
    }
    return sendWorkerResponse(reply, result);
  }

  app.route({
    method: METHODS,
    url: "/api/plugins/:pluginId/api/*",
    bodyLimit: API_ROUTE_BODY_LIMIT,
    schema: { tags: ["plugin api"], summary: "A plugin's scoped API route (declared in its manifest)" },
    // Body problems get messages that name this route's rules; everything else (domain errors included) goes to
    // the app's handler, which maps it through toHttp.
    errorHandler(error: FastifyError, request, reply) {
      if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
        return reply
          .code(413)
          .send({ error: `Plugin API request bodies are limited to ${API_ROUTE_BODY_LIMIT} bytes` });
      }
      if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
        return reply.code(415).send({
          error: `Plugin API routes accept JSON only (Content-Type: application/json), got ${request.headers["content-type"] ?? "none"}`,
        });
      }
      return app.errorHandler(error, request, reply);
    },
    handler: handle,
  });
}
