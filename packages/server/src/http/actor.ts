// Every request resolves to an actor before its handler runs.
// Local trusted mode: no login; the caller is the instance admin ("local-board"), unless
// - it sends `Authorization: Bearer <token>`: an agent API key (`pcp_…`) or a run token (`pcr_…`, what a run gets as
//   PAPERCLIP_API_KEY), checked by the agent keys (src/agents/agent-keys.ts). The caller acts as that agent, in the
//   token's run for a run token. An unknown, revoked or expired token, a finished run's token, or a host without
//   agent keys answers 401;
// - it names a live agent run in X-Paperclip-Run-Id (how local agent runners report work): it acts as that run's
//   agent. Together with a Bearer token the header must name a live run of the token's agent (its own run for a run
//   token).
// A route marked `config: { public: true }` (the plugin webhook intake) skips the resolver altogether.
import type { FastifyRequest } from "fastify";
import type { AgentCredential } from "../agents/agent-keys.js";
import { type Actor, agentActor, LOCAL_BOARD_ACTOR } from "../domain/actor.js";
import type { DomainServices } from "../domain/services.js";
import { unauthorized } from "../errors.js";

export type ActorResolver = (request: FastifyRequest) => Actor | Promise<Actor>;

export const RUN_ID_HEADER = "x-paperclip-run-id";

/** What checks agent credentials (AgentKeys). */
export interface AgentCredentialVerifier {
  authenticate(token: string): Promise<AgentCredential | null>;
}

export interface LocalTrustedOptions {
  /**
   * Checks agent API keys and run tokens given as Bearer credentials. Default: the app's agent runtime
   * (`app.agentRuntime.keys`); null refuses every Bearer header.
   */
  agentKeys?: AgentCredentialVerifier | null;
}

/** The agent keys of the app serving the request (buildApp decorates it with the agent runtime). */
function appAgentKeys(request: FastifyRequest): AgentCredentialVerifier | null {
  return (request.server as { agentRuntime?: { keys?: AgentCredentialVerifier } }).agentRuntime?.keys ?? null;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export function localTrustedActorResolver(
  services: DomainServices,
  options: LocalTrustedOptions = {},
): ActorResolver {
  const liveRun = async (runId: string) => {
    const run = await services.runs.get(runId).catch(() => null);
    if (!run || (run.status !== "running" && run.status !== "queued")) {
      throw unauthorized(`${RUN_ID_HEADER}: names no queued or running agent run`);
    }
    return run;
  };
  const runActor = async (runId: string): Promise<Actor> => {
    const run = await liveRun(runId);
    return agentActor(run.agentId, run.id);
  };
  const bearerActor = async (
    request: FastifyRequest,
    header: string,
    runHeader: string | null,
  ): Promise<Actor> => {
    const match = BEARER.exec(header);
    if (!match) {
      throw unauthorized(
        "Authorization: only `Bearer <agent API key or run token>` is accepted (local trusted mode needs none)",
      );
    }
    const keys = options.agentKeys === undefined ? appAgentKeys(request) : options.agentKeys;
    if (!keys) throw unauthorized("Bearer credentials are not accepted by this host (it has no agent keys)");
    const credential = await keys.authenticate(match[1]!);
    if (!credential) {
      throw unauthorized(
        "Authorization: the Bearer token is not a valid agent API key or run token (unknown, revoked or expired, " +
          "its run has ended, or its agent may not act)",
      );
    }
    if (runHeader === null) return agentActor(credential.agentId, credential.runId);
    if (credential.runId !== null && runHeader !== credential.runId) {
      throw unauthorized(
        `${RUN_ID_HEADER}: the run token belongs to run ${credential.runId}, not ${runHeader}`,
      );
    }
    const run = await liveRun(runHeader);
    if (run.agentId !== credential.agentId) {
      throw unauthorized(`${RUN_ID_HEADER}: run ${runHeader} is not a run of agent ${credential.agentId}`);
    }
    return agentActor(credential.agentId, run.id);
  };
  return (request) => {
    const raw = request.headers[RUN_ID_HEADER];
    const runId = typeof raw === "string" && raw.length > 0 ? raw : null;
    const authorization = request.headers.authorization;
    if (authorization) return bearerActor(request, authorization, runId);
    if (runId !== null) return runActor(runId);
    return LOCAL_BOARD_ACTOR;
  };
}

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyContextConfig {
    /**
     * The route takes no Paperclip credentials (webhook senders): the actor resolver is not asked, so a
     * sender's own `Authorization` header is the plugin's business, not a Paperclip login to refuse with 401.
     */
    public?: boolean;
  }
}

/** True for a route marked `config: { public: true }`. */
export function isPublicRoute(request: FastifyRequest): boolean {
  return request.routeOptions?.config?.public === true;
}

/** Who a public route runs as: nobody from the board (the webhook intake is the one public route). */
export const PUBLIC_ROUTE_ACTOR: Actor = Object.freeze({ type: "system", id: "webhook-sender" });
