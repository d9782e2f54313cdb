// Webhook request headers: the copy the host stores and shows has secret-looking values redacted; those values
// are kept apart, sealed (AES-256-GCM, bound to the delivery id), so the worker still gets exactly what the
// sender sent when a delivery is processed later (worker was down) or replayed.

export const REDACTED_HEADER_VALUE = "[REDACTED]";

/** Header names whose values are credentials or signatures. */
const SECRET_EXACT = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie"]);
const SECRET_PATTERN = /signature|token|secret|password|passwd|api[-_]?key|credential/i;

export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_EXACT.has(lower) || SECRET_PATTERN.test(lower);
}

export type RawHeaders = Record<string, string | string[] | undefined>;

/** One string per header (repeated headers joined with ", ", as the original stored them). */
export function flattenHeaders(headers: RawHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** The raw headers the worker gets (`Record<string, string | string[]>`, undefined values dropped). */
export function workerHeaders(headers: RawHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = value;
  return out;
}

/** Split into the stored copy (secrets redacted) and the secret values (to seal). */
export function splitSecretHeaders(headers: RawHeaders): {
  visible: Record<string, string>;
  secret: Record<string, string>;
} {
  const visible = flattenHeaders(headers);
  const secret: Record<string, string> = {};
  for (const [name, value] of Object.entries(visible)) {
    if (!isSecretHeader(name)) continue;
    secret[name] = value;
    visible[name] = REDACTED_HEADER_VALUE;
  }
  return { visible, secret };
}

/** A delivery id from the sender, when it sends one (shown as externalId; not used to drop duplicates). */
const DELIVERY_ID_HEADERS = [
  "webhook-id",
  "x-github-delivery",
  "x-gitlab-event-uuid",
  "x-delivery-id",
  "idempotency-key",
];

export function senderDeliveryId(headers: Record<string, string>): string | null {
  for (const name of DELIVERY_ID_HEADERS) {
    const value = headers[name];
    if (value) return value.slice(0, 500);
  }
  return null;
}

// ── sealing ────────────────────────────────────────────────────────────────────────────────────

export interface SealedValue {
  ciphertext: Buffer;
  iv: Buffer;
  authTag: Buffer;
  keyId: string;
}

/** The host's secret cipher (src/plugins/secrets/crypto.ts SecretCipher satisfies it). */
export interface HeaderSealer {
  seal(plaintext: string, additionalData: string): SealedValue;
  open(sealed: SealedValue, additionalData: string): string;
}

/** How sealed headers sit in the jsonb column. */
export interface StoredSeal {
  ciphertext: string;
  iv: string;
  authTag: string;
  keyId: string;
}

const aad = (deliveryId: string) => `plugin-webhook-delivery:${deliveryId}`;

export function sealHeaders(
  sealer: HeaderSealer,
  deliveryId: string,
  secret: Record<string, string>,
): StoredSeal | null {
  if (Object.keys(secret).length === 0) return null;
  const sealed = sealer.seal(JSON.stringify(secret), aad(deliveryId));
  return {
    ciphertext: sealed.ciphertext.toString("base64"),
    iv: sealed.iv.toString("base64"),
    authTag: sealed.authTag.toString("base64"),
    keyId: sealed.keyId,
  };
}

export function openHeaders(
  sealer: HeaderSealer,
  deliveryId: string,
  stored: StoredSeal | null,
): Record<string, string> {
  if (!stored) return {};
  const text = sealer.open(
    {
      ciphertext: Buffer.from(stored.ciphertext, "base64"),
      iv: Buffer.from(stored.iv, "base64"),
      authTag: Buffer.from(stored.authTag, "base64"),
      keyId: stored.keyId,
    },
    aad(deliveryId),
  );
  return JSON.parse(text) as Record<string, string>;
}

/** The stored copy with its secret values restored (what the worker gets for a stored delivery). */
export function restoreHeaders(
  visible: Record<string, string>,
  secret: Record<string, string>,
): Record<string, string> {
  return { ...visible, ...secret };
}
