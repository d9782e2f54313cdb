// The OpenAPI document (GET /api/openapi.json): @fastify/swagger over the route schemas, plus the error responses
// each route really sends. Those are added to the document only (swagger's `transform`), never to the route's
// response schemas, so they cost nothing at run time and cannot change how an error body is serialized.
//
// Every /api route may answer 401 (a bearer credential or unknown X-Paperclip-Run-Id), 403 (host guard or
// permissions) and 500. Routes with path parameters add 404; routes with parameters, a query or a body add 400;
// routes taking a JSON body add 413 and 415; domain mutations add 409 and 422. ROUTE_ERRORS lists the rest, route by
// route (the plugin bridge's 502 PluginBridgeError, the scoped plugin API's 501/502/503, …). The fuzz test
// (test/fuzz-routes.test.ts) checks every status it gets back is declared for its route, with a body of the
// declared shape.
import swagger from "@fastify/swagger";
import type { FastifyInstance, RouteOptions } from "fastify";
import { HOST_VERSION } from "../version.js";
import { describeAccess, type RouteAccess } from "./auth/route-access.js";

type Schema = Record<string, unknown>;

/** `{error, details?}`: how the API reports failures (some add `code` or `fieldErrors`). */
export const ERROR_BODY_SCHEMA: Schema = {
  type: "object",
  description: "An API error. `details` names the field and rule where there is one.",
  required: ["error"],
  properties: {
    error: { type: "string" },
    details: { description: "field problems ({field, location, rule, message}[]) or other context" },
    code: { type: "string" },
    fieldErrors: {
      type: "array",
      items: {
        type: "object",
        properties: { field: { type: "string" }, message: { type: "string" } },
      },
    },
  },
  additionalProperties: true,
};

export const BRIDGE_ERROR_CODES = [
  "WORKER_UNAVAILABLE",
  "CAPABILITY_DENIED",
  "INVOCATION_SCOPE_DENIED",
  "WORKER_ERROR",
  "TIMEOUT",
  "UNKNOWN",
] as const;

/** The published PluginBridgeError (reference §10.4): what the UI hooks usePluginData / usePluginAction read. */
export const PLUGIN_BRIDGE_ERROR_SCHEMA: Schema = {
  type: "object",
  description:
    "A failed host→worker call, in the Paperclip plugin bridge's wire shape `{code, message, details?}` (not `{error}`).",
  required: ["code", "message"],
  properties: {
    code: { type: "string", enum: [...BRIDGE_ERROR_CODES] },
    message: { type: "string" },
    details: {},
  },
  additionalProperties: false,
};

/** A bridge key the worker has no handler for: an API error and a PluginBridgeError at once. */
export const UNKNOWN_BRIDGE_KEY_SCHEMA: Schema = {
  type: "object",
  description:
    "The worker has no data/action handler for the key. Both `{error}` and the PluginBridgeError fields " +
    "(`code` WORKER_ERROR, `message`), so UI hooks keep working.",
  required: ["error", "code", "message"],
  properties: {
    error: { type: "string" },
    code: { type: "string", enum: ["WORKER_ERROR"] },
    message: { type: "string" },
    details: {
      type: "object",
      properties: { key: { type: "string" }, kind: { type: "string", enum: ["data", "action"] } },
    },
  },
};

type ErrorShape = "error" | "bridge" | "errorOrUnknownKey";

/** The shapes as references to components.schemas (registered with app.addSchema, `$id` = the name). */
const SHAPE_REFS: Record<ErrorShape, Schema> = {
  error: { $ref: "Error#" },
  bridge: { $ref: "PluginBridgeError#" },
  errorOrUnknownKey: { anyOf: [{ $ref: "Error#" }, { $ref: "UnknownBridgeKeyError#" }] },
};

const DESCRIPTIONS: Record<number, string> = {
  400: "Bad request: validation, malformed JSON, nesting deeper than 64 levels, NUL or lone surrogates in text, unknown body property",
  401: "Not signed in (authenticated mode), or a bearer credential or X-Paperclip-Run-Id that is not valid",
  403: "Host or Origin not a name of this instance, a cross-site write, or not allowed for this actor (role, admin)",
  404: "Not found",
  409: "Conflict with the current state",
  413: "Body larger than the limit",
  415: "Content-Type is not application/json",
  422: "A referenced record belongs to another company or the change is not allowed in this state",
  500: "Internal server error",
  501: "Not implemented by the plugin",
  502: "The plugin worker failed",
  503: "Unavailable",
};

interface RouteErrors {
  /** statuses added to the defaults, with their body shape */
  add?: Record<number, ErrorShape>;
  /** default statuses this route never sends */
  omit?: number[];
  /** a request body the route checks by hand (documented, not validated by Fastify) */
  body?: Schema;
}

const bridgeBody = (withKey: boolean): Schema => ({
  type: "object",
  properties: {
    key: withKey
      ? { type: "string", minLength: 1 }
      : { type: "string", description: "ignored: the key in the path is the one called" },
    companyId: {
      type: "string",
      minLength: 1,
      description: "absent: an instance-scoped call (instance admin)",
    },
    params: { type: "object", additionalProperties: true },
    renderEnvironment: { type: ["object", "null"], additionalProperties: true },
  },
  required: withKey ? ["key"] : [],
  additionalProperties: false,
});

const BRIDGE: RouteErrors = { add: { 404: "errorOrUnknownKey", 502: "bridge" } };

/** Route-specific error responses, by "METHOD url" (Fastify's url, `:param` form). */
const ROUTE_ERRORS: Record<string, RouteErrors> = {
  "GET /api/health": { add: { 503: "error" } },
  "POST /api/plugins/:pluginId/data/:key": { ...BRIDGE, body: bridgeBody(false) },
  "POST /api/plugins/:pluginId/actions/:key": { ...BRIDGE, body: bridgeBody(false) },
  "POST /api/plugins/:pluginId/bridge/data": { ...BRIDGE, body: bridgeBody(true) },
  "POST /api/plugins/:pluginId/bridge/action": { ...BRIDGE, body: bridgeBody(true) },
  "GET /api/plugins/:pluginId/bridge/stream/:channel": { add: { 502: "bridge" } },
  "POST /api/plugins/:pluginId/config/test": { add: { 502: "bridge" } },
  "POST /api/plugins/tools/execute": { add: { 404: "error", 502: "error" } },
  "POST /api/plugins/:pluginId/webhooks/:endpointKey": { omit: [401, 415] },
};
// The scoped plugin API is one route for five methods (one schema): every method reads a body when one is sent.
for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
  ROUTE_ERRORS[`${method} /api/plugins/:pluginId/api/*`] = {
    add: { 400: "error", 413: "error", 415: "error", 501: "error", 502: "error", 503: "error" },
  };
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

function methodsOf(route: RouteOptions): string[] {
  return (Array.isArray(route.method) ? route.method : [route.method]).map((m) => String(m).toUpperCase());
}

/** The error statuses (with body shapes) a route declares. */
export function errorResponsesOf(
  method: string,
  url: string,
  schema: Schema | undefined,
): Map<number, ErrorShape> {
  const statuses = new Map<number, ErrorShape>();
  if (!url.startsWith("/api")) return statuses;
  const extra = ROUTE_ERRORS[`${method} ${url}`] ?? {};
  const add = (status: number, shape: ErrorShape = "error") => statuses.set(status, shape);
  add(401);
  add(403);
  const hasParams = url.includes(":") || url.includes("*");
  // A DELETE may carry a body too, which the JSON parser refuses like any other (too deep, NUL, …).
  if (hasParams || schema?.querystring || BODY_METHODS.has(method) || method === "DELETE") add(400);
  if (hasParams) add(404);
  if (BODY_METHODS.has(method)) {
    add(413);
    add(415);
  }
  const isPluginRoute = url.startsWith("/api/plugins");
  if (method !== "GET") {
    add(409);
    if (!isPluginRoute) add(422);
  }
  add(500);
  for (const status of extra.omit ?? []) statuses.delete(status);
  for (const [status, shape] of Object.entries(extra.add ?? {})) statuses.set(Number(status), shape);
  return new Map([...statuses].sort(([a], [b]) => a - b));
}

/** Route-specific documentation of a body the route checks by hand. */
function documentedBody(method: string, url: string): Schema | undefined {
  return ROUTE_ERRORS[`${method} ${url}`]?.body;
}

export async function installOpenApi(app: FastifyInstance): Promise<void> {
  app.addSchema({ $id: "Error", ...ERROR_BODY_SCHEMA });
  app.addSchema({ $id: "PluginBridgeError", ...PLUGIN_BRIDGE_ERROR_SCHEMA });
  app.addSchema({ $id: "UnknownBridgeKeyError", ...UNKNOWN_BRIDGE_KEY_SCHEMA });
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Paperclip host API",
        version: HOST_VERSION,
        description:
          "The board's REST API. Errors are `{error, details?}` (components.schemas.Error), except the plugin " +
          "bridge (/api/plugins/:pluginId/data|actions|bridge/…), whose worker failures are 502 PluginBridgeError " +
          "`{code, message, details?}` as in the published Paperclip plugin API. Every JSON body is limited to 64 " +
          "levels of nesting, may hold no NUL character or lone UTF-16 surrogate in any string, and may carry only " +
          "the properties its schema declares (see docs/api.md).",
      },
    },
    // Shared schemas appear under components.schemas by their $id.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) => String(json.$id ?? `def-${index}`),
    },
    transform({ schema, url, route }) {
      const method = methodsOf(route as RouteOptions)[0] ?? "GET";
      const base = (schema ?? {}) as Schema;
      if (base.hide) return { schema: base as never, url };
      const response: Schema = { ...((base.response as Schema | undefined) ?? {}) };
      for (const [status, shape] of errorResponsesOf(method, url, base)) {
        if (response[status] !== undefined) continue;
        response[status] = {
          "x-response-description": DESCRIPTIONS[status] ?? "Error",
          ...SHAPE_REFS[shape],
        };
      }
      const body = base.body ?? documentedBody(method, url);
      // Who may call it (docs/authentication.md): the rule route-access.ts enforces, as the routes-authz test reads it.
      const access = (route as RouteOptions).config?.access as RouteAccess | undefined;
      const extension = access ? { "x-paperclip-access": describeAccess(access) } : {};
      return { schema: { ...base, response, ...(body ? { body } : {}), ...extension } as never, url };
    },
  });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
