// Every request resolves to an actor before its handler runs.
// Local trusted mode: no login; the caller is the instance admin ("local-board"), unless it names a live
// agent run in X-Paperclip-Run-Id, in which case it acts as that run's agent (how local agent runners
// report work). Bearer credentials arrive with the authentication issue; until then they are refused.
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
}
