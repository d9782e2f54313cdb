// The UI bridge (reference §10.4): `POST /api/plugins/:pluginId/data/:key`, `/actions/:key`, `/bridge/data`
// and `/bridge/action` forward to the worker's getData / performAction and answer `{data}`; failures of the
// worker call are 502 PluginBridgeError bodies. This is the hottest plugin route (benchmarked against a bare
// Fastify route): records come from the in-memory catalog, bodies are checked by hand, and the 200 answer has
// a precompiled serializer.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Actor } from "../../domain/actor.js";
import { requireBoardOrAgent, requireBoardUser, requireInstanceAdmin } from "../../domain/authorization.js";
import { notFound } from "../../errors.js";
import { unknownKeyError } from "./bridge-errors.js";
import { type BridgeCallInput, parseBridgeBody } from "./bridge-request-body.js";
import type { PluginHttpContext } from "./context.js";
import { callReadyPlugin } from "./worker-call.js";

type BridgeKind = "data" | "action";

const tags = ["plugin bridge"];
/** The 200 body: `{data}` with anything JSON inside. */
const dataResponse = { 200: { type: "object", properties: { data: {} } } };

/** `actorContext` of performAction: who clicked, as the worker's PluginPerformActionContext expects it. */
export function actorContextOf(actor: Actor, companyId: string | null) {
  if (actor.type === "user") {
    return {
      type: "user",
      userId: actor.userId ?? actor.id,
      agentId: null,
      runId: actor.runId ?? null,
      companyId,
    };
  }
  if (actor.type === "agent") {
    return {
      type: "agent",
      userId: null,
      agentId: actor.agentId ?? actor.id,
      runId: actor.runId ?? null,
      companyId,
    };
  }
  return { type: "system", userId: null, agentId: null, runId: null, companyId };
}

function workerParams(kind: BridgeKind, input: BridgeCallInput, actor: Actor) {
  if (kind === "data") {
    return input.companyId === null
      ? { key: input.key, params: input.params, renderEnvironment: input.renderEnvironment }
      : {
          key: input.key,
          companyId: input.companyId,
          params: input.params,
          renderEnvironment: input.renderEnvironment,
        };
  }
  return {
    key: input.key,
    params: input.companyId === null ? input.params : { ...input.params, companyId: input.companyId },
    actorContext: actorContextOf(actor, input.companyId),
    renderEnvironment: input.renderEnvironment,
  };
}

export function registerBridgeRoutes(app: FastifyInstance, ctx: PluginHttpContext): void {
  async function handle(kind: BridgeKind, request: FastifyRequest, reply: FastifyReply) {
    const { actor } = request;
    // getData: board users; performAction: any authenticated caller (board user or agent).
    if (kind === "data") requireBoardUser(actor);
    else requireBoardOrAgent(actor);
    const routeParams = request.params as { pluginId: string; key?: string };
    const input = parseBridgeBody(request.body, routeParams.key ?? null);
    const plugin = await ctx.catalog.find(routeParams.pluginId);
    if (!plugin) throw notFound("Plugin not found");
    if (input.companyId === null)
      requireInstanceAdmin(actor, "a bridge call without companyId is instance-scoped");
    else await ctx.companies.assert(actor, input.companyId);
    const method = kind === "data" ? "getData" : "performAction";
    const outcome = await callReadyPlugin(
      ctx,
      plugin,
      method,
      workerParams(kind, input, actor),
      input.companyId,
    );
    if (!outcome.ok) {
      const unknownKey = unknownKeyError(kind, input.key, outcome.error);
      if (unknownKey) return reply.code(404).send(unknownKey);
      return reply.code(502).send(outcome.error);
    }
    return { data: outcome.result ?? null };
  }

  const route = (url: string, kind: BridgeKind, summary: string) =>
    app.post(url, { schema: { tags, summary, response: dataResponse } }, (request, reply) =>
      handle(kind, request, reply),
    );
  route("/api/plugins/:pluginId/data/:key", "data", "Read plugin data (worker getData)");
  route("/api/plugins/:pluginId/actions/:key", "action", "Run a plugin action (worker performAction)");
  route("/api/plugins/:pluginId/bridge/data", "data", "Read plugin data, key in the body");
  route("/api/plugins/:pluginId/bridge/action", "action", "Run a plugin action, key in the body");
}
