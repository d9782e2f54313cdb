// Small pieces of the host services on their own: the invocation registry's grace period, the network
// policy, config schema checks with secret references, the redactor and the rate limiter.
import { describe, expect, it } from "vitest";
import { findSecretRefs, validateConfig } from "../../src/plugins/config/index.js";
import {
  InvocationRegistry,
  isPrivateAddress,
  NetworkAllowList,
} from "../../src/plugins/host-services/index.js";
import { SecretRedactor, TokenBucketLimiter } from "../../src/plugins/secrets/index.js";
import { FakeClock } from "./fixtures/services/bed.js";

describe("invocation registry", () => {
  it("keeps an ended invocation known for the grace period only", () => {
    let now = 1_000;
    const registry = new InvocationRegistry(5_000, () => now);
    const handle = registry.begin("company-1");
    expect(handle.envelope).toEqual({ id: handle.id, scope: { companyId: "company-1" } });
    expect(registry.inFlightCount).toBe(1);
    handle.end();
    handle.end();
    expect(registry.inFlightCount).toBe(0);
    now += 4_999;
    expect(registry.lookup(handle.id)?.companyId).toBe("company-1");
    now += 2;
    expect(registry.lookup(handle.id)).toBeUndefined();
  });

  it("tracks instance-scoped invocations and what is in flight", () => {
    const registry = new InvocationRegistry();
    const a = registry.begin(null);
    const b = registry.begin("c");
    expect(
      registry
        .inFlight()
        .map((r) => r.id)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    a.end();
    expect(registry.inFlight().map((r) => r.id)).toEqual([b.id]);
    expect(registry.lookup(a.id)?.companyId).toBeNull();
  });
});

describe("network policy", () => {
  it("treats private, loopback, link-local, CGNAT and reserved addresses as private, also inside IPv6", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.20.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "::1",
      "::",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "::ffff:a00:1",
      "64:ff9b::7f00:1",
      "2002:c0a8:0101::1",
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of [
      "8.8.8.8",
      "1.1.1.1",
      "2606:4700:4700::1111",
      "::ffff:8.8.8.8",
      "64:ff9b::808:808",
    ]) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it("grants by host name, host and port, address or CIDR range", () => {
    const allow = new NetworkAllowList(["intranet.local", "db.local:5432", "10.0.0.0/8", "::1"]);
    expect(allow.grants("intranet.local", 80, "192.168.0.2")).toBe(true);
    expect(allow.grants("INTRANET.local", 443, "192.168.0.2")).toBe(true);
    expect(allow.grants("db.local", 5432, "192.168.0.3")).toBe(true);
    expect(allow.grants("db.local", 80, "192.168.0.3")).toBe(false);
    expect(allow.grants("anything", 80, "10.9.8.7")).toBe(true);
    expect(allow.grants("[::1]", 80, "::1")).toBe(true);
    expect(allow.grants("other.local", 80, "192.168.0.4")).toBe(false);
  });
});

describe("config schema and secret references", () => {
  const schema = {
    type: "object",
    properties: {
      token: { type: "string", format: "secret-ref" },
      accounts: { type: "array", items: { type: "object", properties: { key: { format: "secret-ref" } } } },
    },
  };

  it("accepts a secret-ref field as a secret-id string or a ref object, whatever type the schema says", () => {
    expect(validateConfig(schema, { token: "3f0e5f7a-0000-4000-8000-000000000001" })).toEqual({
      valid: true,
    });
    expect(validateConfig(schema, { token: { type: "secret_ref", secretId: "abc", version: 2 } })).toEqual({
      valid: true,
    });
    const bad = validateConfig(schema, { token: { type: "secret_ref" } });
    expect(bad.valid).toBe(false);
    const badVersion = validateConfig(schema, { token: { type: "secret_ref", secretId: "a", version: 0 } });
    expect(badVersion.valid).toBe(false);
  });

  it("finds every reference with its dotted config path", () => {
    const refs = findSecretRefs(schema, {
      token: "id-1",
      accounts: [{ key: { type: "secret_ref", secretId: "id-2", version: 3 } }, { key: "id-3" }],
      unrelated: { nested: { type: "secret_ref", secretId: "id-4" } },
      plain: "not a ref",
    });
    expect(refs).toEqual([
      { configPath: "token", secretId: "id-1", version: null },
      { configPath: "accounts.0.key", secretId: "id-2", version: 3 },
      { configPath: "accounts.1.key", secretId: "id-3", version: null },
      { configPath: "unrelated.nested", secretId: "id-4", version: null },
    ]);
  });

  it("reports an invalid schema as such instead of failing later", () => {
    expect(() => validateConfig({ type: "object", properties: { a: { type: "nonsense" } } }, {})).toThrow(
      /instanceConfigSchema is not a valid JSON Schema/,
    );
  });
});

describe("redaction and rate limiting", () => {
  it("masks remembered values in text and inside JSON values", () => {
    const redactor = new SecretRedactor();
    redactor.remember("hunter22");
    redactor.remember("abc");
    expect(redactor.redact("password=hunter22; again hunter22")).toBe(
      "password=[REDACTED]; again [REDACTED]",
    );
    expect(redactor.redactValue({ list: ["x hunter22"], n: 1, abc: "abc" })).toEqual({
      list: ["x [REDACTED]"],
      n: 1,
      abc: "abc",
    });
  });

  it("lets a burst through, then refills at the configured rate", () => {
    const clock = new FakeClock();
    const limiter = new TokenBucketLimiter({ capacity: 2, perMinute: 6 }, clock);
    expect(limiter.take("p")).toBe(0);
    expect(limiter.take("p")).toBe(0);
    const wait = limiter.take("p");
    expect(wait).toBe(10_000);
    expect(limiter.take("other")).toBe(0);
    clock.advance(10_000);
    expect(limiter.take("p")).toBe(0);
  });
});
