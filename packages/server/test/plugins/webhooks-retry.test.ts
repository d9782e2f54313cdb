/**
 * Reliability of webhook deliveries with a real worker process: a webhook arriving while the worker is down
 * is stored (202 queued) and handed over — with the sender's original secret headers — when the worker is back;
 * a payload that kills the worker is retried, then failed with the reason; replay re-delivers a stored
 * delivery as a new one.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "../support/database.js";
import { copyPackage } from "./fixtures/jobs/bed.js";
import { eventually, FAST_WORKERS } from "./fixtures/runtime/support.js";
import {
  receivedInputs,
  startWebhooksNode,
  WEBHOOK_FIXTURES,
  type WebhooksNode,
} from "./fixtures/webhooks/bed.js";

const PLUGIN = "fixtures.webhooks";
const INTAKE = `/api/plugins/${PLUGIN}/webhooks/github`;
const SIGNED_HEADERS = {
  "content-type": "application/json",
  authorization: "Bearer sender-token-789",
  "x-hub-signature-256": "sha256=feedfacecafe",
  "x-github-event": "push",
};

describe.each(ENGINES)("webhook deliveries: worker down, crashes, replay (%s)", (engine) => {
  let node: WebhooksNode;
  let folder: string;
  let dir: string;
  let pluginId: string;
  const detail = async (id: string) =>
    (await node.request("GET", `/api/plugins/${PLUGIN}/webhooks/deliveries/${id}`)).body;
  const inputsFor = (deliveryId: string) =>
    receivedInputs(dir).filter((input) => input.deliveryId === deliveryId);

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "pc-webhooks-retry-"));
    node = await startWebhooksNode(engine, {
      service: { maxWorkerAttempts: 2 },
      // restarts after a crash take a moment, so a webhook can arrive while the worker is down
      workerDefaults: {
        ...FAST_WORKERS,
        crashPolicy: { backoffBaseMs: 400, backoffMaxMs: 800, maxConsecutiveCrashes: 10 },
      },
    });
    dir = copyPackage(path.join(WEBHOOK_FIXTURES, "webhooks-plugin"), folder);
    pluginId = (await node.install(dir)).id;
  });

  afterAll(async () => {
    await node?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it("stores a webhook that arrives while the worker is down (202) and hands it over when the worker is back", async () => {
    const record = await node.runtime.registry.require(PLUGIN);
    await node.runtime.workers.deactivate(pluginId);
    const rawBody = '{"ref":"refs/heads/main","commits":3}';
    const response = await node.post(INTAKE, rawBody, SIGNED_HEADERS);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ deliveryId: expect.any(String), status: "queued" });
    const id = response.body.deliveryId;
    expect(await detail(id)).toMatchObject({
      status: "queued",
      attempts: 0,
      rawBody,
      headers: { authorization: "[REDACTED]", "x-hub-signature-256": "[REDACTED]", "x-github-event": "push" },
    });
    expect(await node.retries.tick()).toBe(0); // nothing to hand over while no worker runs here
    expect(inputsFor(id)).toEqual([]);

    await node.runtime.workers.activate(record);
    expect(await node.retries.tick()).toBe(1);
    await node.retries.idle();
    const stored = await detail(id);
    expect(stored).toMatchObject({ status: "success", attempts: 1, error: null, nextAttemptAt: null });
    const [input] = inputsFor(id);
    expect(input).toMatchObject({
      endpointKey: "github",
      rawBody,
      parsedBody: { ref: "refs/heads/main", commits: 3 },
      requestId: stored.requestId,
    });
    // the sender's secret headers, not the redacted copy
    expect(input?.headers).toMatchObject({
      authorization: "Bearer sender-token-789",
      "x-hub-signature-256": "sha256=feedfacecafe",
      "x-github-event": "push",
    });
    expect(await node.retries.tick()).toBe(0);
  });

  it("stores a webhook that arrives while a killed worker restarts, and hands it over once it is back", async () => {
    const pid = node.runtime.workers.diagnostics(pluginId)?.pid as number;
    process.kill(pid, "SIGKILL");
    await eventually(
      () => node.runtime.workers.diagnostics(pluginId)?.status !== "running",
      "the worker to be down",
    );
    const response = await node.post(INTAKE, '{"while":"down"}', SIGNED_HEADERS);
    expect(response.status).toBe(202);
    expect(response.body.status).toBe("queued");
    const stored = await eventually(async () => {
      await node.retries.tick();
      await node.retries.idle();
      const current = await detail(response.body.deliveryId);
      return current.status === "success" ? current : null;
    }, "the queued delivery to be handed over after the restart");
    expect(stored.attempts).toBe(1);
    const [input] = inputsFor(response.body.deliveryId);
    expect(input?.pid).not.toBe(pid);
    expect(input?.headers).toMatchObject({ authorization: "Bearer sender-token-789" });
  });

  it("retries a delivery whose worker died while handling it, then fails it naming why", async () => {
    const response = await node.post(INTAKE, '{"note":"please-crash"}', SIGNED_HEADERS);
    expect(response.status).toBe(202);
    expect(response.body.status).toBe("queued");
    const id = response.body.deliveryId;
    expect(await detail(id)).toMatchObject({ status: "queued", attempts: 1 });
    expect((await detail(id)).error).toMatch(/^The worker was unavailable: /);

    const failed = await eventually(async () => {
      await node.retries.tick();
      await node.retries.idle();
      const current = await detail(id);
      return current.status === "failed" ? current : null;
    }, "the crashing delivery to be failed");
    expect(failed.attempts).toBe(2);
    expect(failed.error).toMatch(
      /^The worker stopped while handling this delivery 2 time\(s\); giving up \(replay it once the plugin is fixed\)/,
    );
    expect(inputsFor(id)).toHaveLength(2);
    // a worker started after the last crash (the supervisor may not have seen that exit yet)
    const crashed = new Set(inputsFor(id).map((input) => input.pid));
    await eventually(() => {
      const worker = node.runtime.workers.diagnostics(pluginId);
      return worker?.status === "running" && !crashed.has(worker.pid);
    }, "the worker to restart");
  });

  it("replays a stored delivery as a new delivery with the same body and the original headers", async () => {
    const rawBody = '{"action":"closed"}';
    const original = await node.post(INTAKE, rawBody, SIGNED_HEADERS);
    expect(original.status).toBe(200);
    const replayed = await node.request(
      "POST",
      `/api/plugins/${PLUGIN}/webhooks/deliveries/${original.body.deliveryId}/replay`,
    );
    expect(replayed.status).toBe(200);
    expect(replayed.body).toEqual({ deliveryId: expect.any(String), status: "success" });
    expect(replayed.body.deliveryId).not.toBe(original.body.deliveryId);
    const copy = await detail(replayed.body.deliveryId);
    expect(copy).toMatchObject({
      replayOf: original.body.deliveryId,
      rawBody,
      status: "success",
      webhookKey: "github",
    });
    const [first] = inputsFor(original.body.deliveryId);
    const [again] = inputsFor(replayed.body.deliveryId);
    expect(again?.rawBody).toBe(rawBody);
    expect(again?.headers).toMatchObject({
      authorization: "Bearer sender-token-789",
      "x-hub-signature-256": "sha256=feedfacecafe",
    });
    expect(again?.requestId).not.toBe(first?.requestId);

    const unknown = await node.request(
      "POST",
      `/api/plugins/${PLUGIN}/webhooks/deliveries/00000000-0000-4000-8000-000000000000/replay`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe(
      `Webhook delivery 00000000-0000-4000-8000-000000000000 not found for plugin ${PLUGIN}`,
    );
  });

  it("takes over a delivery whose node died while handling it (expired lease)", async () => {
    const id = randomUUID();
    const past = new Date(Date.now() - 60_000);
    await node.webhooks.store.insert({
      id,
      pluginId,
      webhookKey: "raw",
      externalId: null,
      status: "pending",
      contentType: "text/plain",
      rawBody: Buffer.from("left behind by a dead node"),
      payload: undefined,
      headers: { "content-type": "text/plain" },
      sealedHeaders: null,
      requestId: randomUUID(),
      replayOf: null,
      nodeId: "dead-node",
      leaseUntil: past,
      nextAttemptAt: null,
      now: past,
    });
    expect(await node.retries.tick()).toBe(1);
    await node.retries.idle();
    expect(await detail(id)).toMatchObject({ status: "success", attempts: 2 });
    expect(inputsFor(id).map((input) => input.rawBody)).toEqual(["left behind by a dead node"]);
  });

  it("replays while the worker is down as a queued delivery", async () => {
    const [latest] = (
      await node.request("GET", `/api/plugins/${PLUGIN}/webhooks/deliveries?status=success&limit=1`)
    ).body;
    const record = await node.runtime.registry.require(PLUGIN);
    await node.runtime.workers.deactivate(pluginId);
    const replayed = await node.request(
      "POST",
      `/api/plugins/${PLUGIN}/webhooks/deliveries/${latest.id}/replay`,
    );
    expect(replayed.status).toBe(202);
    expect(replayed.body.status).toBe("queued");
    await node.runtime.workers.activate(record);
    await node.retries.tick();
    await node.retries.idle();
    expect(await detail(replayed.body.deliveryId)).toMatchObject({ status: "success", replayOf: latest.id });
  });
});
