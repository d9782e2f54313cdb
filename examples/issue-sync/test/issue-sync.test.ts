// Issue Sync in the SDK test harness, against a real tracker server on 127.0.0.1 (the harness's ctx.http.fetch
// is Node's fetch; the host's egress policy is exercised by host-process.test.ts).

import { createTestHarness, type TestHarness } from "@paperclipai/plugin-sdk/testing";
import type { Company, PluginWebhookInput } from "@paperclipai/plugin-sdk/types";
import { getRequiredManifestCapabilities, validateManifest } from "@paperclipai/plugin-sdk/types";
import { signWebhookPayload } from "@paperclipai/plugin-sdk/webhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { validateConfig } from "../src/config.js";
import manifest from "../src/manifest.js";
import { ENTITY_TYPE } from "../src/mirror.js";
import plugin, { cursorKey, SIGNATURE_HEADER } from "../src/worker.js";
import { FakeTracker } from "./fake-tracker.js";

const ACME = "acme";
const SECRET_ID = "secret-acme";
// The harness resolves a secret ref to "resolved:<secretId>".
const SECRET = `resolved:${SECRET_ID}`;

let tracker: FakeTracker;
let trackerUrl: string;

beforeEach(async () => {
  tracker = new FakeTracker();
  trackerUrl = await tracker.start();
});
afterEach(() => tracker.stop());

function company(id: string): Company {
  return { id, name: id, issuePrefix: id.toUpperCase().slice(0, 3) } as Company;
}

async function startPlugin(config: Record<string, unknown>): Promise<TestHarness> {
  const harness = createTestHarness({ manifest, config });
  harness.seed({ companies: [company(ACME)] });
  await plugin.definition.setup(harness.ctx);
  return harness;
}

const configured = () => ({ trackerUrl, webhookSecret: { type: "secret_ref", secretId: SECRET_ID } });

function delivery(body: unknown, secret: string | null): PluginWebhookInput {
  const rawBody = JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret !== null) headers[SIGNATURE_HEADER] = signWebhookPayload({ rawBody, secret, prefix: true });
  return { endpointKey: "tracker", headers, rawBody, parsedBody: body, requestId: "req-1" };
}

const issue = (id: string, title: string, updatedAt: string, state: "open" | "closed" = "open") => ({
  id,
  title,
  description: `${title} (from the tracker)`,
  state,
  updatedAt,
});

describe("issue-sync manifest", () => {
  it("passes the SDK validator and declares the job, the webhook and a secret-ref config field", () => {
    const result = validateManifest(manifest);
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(getRequiredManifestCapabilities(manifest)).toEqual([]);
    expect(manifest.jobs?.map((job) => [job.jobKey, job.schedule])).toEqual([["sync", "*/15 * * * *"]]);
    expect(manifest.webhooks?.map((hook) => hook.endpointKey)).toEqual(["tracker"]);
    expect(manifest.instanceConfigSchema).toMatchObject({
      properties: { webhookSecret: { format: "secret-ref" } },
    });
  });
});

describe("the sync job", () => {
  it("creates one issue per tracker issue, maps them, and moves the cursor", async () => {
    tracker.put(issue("TRK-1", "Login page is slow", "2026-12-01T10:00:00.000Z"));
    tracker.put(issue("TRK-2", "Export fails", "2026-12-01T11:00:00.000Z", "closed"));
    const harness = await startPlugin(configured());

    await harness.runJob("sync");

    const issues = await harness.ctx.issues.list({ companyId: ACME });
    expect(issues.map((row) => [row.title, row.status, row.originId]).sort()).toEqual([
      ["Export fails", "done", "TRK-2"],
      ["Login page is slow", "todo", "TRK-1"],
    ]);
    const entities = await harness.ctx.entities.list({ entityType: ENTITY_TYPE });
    expect(entities.map((entity) => entity.externalId).sort()).toEqual(["TRK-1", "TRK-2"]);
    expect(harness.getState(cursorKey(ACME))).toBe("2026-12-01T11:00:00.000Z");
    expect(tracker.requests).toEqual([null]);
  });

  it("asks only for changes after the cursor, never duplicates, and applies a change to the mapped issue", async () => {
    tracker.put(issue("TRK-1", "Login page is slow", "2026-12-01T10:00:00.000Z"));
    const harness = await startPlugin(configured());
    await harness.runJob("sync");
    await harness.runJob("sync");
    expect(await harness.ctx.issues.list({ companyId: ACME })).toHaveLength(1);

    tracker.put(issue("TRK-1", "Login page is slow on Safari", "2026-12-02T09:00:00.000Z", "closed"));
    await harness.runJob("sync");

    const issues = await harness.ctx.issues.list({ companyId: ACME });
    expect(issues.map((row) => [row.title, row.status])).toEqual([["Login page is slow on Safari", "done"]]);
    expect(tracker.requests).toEqual([null, "2026-12-01T10:00:00.000Z", "2026-12-01T10:00:00.000Z"]);
    expect(harness.getState(cursorKey(ACME))).toBe("2026-12-02T09:00:00.000Z");
  });

  it("skips a company without config and fails the run naming the company and the tracker's status", async () => {
    const unconfigured = await startPlugin({});
    await expect(unconfigured.runJob("sync")).resolves.toBeUndefined();
    expect(tracker.requests).toEqual([]);
    expect(unconfigured.logs.map((entry) => entry.message)).toContain(
      "No company has configured Issue Sync yet: nothing to sync",
    );

    tracker.failWith = 503;
    const harness = await startPlugin(configured());
    await expect(harness.runJob("sync")).rejects.toThrow(
      `Sync failed for company acme: the tracker answered 503 for GET ${trackerUrl}/issues`,
    );
    expect(harness.getState(cursorKey(ACME))).toBeUndefined();
  });

  it("refuses a tracker answer that is not a list of issues, naming the bad field", async () => {
    tracker.put({ ...issue("TRK-9", "Bad", "2026-12-01T10:00:00.000Z"), state: "archived" as "open" });
    const harness = await startPlugin(configured());
    await expect(harness.runJob("sync")).rejects.toThrow('issues[0].state must be "open" or "closed"');
    expect(await harness.ctx.issues.list({ companyId: ACME })).toEqual([]);
  });
});

describe("the tracker webhook", () => {
  it("applies a correctly signed event, and the job later maps to the same issue", async () => {
    const harness = await startPlugin(configured());
    const event = {
      action: "issue.created",
      issue: issue("TRK-5", "Crash on start", "2026-12-03T08:00:00.000Z"),
    };
    await plugin.definition.onWebhook!(delivery(event, SECRET));

    const [created] = await harness.ctx.issues.list({ companyId: ACME });
    expect(created).toMatchObject({ title: "Crash on start", status: "todo", originId: "TRK-5" });

    // The same change arriving again (redelivery) or through the job changes nothing.
    await plugin.definition.onWebhook!(delivery(event, SECRET));
    tracker.put(event.issue as ReturnType<typeof issue>);
    await harness.runJob("sync");
    expect(await harness.ctx.issues.list({ companyId: ACME })).toHaveLength(1);

    const closed = {
      action: "issue.updated",
      issue: { ...event.issue, state: "closed", updatedAt: "2026-12-03T09:00:00.000Z" },
    };
    await plugin.definition.onWebhook!(delivery(closed, SECRET));
    expect(await harness.ctx.issues.get(created!.id, ACME)).toMatchObject({ status: "done" });
  });

  it("rejects a wrong or missing signature and changes nothing", async () => {
    const harness = await startPlugin(configured());
    const event = { action: "issue.created", issue: issue("TRK-6", "Forged", "2026-12-03T08:00:00.000Z") };
    await expect(plugin.definition.onWebhook!(delivery(event, "not-the-secret"))).rejects.toThrow(
      "Rejected: the signature matches no configured company's webhook secret",
    );
    await expect(plugin.definition.onWebhook!(delivery(event, null))).rejects.toThrow(
      "Rejected: the x-tracker-signature header is missing",
    );
    expect(await harness.ctx.issues.list({ companyId: ACME })).toEqual([]);
  });

  it("rejects a signed body that is not a tracker event, naming the field", async () => {
    await startPlugin(configured());
    await expect(
      plugin.definition.onWebhook!(delivery({ action: "issue.deleted", issue: {} }, SECRET)),
    ).rejects.toThrow('the webhook body\'s action must be "issue.created" or "issue.updated"');
    await expect(
      plugin.definition.onWebhook!(delivery({ action: "issue.created", issue: { id: "TRK-7" } }, SECRET)),
    ).rejects.toThrow("the webhook body's issue.title must be a non-empty string");
  });
});

describe("config validation", () => {
  it("names each problem", () => {
    expect(validateConfig({ trackerUrl: "ftp://tracker", webhookSecret: "" })).toEqual({
      ok: false,
      errors: [
        "trackerUrl must be an http or https URL (got ftp:)",
        "webhookSecret must reference a company secret",
      ],
    });
    expect(validateConfig({ webhookSecret: "3f0c…" }).errors).toEqual(["trackerUrl is required"]);
    expect(validateConfig({ trackerUrl: "tracker", webhookSecret: "x" }).errors).toEqual([
      'trackerUrl "tracker" is not an absolute URL',
    ]);
    expect(validateConfig({ trackerUrl: "https://tracker.example.com/api", webhookSecret: "id" })).toEqual({
      ok: true,
    });
  });
});
