// Webhook routes: the public intake `POST /api/plugins/:pluginId/webhooks/:endpointKey` (reference §7, any
// content type, raw body kept, size limit → 413) and the operator's delivery list, detail and replay.
// The intake lives in its own encapsulated scope so its catch-all raw-body parser and its 413 message apply to
// it alone; the rest of the API keeps its JSON parser.
import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { requireBoardUser, requireInstanceAdmin } from "../../domain/authorization.js";
import { badRequest } from "../../errors.js";
import { DEFAULT_WEBHOOK_BODY_LIMIT_BYTES } from "../../plugins/webhooks/body.js";
import { DELIVERY_STATUSES, type DeliveryStatus } from "../../plugins/webhooks/records.js";
import {
  type DeliveryResult,
  PluginNotAcceptingError,
  type WebhookService,
} from "../../plugins/webhooks/webhook-service.js";
import { nonEmpty, obj } from "../../schema/schema-helpers.js";

export const DEFAULT_DELIVERY_LIMIT = 25;
export const MAX_DELIVERY_LIMIT = 500;

export interface WebhookRouteDeps {
  webhooks: WebhookService;
  /** Largest accepted webhook body. Default 5 MiB (PAPERCLIP_WEBHOOK_MAX_BODY_BYTES). */
  bodyLimitBytes?: number;
}

const tags = ["plugin webhooks"];
const intakeParams = obj({ pluginId: nonEmpty(500), endpointKey: nonEmpty(500) }, [
  "pluginId",
  "endpointKey",
]);
const deliveryParams = obj({ pluginId: nonEmpty(500), deliveryId: nonEmpty(100) }, [
  "pluginId",
  "deliveryId",
]);
const listQuery = obj({
  limit: { type: "string", maxLength: 20 },
  status: { type: "string", maxLength: 40 },
  endpointKey: { type: "string", maxLength: 500 },
});

export function parseDeliveryQuery(raw: { limit?: string; status?: string; endpointKey?: string }) {
  let limit = DEFAULT_DELIVERY_LIMIT;
  if (raw.limit !== undefined && raw.limit !== "") {
    limit = Number(raw.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DELIVERY_LIMIT) {
      throw badRequest(`limit must be an integer from 1 to ${MAX_DELIVERY_LIMIT} (got "${raw.limit}")`, {
        field: "limit",
      });
    }
  }
  let status: DeliveryStatus | undefined;
  if (raw.status) {
    if (!DELIVERY_STATUSES.includes(raw.status as DeliveryStatus)) {
      throw badRequest(`status must be one of: ${DELIVERY_STATUSES.join(", ")} (got "${raw.status}")`, {
        field: "status",
      });
    }
    status = raw.status as DeliveryStatus;
  }
  return { limit, status, webhookKey: raw.endpointKey || undefined };
}

function send(reply: FastifyReply, result: DeliveryResult) {
  return reply.status(result.httpStatus).send(result.body);
}

/** A 503 for a plugin that is not accepting deliveries tells the sender when to retry. */
async function answering(reply: FastifyReply, work: () => Promise<DeliveryResult>) {
  try {
    return send(reply, await work());
  } catch (error) {
    if (error instanceof PluginNotAcceptingError)
      reply.header("retry-after", String(error.retryAfterSeconds));
    throw error;
  }
}

export function registerPluginWebhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps): void {
  const { webhooks } = deps;
  const bodyLimit = deps.bodyLimitBytes ?? DEFAULT_WEBHOOK_BODY_LIMIT_BYTES;

  app.get(
    "/api/plugins/:pluginId/webhooks/deliveries",
    { schema: { tags, params: obj({ pluginId: nonEmpty(500) }, ["pluginId"]), querystring: listQuery } },
    async (request) => {
      requireBoardUser(request.actor);
      const query = parseDeliveryQuery(request.query as Record<string, string | undefined>);
      return webhooks.list((request.params as { pluginId: string }).pluginId, query);
    },
  );

  app.get(
    "/api/plugins/:pluginId/webhooks/deliveries/:deliveryId",
    { schema: { tags, params: deliveryParams } },
    async (request) => {
      requireBoardUser(request.actor);
      const { pluginId, deliveryId } = request.params as { pluginId: string; deliveryId: string };
      return webhooks.get(pluginId, deliveryId);
    },
  );

  app.post(
    "/api/plugins/:pluginId/webhooks/deliveries/:deliveryId/replay",
    { schema: { tags, params: deliveryParams } },
    async (request, reply) => {
      requireInstanceAdmin(request.actor);
      const { pluginId, deliveryId } = request.params as { pluginId: string; deliveryId: string };
      return answering(reply, () => webhooks.replay(pluginId, deliveryId));
    },
  );

  app.register(async (scope) => {
    // Every content type arrives as the exact bytes sent; the service parses JSON and forms itself.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit }, (_request, body, done) =>
      done(null, body),
    );
    scope.setErrorHandler((error: FastifyError, _request, reply) => {
      if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
        return reply.status(413).send({
          error: `Webhook body is larger than the limit of ${bodyLimit} bytes (PAPERCLIP_WEBHOOK_MAX_BODY_BYTES)`,
          code: error.code,
        });
      }
      throw error;
    });
    scope.post(
      "/api/plugins/:pluginId/webhooks/:endpointKey",
      { bodyLimit, config: { public: true }, schema: { tags, params: intakeParams } },
      async (request, reply) => {
        const { pluginId, endpointKey } = request.params as { pluginId: string; endpointKey: string };
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        return answering(reply, () =>
          webhooks.receive(pluginId, endpointKey, { headers: request.headers, rawBody }),
        );
      },
    );
  });
}
