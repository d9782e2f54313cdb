// Conformance, host→worker→host: a worker built with the PUBLISHED @paperclipai/plugin-sdk runs under our real
// supervisor and calls our host services — state, issues, config, logs — and meets the same gate (capability
// denial with the published code and message, company scope).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PluginIdentity } from "../../src/plugins/host-services/index.js";
import { ENGINES } from "../support/database.js";
import { eventually, ServicesBed, type TestWorker } from "./fixtures/services/bed.js";

describe.each(ENGINES)("a published-SDK worker on our host services (%s)", (engine) => {
  let bed: ServicesBed;
  let company: { id: string };
  let other: { id: string };
  let plugin: PluginIdentity;
  let worker: TestWorker;

  beforeAll(async () => {
    bed = await ServicesBed.open(engine);
    company = await bed.company("Alpha");
    other = await bed.company("Beta");
    plugin = await bed.plugin({
      key: "fixture.published",
      capabilities: [
        "plugin.state.read",
        "plugin.state.write",
        "issues.read",
        "issues.create",
        "events.subscribe",
      ],
    });
    await bed.factory.configStore.save({ id: plugin.pluginId, schema: undefined }, company.id, {
      greeting: "hi",
    });
    worker = await bed.worker(plugin, "published-services-worker.mjs");
  });

  afterAll(async () => {
    await bed?.close();
  });

  it("sets and gets state, including null, in a company invocation", async () => {
    const key = { scopeKind: "company", scopeId: company.id, stateKey: "cursor" };
    const steps = await worker.action<any[]>(
      "ctx-seq",
      {
        steps: [
          { path: "state.set", args: [key, { page: 3 }] },
          { path: "state.get", args: [key] },
          { path: "state.set", args: [key, null] },
          { path: "state.get", args: [key] },
        ],
      },
      company.id,
    );
    expect(steps).toEqual([{ result: null }, { result: { page: 3 } }, { result: null }, { result: null }]);
    expect(await bed.factory.state.get(plugin.pluginId, key as never)).toEqual({ found: true, value: null });
  });

  it("creates an issue with the plugin's origin", async () => {
    const outcome = await worker.ctx(
      "issues.create",
      [{ companyId: company.id, title: "Published SDK issue" }],
      company.id,
    );
    expect(outcome.caught).toBeUndefined();
    expect(outcome.result).toMatchObject({
      companyId: company.id,
      title: "Published SDK issue",
      originKind: "plugin:fixture.published",
    });
    const stored = await bed.services.issues.get(outcome.result.id);
    expect(stored.title).toBe("Published SDK issue");
  });

  it("gets CAPABILITY_DENIED with the published message, and INVOCATION_SCOPE_DENIED for another company", async () => {
    const denied = await worker.ctx("telemetry.track", ["checked"], company.id);
    expect(denied.caught).toEqual({
      code: -32001,
      message:
        'Plugin "fixture.published" is missing required capability "telemetry.track" for method "telemetry.track"',
    });
    const scoped = await worker.ctx("issues.list", [{ companyId: other.id }], company.id);
    expect(scoped.caught?.code).toBe(-32005);
  });

  it("reads its instance-level config in setup() and logs through ctx.logger", async () => {
    expect(await worker.action("setup-config", {}, null)).toEqual({
      setupConfig: { greeting: "hi" },
      setupError: null,
    });
    await worker.action("log", { level: "info", message: "hello from the published SDK" }, company.id);
    await eventually(async () => {
      await bed.factory.logs.flush();
      const rows = await bed.factory.logs.query(plugin.pluginId, { limit: 50 });
      return rows.some(
        (row) => row.message === "hello from the published SDK" && row.companyId === company.id,
      );
    }, "published SDK log line stored");
  });
});
