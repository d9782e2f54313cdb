// Event delivery as the host wires it (createHostPlugins): plugins installed through the API, a domain event
// from the API and a plugin-emitted event reach a subscriber's worker, and the event routes are served.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "../support/database.js";
import { eventually, handledLines, preparePluginFolder } from "./fixtures/events/support.js";
import { fixtureDataDir, type RuntimeHost, startRuntimeHost } from "./fixtures/runtime/support.js";

describe.each(ENGINES)("event delivery in the host on %s", (engine) => {
  let host: RuntimeHost;
  let temp: string;

  beforeAll(async () => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), "pc-events-host-"));
    // Sandboxed workers write only their data folder: beside their package here, where handledLines reads.
    host = await startRuntimeHost(engine, {
      start: true,
      runtime: { sandbox: { dataDirOf: (record) => fixtureDataDir(record.packageDir) } },
    });
  });
  afterAll(async () => {
    await host?.close();
    fs.rmSync(temp, { recursive: true, force: true });
  });

  it("delivers API and plugin-emitted events to a subscriber installed through the API", async () => {
    const company = (await host.request("POST", "/api/companies", { name: "Wired Co" })).body;
    const emitterDir = preparePluginFolder(temp, { id: "events.host-emitter", subscriptions: [] });
    const listenerDir = preparePluginFolder(temp, {
      id: "events.host-listener",
      subscriptions: [{ pattern: "issue.created" }, { pattern: "plugin.events.host-emitter.*" }],
    });
    const install = async (folder: string) => {
      const response = await host.request("POST", "/api/plugins/install", {
        packageName: folder,
        isLocalPath: true,
      });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body.id as string;
    };
    const emitterId = await install(emitterDir);
    const listenerId = await install(listenerDir);
    await eventually(async () => {
      const status = await host.request("GET", `/api/plugins/${listenerId}/events/status`);
      return status.body?.subscriptions?.length === 2 && status.body.lease?.heldByThisNode;
    }, "listener's stream live");

    const issue = (await host.request("POST", `/api/companies/${company.id}/issues`, { title: "wired" }))
      .body;
    const emitted = await host.runtime.callPlugin(
      emitterId,
      "performAction",
      { key: "emit", companyId: company.id, params: { name: "hello", payload: { n: 1 } } },
      company.id,
    );
    expect(emitted).toEqual({ emitted: 1 });
    await eventually(() => handledLines(listenerDir).length >= 2, "both events handled");
    expect(handledLines(listenerDir).map((line) => line.eventType)).toEqual([
      "issue.created",
      "plugin.events.host-emitter.hello",
    ]);
    const status = (await host.request("GET", `/api/plugins/events.host-listener/events/status`)).body;
    expect(status).toMatchObject({
      pluginKey: "events.host-listener",
      retry: null,
      deadLetters: { dead: 0 },
    });
    await eventually(
      async () => (await host.request("GET", `/api/plugins/${listenerId}/events/status`)).body.lag === 0,
      "cursor at the head",
    );
    expect(issue.id).toBeTruthy();
  });
});
