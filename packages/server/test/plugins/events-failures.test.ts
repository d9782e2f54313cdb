// Failure paths of event delivery with real workers: an event the worker never acknowledges is retried with
// backoff while the cursor waits before it, then dead-lettered while later events go on, and replayed from the
// route; a worker SIGKILLed in the middle of a burst loses nothing and repeats only unacknowledged events.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

const MAX_ATTEMPTS = 3;
const MAX_IN_FLIGHT = 32;

describe.each(ENGINES)("event delivery failures on %s", (engine) => {
  let host: EventsHost;
  let temp: string;
  let companyId: string;

  beforeAll(async () => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), "pc-events-fail-"));
    host = await startEventsHost(engine, {
      pluginsDir: path.join(temp, "plugins"),
      delivery: { maxAttempts: MAX_ATTEMPTS, eventTimeoutMs: 300, maxInFlight: MAX_IN_FLIGHT },
    });
    companyId = await createCompany(host, "Failures Inc");
  });
  afterAll(async () => {
    await host?.close();
    fs.rmSync(temp, { recursive: true, force: true });
  });

  it("retries an unacknowledged event, dead-letters it after the last attempt, goes on, and replays it", async () => {
    const folder = preparePluginFolder(temp, {
      id: "events.poison",
      subscriptions: [{ pattern: "plugin.test.source.*" }],
    });
    const pluginId = (await installEventPlugin(host, folder)).id;
    await streamLive(host, pluginId);
    fs.writeFileSync(path.join(folder, "failing"), "poison events hang\n");

    const [first, poison, after] = await appendEvents(host, companyId, 3, "plugin.test.source.tick", (i) => ({
      i,
      poison: i === 1,
    }));
    const [poisonRow] = await host.services.outbox
      .read({ eventTypes: ["plugin.test.source.tick"], limit: 10 })
      .then((rows) => rows.filter((row) => row.eventId === poison));
    // While it is retried, the stored cursor stays before it and the retry count is visible.
    const retrying = await eventually(async () => {
      const status = (await host.request("GET", `/api/plugins/${pluginId}/events/status`)).body;
      return status.retry ? status : null;
    }, "a retry recorded");
    expect(retrying.retry).toMatchObject({
      seq: poisonRow!.seq,
      lastError: expect.stringMatching(/timed out/),
    });
    expect(retrying.cursor).toBeLessThan(poisonRow!.seq);

    await eventually(() => host.deadLettered.some((dead) => dead.eventId === poison), "poison dead-lettered");
    await eventually(
      () => host.acked.get(pluginId)?.some((event) => event.eventId === after),
      "later event acknowledged",
    );
    expect(host.acked.get(pluginId)?.map((event) => event.eventId)).toEqual([first, after]);
    const handled = handledLines(folder).map((line) => line.eventId);
    expect(handled.filter((id) => id === poison)).toHaveLength(MAX_ATTEMPTS);

    const list = await host.request("GET", `/api/plugins/${pluginId}/events/dead-letters`);
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    const [dead] = list.body;
    expect(dead).toMatchObject({
      pluginId,
      seq: poisonRow!.seq,
      eventId: poison,
      eventType: "plugin.test.source.tick",
      companyId,
      status: "dead",
      attempts: MAX_ATTEMPTS,
      errorCode: -32003,
      replayCount: 0,
      event: { eventId: poison, payload: { i: 1, poison: true } },
    });
    expect(dead.error).toMatch(/onEvent.*timed out after 300ms/);
    // The cursor passed the dead letter.
    await eventually(
      async () => (await host.delivery.dispatcher.cursors.get(pluginId))?.lastSeq === poisonRow!.seq + 1,
      "cursor past it",
    );

    // Fixed plugin: replay delivers it once more.
    fs.rmSync(path.join(folder, "failing"));
    const replay = await host.request(
      "POST",
      `/api/plugins/events.poison/events/dead-letters/${dead.id}/replay`,
    );
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ id: dead.id, status: "replay_pending" });
    const replayed = await eventually(async () => {
      const rows = (await host.request("GET", `/api/plugins/${pluginId}/events/dead-letters?status=replayed`))
        .body;
      return rows.length === 1 ? rows[0] : null;
    }, "replay delivered");
    expect(replayed).toMatchObject({ id: dead.id, replayCount: 1, replayedAt: expect.any(String) });
    expect(handledLines(folder).filter((line) => line.eventId === poison)).toHaveLength(MAX_ATTEMPTS + 1);

    // A replay that fails every attempt goes back to `dead`; asking twice while queued is a conflict.
    fs.writeFileSync(path.join(folder, "failing"), "again\n");
    expect(
      (await host.request("POST", `/api/plugins/${pluginId}/events/dead-letters/${dead.id}/replay`)).status,
    ).toBe(202);
    const twice = await host.request(
      "POST",
      `/api/plugins/${pluginId}/events/dead-letters/${dead.id}/replay`,
    );
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatch(/already queued for replay/);
    const deadAgain = await eventually(async () => {
      const rows = (await host.request("GET", `/api/plugins/${pluginId}/events/dead-letters?status=dead`))
        .body;
      return rows.length === 1 ? rows[0] : null;
    }, "failed replay recorded");
    expect(deadAgain).toMatchObject({ id: dead.id, replayCount: 2, attempts: MAX_ATTEMPTS * 2 });
  });

  it("loses nothing when the worker is SIGKILLed mid-burst, repeating only unacknowledged events", async () => {
    const folder = preparePluginFolder(temp, {
      id: "events.burst",
      subscriptions: [{ pattern: "plugin.test.burst.*" }],
      busyMs: 0.2,
    });
    const pluginId = (await installEventPlugin(host, folder)).id;
    await streamLive(host, pluginId);
    const firstPid = host.runtime.workers.diagnostics(pluginId)?.pid;
    expect(firstPid).toBeGreaterThan(0);

    const total = 3_000;
    const ids = await appendEvents(host, companyId, total, "plugin.test.burst.tick");
    await eventually(() => handledLines(folder).length >= 300, "burst under way", 20_000);
    const ackedBeforeKill = new Set((host.acked.get(pluginId) ?? []).map((event) => event.eventId));
    process.kill(firstPid!, "SIGKILL");
    const handledAtKill = new Set(handledLines(folder).map((line) => line.eventId)).size;
    expect(handledAtKill).toBeLessThan(total);

    await eventually(
      () => new Set(handledLines(folder).map((line) => line.eventId)).size >= total,
      "every event handled",
      30_000,
    );
    const lines = handledLines(folder);
    const counts = new Map<string, number>();
    for (const line of lines) counts.set(line.eventId, (counts.get(line.eventId) ?? 0) + 1);
    expect(new Set(counts.keys())).toEqual(new Set(ids));
    const repeated = [...counts].filter(([, count]) => count > 1).map(([id]) => id);
    // Only events handled but not acknowledged when the process died are repeated: at most one window.
    expect(repeated.filter((id) => ackedBeforeKill.has(id))).toEqual([]);
    expect(repeated.length).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    // A new process handled the rest.
    const newPid = host.runtime.workers.diagnostics(pluginId)?.pid;
    expect(newPid).not.toBe(firstPid);
    expect(lines.some((line) => line.pid === newPid)).toBe(true);
    await eventually(() => (host.acked.get(pluginId)?.length ?? 0) >= total, "every event acknowledged");
    expect(host.deadLettered.filter((dead) => dead.pluginId === pluginId)).toEqual([]);
  });
});
