// Durable event delivery with real workers: outbox order per plugin, host-side filters and wildcards,
// plugin-to-plugin events, a plugin catching up after being disabled, and the event routes' bad input.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_BOARD_ACTOR } from "../../src/domain/actor.js";
import { ENGINES } from "../support/database.js";
import {
  appendEvents,
  configureForCompany,
  createCompany,
  type EventsHost,
  eventually,
  handledLines,
  installEventPlugin,
  preparePluginFolder,
  startEventsHost,
  streamLive,
} from "./fixtures/events/support.js";

describe.each(ENGINES)("event delivery on %s", (engine) => {
  let host: EventsHost;
  let temp: string;
  let companyA: string;
  let companyB: string;

  beforeAll(async () => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), "pc-events-"));
    host = await startEventsHost(engine, { pluginsDir: path.join(temp, "plugins") });
    companyA = await createCompany(host, "Alpha");
    companyB = await createCompany(host, "Beta");
  });
  afterAll(async () => {
    await host?.close();
    fs.rmSync(temp, { recursive: true, force: true });
  });

  const handledBy = async (pluginId: string, count: number) =>
    eventually(() => (host.acked.get(pluginId)?.length ?? 0) >= count, `${count} events acknowledged`);

  describe("order and envelope", () => {
    let folder: string;
    let pluginId: string;

    beforeAll(async () => {
      folder = preparePluginFolder(temp, {
        id: "events.ordered",
        subscriptions: [{ pattern: "plugin.test.source.*" }],
      });
      pluginId = (await installEventPlugin(host, folder)).id;
      await streamLive(host, pluginId);
    });

    it("delivers each matching event once, in outbox order, as an onEvent request the worker acknowledges", async () => {
      const ids = await appendEvents(host, companyA, 300);
      await eventually(() => handledLines(folder).length >= 300, "300 events handled");
      await handledBy(pluginId, 300);
      const lines = handledLines(folder);
      expect(lines.map((line) => line.eventId)).toEqual(ids);
      expect(new Set(lines.map((line) => line.companyId))).toEqual(new Set([companyA]));
      const acked = host.acked.get(pluginId) ?? [];
      expect(acked.map((event) => event.eventId)).toEqual(ids);
      const seqs = acked.map((event) => event.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      // The cursor reaches the last acknowledged event.
      await eventually(
        async () => (await host.delivery.dispatcher.cursors.get(pluginId))?.lastSeq === seqs.at(-1),
        "cursor written",
      );
      const status = await host.request("GET", `/api/plugins/${pluginId}/events/status`);
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({
        pluginId,
        pluginKey: "events.ordered",
        cursor: seqs.at(-1),
        lag: 0,
        lease: { owner: host.delivery.dispatcher.nodeId, heldByThisNode: true },
        retry: null,
        subscriptions: [{ eventPattern: "plugin.test.source.*", filter: null }],
        deadLetters: { dead: 0, replayPending: 0, replayed: 0 },
      });
    });

    it("keeps what a disabled plugin missed and delivers it, in order, when it is enabled again", async () => {
      await host.runtime.lifecycle.disable(pluginId, "maintenance", { actor: LOCAL_BOARD_ACTOR });
      await eventually(() => host.delivery.dispatcher.streamStatus(pluginId) === null, "stream stopped");
      const before = handledLines(folder).length;
      const cursorBefore = (await host.delivery.dispatcher.cursors.get(pluginId))?.lastSeq;
      const missed = await appendEvents(host, companyB, 120);
      // Nothing moves while the plugin is down, and its lease is free for other nodes.
      const stored = await host.delivery.dispatcher.cursors.get(pluginId);
      expect(stored).toMatchObject({ lastSeq: cursorBefore, leaseOwner: null });

      await host.runtime.lifecycle.enable(pluginId, { actor: LOCAL_BOARD_ACTOR });
      await eventually(() => handledLines(folder).length >= before + 120, "missed events handled");
      const caughtUp = handledLines(folder).slice(before);
      expect(caughtUp.map((line) => line.eventId)).toEqual(missed);
    });
  });

  it("applies the subscription filters and wildcards on the host before delivery", async () => {
    const folder = preparePluginFolder(temp, {
      id: "events.filtered",
      subscriptions: [
        { pattern: "issue.created", filter: { companyId: companyA } },
        { pattern: "issue.comment.*" },
        { pattern: "agent.*", filter: { agentId: "__agent__" } },
        { pattern: "project.updated", filter: { projectId: "__project__", ignoredKey: "anything" } },
        { pattern: "plugin.test.sentinel" },
      ],
    });
    // The agent and project exist before the plugin subscribes to them by id.
    const agentX = (
      await host.request("POST", `/api/companies/${companyA}/agents`, { name: "X", role: "engineer" })
    ).body;
    const agentY = (
      await host.request("POST", `/api/companies/${companyA}/agents`, { name: "Y", role: "engineer" })
    ).body;
    const projectP = (await host.request("POST", `/api/companies/${companyB}/projects`, { name: "P" })).body;
    const projectQ = (await host.request("POST", `/api/companies/${companyB}/projects`, { name: "Q" })).body;
    const config = JSON.parse(fs.readFileSync(path.join(folder, "plugin-config.json"), "utf8"));
    const text = JSON.stringify(config).replace("__agent__", agentX.id).replace("__project__", projectP.id);
    fs.writeFileSync(path.join(folder, "plugin-config.json"), text);
    const pluginId = (await installEventPlugin(host, folder)).id;
    await configureForCompany(host, pluginId, companyA);
    await streamLive(host, pluginId, 5);

    const issueA = (await host.request("POST", `/api/companies/${companyA}/issues`, { title: "in A" })).body;
    const issueB = (await host.request("POST", `/api/companies/${companyB}/issues`, { title: "in B" })).body;
    const comment = await host.request("POST", `/api/issues/${issueB.id}/comments`, { body: "hello" });
    expect(comment.status).toBe(201);
    await host.request("PATCH", `/api/agents/${agentX.id}`, { title: "Lead" });
    await host.request("PATCH", `/api/agents/${agentY.id}`, { title: "Other" });
    await host.request("PATCH", `/api/projects/${projectP.id}`, { description: "p" });
    await host.request("PATCH", `/api/projects/${projectQ.id}`, { description: "q" });
    await host.request("POST", `/api/companies/${companyA}/goals`, {
      title: "not subscribed",
      level: "company",
    });
    const [sentinel] = await appendEvents(host, companyB, 1, "plugin.test.sentinel");
    await eventually(
      () => host.acked.get(pluginId)?.some((event) => event.eventId === sentinel),
      "sentinel delivered after every other event",
    );
    const delivered = (host.acked.get(pluginId) ?? []).map(
      (event) => `${event.eventType} ${event.entityId ?? ""}`,
    );
    expect(delivered).toEqual([
      `issue.created ${issueA.id}`,
      `issue.comment.created ${issueB.id}`,
      `agent.updated ${agentX.id}`,
      `project.updated ${projectP.id}`,
      "plugin.test.sentinel ",
    ]);
    // The worker ran its handler for exactly those events.
    expect(handledLines(folder).map((line) => line.eventType)).toEqual([
      "issue.created",
      "issue.comment.created",
      "agent.updated",
      "project.updated",
      "plugin.test.sentinel",
    ]);
  });

  describe("plugin-to-plugin events", () => {
    let emitterId: string;
    let listenerFolder: string;
    let listenerId: string;

    beforeAll(async () => {
      const emitter = preparePluginFolder(temp, { id: "events.emitter", subscriptions: [] });
      emitterId = (await installEventPlugin(host, emitter)).id;
      listenerFolder = preparePluginFolder(temp, {
        id: "events.listener",
        subscriptions: [{ pattern: "plugin.events.emitter.*" }],
      });
      listenerId = (await installEventPlugin(host, listenerFolder)).id;
      await streamLive(host, listenerId);
    });

    const emit = (params: Record<string, unknown>, companyId = companyA) =>
      host.runtime.callPlugin<{ emitted?: number; error?: string; code?: number }>(
        emitterId,
        "performAction",
        { key: "emit", companyId, params },
        companyId,
      );

    it("delivers ctx.events.emit as plugin.<emitter id>.<name> through the outbox", async () => {
      const result = await emit({ name: "sync-done", payload: { hello: "world" }, count: 3 });
      expect(result).toEqual({ emitted: 3 });
      await handledBy(listenerId, 3);
      const events = host.acked.get(listenerId) ?? [];
      expect(events).toHaveLength(3);
      for (const [i, event] of events.entries()) {
        expect(event).toMatchObject({
          eventType: "plugin.events.emitter.sync-done",
          actorType: "plugin",
          actorId: "events.emitter",
          companyId: companyA,
          payload: { hello: "world", i },
        });
        expect(event.entityId).toBeUndefined();
      }
      // Durable: the events are outbox rows.
      const stored = await host.services.outbox.read({ eventTypes: ["plugin.events.emitter.sync-done"] });
      expect(stored.map((event) => event.eventId)).toEqual(events.map((event) => event.eventId));
      expect(handledLines(listenerFolder).map((line) => line.eventType)).toEqual(
        Array(3).fill("plugin.events.emitter.sync-done"),
      );
    });

    it("refuses emits that break the naming or scope rules, with a message naming the rule", async () => {
      expect((await emit({ name: "plugin.sneaky" })).error).toMatch(
        /params\.name must not start with "plugin\."/,
      );
      expect((await emit({ name: "" })).error).toMatch(/name/);
      expect((await emit({ name: "ok", targetCompanyId: "" })).error).toMatch(/companyId/);
      const crossTenant = await emit({ name: "ok", targetCompanyId: companyB });
      expect(crossTenant.code).toBe(-32005);
      expect(crossTenant.error).toMatch(/scoped to company/);
    });
  });

  describe("event routes", () => {
    it("answer bad input with 400 or 404 naming the problem", async () => {
      await installEventPlugin(host, preparePluginFolder(temp, { id: "events.routes", subscriptions: [] }));
      const unknown = await host.request("GET", "/api/plugins/no.such.plugin/events/dead-letters");
      expect(unknown).toEqual({ status: 404, body: { error: "Plugin not found" } });
      const badStatus = await host.request(
        "GET",
        "/api/plugins/events.routes/events/dead-letters?status=lost",
      );
      expect(badStatus.status).toBe(400);
      expect(badStatus.body.error).toMatch(
        /querystring\.status must be one of: "dead", "replay_pending", "replayed"/,
      );
      const badLimit = await host.request("GET", "/api/plugins/events.routes/events/dead-letters?limit=0");
      expect(badLimit.status).toBe(400);
      expect(badLimit.body.error).toMatch(/querystring\.limit/);
      const badId = await host.request("POST", "/api/plugins/events.routes/events/dead-letters/nope/replay");
      expect(badId.status).toBe(400);
      expect(badId.body.error).toMatch(/params\.id must be a valid uuid/);
      const missing = await host.request(
        "POST",
        "/api/plugins/events.routes/events/dead-letters/00000000-0000-4000-8000-000000000000/replay",
      );
      expect(missing.status).toBe(404);
      expect(missing.body.error).toMatch(/Dead letter 00000000-0000-4000-8000-000000000000 not found/);
      const empty = await host.request("GET", "/api/plugins/events.routes/events/dead-letters");
      expect(empty).toEqual({ status: 200, body: [] });
      const noStatus = await host.request("GET", "/api/plugins/no.such.plugin/events/status");
      expect(noStatus.status).toBe(404);
    });
  });
});
