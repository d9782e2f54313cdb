// `GET /api/plugins/:pluginId/bridge/stream/:channel?companyId=` (reference §9): the worker's stream as
// Server-Sent Events. Board access and access to the company are checked before the stream opens; then the
// headers and `:ok`, the frames after the client's Last-Event-ID (header, or `?lastEventId=` for clients that
// cannot set headers), and live frames with `: keep-alive` comments in between.
import type { FastifyInstance } from "fastify";
import { requireBoardUser } from "../../domain/authorization.js";
import { badRequest, notFound } from "../../errors.js";
import { MAX_CHANNEL_LENGTH } from "../../plugins/streams/notifications.js";
import type { StreamBus } from "../../plugins/streams/stream-bus.js";
import { DEFAULT_KEEP_ALIVE_MS, keepAliveFromEnv, SseConnection } from "../sse-connection.js";
import { notReadyError } from "./bridge-errors.js";
import type { PluginHttpContext } from "./context.js";

export interface StreamRouteOptions {
  /** Interval of keep-alive comments. Default PAPERCLIP_SSE_KEEPALIVE_MS, else 15 000 ms; 0 turns them off. */
  keepAliveMs?: number;
  /** Unsent bytes after which a client that does not read is disconnected. Default 8 MiB. */
  maxPendingBytes?: number;
}

export function registerStreamRoutes(
  app: FastifyInstance,
  ctx: PluginHttpContext,
  bus: StreamBus,
  options: StreamRouteOptions = {},
): void {
  const keepAliveMs = options.keepAliveMs ?? keepAliveFromEnv() ?? DEFAULT_KEEP_ALIVE_MS;
  const maxPendingBytes = options.maxPendingBytes ?? 8 * 1024 * 1024;
  const connections = new Set<SseConnection>();

  // Open streams would hold the server open forever: end them before the server stops accepting.
  app.addHook("preClose", (done) => {
    for (const connection of [...connections]) connection.end();
    done();
  });

  app.get(
    "/api/plugins/:pluginId/bridge/stream/:channel",
    {
      // A HEAD request would hold a stream open with nothing to read.
      exposeHeadRoute: false,
      schema: { tags: ["plugin bridge"], summary: "Subscribe to a plugin stream (Server-Sent Events)" },
    },
    async (request, reply) => {
      requireBoardUser(request.actor);
      const { pluginId, channel } = request.params as { pluginId: string; channel: string };
      const query = request.query as { companyId?: unknown; lastEventId?: unknown };
      const companyId = query.companyId;
      if (typeof companyId !== "string" || companyId.length === 0) {
        throw badRequest('"companyId" query parameter is required', { field: "companyId" });
      }
      if (channel.length > MAX_CHANNEL_LENGTH) {
        throw badRequest(`Stream channel names are at most ${MAX_CHANNEL_LENGTH} characters`, {
          field: "channel",
        });
      }
      const plugin = await ctx.catalog.find(pluginId);
      if (!plugin) throw notFound("Plugin not found");
      await ctx.companies.assert(request.actor, companyId);
      if (plugin.status !== "ready") return reply.code(502).send(notReadyError(plugin.status));

      const header = request.headers["last-event-id"];
      const lastEventId =
        (typeof header === "string" && header) ||
        (typeof query.lastEventId === "string" ? query.lastEventId : null);
      reply.hijack();
      let unsubscribe = () => {};
      const connection = new SseConnection(reply.raw, {
        keepAliveMs,
        maxPendingBytes,
        onClose: () => {
          unsubscribe();
          connections.delete(connection);
        },
      });
      connections.add(connection);
      connection.open();
      const subscription = bus.subscribe(
        { pluginId: plugin.id, channel, companyId },
        connection,
        lastEventId,
      );
      unsubscribe = () => subscription.unsubscribe();
      if (connection.isClosed) unsubscribe();
      if (subscription.gap)
        connection.comment("some events before these were no longer buffered and are missed");
      for (const frame of subscription.replay) connection.deliver(frame);
    },
  );
}
