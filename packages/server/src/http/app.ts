// The Fastify app factory. It does not listen; `paperclip start` (or a test) does. Later issues register
// their routes (plugins, UI) on the returned instance.
import Fastify, { type FastifyInstance, LogController } from "fastify";
import type { Logger } from "pino";
import { type AgentRuntime, createAgentRuntime } from "../agents/index.js";
import type { HostConfig } from "../config.js";
import type { Database } from "../db/database.js";
import type { Clock } from "../domain/actor.js";
import { createServices, type DomainServices } from "../domain/services.js";
import { compileValidator } from "../schema/validation.js";
import { type ActorResolver, isPublicRoute, localTrustedActorResolver, PUBLIC_ROUTE_ACTOR } from "./actor.js";
import { registerAuthRoutes } from "./auth/auth-routes.js";
import { createAuth, type PaperclipAuth } from "./auth/better-auth.js";
import { installRouteAccess } from "./auth/route-access.js";
import { authenticatedActorResolver } from "./auth/session-resolver.js";
import { installErrorHandling } from "./errors.js";
import { allowedHostSet, installHostGuard } from "./host-guard.js";
import { installJsonBodyParser, installUrlTextCheck } from "./json-body.js";
import { installOpenApi } from "./openapi.js";
import { registerActivityRoutes } from "./routes/activity.js";
import { registerAgentKeyRoutes } from "./routes/agent-keys.js";
import { registerAgentRoutes } from "./routes/agents.js";
import { registerApprovalRoutes } from "./routes/approvals.js";
import { registerCompanyRoutes } from "./routes/companies.js";
import { registerCompanyEventRoutes } from "./routes/company-events.js";
import { registerCostRoutes } from "./routes/costs.js";
import { registerGoalRoutes } from "./routes/goals.js";
import { registerHealthRoutes } from "./routes/health.js";
import { registerIssueSubresourceRoutes } from "./routes/issue-subresources.js";
import { registerIssueRoutes } from "./routes/issues.js";
import { registerProjectRoutes } from "./routes/projects.js";
import { registerRunRoutes } from "./routes/runs.js";
import { registerUserRoutes } from "./routes/users.js";

export interface BuildAppOptions {
  db: Database;
  config: Pick<HostConfig, "deploymentMode" | "bodyLimitBytes"> &
    Partial<Pick<HostConfig, "host" | "allowedHostnames" | "publicUrl" | "authSecret">>;
  /** a pino logger, or false for none (tests) */
  logger?: Logger | false;
  /** share services with the caller (the CLI seeds through them); created when absent */
  services?: DomainServices;
  clock?: Clock;
  resolveActor?: ActorResolver;
  /** run events, run hub and agent keys for the routes; a runtime that is not started is made when absent */
  agentRuntime?: AgentRuntime;
  /**
   * Users and sessions (authenticated mode, docs/authentication.md). Made from config.authSecret when absent in
   * authenticated mode; unused in local trusted mode.
   */
  auth?: PaperclipAuth;
  /** Sign-in attempts per minute and client address (authenticated mode). Default 5. */
  signInAttemptsPerMinute?: number;
  /** HTTP request metrics and spans (src/observability); none when absent. */
  observability?: { installHttpHooks(app: FastifyInstance): void };
}

declare module "fastify" {
  interface FastifyInstance {
    paperclip: { services: DomainServices; config: BuildAppOptions["config"]; auth: PaperclipAuth | null };
    agentRuntime: Pick<AgentRuntime, "events" | "hub" | "keys">;
  }
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const services = options.services ?? createServices(options.db, { clock: options.clock });
  const app = Fastify({
    loggerInstance: options.logger || undefined,
    logger: options.logger ? undefined : false,
    bodyLimit: options.config.bodyLimitBytes,
    // No per-request log lines: at thousands of requests a second they cost more than the request.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  }) as unknown as FastifyInstance;
  const authenticated = options.config.deploymentMode === "authenticated";
  const auth = authenticated ? (options.auth ?? authFromConfig(options, app.log as Logger)) : null;
  app.decorate("paperclip", { services, config: options.config, auth });
  app.decorate(
    "agentRuntime",
    options.agentRuntime ??
      createAgentRuntime({ db: options.db, services, logger: app.log as Logger, dataDir: null }),
  );
  app.setValidatorCompiler(compileValidator);
  installErrorHandling(app);
  // First hook of every request: nothing else runs for a request that came through a rebound name.
  installHostGuard(app, { bindHost: options.config.host, allowedHostnames: options.config.allowedHostnames });
  options.observability?.installHttpHooks(app);

  // Every JSON body: malformed, nested deeper than 64 levels, or holding NUL / lone surrogates → 400 naming the
  // place (json-body.ts). An empty JSON body means "no body" (POST /agents/:id/pause with Content-Type set).
  installJsonBodyParser(app);
  installUrlTextCheck(app);

  // A missing body validates as {} so routes whose fields are all optional accept an empty POST.
  app.addHook("preValidation", (request, _reply, done) => {
    if (request.body === undefined && request.method !== "GET" && request.method !== "DELETE")
      request.body = {};
    done();
  });

  const resolveActor =
    options.resolveActor ??
    (auth ? authenticatedActorResolver(services, auth) : localTrustedActorResolver(services));
  app.decorateRequest("actor", null as never);
  // Callback style: most requests resolve synchronously, and skipping a promise per request is measurable.
  app.addHook("onRequest", (request, _reply, done) => {
    try {
      // Public routes (the plugin webhook intake) take no Paperclip login (see http/actor.ts).
      const actor = isPublicRoute(request) ? PUBLIC_ROUTE_ACTOR : resolveActor(request);
      if (actor instanceof Promise) {
        actor.then((resolved) => {
          request.actor = resolved;
          done();
        }, done);
        return;
      }
      request.actor = actor;
      done();
    } catch (error) {
      done(error as Error);
    }
  });

  // Every route gets an access rule as it is registered; anonymous callers, other companies and viewers' writes are
  // refused before any handler or body validation (auth/route-access.ts).
  installRouteAccess(app, {
    mode: options.config.deploymentMode,
    publicUrl: options.config.publicUrl ?? null,
  });

  // The document declares every route's error responses too (openapi.ts).
  await installOpenApi(app);

  registerHealthRoutes(app, options.db);
  registerCompanyRoutes(app);
  registerProjectRoutes(app);
  registerGoalRoutes(app);
  registerAgentRoutes(app);
  registerRunRoutes(app);
  registerAgentKeyRoutes(app);
  registerIssueRoutes(app);
  registerIssueSubresourceRoutes(app);
  registerApprovalRoutes(app);
  registerCostRoutes(app);
  registerActivityRoutes(app);
  registerCompanyEventRoutes(app);
  registerUserRoutes(app, auth);
  if (auth) registerAuthRoutes(app, auth, { publicUrl: options.config.publicUrl ?? null });
  (await import("./routes/dashboard.js")).registerDashboardRoutes(app);
  return app;
}

/** better-auth on the app's database, with the names the host guard accepts. */
function authFromConfig(options: BuildAppOptions, logger: Logger): PaperclipAuth {
  const secret = options.config.authSecret;
  if (!secret) throw new Error("authenticated mode needs config.authSecret (at least 32 characters)");
  const perMinute = options.signInAttemptsPerMinute;
  return createAuth({
    db: options.db,
    secret,
    publicUrl: options.config.publicUrl ?? null,
    allowedHosts: [
      ...allowedHostSet({ bindHost: options.config.host, allowedHostnames: options.config.allowedHostnames }),
    ],
    logger,
    ...(perMinute ? { signInLimit: { window: 60, max: perMinute } } : {}),
  });
}
