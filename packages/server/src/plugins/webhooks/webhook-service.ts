// Webhook intake (reference §7, fixed): find the plugin and the endpoint and say exactly why a delivery is
// refused; store the delivery (raw body, redacted headers, sealed secret headers) BEFORE the worker is called;
// then call handleWebhook. Worker unavailable → the delivery stays queued and the retry loop hands it over when
// the worker is back. Also the delivery list, detail and replay.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import type { Logger } from "pino";
import type { Database } from "../../db/database.js";
import { type Clock, systemClock } from "../../domain/actor.js";
import { DomainError, forbidden, notFound } from "../../errors.js";
import { parseWebhookBody } from "./body.js";
import { DeliveryStore, type NewDelivery } from "./delivery-store.js";
import {
  type HeaderSealer,
  openHeaders,
  type RawHeaders,
  restoreHeaders,
  sealHeaders,
  senderDeliveryId,
  splitSecretHeaders,
  workerHeaders,
} from "./headers.js";
import {
  type DeliveryRow,
  type DeliveryStatus,
  type PluginWebhookDeliveryDetail,
  type PluginWebhookDeliveryRecord,
  toDeliveryDetail,
  toDeliveryRecord,
} from "./records.js";

export const WEBHOOK_CAPABILITY = "webhooks.receive";

/** What the webhook intake needs from this node's plugin runtime. */
export interface WebhookWorkerGateway {
  runningPluginIds(): string[];
  isRunning(pluginId: string): boolean;
  /** `handleWebhook` with no company (instance scope); rejects with the worker's JSON-RPC error. */
  handleWebhook(pluginId: string, input: WebhookInput, options: { timeoutMs?: number }): Promise<void>;
}

export interface WebhookPluginDirectory {
  findPlugin(idOrKey: string): Promise<{
    id: string;
    pluginKey: string;
    status: string;
    manifestJson: {
      capabilities?: readonly string[] | null;
      webhooks?: ReadonlyArray<{ endpointKey: string }> | null;
    };
  } | null>;
}

/** PluginWebhookInput (reference §7) plus the delivery id, so a handler can recognise a redelivery. */
export interface WebhookInput {
  endpointKey: string;
  headers: Record<string, string | string[]>;
  rawBody: string;
  parsedBody?: unknown;
  requestId: string;
  deliveryId: string;
}

export interface WebhookServiceOptions {
  db: Database;
  gateway: WebhookWorkerGateway;
  directory: WebhookPluginDirectory;
  sealer: HeaderSealer;
  logger: Logger;
  clock?: Clock;
  nodeId?: string;
  /** handleWebhook deadline; default: the plugin's handleWebhook method timeout (30 s). */
  callTimeoutMs?: number;
  /** How long a node may hold a delivery it handles before others may take it over. Default 5 min. */
  leaseMs?: number;
  /** Worker calls that died with the worker before a delivery is failed (a payload that crashes it). Default 5. */
  maxWorkerAttempts?: number;
}

/** The HTTP answer of an intake or replay. */
export interface DeliveryResult {
  httpStatus: 200 | 202 | 502;
  body: { deliveryId: string; status: "success" | "queued" | "failed"; error?: string };
}

export interface IncomingWebhook {
  headers: RawHeaders;
  rawBody: Buffer;
}

type FoundPlugin = NonNullable<Awaited<ReturnType<WebhookPluginDirectory["findPlugin"]>>>;

/** 503 with Retry-After: the plugin exists but is not accepting deliveries right now. */
export class PluginNotAcceptingError extends DomainError {
  readonly retryAfterSeconds = 60;
  constructor(message: string, details?: unknown) {
    super("unavailable", message, details);
  }
}

export class WebhookService {
  readonly store: DeliveryStore;
  readonly nodeId: string;
  private readonly clock: Clock;
  private readonly leaseMs: number;
  private readonly maxWorkerAttempts: number;

  constructor(private readonly options: WebhookServiceOptions) {
    this.store = new DeliveryStore(options.db);
    this.clock = options.clock ?? systemClock;
    this.nodeId = options.nodeId ?? randomUUID();
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.maxWorkerAttempts = options.maxWorkerAttempts ?? 5;
  }

  /** POST /api/plugins/:pluginId/webhooks/:endpointKey. Throws DomainError (404/403/503/400) when refused. */
  async receive(
    pluginIdOrKey: string,
    endpointKey: string,
    incoming: IncomingWebhook,
  ): Promise<DeliveryResult> {
    const plugin = await this.acceptingPlugin(pluginIdOrKey, endpointKey);
    const contentType = headerValue(incoming.headers["content-type"]);
    const parsedBody = parseWebhookBody(incoming.rawBody, contentType);
    const { visible, secret } = splitSecretHeaders(incoming.headers);
    const id = randomUUID();
    const delivery = this.newDelivery(plugin, endpointKey, {
      id,
      contentType,
      rawBody: incoming.rawBody,
      payload: parsedBody,
      headers: visible,
      sealedHeaders: sealHeaders(this.options.sealer, id, secret),
      externalId: senderDeliveryId(visible),
      replayOf: null,
    });
    await this.store.insert(delivery);
    if (delivery.status === "queued") return queued(id);
    return this.handle(plugin.id, delivery, {
      endpointKey,
      headers: workerHeaders(incoming.headers),
      rawBody: incoming.rawBody.toString("utf8"),
      ...(parsedBody === undefined ? {} : { parsedBody }),
      requestId: delivery.requestId,
      deliveryId: id,
    });
  }

  /** POST …/webhooks/deliveries/:deliveryId/replay: a new delivery with the same body and headers. */
  async replay(pluginIdOrKey: string, deliveryId: string): Promise<DeliveryResult> {
    const found = await this.requirePlugin(pluginIdOrKey);
    const original = await this.requireDelivery(found, deliveryId);
    const plugin = await this.acceptingPlugin(found.id, original.webhook_key);
    const secret = openHeaders(this.options.sealer, original.id, original.sealed_headers ?? null);
    const rawBody = original.raw_body ?? Buffer.alloc(0);
    const id = randomUUID();
    const delivery = this.newDelivery(plugin, original.webhook_key, {
      id,
      contentType: original.content_type,
      rawBody,
      payload: original.payload ?? undefined,
      headers: original.headers,
      sealedHeaders: sealHeaders(this.options.sealer, id, secret),
      externalId: original.external_id,
      replayOf: original.id,
    });
    await this.store.insert(delivery);
    if (delivery.status === "queued") return queued(id);
    return this.handle(plugin.id, delivery, this.inputFor(delivery.id, delivery.requestId, original, secret));
  }

  /** Hand a delivery claimed by the retry loop to the worker. */
  async process(row: DeliveryRow): Promise<DeliveryResult> {
    let secret: Record<string, string>;
    try {
      secret = openHeaders(this.options.sealer, row.id, row.sealed_headers ?? null);
    } catch (error) {
      const message = `The delivery's sealed headers cannot be opened: ${(error as Error).message}`;
      await this.store.finish(row.id, this.nodeId, {
        status: "failed",
        error: message,
        durationMs: 0,
        finishedAt: this.clock.now(),
      });
      return failed(row.id, message);
    }
    return this.handle(
      row.plugin_id,
      { id: row.id, attempts: row.attempts },
      this.inputFor(row.id, row.request_id, row, secret),
    );
  }

  async list(
    pluginIdOrKey: string,
    query: { limit: number; status?: DeliveryStatus; webhookKey?: string },
  ): Promise<PluginWebhookDeliveryRecord[]> {
    const plugin = await this.requirePlugin(pluginIdOrKey);
    return (await this.store.list(plugin.id, query)).map(toDeliveryRecord);
  }

  async get(pluginIdOrKey: string, deliveryId: string): Promise<PluginWebhookDeliveryDetail> {
    const plugin = await this.requirePlugin(pluginIdOrKey);
    return toDeliveryDetail(await this.requireDelivery(plugin, deliveryId));
  }

  /** Recent deliveries of the plugin (dashboard). */
  async recent(pluginId: string, limit = 10): Promise<PluginWebhookDeliveryRecord[]> {
    return (await this.store.list(pluginId, { limit })).map(toDeliveryRecord);
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────

  private async requirePlugin(pluginIdOrKey: string): Promise<FoundPlugin> {
    const plugin = await this.options.directory.findPlugin(pluginIdOrKey);
    if (!plugin) throw notFound(`Plugin "${pluginIdOrKey}" is not installed`, { pluginId: pluginIdOrKey });
    return plugin;
  }

  private async requireDelivery(plugin: FoundPlugin, deliveryId: string): Promise<DeliveryRow> {
    const row = UUID_RE.test(deliveryId) ? await this.store.get(plugin.id, deliveryId) : null;
    if (!row)
      throw notFound(`Webhook delivery ${deliveryId} not found for plugin ${plugin.pluginKey}`, {
        deliveryId,
      });
    return row;
  }

  /** The checks, most permanent first: plugin known → capability → endpoint declared → plugin ready. */
  private async acceptingPlugin(pluginIdOrKey: string, endpointKey: string): Promise<FoundPlugin> {
    const plugin = await this.requirePlugin(pluginIdOrKey);
    if (plugin.status === "uninstalled") {
      throw notFound(`Plugin ${plugin.pluginKey} is uninstalled; it receives no webhooks`, {
        status: plugin.status,
      });
    }
    const manifest = plugin.manifestJson;
    if (!(manifest.capabilities ?? []).includes(WEBHOOK_CAPABILITY)) {
      throw forbidden(
        `Plugin ${plugin.pluginKey} does not have the ${WEBHOOK_CAPABILITY} capability, so it cannot receive webhooks`,
        { capability: WEBHOOK_CAPABILITY },
      );
    }
    if (!(manifest.webhooks ?? []).some((webhook) => webhook.endpointKey === endpointKey)) {
      throw notFound(`Webhook endpoint '${endpointKey}' is not declared by this plugin`, {
        endpointKey,
        declared: (manifest.webhooks ?? []).map((webhook) => webhook.endpointKey),
      });
    }
    if (plugin.status !== "ready") {
      throw new PluginNotAcceptingError(
        `Plugin ${plugin.pluginKey} is ${plugin.status}, not ready: it accepts webhooks again once an operator ` +
          `${plugin.status === "upgrade_pending" ? "approves its upgrade" : "enables it"}; retry later`,
        { status: plugin.status },
      );
    }
    return plugin;
  }

  private newDelivery(
    plugin: FoundPlugin,
    webhookKey: string,
    fields: Pick<
      NewDelivery,
      "id" | "contentType" | "rawBody" | "payload" | "headers" | "sealedHeaders" | "externalId" | "replayOf"
    >,
  ): NewDelivery {
    const now = this.clock.now();
    const running = this.options.gateway.isRunning(plugin.id);
    return {
      ...fields,
      pluginId: plugin.id,
      webhookKey,
      status: running ? "pending" : "queued",
      requestId: randomUUID(),
      nodeId: this.nodeId,
      leaseUntil: running ? new Date(now.getTime() + this.leaseMs) : null,
      nextAttemptAt: running ? null : now,
      now,
    };
  }

  private inputFor(
    deliveryId: string,
    requestId: string,
    stored: DeliveryRow,
    secret: Record<string, string>,
  ): WebhookInput {
    const rawBody = stored.raw_body ?? Buffer.alloc(0);
    let parsedBody: unknown;
    try {
      parsedBody = parseWebhookBody(rawBody, stored.content_type);
    } catch {
      parsedBody = undefined;
    }
    return {
      endpointKey: stored.webhook_key,
      headers: restoreHeaders(stored.headers, secret),
      rawBody: rawBody.toString("utf8"),
      ...(parsedBody === undefined ? {} : { parsedBody }),
      requestId,
      deliveryId,
    };
  }

  /** Call the worker for a delivery this node holds (status pending) and record the outcome. */
  private async handle(
    pluginId: string,
    delivery: { id: string; attempts?: number },
    input: WebhookInput,
  ): Promise<DeliveryResult> {
    const started = performance.now();
    try {
      await this.options.gateway.handleWebhook(pluginId, input, { timeoutMs: this.options.callTimeoutMs });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const message = error instanceof Error ? error.message : String(error);
      const attempts = delivery.attempts ?? 1;
      if (code === PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE && attempts < this.maxWorkerAttempts) {
        const retryAt = new Date(this.clock.now().getTime() + Math.min(1_000 * 2 ** (attempts - 1), 60_000));
        await this.store.requeue(delivery.id, this.nodeId, `The worker was unavailable: ${message}`, retryAt);
        return queued(delivery.id);
      }
      const reason = describeWebhookFailure(error, attempts);
      await this.store.finish(delivery.id, this.nodeId, {
        status: "failed",
        error: reason,
        durationMs: Math.round(performance.now() - started),
        finishedAt: this.clock.now(),
      });
      this.options.logger.warn(
        { pluginId, deliveryId: delivery.id },
        `Webhook delivery ${delivery.id} failed: ${reason}`,
      );
      return failed(delivery.id, reason);
    }
    await this.store.finish(delivery.id, this.nodeId, {
      status: "success",
      error: null,
      durationMs: Math.round(performance.now() - started),
      finishedAt: this.clock.now(),
    });
    return { httpStatus: 200, body: { deliveryId: delivery.id, status: "success" } };
  }
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

function queued(deliveryId: string): DeliveryResult {
  return { httpStatus: 202, body: { deliveryId, status: "queued" } };
}

function failed(deliveryId: string, error: string): DeliveryResult {
  return { httpStatus: 502, body: { deliveryId, status: "failed", error } };
}

/** Why handleWebhook failed, in words the sender and the operator can act on. */
export function describeWebhookFailure(error: unknown, attempts: number): string {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case PLUGIN_RPC_ERROR_CODES.METHOD_NOT_IMPLEMENTED:
      return `The plugin does not handle webhooks (its worker defines no onWebhook): ${message}`;
    case PLUGIN_RPC_ERROR_CODES.TIMEOUT:
      return `The plugin's webhook handler timed out: ${message}`;
    case PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE:
      return `The worker stopped while handling this delivery ${attempts} time(s); giving up (replay it once the plugin is fixed): ${message}`;
    default:
      return `The plugin's webhook handler failed: ${message}`;
  }
}
