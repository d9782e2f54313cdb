// Event delivery routes (beyond reference §11, which has none for events):
//   GET  /api/plugins/:pluginId/events/dead-letters?status=dead|replay_pending|replayed&limit=1..500 (default 50)
//   POST /api/plugins/:pluginId/events/dead-letters/:id/replay → 202 with the dead letter, now replay_pending
//   GET  /api/plugins/:pluginId/events/status → cursor, outbox head, lag, lease, retry, subscriptions, counts
// `:pluginId` is a UUID or a plugin key. Reads need a board user, replay the instance admin. Errors are {error}.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { requireBoardUser, requireInstanceAdmin } from "../../domain/authorization.js";
import { notFound } from "../../errors.js";
import { DEAD_LETTER_STATUSES, type DeadLetterStatus } from "../../plugins/events/dead-letter-store.js";
import { MAX_DEAD_LETTER_LIMIT, PluginDeliveryAdmin } from "../../plugins/events/delivery-admin.js";
import type { SubscriptionSource } from "../../plugins/events/delivery-target.js";
import type { EventDispatcher } from "../../plugins/events/dispatcher.js";
import { enumOf, int, nonEmpty, obj, uuid } from "../../schema/schema-helpers.js";

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

export function registerPluginEventRoutes(app: FastifyInstance, deps: PluginEventRouteDeps): void {
  const admin = new PluginDeliveryAdmin({ dispatcher: deps.dispatcher, subscriptions: deps.subscriptions });
  const findPlugin = async (request: FastifyRequest) => {
    const plugin = await deps.findPlugin((request.params as { pluginId: string }).pluginId);
    if (!plugin) throw notFound("Plugin not found");
    return plugin;
  };

  app.get(
    "/api/plugins/:pluginId/events/dead-letters",
    { schema: { tags, params: pluginParams, querystring: listQuery } },
    async (request) => {
      requireBoardUser(request.actor);
      const plugin = await findPlugin(request);
      return admin.deadLetters(plugin, request.query as { status?: DeadLetterStatus; limit?: number });
    },
  );

  app.post(
    "/api/plugins/:pluginId/events/dead-letters/:id/replay",
    { schema: { tags, params: deadLetterParams } },
    async (request, reply) => {
      requireInstanceAdmin(request.actor);
      const plugin = await findPlugin(request);
      const { id } = request.params as { id: string };
      return reply.status(202).send(await admin.replay(plugin, id));
    },
  );

  app.get(
    "/api/plugins/:pluginId/events/status",
    { schema: { tags, params: pluginParams } },
    async (request) => {
      requireBoardUser(request.actor);
      return admin.status(await findPlugin(request));
    },
  );
}
