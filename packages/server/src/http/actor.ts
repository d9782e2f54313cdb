// Every request resolves to an actor before its handler runs.
// Local trusted mode: no login; the caller is the instance admin ("local-board"), unless it names a live
// agent run in X-Paperclip-Run-Id, in which case it acts as that run's agent (how local agent runners
// report work). Bearer credentials arrive with the authentication issue; until then they are refused.
// A route marked `config: { public: true }` (the plugin webhook intake) skips the resolver altogether.
import type { FastifyRequest } from "fastify";
import { type Actor, agentActor, LOCAL_BOARD_ACTOR } from "../domain/actor.js";
import type { DomainServices } from "../domain/services.js";
import { unauthorized } from "../errors.js";

export type ActorResolver = (request: FastifyRequest) => Actor | Promise<Actor>;

export const RUN_ID_HEADER = "x-paperclip-run-id";

export function localTrustedActorResolver(services: DomainServices): ActorResolver {
  const runActor = async (runId: string): Promise<Actor> => {
    const run = await services.runs.get(runId).catch(() => null);
    if (!run || (run.status !== "running" && run.status !== "queued")) {
      throw unauthorized(`${RUN_ID_HEADER}: names no queued or running agent run`);
    }
    return agentActor(run.agentId, run.id);
  };
  return (request) => {
    if (request.headers.authorization) {
      throw unauthorized(
        "Bearer credentials are not accepted by this host yet (local trusted mode needs none)",
      );
    }
    const runId = request.headers[RUN_ID_HEADER];
    if (typeof runId === "string" && runId.length > 0) return runActor(runId);
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
