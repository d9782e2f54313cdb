// `GET /api/companies/:companyId/events/stream`: the company's domain events as Server-Sent Events, for the
// board's live updates. Each event is `id: <outbox sequence>` and `data: {type, entityType, entityId, companyId,
// occurredAt, payload, …}`; a `: keep-alive` comment goes out every 15 s (PAPERCLIP_SSE_KEEPALIVE_MS); a client
// reconnecting with Last-Event-ID (header, or `?lastEventId=` for clients that cannot set headers) gets what it
// missed first. An `event: reset` tells the client to reload instead (see company-event-hub.ts).
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { CompanyAccess } from "../../plugins/bridge/company-access.js";
import { idParam, obj, str } from "../../schema/schema-helpers.js";
import { CompanyEventHub, type CompanyEventSubscription } from "../company-event-hub.js";
import { DEFAULT_KEEP_ALIVE_MS, keepAliveFromEnv, SseConnection } from "../sse-connection.js";

export interface CompanyEventRouteOptions {
  /** Interval of keep-alive comments. Default PAPERCLIP_SSE_KEEPALIVE_MS, else 15 000 ms; 0 turns them off. */
  keepAliveMs?: number;
  /** Unsent bytes after which a client that does not read is disconnected (it resumes). Default 8 MiB. */
  maxPendingBytes?: number;
}

declare module "fastify" {
  interface FastifyInstance {
    /** The fan-out behind the company event streams (its `size` is the number of open streams). */
    companyEvents: CompanyEventHub;
  }
}

/** A sequence the client last saw, or null (absent or not a sequence: start from now). */
export function parseLastEventId(header: unknown, query: unknown): number | null {
  const raw = typeof header === "string" && header !== "" ? header : typeof query === "string" ? query : "";
  if (!/^\d{1,15}$/.test(raw.trim())) return null;
  return Number(raw.trim());
}

export function registerCompanyEventRoutes(
  app: FastifyInstance,
  options: CompanyEventRouteOptions = {},
): void {
  const { services } = app.paperclip;
  const keepAliveMs = options.keepAliveMs ?? keepAliveFromEnv() ?? DEFAULT_KEEP_ALIVE_MS;
  const maxPendingBytes = options.maxPendingBytes ?? 8 * 1024 * 1024;
  const hub = new CompanyEventHub({
    db: services.db,
    notifier: services.notifier,
    outbox: services.outbox,
    logger: app.log as unknown as Logger,
  });
  const access = new CompanyAccess(services);
  const connections = new Set<SseConnection>();
  app.decorate("companyEvents", hub);

  // Open streams would hold the server open forever: end them before the server stops accepting.
  app.addHook("preClose", (done) => {
    for (const connection of [...connections]) connection.end();
    hub.close();
    done();
  });

  app.get(
    "/api/companies/:companyId/events/stream",
    {
      // A HEAD request would hold a stream open with nothing to read.
      exposeHeadRoute: false,
      schema: {
        tags: ["events"],
        summary: "Live domain events of a company (Server-Sent Events)",
        description:
          "text/event-stream. Each event: `id: <sequence>` and `data: {type, entityType, entityId, companyId, " +
          "occurredAt, payload, eventId, actorType, actorId}`. Send Last-Event-ID (or ?lastEventId=) to resume; " +
          "an `event: reset` means the events missed cannot be replayed and the client should reload. " +
          "A `: keep-alive` comment every 15 s.",
        params: idParam("companyId"),
        querystring: obj({ lastEventId: str(32) }),
      },
    },
    async (request, reply) => {
      const { companyId } = request.params as { companyId: string };
      await access.assert(request.actor, companyId);
      const afterSeq = parseLastEventId(
        request.headers["last-event-id"],
        (request.query as { lastEventId?: unknown }).lastEventId,
      );

      let subscription: CompanyEventSubscription | null = null;
      const connection = new SseConnection(reply.raw, {
        keepAliveMs,
        maxPendingBytes,
        onClose: () => {
          subscription?.unsubscribe();
          connections.delete(connection);
        },
      });
      // Subscribed before the headers go out: a client that saw the stream open sees every later commit.
      subscription = await hub.subscribe(companyId, connection, afterSeq);
      reply.hijack();
      if (connection.isClosed) {
        subscription.unsubscribe();
        return;
      }
      connections.add(connection);
      connection.open();
      await subscription.start();
    },
  );
}
