// Several host nodes on one database: each runs the plugin's worker, but only the node holding the plugin's
// delivery lease delivers its events; when that node stops, another takes the stream over at the stored
// cursor without losing or repeating events. And concurrent outbox writers never make a reader skip an event
// (on PostgreSQL sequences are taken under the outbox lock, so sequence order is commit order).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_BOARD_ACTOR } from "../../src/domain/actor.js";
import { ENGINES } from "../support/database.js";
import {
  appendEvents,
  createCompany,
  type EventsHost,
  eventually,
  handledLines,
  installEventPlugin,
  preparePluginFolder,
  startEventsHost,
  streamLive,
} from "./fixtures/events/support.js";

// Short leases: on PGlite (no LISTEN between "nodes") a waiting node retries its claim every leaseRenewMs.
const delivery = { leaseTtlMs: 5_000, leaseRenewMs: 500 };

describe.each(ENGINES)("event delivery across nodes on %s", (engine) => {
  let temp: string;
  const hosts: EventsHost[] = [];

  beforeAll(() => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), "pc-events-nodes-"));
  });
  afterAll(async () => {
    // The node owning the database goes last.
    for (const host of hosts.reverse()) await host.close();
    fs.rmSync(temp, { recursive: true, force: true });
  });

  it("delivers a plugin's stream from one node at a time and hands it over on stop", async () => {
    const nodeA = await startEventsHost(engine, {
      pluginsDir: path.join(temp, "a"),
      nodeId: "node-a",
      delivery,
    });
    hosts.push(nodeA);
    const companyId = await createCompany(nodeA, "Nodes Ltd");
    const folder = preparePluginFolder(temp, {
      id: "events.shared",
      subscriptions: [{ pattern: "plugin.test.nodes.*" }],
    });
    const pluginId = (await installEventPlugin(nodeA, folder)).id;
    await streamLive(nodeA, pluginId);
    // Node B joins: it activates the ready plugin (its own worker process) and starts its own dispatcher.
    const nodeB = await startEventsHost(engine, {
      database: nodeA.database,
      pluginsDir: path.join(temp, "b"),
      nodeId: "node-b",
      start: true,
      delivery,
    });
    hosts.push(nodeB);
    const pidA = nodeA.runtime.workers.diagnostics(pluginId)?.pid;
    const pidB = await eventually(() => nodeB.runtime.workers.diagnostics(pluginId)?.pid, "node B's worker");
    expect(pidB).not.toBe(pidA);
    await eventually(
      () => nodeB.delivery.dispatcher.streamStatus(pluginId)?.subscriptions,
      "node B's stream running",
    );

    const firstBurst = await appendEvents(nodeA, companyId, 400, "plugin.test.nodes.tick");
    const moreFromB = await appendEvents(nodeB, companyId, 100, "plugin.test.nodes.tick");
    await eventually(() => handledLines(folder).length >= 500, "first 500 handled");
    expect(nodeB.delivery.dispatcher.streamStatus(pluginId)?.leaseHeld).toBe(false);
    const stored = await nodeB.delivery.dispatcher.cursors.get(pluginId);
    expect(stored?.leaseOwner).toBe("node-a");
    let lines = handledLines(folder);
    expect(lines.map((line) => line.eventId)).toEqual([...firstBurst, ...moreFromB]);
    expect(new Set(lines.map((line) => line.pid))).toEqual(new Set([pidA]));

    // Node A's dispatcher stops (its lease is released; the plugin stays ready): node B takes the stream over
    // from the stored cursor.
    await nodeA.delivery.stop();
    const secondBurst = await appendEvents(nodeB, companyId, 300, "plugin.test.nodes.tick");
    await eventually(() => handledLines(folder).length >= 800, "second burst handled by node B");
    lines = handledLines(folder);
    expect(lines.map((line) => line.eventId)).toEqual([...firstBurst, ...moreFromB, ...secondBurst]);
    const pids = lines.map((line) => line.pid);
    // One switch from A to B, never interleaved.
    expect(pids.slice(0, 500).every((pid) => pid === pidA)).toBe(true);
    expect(pids.slice(500).every((pid) => pid === pidB)).toBe(true);
    expect((await nodeB.delivery.dispatcher.cursors.get(pluginId))?.leaseOwner).toBe("node-b");
  });

  it("never skips an event committed by concurrent writers", async () => {
    // Node B (node A's dispatcher was stopped above); a node of its own when run alone.
    const live = hosts.at(-1);
    const host = live ?? (await startEventsHost(engine, { pluginsDir: path.join(temp, "c") }));
    if (!live) hosts.push(host);
    const companyId = await createCompany(host, "Writers Co");
    const folder = preparePluginFolder(temp, {
      id: "events.writers",
      subscriptions: [
        { pattern: "issue.created", filter: { companyId } },
        { pattern: "plugin.test.writers.*" },
      ],
      record: "memory",
    });
    const pluginId = (await installEventPlugin(host, folder)).id;
    await host.configStore.save({ id: pluginId, schema: null }, companyId, {});
    await host.runtime.workers.restart(pluginId);
    await streamLive(host, pluginId, 2);
    const before = host.acked.get(pluginId)?.length ?? 0;

    // Eight concurrent writers creating issues (each its own transaction, on its own connection on PostgreSQL)
    // while plugin events are appended in between.
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < 15; i++) {
        await host.services.issues.create(LOCAL_BOARD_ACTOR, companyId, { title: `w${w}-${i}` });
        if (i % 5 === 0) await appendEvents(host, companyId, 10, "plugin.test.writers.tick");
      }
    });
    await Promise.all(writers);
    const expected = 8 * 15 + 8 * 3 * 10;
    await eventually(
      () => (host.acked.get(pluginId)?.length ?? 0) - before >= expected,
      `${expected} events delivered`,
    );
    const delivered = (host.acked.get(pluginId) ?? []).slice(before);
    const stored = (
      await host.services.outbox.read({
        limit: 10_000,
        eventTypes: ["issue.created", "plugin.test.writers.tick"],
      })
    ).filter((event) => event.companyId === companyId);
    expect(delivered.map((event) => event.seq)).toEqual(stored.map((event) => event.seq));
    expect(delivered).toHaveLength(expected);
  });
});
