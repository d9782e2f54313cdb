// Event delivery routes (beyond reference §11, which has none for events):
//   GET  /api/plugins/:pluginId/events/dead-letters?status=dead|replay_pending|replayed&limit=1..500 (default 50)
//   POST /api/plugins/:pluginId/events/dead-letters/:id/replay → 202 with the dead letter, now replay_pending
//   GET  /api/plugins/:pluginId/events/status → cursor, outbox head, lag, lease, retry, subscriptions, counts
// `:pluginId` is a UUID or a plugin key. Reads need a board user, replay the instance admin. Errors are {error}.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { conflict, forbidden, notFound } from "../../errors.js";
import { enumOf, int, nonEmpty, obj, uuid } from "../../schema/schema-helpers.js";
import { DEAD_LETTER_STATUSES, type DeadLetterStatus } from "./dead-letter-store.js";
import type { SubscriptionSource } from "./delivery-target.js";
import type { EventDispatcher } from "./dispatcher.js";

export const DEFAULT_DEAD_LETTER_LIMIT = 50;
export const MAX_DEAD_LETTER_LIMIT = 500;

export interface PluginEventRouteDeps {
  dispatcher: EventDispatcher;
  /** Resolve `:pluginId` (uuid or key); null when unknown. */
  findPlugin(idOrKey: string): Promise<{ id: string; pluginKey: string } | null>;
  subscriptions: SubscriptionSource;
}

const tags = ["plugins"];
const pluginParams = obj({ pluginId: nonEmpty(500) }, ["pluginId"]);
const deadLetterParams = obj({ pluginId: nonEmpty(500), id: uuid }, ["pluginId", "id"]);
const listQuery = obj({
  status: enumOf(DEAD_LETTER_STATUSES),
  limit: int(1, MAX_DEAD_LETTER_LIMIT),
});

function requireBoard(request: FastifyRequest): void {
  if (request.actor.type !== "user") throw forbidden("Board access required");
}

function requireInstanceAdmin(request: FastifyRequest): void {
  if (!request.actor.isInstanceAdmin) throw forbidden("Instance admin access required");
}

export function registerPluginEventRoutes(app: FastifyInstance, deps: PluginEventRouteDeps): void {
  const { dispatcher } = deps;
  const findPlugin = async (request: FastifyRequest) => {
    const plugin = await deps.findPlugin((request.params as { pluginId: string }).pluginId);
    if (!plugin) throw notFound("Plugin not found");
    return plugin;
  };

  app.get(
    "/api/plugins/:pluginId/events/dead-letters",
    { schema: { tags, params: pluginParams, querystring: listQuery } },
    async (request) => {
      requireBoard(request);
      const plugin = await findPlugin(request);
      const query = request.query as { status?: DeadLetterStatus; limit?: number };
      return dispatcher.deadLetters.list(plugin.id, {
        status: query.status,
        limit: query.limit ?? DEFAULT_DEAD_LETTER_LIMIT,
      });
    },
  );

  app.post(
    "/api/plugins/:pluginId/events/dead-letters/:id/replay",
    { schema: { tags, params: deadLetterParams } },
    async (request, reply) => {
      requireInstanceAdmin(request);
      const plugin = await findPlugin(request);
      const { id } = request.params as { id: string };
      const outcome = await dispatcher.deadLetters.requestReplay(plugin.id, id);
      if (outcome.kind === "not_found")
        throw notFound(`Dead letter ${id} not found for plugin ${plugin.pluginKey}`);
      if (outcome.kind === "already_pending")
        throw conflict(`Dead letter ${id} is already queued for replay`);
      await dispatcher.replayQueued(plugin.id);
      return reply.status(202).send(outcome.deadLetter);
    },
  );

  app.get(
    "/api/plugins/:pluginId/events/status",
    { schema: { tags, params: pluginParams } },
    async (request) => {
      requireBoard(request);
      const plugin = await findPlugin(request);
      const [cursor, head, subscriptions, deadLetters] = await Promise.all([
        dispatcher.cursors.get(plugin.id),
        dispatcher.pages.head(),
        deps.subscriptions.list(plugin.id),
        dispatcher.deadLetters.counts(plugin.id),
      ]);
      return {
        pluginId: plugin.id,
        pluginKey: plugin.pluginKey,
        outboxHead: head,
        cursor: cursor?.lastSeq ?? null,
        lag: cursor ? Math.max(0, head - cursor.lastSeq) : null,
        lease: cursor
          ? {
              owner: cursor.leaseOwner,
              expiresAt: cursor.leaseExpiresAt,
              heldByThisNode: cursor.leaseOwner === dispatcher.nodeId,
            }
          : null,
        retry: cursor?.retrySeq
          ? { seq: cursor.retrySeq, attempts: cursor.retryAttempts, lastError: cursor.retryError }
          : null,
        subscriptions: subscriptions.map((rule) => ({
          eventPattern: rule.eventPattern,
          filter: rule.filter,
        })),
        deadLetters,
        thisNode: dispatcher.streamStatus(plugin.id),
      };
    },
  );
}
