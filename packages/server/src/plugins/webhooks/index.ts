/**
 * Plugin webhooks (reference §7, fixed): any content type with the raw body kept, a size limit, the delivery
 * stored before the worker is called (secret headers redacted, sealed for the worker), exact error statuses,
 * queued deliveries handed over when the worker is back, delivery list/detail/replay. See docs/plugin-webhooks.md.
 */
export {
  bodyLimitFromEnv,
  DEFAULT_WEBHOOK_BODY_LIMIT_BYTES,
  isJsonMediaType,
  mediaType,
  parseWebhookBody,
  WEBHOOK_BODY_LIMIT_ENV,
} from "./body.js";
export { DeliveryStore } from "./delivery-store.js";
export { type DeliveryWorkerOptions, WebhookDeliveryWorker } from "./delivery-worker.js";
export { type HeaderSealer, isSecretHeader, REDACTED_HEADER_VALUE, splitSecretHeaders } from "./headers.js";
export { createHostWebhooks, type HostWebhooks, type HostWebhooksOptions } from "./host-webhooks.js";
export {
  DELIVERY_STATUSES,
  type DeliveryStatus,
  type PluginWebhookDeliveryDetail,
  type PluginWebhookDeliveryRecord,
} from "./records.js";
export { webhookDirectoryFromRuntime, webhookGatewayFromRuntime } from "./runtime-gateway.js";
export {
  type DeliveryResult,
  describeWebhookFailure,
  PluginNotAcceptingError,
  WEBHOOK_CAPABILITY,
  type WebhookInput,
  type WebhookPluginDirectory,
  WebhookService,
  type WebhookServiceOptions,
  type WebhookWorkerGateway,
} from "./webhook-service.js";
