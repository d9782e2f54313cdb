/**
 * `@paperclipai/plugin-sdk/webhooks` — verify HMAC signatures of incoming webhooks over the raw body, with a
 * replay window, and sign payloads for tests:
 *
 * ```ts
 * import { verifyWebhookSignature } from "@paperclipai/plugin-sdk/webhooks";
 *
 * async onWebhook(input) {
 *   const secret = await ctx.secrets.resolve(config.signingSecretRef);
 *   const check = verifyWebhookSignature({
 *     rawBody: input.rawBody,
 *     signature: input.headers["x-signature"],
 *     timestamp: input.headers["x-timestamp"] as string,
 *     secret,
 *   });
 *   if (!check.valid) throw new Error(`Rejected webhook: ${check.message}`);
 * }
 * ```
 */
export {
  DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
  type SignWebhookPayloadOptions,
  signWebhookPayload,
  type VerifyWebhookSignatureOptions,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_ALGORITHMS,
  WEBHOOK_SIGNATURE_ENCODINGS,
  type WebhookSignatureAlgorithm,
  type WebhookSignatureEncoding,
  type WebhookSignatureFailureReason,
  type WebhookSignatureResult,
} from "./signature.js";
