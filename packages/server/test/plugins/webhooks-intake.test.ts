/**
 * Webhook intake with a real worker process: any content type with the raw body preserved, secret headers
 * redacted in the stored copy but given to the worker, the size limit, every refusal with its status and
 * reason, handler failures and timeouts as 502 with the stored delivery, on PGlite and (with TEST_DATABASE_URL)
 * PostgreSQL.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_BOARD_ACTOR } from "../../src/domain/actor.js";
import { ENGINES } from "../support/database.js";
import { copyPackage } from "./fixtures/jobs/bed.js";
import { copyFixture, eventually } from "./fixtures/runtime/support.js";
import {
  receivedInputs,
  startWebhooksNode,
  WEBHOOK_FIXTURES,
  type WebhooksNode,
} from "./fixtures/webhooks/bed.js";

const PLUGIN = "fixtures.webhooks";
const URL_OF = (endpoint: string, plugin = PLUGIN) => `/api/plugins/${plugin}/webhooks/${endpoint}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(ENGINES)("webhook intake (%s)", (engine) => {
  let node: WebhooksNode;
  let folder: string;
  let dir: string;
  let pluginId: string;
  const lastInput = () => receivedInputs(dir).at(-1) as Record<string, any>;
  const detail = async (id: string) =>
    (await node.request("GET", `/api/plugins/${PLUGIN}/webhooks/deliveries/${id}`)).body;

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "pc-webhooks-intake-"));
    node = await startWebhooksNode(engine, { bodyLimitBytes: 4_096, service: { callTimeoutMs: 1_000 } });
    dir = copyPackage(path.join(WEBHOOK_FIXTURES, "webhooks-plugin"), folder);
    pluginId = (await node.install(dir)).id;
    await node.install(copyFixture("basic-plugin", folder));
  });

  afterAll(async () => {
    await node?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it("stores a JSON delivery before the worker sees it, gives the worker every header, shows secrets redacted", async () => {
    const rawBody = '{"action":"opened",  "number":7, "token":"in-body-is-fine"}';
    const response = await node.post(URL_OF("github"), rawBody, {
      "content-type": "application/json",
      authorization: "Bearer sender-token-123",
      cookie: "session=abc",
      "x-hub-signature-256": "sha256=0123456789abcdef",
      "x-api-key": "key-456",
      "x-github-event": "issues",
      "x-github-delivery": "gh-delivery-1",
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ deliveryId: expect.stringMatching(UUID), status: "success" });

    const input = lastInput();
    expect(input).toMatchObject({
      endpointKey: "github",
      rawBody,
      parsedBody: { action: "opened", number: 7, token: "in-body-is-fine" },
      requestId: expect.stringMatching(UUID),
      deliveryId: response.body.deliveryId,
    });
    expect(input.headers).toMatchObject({
      authorization: "Bearer sender-token-123",
      cookie: "session=abc",
      "x-hub-signature-256": "sha256=0123456789abcdef",
      "x-api-key": "key-456",
    });

    const stored = await detail(response.body.deliveryId);
    expect(stored).toMatchObject({
      id: response.body.deliveryId,
      pluginId,
      webhookKey: "github",
      externalId: "gh-delivery-1",
      status: "success",
      error: null,
      payload: { action: "opened", number: 7 },
      contentType: "application/json",
      rawBody,
      bodyBytes: Buffer.byteLength(rawBody),
      requestId: input.requestId,
      attempts: 1,
      replayOf: null,
    });
    expect(stored.durationMs).toEqual(expect.any(Number));
    expect(stored.headers).toMatchObject({
      authorization: "[REDACTED]",
      cookie: "[REDACTED]",
      "x-hub-signature-256": "[REDACTED]",
      "x-api-key": "[REDACTED]",
      "x-github-event": "issues",
    });
    // no secret header value is stored in clear anywhere in the row
    const [row] = await node.database.db.query<{ text: string }>(
      "test_delivery_row_text",
      "SELECT row_to_json(d)::text AS text FROM plugin_webhook_deliveries d WHERE id = $1",
      [response.body.deliveryId],
    );
    for (const secret of ["sender-token-123", "session=abc", "0123456789abcdef", "key-456"]) {
      expect(row?.text).not.toContain(secret);
    }
  });

  it("keeps the raw body of any content type byte for byte", async () => {
    const cases: Array<{ body: string | Uint8Array; headers: Record<string, string>; raw: string }> = [
      { body: "hello\n  world\t!", headers: { "content-type": "text/plain" }, raw: "hello\n  world\t!" },
      {
        body: '<event id="1"><a/></event>',
        headers: { "content-type": "application/xml" },
        raw: '<event id="1"><a/></event>',
      },
      {
        body: new TextEncoder().encode("no content type at all"),
        headers: {},
        raw: "no content type at all",
      },
      {
        body: '{"b":1,   "a":[2, 3]}',
        headers: { "content-type": "application/vnd.github+json; charset=utf-8" },
        raw: '{"b":1,   "a":[2, 3]}',
      },
    ];
    for (const { body, headers, raw } of cases) {
      const response = await node.post(URL_OF("raw"), body, headers);
      expect(response.status, raw).toBe(200);
      const input = lastInput();
      expect(input.rawBody).toBe(raw);
      expect((await detail(response.body.deliveryId)).rawBody).toBe(raw);
    }
    expect(lastInput().parsedBody).toEqual({ b: 1, a: [2, 3] });
  });

  it("parses form-encoded bodies (Slack interactivity) and keeps them raw too", async () => {
    const raw = "payload=%7B%22type%22%3A%22block_actions%22%7D&x=1&x=2";
    const response = await node.post(URL_OF("slack"), raw, {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(response.status).toBe(200);
    expect(lastInput()).toMatchObject({
      rawBody: raw,
      parsedBody: { payload: '{"type":"block_actions"}', x: ["1", "2"] },
    });
  });

  it("refuses a body over the size limit with 413 naming the limit, storing nothing", async () => {
    const before = (await node.request("GET", `/api/plugins/${PLUGIN}/webhooks/deliveries?limit=500`)).body
      .length;
    const response = await node.post(URL_OF("raw"), "x".repeat(4_097), { "content-type": "text/plain" });
    expect(response.status).toBe(413);
    expect(response.body.error).toBe(
      "Webhook body is larger than the limit of 4096 bytes (PAPERCLIP_WEBHOOK_MAX_BODY_BYTES)",
    );
    const json = await node.post(URL_OF("github"), JSON.stringify({ big: "y".repeat(5_000) }), {
      "content-type": "application/json",
    });
    expect(json.status).toBe(413);
    expect(
      (await node.request("GET", `/api/plugins/${PLUGIN}/webhooks/deliveries?limit=500`)).body,
    ).toHaveLength(before);
    expect((await node.post(URL_OF("raw"), "x".repeat(4_096), { "content-type": "text/plain" })).status).toBe(
      200,
    );
  });

  it("says exactly why it refuses: unknown plugin 404, undeclared endpoint 404, capability 403, bad JSON 400", async () => {
    const unknown = await node.post(URL_OF("github", "no.such.plugin"), "{}", {
      "content-type": "application/json",
    });
    expect(unknown).toMatchObject({
      status: 404,
      body: { error: 'Plugin "no.such.plugin" is not installed' },
    });
    const undeclared = await node.post(URL_OF("gitlab"), "{}", { "content-type": "application/json" });
    expect(undeclared.status).toBe(404);
    expect(undeclared.body.error).toBe("Webhook endpoint 'gitlab' is not declared by this plugin");
    expect(undeclared.body.details).toEqual({ endpointKey: "gitlab", declared: ["github", "slack", "raw"] });
    const capability = await node.post(URL_OF("github", "runtime.basic"), "{}", {
      "content-type": "application/json",
    });
    expect(capability.status).toBe(403);
    expect(capability.body.error).toBe(
      "Plugin runtime.basic does not have the webhooks.receive capability, so it cannot receive webhooks",
    );
    const badJson = await node.post(URL_OF("github"), '{"action": ', { "content-type": "application/json" });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error).toMatch(
      /^Webhook body is not valid JSON \(Content-Type application\/json\): /,
    );
    // The payload is stored as jsonb: what PostgreSQL refuses, or nesting past 64 levels, is the sender's 400.
    const nul = await node.post(URL_OF("github"), '{"action":"a\\u0000"}', {
      "content-type": "application/json",
    });
    expect(nul.status).toBe(400);
    expect(nul.body.error).toBe(
      "Webhook body: $.action must not contain the NUL character (\\u0000), which cannot be stored",
    );
    const deep = await node.post(URL_OF("github"), `${"[".repeat(100)}${"]".repeat(100)}`, {
      "content-type": "application/json",
    });
    expect(deep.status).toBe(400);
    expect(deep.body.error).toMatch(/^Webhook body: JSON nested deeper than 64 levels at \$\[0\]\[0\]/);
    const form = await node.post(URL_OF("slack"), "payload=%00", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(form.status).toBe(400);
    expect(form.body.error).toContain("$.payload must not contain the NUL character");
  });

  it("answers 503 with Retry-After while the plugin is disabled, and accepts again once enabled", async () => {
    await node.runtime.lifecycle.disable(PLUGIN, "maintenance", { actor: LOCAL_BOARD_ACTOR });
    const refused = await node.post(URL_OF("github"), "{}", { "content-type": "application/json" });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(refused.body.error).toBe(
      `Plugin ${PLUGIN} is disabled, not ready: it accepts webhooks again once an operator enables it; retry later`,
    );
    await node.runtime.lifecycle.enable(PLUGIN, { actor: LOCAL_BOARD_ACTOR });
    expect((await node.post(URL_OF("github"), "{}", { "content-type": "application/json" })).status).toBe(
      200,
    );
  });

  it("answers 502 with the stored delivery when the handler throws, times out or does not exist", async () => {
    const thrown = await node.post(URL_OF("raw"), "please-fail", { "content-type": "text/plain" });
    expect(thrown.status).toBe(502);
    expect(thrown.body).toEqual({
      deliveryId: expect.stringMatching(UUID),
      status: "failed",
      error: expect.stringMatching(/^The plugin's webhook handler failed: the handler refused this payload/),
    });
    expect(await detail(thrown.body.deliveryId)).toMatchObject({
      status: "failed",
      error: thrown.body.error,
    });

    const hung = await node.post(URL_OF("raw"), "please-hang", { "content-type": "text/plain" });
    expect(hung.status).toBe(502);
    expect(hung.body.error).toMatch(/^The plugin's webhook handler timed out: .*1000 ?ms/);

    fs.writeFileSync(path.join(dir, "no-handler"), "");
    // The test changes the installed files on purpose: trust them, as an operator would (docs/supply-chain.md).
    await node.runtime.lifecycle.verifyPackage(pluginId, true, { actor: LOCAL_BOARD_ACTOR });
    await node.runtime.workers.restart(pluginId);
    const missing = await node.post(URL_OF("raw"), "anything", { "content-type": "text/plain" });
    expect(missing.status).toBe(502);
    expect(missing.body.error).toMatch(
      /^The plugin does not handle webhooks \(its worker defines no onWebhook\)/,
    );
    fs.rmSync(path.join(dir, "no-handler"));
    await node.runtime.lifecycle.verifyPackage(pluginId, true, { actor: LOCAL_BOARD_ACTOR });
    await node.runtime.workers.restart(pluginId);
  });

  it("lists deliveries newest first with filters, and refuses bad filters naming them", async () => {
    const all = (await node.request("GET", `/api/plugins/${PLUGIN}/webhooks/deliveries?limit=500`)).body;
    expect(all.length).toBeGreaterThan(5);
    const times = all.map((d: { createdAt: string }) => Date.parse(d.createdAt));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    expect(all[0]).not.toHaveProperty("rawBody");
    const failed = (await node.request("GET", `/api/plugins/${PLUGIN}/webhooks/deliveries?status=failed`))
      .body;
    expect(failed.length).toBe(3);
    expect(failed.every((d: { status: string }) => d.status === "failed")).toBe(true);
    const slack = (await node.request("GET", `/api/plugins/${PLUGIN}/webhooks/deliveries?endpointKey=slack`))
      .body;
    expect(slack.map((d: { webhookKey: string }) => d.webhookKey)).toEqual(["slack"]);
    expect(
      (await node.request("GET", `/api/plugins/${PLUGIN}/webhooks/deliveries?limit=1`)).body,
    ).toHaveLength(1);

    const badLimit = await node.request("GET", `/api/plugins/${PLUGIN}/webhooks/deliveries?limit=0`);
    expect(badLimit).toMatchObject({
      status: 400,
      body: { error: 'limit must be an integer from 1 to 500 (got "0")' },
    });
    const badStatus = await node.request("GET", `/api/plugins/${PLUGIN}/webhooks/deliveries?status=done`);
    expect(badStatus.body.error).toBe('status must be one of: pending, queued, success, failed (got "done")');
    const unknown = await node.request(
      "GET",
      `/api/plugins/${PLUGIN}/webhooks/deliveries/00000000-0000-4000-8000-000000000000`,
    );
    expect(unknown.status).toBe(404);
    expect((await node.request("GET", `/api/plugins/${PLUGIN}/webhooks/deliveries/nope`)).status).toBe(404);
    expect((await node.request("GET", "/api/plugins/no.such.plugin/webhooks/deliveries")).status).toBe(404);
  });

  it("keeps answering while a delivery is handled: the worker's state does not leak between requests", async () => {
    await eventually(
      () => node.runtime.workers.diagnostics(pluginId)?.status === "running",
      "the worker to run",
    );
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        node.post(URL_OF("raw"), `parallel-${i}`, { "content-type": "text/plain" }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    const bodies = receivedInputs(dir)
      .map((input) => input.rawBody)
      .filter((body: string) => body.startsWith("parallel-"));
    expect(bodies.sort()).toEqual(Array.from({ length: 8 }, (_, i) => `parallel-${i}`).sort());
  });
});
