// Who may call each route, decided in one place for every route of the app: an `onRoute` hook gives each route an
// access rule when it is registered, and two request hooks enforce it before the handler and before body validation
// (so a 400 never hides a 401 or 403):
//   onRequest      anonymous callers (401), cross-site cookie writes (403), instance-admin routes, and the company
//                  named in the path or query (403/404);
//   preValidation  the company named in the JSON body (plugin bridge calls, tool calls).
// The rule of a route is, in this order: its own `config.access`; `config.public` (webhook intake); anything outside
// /api (the board's files, plugin UI bundles) is public; the ROUTE_RULES table below; a `:companyId` path parameter
// (read for GET, write otherwise); an entity collection (/api/issues/:id, /api/agents/:id, … → that record's
// company); any other /api/plugins route needs the instance admin. A route matching none of these fails at
// registration, naming itself: nobody can add a route without an access rule. docs/authentication.md has the table.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import type { Actor } from "../../domain/actor.js";
import { requireBoardUser, requireInstanceAdmin } from "../../domain/authorization.js";
import type { CompanyAccessNeed, CompanyEntity } from "../../domain/company-access.js";
import { forbidden, unauthorized } from "../../errors.js";

/** Who may call at all. */
export type RouteCaller =
  /** no credentials needed (the route may still look at them) */
  | "anyone"
  /** any signed-in person, API key or agent; the handler (or a company rule) decides the rest */
  | "signed-in"
  /** a person (session or their API key), not an agent */
  | "user"
  /** agents only (the route itself answers others with 401 and what to send) */
  | "agent"
  /** the instance admin */
  | "admin";

export type CompanySource =
  | { in: "path"; param: string; entity: CompanyEntity }
  | { in: "query"; field: string }
  | { in: "body"; path: readonly string[] }
  /** the handler finds the company (in a nested body it must check first) and checks `need` itself */
  | { in: "handler"; what: string };

export interface RouteAccess {
  caller: RouteCaller;
  /** the company the request acts in, and the role it needs there */
  company?: { from: CompanySource; need: CompanyAccessNeed };
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** This route's access rule (route-access.ts); derived from its method and URL when absent. */
    access?: RouteAccess;
  }
}

const ANYONE: RouteAccess = { caller: "anyone" };
const SIGNED_IN: RouteAccess = { caller: "signed-in" };
const USER: RouteAccess = { caller: "user" };
const ADMIN: RouteAccess = { caller: "admin" };
const pathCompany = (need: CompanyAccessNeed): RouteAccess => ({
  caller: "signed-in",
  company: { from: { in: "path", param: "companyId", entity: "company" }, need },
});
const bodyCompany = (need: CompanyAccessNeed, ...path: string[]): RouteAccess => ({
  caller: "signed-in",
  company: { from: { in: "body", path }, need },
});
const queryCompany = (need: CompanyAccessNeed): RouteAccess => ({
  caller: "signed-in",
  company: { from: { in: "query", field: "companyId" }, need },
});

/** Routes whose rule is not what their URL and method alone would give. Keys: "METHOD url" (HEAD as GET). */
const ROUTE_RULES: Record<string, RouteAccess> = {
  "GET /api/health": ANYONE,
  "GET /api/openapi.json": ANYONE,
  // The list answers only the caller's companies; any person may create one (and becomes its owner).
  "GET /api/companies": SIGNED_IN,
  "POST /api/companies": USER,
  "GET /api/companies/issues": SIGNED_IN,
  "GET /api/issues": SIGNED_IN,
  // Renaming, archiving or deleting a company, and its secrets, are the owners' business.
  "PATCH /api/companies/:companyId": pathCompany("owner"),
  "DELETE /api/companies/:companyId": pathCompany("owner"),
  "POST /api/companies/:companyId/archive": pathCompany("owner"),
  "POST /api/companies/:companyId/secrets": pathCompany("owner"),
  "POST /api/companies/:companyId/secrets/:secretId/versions": pathCompany("owner"),
  // Plugin tools over MCP: agents only (the route tells others what to send).
  "POST /api/mcp": { caller: "agent" },
  "GET /api/mcp": { caller: "agent" },
  "DELETE /api/mcp": { caller: "agent" },
  // What every board user sees of the plugins (the handlers require a board user).
  "GET /api/plugins": SIGNED_IN,
  "GET /api/plugins/examples": SIGNED_IN,
  "GET /api/plugins/ui-contributions": SIGNED_IN,
  "GET /api/plugins/:pluginId": SIGNED_IN,
  "GET /api/plugins/:pluginId/health": SIGNED_IN,
  // The board's Metrics tab (calls, latency, restarts, memory, event lag; docs/observability.md).
  "GET /api/plugins/:pluginId/metrics": SIGNED_IN,
  // Which node runs which worker of the plugin (docs/scale-out.md).
  "GET /api/plugins/:pluginId/nodes": SIGNED_IN,
  // Whether a plugin is in dev mode: the board shows it (changing it and reloading are the admin's).
  "GET /api/plugins/:pluginId/dev": SIGNED_IN,
  // Tools: the run context names the company; calling one acts in it. The handler checks the whole run context
  // (agent, run, project and company agree) and then write access to the company.
  "GET /api/plugins/tools": SIGNED_IN,
  "POST /api/plugins/tools/execute": {
    caller: "signed-in",
    company: { from: { in: "handler", what: "body runContext.companyId" }, need: "write" },
  },
  // The UI bridge: reading plugin data needs read access to the company, running an action write access; without
  // a companyId the call is instance-scoped and the handler requires the instance admin.
  "POST /api/plugins/:pluginId/data/:key": bodyCompany("read", "companyId"),
  "POST /api/plugins/:pluginId/bridge/data": bodyCompany("read", "companyId"),
  "POST /api/plugins/:pluginId/actions/:key": bodyCompany("write", "companyId"),
  "POST /api/plugins/:pluginId/bridge/action": bodyCompany("write", "companyId"),
  "GET /api/plugins/:pluginId/bridge/stream/:channel": queryCompany("read"),
  // A company's plugin settings: members of the company read them; changing or testing them is the admin's.
  "GET /api/plugins/:pluginId/config": queryCompany("read"),
};
// The scoped plugin API: the manifest's route decides the company (the handler checks it, read for GET, else write).
for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
  ROUTE_RULES[`${method} /api/plugins/:pluginId/api/*`] = SIGNED_IN;
}

/** `/api/<collection>/:param…` routes keyed by a record of a company. */
const ENTITY_COLLECTIONS: Record<string, CompanyEntity> = {
  issues: "issue",
  agents: "agent",
  projects: "project",
  goals: "goal",
  approvals: "approval",
  "heartbeat-runs": "run",
};

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function needOf(method: string): CompanyAccessNeed {
  return READ_METHODS.has(method) ? "read" : "write";
}

/** The rule of one route (method upper case; HEAD follows GET). Throws when none applies. */
export function deriveRouteAccess(
  method: string,
  url: string,
  config: { access?: RouteAccess; public?: boolean } | undefined,
): RouteAccess {
  if (config?.access) return config.access;
  if (config?.public) return ANYONE;
  if (url !== "/api" && !url.startsWith("/api/")) return ANYONE;
  const verb = method === "HEAD" ? "GET" : method;
  const listed = ROUTE_RULES[`${verb} ${url}`];
  if (listed) return listed;
  const segments = url.split("/");
  if (segments.includes(":companyId")) return pathCompany(needOf(verb));
  const entity = ENTITY_COLLECTIONS[segments[2] ?? ""];
  const param = segments[3];
  if (entity && param?.startsWith(":")) {
    return {
      caller: "signed-in",
      company: { from: { in: "path", param: param.slice(1), entity }, need: needOf(verb) },
    };
  }
  // Plugin management and operations (install, lifecycle, settings, logs, jobs, deliveries, dead letters, and the
  // isolation settings): the instance admin's, whatever the handler checks on top.
  if (segments[2] === "plugins") return ADMIN;
  throw new Error(
    `Route ${method} ${url} has no access rule: declare config.access (see src/http/auth/route-access.ts)`,
  );
}

/** How the rule reads in the OpenAPI document (`x-paperclip-access`). */
export function describeAccess(access: RouteAccess): Record<string, string> {
  const out: Record<string, string> = { caller: access.caller };
  if (access.company) {
    const from = access.company.from;
    out.company =
      from.in === "path"
        ? `path:${from.param}${from.entity === "company" ? "" : ` (${from.entity})`}`
        : from.in === "query"
          ? `query:${from.field}`
          : from.in === "body"
            ? `body:${from.path.join(".")}`
            : `handler:${from.what}`;
    out.need = access.company.need;
  }
  return out;
}

export const ANONYMOUS_ACTOR: Actor = Object.freeze({ type: "system", id: "anonymous" });

/** How the caller proved who they are (set by the actor resolver). */
export type CredentialKind = "none" | "session" | "user-key" | "agent";

declare module "fastify" {
  interface FastifyRequest {
    credentialKind: CredentialKind;
  }
}

export interface RouteAccessOptions {
  /** authenticated: anonymous callers are refused and cookie writes must come from the board's origin */
  mode: "local_trusted" | "authenticated";
  /** the board's public origin (https://board.example.com), besides the request's own */
  publicUrl?: string | null;
}

function routeAccessOf(request: FastifyRequest): RouteAccess {
  return request.routeOptions.config?.access ?? ANYONE;
}

/** Why a cookie-authenticated write must be refused as cross-site, or null. */
export function crossSiteRefusal(request: FastifyRequest, publicUrl: string | null): string | null {
  if (READ_METHODS.has(request.method)) return null;
  const origin = request.headers.origin;
  if (typeof origin !== "string" || origin === "") {
    return (
      "Cross-site request refused: a signed-in browser request that changes data must carry an Origin header " +
      "naming this board (scripts use an API key: Authorization: Bearer pck_…)"
    );
  }
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return `Cross-site request refused: Origin "${origin}" is not a valid origin`;
  }
  if (publicUrl && origin === new URL(publicUrl).origin) return null;
  if (host === (request.headers.host ?? "").toLowerCase()) return null;
  return `Cross-site request refused: Origin "${origin}" is not this board's origin`;
}

function valueAt(body: unknown, path: readonly string[]): unknown {
  let value = body;
  for (const key of path) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const SIGN_IN_HINT =
  "Sign in required: this Paperclip host runs in authenticated mode. Sign in on the board, or send " +
  "`Authorization: Bearer <API key>` (create one under your account on the board)";

export function installRouteAccess(app: FastifyInstance, options: RouteAccessOptions): void {
  const authenticated = options.mode === "authenticated";
  const publicUrl = options.publicUrl ?? null;
  app.decorateRequest("credentialKind", "none");

  app.addHook("onRoute", (route: RouteOptions) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((m) =>
      String(m).toUpperCase(),
    );
    // Every method must have a rule (registration fails otherwise); a route answering several methods (the scoped
    // plugin API) keeps the first one's, and its handler checks the company by method.
    const rules = methods.map((method) => deriveRouteAccess(method, route.url, route.config));
    route.config = { ...(route.config ?? {}), access: rules[0]! };
  });

  const services = () => app.paperclip.services;

  /** `ref`: the company id, or the id of the record the path names. Absent: nothing to check here. */
  async function checkCompany(request: FastifyRequest, access: RouteAccess, ref: unknown) {
    const rule = access.company!;
    if (typeof ref !== "string" || ref === "") return;
    const entity = rule.from.in === "path" ? rule.from.entity : "company";
    await services().access.requireForEntity(request.actor, entity, ref, rule.need);
  }

  app.addHook("onRequest", (request: FastifyRequest, _reply: FastifyReply, done) => {
    const access = routeAccessOf(request);
    if (access.caller === "anyone") return done();
    const { actor } = request;
    if (actor === ANONYMOUS_ACTOR) return done(unauthorized(SIGN_IN_HINT));
    if (authenticated && request.credentialKind === "session") {
      const refusal = crossSiteRefusal(request, publicUrl);
      if (refusal) return done(forbidden(refusal, { code: "CSRF_ORIGIN" }));
    }
    try {
      if (access.caller === "admin") requireInstanceAdmin(actor);
      else if (access.caller === "user") requireBoardUser(actor);
    } catch (error) {
      return done(error as Error);
    }
    // The instance admin is owner of every company: nothing to look up.
    if (!access.company || actor.isInstanceAdmin) return done();
    const from = access.company.from;
    if (from.in === "body" || from.in === "handler") return done();
    const value =
      from.in === "path"
        ? (request.params as Record<string, unknown>)[from.param]
        : (request.query as Record<string, unknown>)[from.field];
    checkCompany(request, access, value).then(() => done(), done);
  });

  app.addHook("preValidation", (request: FastifyRequest, _reply: FastifyReply, done) => {
    const access = routeAccessOf(request);
    if (access.company?.from.in !== "body" || request.actor.isInstanceAdmin) return done();
    checkCompany(request, access, valueAt(request.body, access.company.from.path)).then(() => done(), done);
  });
}
