/**
 * HMAC signatures for webhook bodies: verify what a sender signed over the exact raw body (constant-time
 * compare), optionally bound to a timestamp with a replay window; and sign payloads the same way (tests, or a
 * plugin that sends webhooks).
 *
 * With a timestamp the signed content is `<timestamp>.<rawBody>` (the Stripe / Standard Webhooks layout);
 * without one it is the raw body alone (the GitHub layout). A signature may carry an `<algorithm>=` prefix
 * ("sha256=…"), and a header listing several signatures (key rotation) may be passed as an array.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const WEBHOOK_SIGNATURE_ALGORITHMS = ["sha1", "sha256", "sha384", "sha512"] as const;
export type WebhookSignatureAlgorithm = (typeof WEBHOOK_SIGNATURE_ALGORITHMS)[number];

export const WEBHOOK_SIGNATURE_ENCODINGS = ["hex", "base64", "base64url"] as const;
export type WebhookSignatureEncoding = (typeof WEBHOOK_SIGNATURE_ENCODINGS)[number];

export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

export interface VerifyWebhookSignatureOptions {
  /** The body exactly as received (`PluginWebhookInput.rawBody`). */
  rawBody: string | Uint8Array;
  /** The signature header's value; several values (rotation) pass when any one matches. */
  signature: string | readonly string[] | null | undefined;
  /** The shared secret (resolve it with `ctx.secrets.resolve`). */
  secret: string | Uint8Array;
  /** The sender's timestamp header, in seconds since the epoch (values above 10^11 are read as milliseconds). */
  timestamp?: string | number | null;
  /** Accepted distance between `timestamp` and now, either way. Default 300 s. */
  toleranceSeconds?: number;
  /** Default "sha256". */
  algorithm?: WebhookSignatureAlgorithm;
  /** How the signature is written. Default: hex when it looks like hex of the right length, else base64. */
  encoding?: WebhookSignatureEncoding;
  /** The current time (tests). Default Date.now. */
  now?: () => number | Date;
}

export type WebhookSignatureFailureReason =
  | "missing_signature"
  | "missing_secret"
  | "malformed_signature"
  | "invalid_timestamp"
  | "timestamp_outside_tolerance"
  | "signature_mismatch";

export type WebhookSignatureResult =
  | { valid: true; algorithm: WebhookSignatureAlgorithm; timestamp?: number }
  | { valid: false; reason: WebhookSignatureFailureReason; message: string };

export interface SignWebhookPayloadOptions {
  rawBody: string | Uint8Array;
  secret: string | Uint8Array;
  /** Seconds since the epoch; when given, `<timestamp>.<rawBody>` is signed. */
  timestamp?: string | number;
  /** Default "sha256". */
  algorithm?: WebhookSignatureAlgorithm;
  /** Default "hex". */
  encoding?: WebhookSignatureEncoding;
  /** Prefix the result with `<algorithm>=` (GitHub style). Default false. */
  prefix?: boolean;
}

const DIGEST_BYTES: Record<WebhookSignatureAlgorithm, number> = {
  sha1: 20,
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

function fail(reason: WebhookSignatureFailureReason, message: string): WebhookSignatureResult {
  return { valid: false, reason, message };
}

function toBytes(value: string | Uint8Array): Buffer {
  return typeof value === "string"
    ? Buffer.from(value, "utf8")
    : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

function checkAlgorithm(algorithm: string): WebhookSignatureAlgorithm {
  if (!WEBHOOK_SIGNATURE_ALGORITHMS.includes(algorithm as WebhookSignatureAlgorithm)) {
    throw new TypeError(
      `algorithm must be one of ${WEBHOOK_SIGNATURE_ALGORITHMS.join(", ")} (got "${algorithm}")`,
    );
  }
  return algorithm as WebhookSignatureAlgorithm;
}

function checkEncoding(encoding: string): WebhookSignatureEncoding {
  if (!WEBHOOK_SIGNATURE_ENCODINGS.includes(encoding as WebhookSignatureEncoding)) {
    throw new TypeError(
      `encoding must be one of ${WEBHOOK_SIGNATURE_ENCODINGS.join(", ")} (got "${encoding}")`,
    );
  }
  return encoding as WebhookSignatureEncoding;
}

function signedContent(rawBody: string | Uint8Array, timestamp: string | number | undefined): Buffer {
  const body = toBytes(rawBody);
  if (timestamp === undefined) return body;
  return Buffer.concat([Buffer.from(`${timestamp}.`, "utf8"), body]);
}

function digest(
  algorithm: WebhookSignatureAlgorithm,
  secret: string | Uint8Array,
  rawBody: string | Uint8Array,
  timestamp: string | number | undefined,
): Buffer {
  return createHmac(algorithm, toBytes(secret)).update(signedContent(rawBody, timestamp)).digest();
}

/** The HMAC of a payload, as a sender would put it in its signature header. */
export function signWebhookPayload(options: SignWebhookPayloadOptions): string {
  const algorithm = checkAlgorithm(options.algorithm ?? "sha256");
  const encoding = checkEncoding(options.encoding ?? "hex");
  const value = digest(algorithm, options.secret, options.rawBody, options.timestamp).toString(encoding);
  return options.prefix ? `${algorithm}=${value}` : value;
}

/** Decode one signature value (prefix stripped) to bytes, or null when it is not a digest of this algorithm. */
function decodeSignature(
  text: string,
  algorithm: WebhookSignatureAlgorithm,
  encoding: WebhookSignatureEncoding | undefined,
): Buffer | null {
  let value = text.trim();
  const prefixed = /^([A-Za-z0-9]+)=(.+)$/.exec(value);
  if (prefixed?.[1] && prefixed[2] && !prefixed[2].includes("=")) value = prefixed[2];
  else if (prefixed?.[1] && prefixed[2] && WEBHOOK_SIGNATURE_ALGORITHMS.includes(prefixed[1] as never))
    value = prefixed[2];
  const size = DIGEST_BYTES[algorithm];
  const chosen = encoding ?? (/^[0-9a-fA-F]+$/.test(value) && value.length === size * 2 ? "hex" : "base64");
  if (chosen === "hex" && !/^[0-9a-fA-F]+$/.test(value)) return null;
  if (chosen !== "hex" && !/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return null;
  const bytes = Buffer.from(value, chosen);
  return bytes.length === size ? bytes : null;
}

function readTimestamp(raw: string | number): number | null {
  const value = typeof raw === "number" ? raw : /^\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || value <= 0) return null;
  return value > 1e11 ? value / 1000 : value;
}

/**
 * Check a webhook signature. Never throws for bad input from the sender (a missing, malformed or stale
 * signature is a `{valid: false, reason, message}`); throws TypeError for a bad algorithm or encoding option.
 */
export function verifyWebhookSignature(options: VerifyWebhookSignatureOptions): WebhookSignatureResult {
  const algorithm = checkAlgorithm(options.algorithm ?? "sha256");
  const encoding = options.encoding === undefined ? undefined : checkEncoding(options.encoding);
  const secret = options.secret;
  if (
    secret === undefined ||
    secret === null ||
    (typeof secret === "string" ? secret === "" : secret.byteLength === 0)
  ) {
    return fail(
      "missing_secret",
      "No secret to verify the signature with (resolve the endpoint's signing secret first)",
    );
  }
  const given = (Array.isArray(options.signature) ? options.signature : [options.signature])
    .flatMap((value) => (typeof value === "string" ? value.split(/[\s,]+/) : []))
    .filter((value) => value.trim() !== "");
  if (given.length === 0) return fail("missing_signature", "The request carries no signature");

  let timestamp: number | undefined;
  if (options.timestamp !== undefined && options.timestamp !== null && options.timestamp !== "") {
    const seconds = readTimestamp(options.timestamp);
    if (seconds === null) {
      return fail(
        "invalid_timestamp",
        `The signature timestamp "${String(options.timestamp)}" is not a number of seconds`,
      );
    }
    const tolerance = options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
    const nowValue = options.now ? options.now() : Date.now();
    const nowSeconds = (typeof nowValue === "number" ? nowValue : nowValue.getTime()) / 1000;
    const skew = Math.abs(nowSeconds - seconds);
    if (skew > tolerance) {
      return fail(
        "timestamp_outside_tolerance",
        `The signature timestamp is ${Math.round(skew)} s away from now; at most ${tolerance} s is accepted (replayed or stale request)`,
      );
    }
    timestamp = seconds;
  }

  const expected = digest(
    algorithm,
    secret,
    options.rawBody,
    options.timestamp === undefined || options.timestamp === null || options.timestamp === ""
      ? undefined
      : String(options.timestamp).trim(),
  );
  let wellFormed = false;
  for (const value of given) {
    const candidate = decodeSignature(value, algorithm, encoding);
    if (!candidate) continue;
    wellFormed = true;
    if (timingSafeEqual(candidate, expected)) {
      return timestamp === undefined ? { valid: true, algorithm } : { valid: true, algorithm, timestamp };
    }
  }
  return wellFormed
    ? fail(
        "signature_mismatch",
        "The signature does not match the body (wrong secret, or the body was changed)",
      )
    : fail(
        "malformed_signature",
        `The signature is not a ${algorithm} HMAC digest in ${encoding ?? "hex or base64"}`,
      );
}
