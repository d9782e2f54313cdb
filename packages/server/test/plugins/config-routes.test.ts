// GET/POST /api/plugins/:pluginId/config and POST …/config/test over real HTTP, with real workers: schema
// validation with field errors, configChanged delivery (or a restart when the worker lacks the hook), the
// validateConfig answers, and the errors for unknown plugins, companies and bad bodies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PluginIdentity } from "../../src/plugins/host-services/index.js";
import { ENGINES } from "../support/database.js";
import { eventually, ServicesBed, type TestWorker } from "./fixtures/services/bed.js";
import { type HttpHost, startHttpHost } from "./fixtures/services/http-host.js";

const SCHEMA = {
  type: "object",
  required: ["baseUrl"],
  additionalProperties: false,
  properties: {
    baseUrl: { type: "string", format: "uri" },
    retries: { type: "integer", minimum: 0, maximum: 5 },
    mode: { type: "string", enum: ["fast", "safe"] },
    mustFail: { type: "boolean" },
    warnMe: { type: "boolean" },
    "x-ui-note": { type: "string", "x-paperclip-advanced": true },
  },
};

describe.each(ENGINES)("plugin config routes (%s)", (engine) => {
  let bed: ServicesBed;
  let host: HttpHost;
  let company: { id: string };
  let plugin: PluginIdentity;
  let worker: TestWorker;

  beforeAll(async () => {
    bed = await ServicesBed.open(engine);
    host = await startHttpHost(bed);
    company = await bed.company();
    plugin = await bed.plugin({
      key: "fixture.configurable",
      capabilities: ["events.subscribe"],
      instanceConfigSchema: SCHEMA,
    });
    worker = await bed.worker(plugin);
  });

  afterAll(async () => {
    await host?.close();
    await bed?.close();
  });

  const configPath = (id = plugin.pluginId) => `/api/plugins/${id}/config`;

  it("answers 400 with one field error per problem when the config does not match the schema", async () => {
    const response = await host.request("POST", configPath(), {
      companyId: company.id,
      configJson: { retries: 9, mode: "turbo", extra: true },
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/^Configuration does not match the plugin's instanceConfigSchema/);
    expect(response.body.fieldErrors).toEqual(
      expect.arrayContaining([
        { field: "/baseUrl", message: "is required" },
        { field: "/retries", message: "must be <= 5" },
        { field: "/mode", message: 'must be one of: "fast", "safe"' },
        { field: "/extra", message: "is not allowed by the schema (no such field)" },
      ]),
    );
  });

  it("saves a valid config, reads it back, and delivers it to the worker with configChanged", async () => {
    const saved = await host.request("POST", configPath(), {
      companyId: company.id,
      configJson: { baseUrl: "https://example.test/api", retries: 2 },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      pluginId: plugin.pluginId,
      companyId: company.id,
      configJson: { baseUrl: "https://example.test/api", retries: 2 },
      lastError: null,
    });
    const read = await host.request("GET", `${configPath("fixture.configurable")}?companyId=${company.id}`);
    expect(read.body).toEqual(saved.body);
    // Delivered behind the answer.
    let delivered: { lastConfig?: unknown } = {};
    await eventually(async () => {
      delivered = await worker.action("last-config", {}, null);
      return delivered.lastConfig !== null && delivered.lastConfig !== undefined;
    }, "configChanged delivered");
    expect(delivered.lastConfig).toEqual({
      config: { baseUrl: "https://example.test/api", retries: 2 },
      companyId: company.id,
    });
    const activity = await bed.services.activity.list(company.id, {
      entityType: "plugin",
      entityId: plugin.pluginId,
    });
    expect(activity.find((row) => row.action === "plugin.config.updated")?.details).toMatchObject({
      pluginKey: "fixture.configurable",
      keys: ["baseUrl", "retries"],
    });
  });

  it("restarts a worker that does not implement configChanged so it picks the config up", async () => {
    const plain = await bed.plugin({ capabilities: ["events.subscribe"] });
    const plainWorker = await bed.worker(plain, "sdk-no-config-hook-worker.mjs");
    const before = (await plainWorker.action("pid", {}, null)).pid;
    const saved = await host.request("POST", configPath(plain.pluginId), {
      companyId: company.id,
      configJson: { region: "eu" },
    });
    expect(saved.status).toBe(200);
    // Restarted behind the answer.
    let after = before;
    await eventually(async () => {
      if (plainWorker.supervisor.status !== "running") return false;
      after = (await plainWorker.action("pid", {}, null)).pid;
      return after !== before;
    }, "restarted worker running");
    // The new process read it in setup(): the only configured company's config.
    expect((await plainWorker.action("setup-config", {}, null)).setupConfig).toEqual({ region: "eu" });
  });

  it("answers GET config with null before a save, and refuses a missing companyId", async () => {
    const other = await bed.company("Other");
    expect((await host.request("GET", `${configPath()}?companyId=${other.id}`)).body).toBeNull();
    const missing = await host.request("GET", configPath());
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('"companyId" query parameter is required');
  });

  it("answers 404 for an unknown plugin or company and 400 for a malformed body", async () => {
    const unknownPlugin = await host.request("POST", configPath("no.such.plugin"), {
      companyId: company.id,
      configJson: {},
    });
    expect(unknownPlugin).toEqual({ status: 404, body: { error: "Plugin not found" } });
    const unknownCompany = await host.request("POST", configPath(), {
      companyId: "00000000-0000-4000-8000-000000000000",
      configJson: { baseUrl: "https://x.test" },
    });
    expect(unknownCompany.status).toBe(404);
    expect(unknownCompany.body.error).toBe("Company not found");
    const notObject = await host.request("POST", configPath(), { companyId: company.id, configJson: "yes" });
    expect(notObject.status).toBe(400);
    expect(notObject.body.error).toContain("body.configJson must be object");
    const noCompany = await host.request("POST", configPath(), { configJson: {} });
    expect(noCompany.status).toBe(400);
    expect(noCompany.body.error).toContain("body.companyId is required");
  });

  it("refuses a configJson nested 5,000 deep or holding NUL with 400 naming the place, before any walk", async () => {
    const inject = (payload: string, url = configPath()) =>
      host.app.inject({ method: "POST", url, payload, headers: { "content-type": "application/json" } });
    for (const url of [configPath(), `${configPath()}/test`]) {
      const deep = await inject(
        `{"companyId":"${company.id}","configJson":{"x":${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}}}`,
        url,
      );
      expect(deep.statusCode, url).toBe(400);
      expect(deep.json().error).toMatch(
        /^Validation error: JSON nested deeper than 64 levels at \$\.configJson\.x\.a/,
      );
    }
    const nul = await inject(
      `{"companyId":"${company.id}","configJson":{"baseUrl":"https://x.test/\\u0000"}}`,
    );
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error).toBe(
      "Validation error: body.configJson.baseUrl must not contain the NUL character (\\u0000), which cannot be stored",
    );
    const unknown = await host.request("POST", configPath(), {
      companyId: company.id,
      configJson: {},
      extra: 1,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toContain("body.extra is not a known property");
  });

  it("tests a config with the worker's validateConfig and answers the reference shapes", async () => {
    const testPath = `${configPath()}/test`;
    expect(
      (
        await host.request("POST", testPath, {
          companyId: company.id,
          configJson: { baseUrl: "https://a.test" },
        })
      ).body,
    ).toEqual({
      valid: true,
    });
    expect(
      (
        await host.request("POST", testPath, {
          companyId: company.id,
          configJson: { baseUrl: "https://a.test", warnMe: true },
        })
      ).body,
    ).toEqual({ valid: true, message: "Warnings: just a warning" });
    expect(
      (
        await host.request("POST", testPath, {
          companyId: company.id,
          configJson: { baseUrl: "https://a.test", mustFail: true },
        })
      ).body,
    ).toEqual({ valid: false, message: "mustFail is set; second problem" });
    const invalid = await host.request("POST", testPath, {
      companyId: company.id,
      configJson: { retries: -1 },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.fieldErrors).toEqual(
      expect.arrayContaining([{ field: "/baseUrl", message: "is required" }]),
    );
  });

  it("says when a worker does not implement validateConfig, and refuses plugins that are not ready", async () => {
    const legacy = await bed.plugin({ capabilities: ["events.subscribe"] });
    await bed.worker(legacy, "legacy-ndjson-worker.mjs");
    const unsupported = await host.request("POST", `${configPath(legacy.pluginId)}/test`, {
      companyId: company.id,
      configJson: {},
    });
    expect(unsupported.body).toEqual({
      valid: false,
      supported: false,
      message: "This plugin does not implement validateConfig",
    });

    const disabled = await bed.plugin({ capabilities: ["events.subscribe"] });
    await bed.db.query("t_disable", "UPDATE plugins SET status = 'disabled' WHERE id = $1", [
      disabled.pluginId,
    ]);
    const notReady = await host.request("POST", `${configPath(disabled.pluginId)}/test`, {
      companyId: company.id,
      configJson: {},
    });
    expect(notReady).toEqual({
      status: 400,
      body: { error: "Plugin is not ready (current status: disabled)" },
    });
  });
});
