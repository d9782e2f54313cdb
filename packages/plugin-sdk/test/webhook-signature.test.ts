/**
 * The webhook HMAC helper: a signature made by a sender verifies over the exact raw body; anything else —
 * another secret, a changed body, a missing or malformed signature, a stale or future timestamp — is refused
 * with a reason that says which.
 */
import { createHmac } from "node:crypto";
import { signWebhookPayload, verifyWebhookSignature } from "@paperclipai/plugin-sdk/webhooks";
import { describe, expect, it } from "vitest";

const secret = "whsec_test_secret";
const rawBody = '{"event":"push","ref":"refs/heads/main"}';
const NOW_SECONDS = 1_767_225_600; // 2026-01-01T00:00:00Z
const now = () => NOW_SECONDS * 1000;

describe("signWebhookPayload", () => {
  it("computes the HMAC a sender computes (hex by default, timestamp layout `<ts>.<body>`)", () => {
    expect(signWebhookPayload({ rawBody, secret })).toBe(
      createHmac("sha256", secret).update(rawBody).digest("hex"),
    );
    expect(signWebhookPayload({ rawBody, secret, timestamp: NOW_SECONDS })).toBe(
      createHmac("sha256", secret).update(`${NOW_SECONDS}.${rawBody}`).digest("hex"),
    );
    expect(signWebhookPayload({ rawBody, secret, algorithm: "sha1", prefix: true })).toBe(
      `sha1=${createHmac("sha1", secret).update(rawBody).digest("hex")}`,
    );
    expect(signWebhookPayload({ rawBody, secret, encoding: "base64" })).toBe(
      createHmac("sha256", secret).update(rawBody).digest("base64"),
    );
  });

  it("rejects an unknown algorithm or encoding option by name", () => {
    expect(() => signWebhookPayload({ rawBody, secret, algorithm: "md5" as never })).toThrow(
      /algorithm must be one of/,
    );
    expect(() => signWebhookPayload({ rawBody, secret, encoding: "hexx" as never })).toThrow(
      /encoding must be one of/,
    );
  });
});

describe("verifyWebhookSignature: good signatures", () => {
  it("accepts a hex signature over the raw body, with or without an algorithm prefix", () => {
    const signature = signWebhookPayload({ rawBody, secret });
    expect(verifyWebhookSignature({ rawBody, signature, secret })).toEqual({
      valid: true,
      algorithm: "sha256",
    });
    expect(verifyWebhookSignature({ rawBody, signature: `sha256=${signature}`, secret }).valid).toBe(true);
  });

  it("accepts base64 signatures, byte bodies and sha512", () => {
    const bytes = new TextEncoder().encode(rawBody);
    const signature = signWebhookPayload({ rawBody: bytes, secret, algorithm: "sha512", encoding: "base64" });
    expect(verifyWebhookSignature({ rawBody: bytes, signature, secret, algorithm: "sha512" }).valid).toBe(
      true,
    );
    expect(
      verifyWebhookSignature({ rawBody, signature, secret, algorithm: "sha512", encoding: "base64" }).valid,
    ).toBe(true);
  });

  it("accepts a timestamped signature inside the replay window and reports the timestamp", () => {
    const timestamp = NOW_SECONDS - 120;
    const signature = signWebhookPayload({ rawBody, secret, timestamp });
    const result = verifyWebhookSignature({ rawBody, signature, secret, timestamp: String(timestamp), now });
    expect(result).toEqual({ valid: true, algorithm: "sha256", timestamp });
  });

  it("passes when any of several signatures matches (secret rotation, `t=…,v1=…` style headers)", () => {
    const good = signWebhookPayload({ rawBody, secret });
    const old = signWebhookPayload({ rawBody, secret: "previous-secret" });
    expect(verifyWebhookSignature({ rawBody, signature: [old, good], secret }).valid).toBe(true);
    expect(verifyWebhookSignature({ rawBody, signature: `v1=${old},v1=${good}`, secret }).valid).toBe(true);
  });
});

describe("verifyWebhookSignature: bad signatures", () => {
  it("refuses a signature made with another secret or over another body", () => {
    const signature = signWebhookPayload({ rawBody, secret });
    const wrongSecret = verifyWebhookSignature({ rawBody, signature, secret: "other" });
    expect(wrongSecret).toMatchObject({ valid: false, reason: "signature_mismatch" });
    const changedBody = verifyWebhookSignature({ rawBody: `${rawBody} `, signature, secret });
    expect(changedBody).toMatchObject({ valid: false, reason: "signature_mismatch" });
    if (!changedBody.valid) expect(changedBody.message).toMatch(/does not match the body/);
  });

  it("refuses a signature whose timestamp was changed (the timestamp is signed too)", () => {
    const signature = signWebhookPayload({ rawBody, secret, timestamp: NOW_SECONDS - 10 });
    const result = verifyWebhookSignature({ rawBody, signature, secret, timestamp: NOW_SECONDS - 5, now });
    expect(result).toMatchObject({ valid: false, reason: "signature_mismatch" });
  });

  it("names a missing signature, a missing secret and a malformed signature", () => {
    expect(verifyWebhookSignature({ rawBody, signature: undefined, secret })).toMatchObject({
      valid: false,
      reason: "missing_signature",
    });
    expect(verifyWebhookSignature({ rawBody, signature: ["", "  "], secret })).toMatchObject({
      reason: "missing_signature",
    });
    expect(verifyWebhookSignature({ rawBody, signature: "abc", secret: "" })).toMatchObject({
      reason: "missing_secret",
    });
    const malformed = verifyWebhookSignature({ rawBody, signature: "not-a-digest!", secret });
    expect(malformed).toMatchObject({ valid: false, reason: "malformed_signature" });
    if (!malformed.valid) expect(malformed.message).toMatch(/sha256 HMAC digest/);
    // right encoding, wrong length (a sha1 digest where sha256 is expected)
    const sha1 = signWebhookPayload({ rawBody, secret, algorithm: "sha1" });
    expect(verifyWebhookSignature({ rawBody, signature: sha1, secret })).toMatchObject({
      reason: "malformed_signature",
    });
  });
});

describe("verifyWebhookSignature: replay window", () => {
  it("refuses a correctly signed request older than the tolerance (a replay)", () => {
    const timestamp = NOW_SECONDS - 301;
    const signature = signWebhookPayload({ rawBody, secret, timestamp });
    const result = verifyWebhookSignature({ rawBody, signature, secret, timestamp, now });
    expect(result).toMatchObject({ valid: false, reason: "timestamp_outside_tolerance" });
    if (!result.valid) expect(result.message).toMatch(/301 s away from now; at most 300 s/);
  });

  it("refuses a timestamp too far in the future, and honours a custom tolerance", () => {
    const future = NOW_SECONDS + 400;
    const signature = signWebhookPayload({ rawBody, secret, timestamp: future });
    expect(verifyWebhookSignature({ rawBody, signature, secret, timestamp: future, now })).toMatchObject({
      reason: "timestamp_outside_tolerance",
    });
    expect(
      verifyWebhookSignature({ rawBody, signature, secret, timestamp: future, now, toleranceSeconds: 600 })
        .valid,
    ).toBe(true);
  });

  it("reads millisecond timestamps as milliseconds and refuses timestamps that are not numbers", () => {
    const ms = NOW_SECONDS * 1000 - 1_000;
    const signature = signWebhookPayload({ rawBody, secret, timestamp: ms });
    expect(verifyWebhookSignature({ rawBody, signature, secret, timestamp: ms, now }).valid).toBe(true);
    expect(verifyWebhookSignature({ rawBody, signature, secret, timestamp: "yesterday", now })).toMatchObject(
      {
        valid: false,
        reason: "invalid_timestamp",
      },
    );
  });
});
