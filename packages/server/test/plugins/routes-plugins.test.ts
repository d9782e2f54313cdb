// The plugin management routes' answers to bad input, each a clear `{error}` naming the problem, never a 500;
// the examples catalog; install progress streamed as NDJSON; per-plugin method timeouts.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "../support/database.js";
import {
  copyFixture,
  fixturePackage,
  HELLO_WORLD_DIR,
  REPO_ROOT,
  type RuntimeHost,
  startRuntimeHost,
  tempFolders,
} from "./fixtures/runtime/support.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());
const UNKNOWN_UUID = "6f1d1c1e-0000-4000-8000-000000000000";

describe.each(ENGINES)("plugin routes on %s", (engine) => {
  let host: RuntimeHost;
  let basicId: string;

  beforeAll(async () => {
    host = await startRuntimeHost(engine, { examplesDir: path.join(REPO_ROOT, "examples") });
    const folder = copyFixture("basic-plugin", temp.make("routes"));
    basicId = (await host.request("POST", "/api/plugins/install", { packageName: folder, isLocalPath: true }))
      .body.id;
  });
  afterAll(async () => host?.close());

  describe('unknown plugins answer 404 {error: "Plugin not found"}', () => {
    const cases: Array<[string, string, unknown?]> = [
      ["GET", "/api/plugins/no.such.plugin"],
      ["GET", `/api/plugins/${UNKNOWN_UUID}`],
      ["GET", "/api/plugins/no.such.plugin/health"],
      ["GET", "/api/plugins/no.such.plugin/dashboard"],
      ["POST", "/api/plugins/no.such.plugin/enable"],
      ["POST", "/api/plugins/no.such.plugin/disable", {}],
      ["POST", "/api/plugins/no.such.plugin/upgrade", {}],
      ["DELETE", "/api/plugins/no.such.plugin"],
      ["DELETE", `/api/plugins/${UNKNOWN_UUID}?purge=true`],
      ["PATCH", "/api/plugins/no.such.plugin/settings", { methodTimeouts: {} }],
    ];
    for (const [method, url, body] of cases) {
      it(`${method} ${url}`, async () => {
        const response = await host.request(method, url, body);
        expect(response.status).toBe(404);
        expect(response.body.error).toBe("Plugin not found");
      });
    }
  });

  it("refuses an unknown status filter, naming the field and the allowed values", async () => {
    const response = await host.request("GET", "/api/plugins?status=running");
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(
      /querystring\.status must be one of: "installed", "ready", "disabled"/,
    );
  });

  describe("install body", () => {
    const bad: Array<[string, unknown, RegExp]> = [
      ["no packageName", {}, /body\.packageName is required/],
      ["empty packageName", { packageName: "" }, /body\.packageName must NOT have fewer than 1 characters/],
      ["a number as packageName", { packageName: 42 }, /body\.packageName must be string/],
      ["isLocalPath as text", { packageName: "x", isLocalPath: "yes" }, /body\.isLocalPath must be boolean/],
      ["version as a number", { packageName: "x", version: 1 }, /body\.version must be string/],
      ["an array body", [1, 2], /body.* must be object/],
    ];
    for (const [what, body, message] of bad) {
      it(`400 for ${what}`, async () => {
        const response = await host.request("POST", "/api/plugins/install", body);
        expect(response.status).toBe(400);
        expect(response.body.error).toMatch(message);
      });
    }

    it("400 for malformed JSON", async () => {
      const response = await host.raw("POST", "/api/plugins/install", '{"packageName": ');
      expect(response.status).toBe(400);
      expect(JSON.parse(response.text).error).toMatch(/^Malformed JSON body/);
    });

    it("400 with the installer's message for a package name npm would refuse", async () => {
      const response = await host.request("POST", "/api/plugins/install", { packageName: "Not A Name!" });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(/packageName/);
      expect(response.body.details).toMatchObject({ field: "packageName" });
    });

    it("400 for a local path that does not exist", async () => {
      const missing = path.join(temp.make("missing"), "nothing-here");
      const response = await host.request("POST", "/api/plugins/install", {
        packageName: missing,
        isLocalPath: true,
      });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe(`local: the path "${missing}" does not exist`);
    });

    it("400 naming the tried paths for a package without a manifest", async () => {
      const folder = temp.make("no-manifest");
      fs.writeFileSync(
        path.join(folder, "package.json"),
        JSON.stringify({ name: "not-a-plugin", version: "1.0.0" }),
      );
      const response = await host.request("POST", "/api/plugins/install", {
        packageName: folder,
        isLocalPath: true,
      });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(/does not appear to be a Paperclip plugin/);
      expect(response.body.details.triedPaths.length).toBeGreaterThan(0);
    });

    it("400 naming the manifest field that breaks a rule, and nothing is stored", async () => {
      const folder = copyFixture("basic-plugin", temp.make("bad-manifest"), { id: "runtime.bad-manifest" });
      const manifest = path.join(folder, "manifest.js");
      fs.writeFileSync(
        manifest,
        fs.readFileSync(manifest, "utf8").replace('categories: ["automation"]', 'categories: ["gadgets"]'),
      );
      const response = await host.request("POST", "/api/plugins/install", {
        packageName: folder,
        isLocalPath: true,
      });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(/categories/);
      expect(response.body.details.errors[0].path).toMatch(/^categories/);
      expect((await host.request("GET", "/api/plugins/runtime.bad-manifest")).status).toBe(404);
    });
  });

  describe("other bodies and queries", () => {
    it("400 for a disable reason that is not text", async () => {
      const response = await host.request("POST", `/api/plugins/${basicId}/disable`, { reason: 5 });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(/body\.reason must be string/);
    });

    it("400 for an upgrade version that is not text", async () => {
      const response = await host.request("POST", `/api/plugins/${basicId}/upgrade`, { version: ["1.0.0"] });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(/body\.version must be string/);
    });

    it("400 for a version on a plugin installed from a local folder", async () => {
      const response = await host.request("POST", `/api/plugins/${basicId}/upgrade`, { version: "2.0.0" });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(
        /version does not apply to plugin runtime\.basic: it was installed from a local folder/,
      );
    });

    it("400 for a purge flag that is not a boolean", async () => {
      const response = await host.request("DELETE", `/api/plugins/${basicId}?purge=maybe`);
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(/querystring\.purge must be boolean/);
      expect((await host.request("GET", `/api/plugins/${basicId}`)).body.status).toBe("ready");
    });

    it("400 for method timeouts that are not positive whole milliseconds", async () => {
      for (const methodTimeouts of [{ runJob: -1 }, { runJob: 1.5 }, { runJob: "fast" }, "soon"]) {
        const response = await host.request("PATCH", `/api/plugins/${basicId}/settings`, { methodTimeouts });
        expect(response.status, JSON.stringify(methodTimeouts)).toBe(400);
        expect(response.body.error).toMatch(/methodTimeouts/);
      }
    });
  });

  it("stores per-method timeouts and applies them to the running worker", async () => {
    const response = await host.request("PATCH", `/api/plugins/${basicId}/settings`, {
      methodTimeouts: { performAction: 150 },
    });
    expect(response.status).toBe(200);
    expect(response.body.methodTimeouts).toEqual({ performAction: 150 });
    // A slow action now hits the plugin's own deadline (TIMEOUT, -32003) instead of the 30 s default.
    const slow = host.runtime.callPlugin(
      basicId,
      "performAction",
      { key: "slow", params: { ms: 2_000 } },
      null,
    );
    await expect(slow).rejects.toMatchObject({ code: -32003 });
    await host.request("PATCH", `/api/plugins/${basicId}/settings`, { methodTimeouts: {} });
    const fast = await host.runtime.callPlugin(
      basicId,
      "performAction",
      { key: "slow", params: { ms: 300 } },
      null,
    );
    expect(fast).toEqual({ waited: 300 });
  });

  it("reports supportsConfigTest from the worker's supported methods", async () => {
    const response = await host.request("GET", `/api/plugins/${basicId}`);
    expect(response.body.supportsConfigTest).toBe(true);
  });

  it("lists the bundled examples with their local paths", async () => {
    const response = await host.request("GET", "/api/plugins/examples");
    expect(response.status).toBe(200);
    expect(response.body).toContainEqual({
      packageName: "paperclip-plugin-hello-world",
      pluginKey: "paperclip.hello-world",
      displayName: "Hello World",
      description: expect.any(String),
      localPath: HELLO_WORLD_DIR,
      tag: "example",
      experimental: false,
      hasBuiltEntrypoints: true,
    });
  });

  it("streams install progress as NDJSON when asked, ending with the record", async () => {
    const response = await fetch(`${host.baseUrl}/api/plugins/install`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/x-ndjson" },
      body: JSON.stringify({ packageName: fixturePackage("crash-on-start"), isLocalPath: true }),
    });
    expect(response.headers.get("content-type")).toMatch(/application\/x-ndjson/);
    const events = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const progress = events.filter((event) => event.type === "progress").map((event) => event.line);
    expect(progress).toContainEqual(
      expect.stringMatching(/^Using local package paperclip-plugin-runtime-crash-on-start@1\.0\.0/),
    );
    expect(progress).toContainEqual(expect.stringMatching(/^Registered runtime\.crash-on-start/));
    const last = events.at(-1);
    expect(last).toMatchObject({
      type: "result",
      status: 200,
      plugin: { pluginKey: "runtime.crash-on-start", status: "error" },
    });

    const failing = await fetch(`${host.baseUrl}/api/plugins/install`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/x-ndjson" },
      body: JSON.stringify({ packageName: fixturePackage("crash-on-start"), isLocalPath: true }),
    });
    const end = JSON.parse((await failing.text()).trim().split("\n").at(-1)!);
    expect(end).toMatchObject({
      type: "error",
      status: 409,
      error: expect.stringMatching(/already installed/),
    });
  });
});
