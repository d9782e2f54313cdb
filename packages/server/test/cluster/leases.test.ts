// Lease lengths from the environment (cluster/leases.ts): unset ones keep their defaults, bad values are refused
// naming the variable, and event delivery still checks that its lease outlasts renewal plus a request.
import { describe, expect, it } from "vitest";
import { leaseSettingsFromEnv } from "../../src/cluster/leases.js";
import { resolveDeliveryOptions } from "../../src/plugins/events/options.js";

describe("lease settings from the environment", () => {
  it("keeps the defaults when nothing is set", () => {
    expect(leaseSettingsFromEnv({})).toEqual({
      eventDelivery: {},
      webhookLeaseMs: undefined,
      jobLeaseMs: undefined,
    });
    expect(resolveDeliveryOptions(leaseSettingsFromEnv({}).eventDelivery).leaseTtlMs).toBe(45_000);
  });

  it("reads the event, webhook and job leases", () => {
    const settings = leaseSettingsFromEnv({
      PAPERCLIP_EVENT_LEASE_TTL_MS: "4000",
      PAPERCLIP_EVENT_LEASE_RENEW_MS: "1000",
      PAPERCLIP_EVENT_TIMEOUT_MS: "2500",
      PAPERCLIP_WEBHOOK_LEASE_MS: "5000",
      PAPERCLIP_JOB_LEASE_MS: " 6000 ",
    });
    expect(settings).toEqual({
      eventDelivery: { leaseTtlMs: 4000, leaseRenewMs: 1000, eventTimeoutMs: 2500 },
      webhookLeaseMs: 5000,
      jobLeaseMs: 6000,
    });
    expect(resolveDeliveryOptions(settings.eventDelivery)).toMatchObject(settings.eventDelivery);
  });

  it("refuses values that are not positive whole milliseconds, naming the variable", () => {
    expect(() => leaseSettingsFromEnv({ PAPERCLIP_WEBHOOK_LEASE_MS: "5s" })).toThrow(
      'PAPERCLIP_WEBHOOK_LEASE_MS must be a whole number of milliseconds greater than 0 (got "5s")',
    );
    expect(() => leaseSettingsFromEnv({ PAPERCLIP_EVENT_LEASE_TTL_MS: "0" })).toThrow(
      /PAPERCLIP_EVENT_LEASE_TTL_MS/,
    );
    expect(() => leaseSettingsFromEnv({ PAPERCLIP_JOB_LEASE_MS: "-1" })).toThrow(/PAPERCLIP_JOB_LEASE_MS/);
  });

  it("a TTL too short for renewal plus one request is refused by event delivery", () => {
    const settings = leaseSettingsFromEnv({ PAPERCLIP_EVENT_LEASE_TTL_MS: "3000" });
    expect(() => resolveDeliveryOptions(settings.eventDelivery)).toThrow(
      /leaseTtlMs \(3000\) must be longer than leaseRenewMs \(5000\) \+ eventTimeoutMs \(30000\)/,
    );
  });
});
