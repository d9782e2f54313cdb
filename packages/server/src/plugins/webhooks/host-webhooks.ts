// The webhooks part of a host process, wired in one place: the intake service over this node's runtime (secret
// headers sealed with the instance's secrets key) and its retry loop; the routes belong to
// the HTTP layer (webhook-routes.ts). host-plugins.ts creates it after the runtime, starts the loop once plugins
// are active and stops it before the runtime.
import type { Logger } from "pino";
import type { Database } from "../../db/database.js";
import type { PluginRuntime } from "../runtime/index.js";
import { loadSecretCipher } from "../secrets/crypto.js";
import { bodyLimitFromEnv } from "./body.js";
import { type DeliveryWorkerOptions, WebhookDeliveryWorker } from "./delivery-worker.js";
import { webhookDirectoryFromRuntime, webhookGatewayFromRuntime } from "./runtime-gateway.js";
import { WebhookService, type WebhookServiceOptions } from "./webhook-service.js";

export interface HostWebhooksOptions {
  db: Database;
  logger: Logger;
  runtime: PluginRuntime;
  /** The instance folder (its secrets key seals secret headers); null keeps a key in memory (tests). */
  dataDir: string | null;
  env?: NodeJS.ProcessEnv;
  service?: Partial<WebhookServiceOptions>;
  retries?: Partial<DeliveryWorkerOptions>;
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
  const gateway = webhookGatewayFromRuntime(options.runtime);
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
