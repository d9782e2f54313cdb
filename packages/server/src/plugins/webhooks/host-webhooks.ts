// The webhooks part of a host process, wired in one place: the intake service over this node's runtime (secret
// headers sealed with the instance's secrets key) and its retry loop; the routes belong to
// the HTTP layer (webhook-routes.ts). host-plugins.ts creates it after the runtime, starts the loop once plugins
// are active and stops it before the runtime.
import { PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import type { Logger } from "pino";
import type { Database } from "../../db/database.js";
import type { PluginRuntime } from "../runtime/index.js";
import { loadSecretCipher } from "../secrets/crypto.js";
import { bodyLimitFromEnv } from "./body.js";
import { type DeliveryWorkerOptions, WebhookDeliveryWorker } from "./delivery-worker.js";
import { webhookDirectoryFromRuntime, webhookGatewayFromRuntime } from "./runtime-gateway.js";
import { WebhookService, type WebhookServiceOptions, type WebhookWorkerGateway } from "./webhook-service.js";

export interface HostWebhooksOptions {
  db: Database;
  logger: Logger;
  runtime: PluginRuntime;
  /** The instance folder (its secrets key seals secret headers); null keeps a key in memory (tests). */
  dataDir: string | null;
  env?: NodeJS.ProcessEnv;
  service?: Partial<WebhookServiceOptions>;
  retries?: Partial<DeliveryWorkerOptions>;
  /** The host's metrics of webhook deliveries (src/observability); none when absent. */
  observer?: WebhookDeliveryObserver;
}

/** Outcome of one handleWebhook call: handled, failed, or the worker was not there (the delivery is queued). */
export type WebhookDeliveryOutcome = "success" | "failed" | "worker_unavailable";

/** What the host's metrics see of webhook deliveries on this node. */
export interface WebhookDeliveryObserver {
  webhookDelivered(pluginId: string, endpointKey: string, outcome: WebhookDeliveryOutcome): void;
}

export interface HostWebhooks {
  readonly service: WebhookService;
  readonly retries: WebhookDeliveryWorker;
  /** Largest accepted webhook body (PAPERCLIP_WEBHOOK_MAX_BODY_BYTES), for the intake route. */
  readonly bodyLimitBytes: number;
  start(): void;
  stop(): Promise<void>;
}

export function createHostWebhooks(options: HostWebhooksOptions): HostWebhooks {
  const env = options.env ?? process.env;
  const logger = options.logger.child({ component: "webhooks" });
  const gateway = observedGateway(webhookGatewayFromRuntime(options.runtime), options.observer);
  const service = new WebhookService({
    db: options.db,
    gateway,
    directory: webhookDirectoryFromRuntime(options.runtime),
    sealer: loadSecretCipher({ dataDir: options.dataDir, env }),
    logger,
    ...options.service,
  });
  const retries = new WebhookDeliveryWorker({ service, gateway, logger, ...options.retries });
  const bodyLimitBytes = bodyLimitFromEnv(env);
  return {
    service,
    retries,
    bodyLimitBytes,
    start: () => retries.start(),
    stop: () => retries.stop(),
  };
}

/** The gateway with each handleWebhook outcome told to the observer. */
function observedGateway(
  gateway: WebhookWorkerGateway,
  observer: WebhookDeliveryObserver | undefined,
): WebhookWorkerGateway {
  if (!observer) return gateway;
  return {
    ...gateway,
    async handleWebhook(pluginId, input, options) {
      try {
        await gateway.handleWebhook(pluginId, input, options);
        observer.webhookDelivered(pluginId, input.endpointKey, "success");
      } catch (error) {
        const unavailable = (error as { code?: unknown }).code === PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE;
        observer.webhookDelivered(pluginId, input.endpointKey, unavailable ? "worker_unavailable" : "failed");
        throw error;
      }
    },
  };
}
