// The OpenAPI document declares what each route really answers on failure: `{error, details?}` everywhere, the
// published PluginBridgeError `{code, message, details?}` for the bridge's 502, a 404 for an unknown bridge key,
// and bodies that refuse unknown properties. (test/fuzz-routes.test.ts checks the answers against it.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BridgeHost, startBridgeHost } from "./plugins/fixtures/bridge/support.js";

type Schema = Record<string, any>;

describe("the OpenAPI document's error responses", () => {
  let host: BridgeHost;
  let document: Schema;

  beforeAll(async () => {
    host = await startBridgeHost("pglite");
    document = (await host.request("GET", "/api/openapi.json")).body;
  });
  afterAll(async () => host?.close());

  const schemaOf = (path: string, method: string, status: number) =>
    document.paths[path][method].responses[String(status)]?.content?.["application/json"]?.schema;

  it("publishes Error and PluginBridgeError as components", () => {
    const { Error: error, PluginBridgeError: bridge } = document.components.schemas;
    expect(error).toMatchObject({
      type: "object",
      required: ["error"],
      properties: { error: { type: "string" } },
    });
    expect(bridge).toMatchObject({
      type: "object",
      required: ["code", "message"],
      properties: {
        code: {
          enum: [
            "WORKER_UNAVAILABLE",
            "CAPABILITY_DENIED",
            "INVOCATION_SCOPE_DENIED",
            "WORKER_ERROR",
            "TIMEOUT",
            "UNKNOWN",
          ],
        },
        message: { type: "string" },
      },
    });
    expect(document.info.description).toContain("PluginBridgeError");
  });

  it("declares the bridge's 502 as PluginBridgeError, its 404 as Error or an unknown key, and its body", () => {
    for (const path of [
      "/api/plugins/{pluginId}/data/{key}",
      "/api/plugins/{pluginId}/actions/{key}",
      "/api/plugins/{pluginId}/bridge/data",
      "/api/plugins/{pluginId}/bridge/action",
    ]) {
      expect(schemaOf(path, "post", 502), path).toEqual({ $ref: "#/components/schemas/PluginBridgeError" });
      expect(schemaOf(path, "post", 404), path).toEqual({
        anyOf: [
          { $ref: "#/components/schemas/Error" },
          { $ref: "#/components/schemas/UnknownBridgeKeyError" },
        ],
      });
      const body = document.paths[path].post.requestBody.content["application/json"].schema;
      expect(body.additionalProperties, path).toBe(false);
      expect(Object.keys(body.properties).sort(), path).toEqual([
        "companyId",
        "key",
        "params",
        "renderEnvironment",
      ]);
    }
    expect(schemaOf("/api/plugins/{pluginId}/config/test", "post", 502)).toEqual({
      $ref: "#/components/schemas/PluginBridgeError",
    });
  });

  it("declares the common errors on every route, each with a schema", () => {
    let operations = 0;
    for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Schema>>)) {
      for (const [method, operation] of Object.entries(methods)) {
        operations++;
        const statuses = Object.keys(operation.responses).map(Number);
        const where = `${method.toUpperCase()} ${path}`;
        expect(statuses, where).toEqual(expect.arrayContaining([403, 500]));
        if (path.includes("{")) expect(statuses, where).toEqual(expect.arrayContaining([400, 404]));
        const isWebhookIntake = path === "/api/plugins/{pluginId}/webhooks/{endpointKey}";
        if (["post", "put", "patch"].includes(method) && !isWebhookIntake) {
          expect(statuses, where).toEqual(expect.arrayContaining([400, 413, 415]));
        }
        for (const status of statuses.filter((s) => s >= 400)) {
          expect(
            operation.responses[status].content?.["application/json"]?.schema,
            `${where} ${status}`,
          ).toBeDefined();
        }
      }
    }
    expect(operations).toBeGreaterThan(100);
    // The public webhook intake takes no login and any content type.
    const intake = document.paths["/api/plugins/{pluginId}/webhooks/{endpointKey}"].post.responses;
    expect(intake["401"]).toBeUndefined();
    expect(intake["415"]).toBeUndefined();
  });

  it("says additionalProperties: false on the bodies it refuses unknown properties in", async () => {
    const body = document.paths["/api/companies"].post.requestBody.content["application/json"].schema;
    expect(body.additionalProperties).toBe(false);
    const refused = await host.request("POST", "/api/companies", { name: "x", unexpected: true });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain("body.unexpected is not a known property");
  });
});
