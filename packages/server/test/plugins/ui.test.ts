// Plugin UI plumbing (reference §10.2) with installed plugins: the ui-contributions list, and the static files
// under /_plugins/:pluginId/ui/* — content types, ETag and 304, immutable caching of content-hashed names,
// CORS, and the 403/404 rules: traversal with `..`, `%2e%2e` and `%2f`, symlinks that leave the folder, a
// plugin that is not ready, one without a UI, unknown plugins, files and companies.
import fs from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PluginRecord } from "../../src/plugins/registry/index.js";
import { ENGINES } from "../support/database.js";
import {
  type BridgeHost,
  copyBridgeKit,
  rawRequest,
  seedCompany,
  startBridgeHost,
  tempFolders,
} from "./fixtures/bridge/support.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());

const BASIC_PLUGIN = path.resolve(import.meta.dirname, "fixtures/runtime/basic-plugin");

describe.each(ENGINES)("plugin UI routes on %s", (engine) => {
  let host: BridgeHost;
  let kit: PluginRecord;
  let folder: string;
  let companyId: string;

  beforeAll(async () => {
    host = await startBridgeHost(engine);
    companyId = (await seedCompany(host.services, "Acme")).company.id;
    folder = copyBridgeKit(temp.make("ui"));
    // Inside the UI folder: a symlink to a file outside it, one to a folder outside it, one that stays inside.
    fs.symlinkSync(path.join(folder, "secret.txt"), path.join(folder, "ui", "escape.js"));
    fs.symlinkSync(folder, path.join(folder, "ui", "up"), "dir");
    fs.symlinkSync(path.join(folder, "ui", "index.js"), path.join(folder, "ui", "alias.js"));
    kit = await host.install(folder);
  });
  afterAll(async () => {
    await host?.close();
  });

  const file = (rest: string, headers?: Record<string, string>, method = "GET") =>
    rawRequest(host.port, method, `/_plugins/${kit.id}/ui/${rest}`, headers);

  it("lists the slots and launchers of ready plugins in the §10.2 shape", async () => {
    const response = await host.request("GET", "/api/plugins/ui-contributions");
    expect(response.status).toBe(200);
    expect(response.body).toEqual([
      {
        pluginId: kit.id,
        pluginKey: "bridge.kit",
        displayName: "Bridge kit",
        version: "1.0.0",
        updatedAt: expect.any(String),
        uiBuild: expect.stringMatching(/^1\.0\.0-[0-9a-f]{12}$/),
        uiEntryFile: "index.js",
        slots: [
          { type: "dashboardWidget", id: "kit-widget", displayName: "Kit widget", exportName: "KitWidget" },
        ],
        launchers: [
          expect.objectContaining({ id: "kit-legacy", placementZone: "toolbarButton" }),
          expect.objectContaining({ id: "kit-ping", placementZone: "globalToolbarButton" }),
        ],
        // How the board mounts it (ui-isolation.test.ts): same-origin unless the admin or the plugin says so.
        uiIsolation: "same-origin",
      },
    ]);
    expect(Number.isNaN(Date.parse(response.body[0].updatedAt))).toBe(false);
  });

  it("serves files with their content type, a weak ETag, revalidation caching and CORS", async () => {
    const response = await file("index.js");
    expect(response.status).toBe(200);
    expect(response.text).toBe(fs.readFileSync(path.join(folder, "ui", "index.js"), "utf8"));
    expect(response.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(response.headers["cache-control"]).toBe("public, max-age=0, must-revalidate");
    expect(response.headers["access-control-allow-origin"]).toBe("*");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers.etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    expect(response.headers["content-length"]).toBe(String(response.body.length));

    const again = await file("index.js", { "if-none-match": response.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(response.headers.etag);
    expect((await file("index.js", { "if-none-match": 'W/"0-0"' })).status).toBe(200);

    expect((await file("style.css")).headers["content-type"]).toBe("text/css; charset=utf-8");
    const json = await file("nested/data.json");
    expect(json.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(json.text)).toEqual({ hello: "world" });
    const head = await file("index.js", {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it("marks content-hashed file names immutable", async () => {
    const response = await file("chunk-0a1b2c3d.js");
    expect(response.status).toBe(200);
    expect(response.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  it("finds the plugin by key too, and answers 404 for unknown plugins and files", async () => {
    expect((await rawRequest(host.port, "GET", "/_plugins/bridge.kit/ui/index.js")).status).toBe(200);
    const unknown = await rawRequest(host.port, "GET", "/_plugins/no.such.plugin/ui/index.js");
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toEqual({ error: "Plugin not found" });
    const missing = await file("nope.js");
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).error).toBe('File "nope.js" not found in the plugin\'s UI folder');
    expect((await file("nested")).status).toBe(404); // a folder is not a file
    expect((await file("%252e%252e/secret.txt")).status).toBe(404); // decoded once: a literal "%2e%2e" folder
  });

  it("refuses paths that leave the UI folder with 403: .., %2e%2e, %2f and symlinks", async () => {
    for (const attempt of [
      "../secret.txt",
      "nested/../../secret.txt",
      "%2e%2e/secret.txt",
      "%2E%2E/%2E%2E/package.json",
      "..%2fsecret.txt",
      "nested%2f..%2f..%2fsecret.txt",
      "..%5csecret.txt",
      "escape.js",
      "up/secret.txt",
      "up/package.json",
    ]) {
      const response = await file(attempt);
      expect(response.status, attempt).toBe(403);
      expect(JSON.parse(response.text).error, attempt).toMatch(/leaves the plugin's UI folder/);
      expect(response.text).not.toContain("secret outside");
    }
    // A symlink that stays inside the folder is fine, even through a detour that comes back in.
    expect((await file("alias.js")).status).toBe(200);
    expect((await file("up/ui/index.js")).status).toBe(200);
  });

  it("checks the company when ?companyId names one", async () => {
    expect((await file(`index.js?companyId=${companyId}`)).status).toBe(200);
    const unknown = await file("index.js?companyId=00000000-0000-4000-8000-000000000002");
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).error).toBe("Company not found");
  });

  it("proxies to a loopback devUiUrl for requests naming the company, and to nothing else", async () => {
    const installed = (await file("index.js")).text;
    const devServer = createServer((request, response) => {
      response.writeHead(200, { "content-type": "text/javascript" });
      response.end(`// from the dev server: ${request.url}`);
    });
    await new Promise<void>((resolve) => devServer.listen(0, "127.0.0.1", resolve));
    const devPort = (devServer.address() as AddressInfo).port;
    const setDevUiUrl = async (devUiUrl: string | null) => {
      const saved = await host.request("POST", `/api/plugins/${kit.id}/config`, {
        companyId,
        configJson: devUiUrl === null ? {} : { devUiUrl },
      });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    };
    try {
      await setDevUiUrl(`http://127.0.0.1:${devPort}/ui`);
      const proxied = await file(`index.js?companyId=${companyId}`);
      expect(proxied.status).toBe(200);
      expect(proxied.text).toBe("// from the dev server: /ui/index.js");
      expect(proxied.headers["cache-control"]).toBe("no-cache");
      // Without the company the installed file answers.
      expect((await file("index.js")).text).toBe(installed);

      // A dev server that is down: 502 naming it.
      await new Promise((resolve) => devServer.close(resolve));
      const down = await file(`index.js?companyId=${companyId}`);
      expect(down.status).toBe(502);
      expect(JSON.parse(down.text).error).toMatch(
        new RegExp(`^The plugin's dev UI server at http://127\\.0\\.0\\.1:${devPort} failed`),
      );

      // Never to another machine: the installed file answers.
      await setDevUiUrl("http://example.com/ui");
      expect((await file(`index.js?companyId=${companyId}`)).text).toBe(installed);
    } finally {
      devServer.close();
      await setDevUiUrl(null);
    }
  });

  it("answers 404 for a plugin without entrypoints.ui, and leaves it out of the contributions", async () => {
    const basic = await host.install(BASIC_PLUGIN);
    const response = await rawRequest(host.port, "GET", `/_plugins/${basic.id}/ui/index.js`);
    expect(response.status).toBe(404);
    expect(JSON.parse(response.text).error).toBe("Plugin runtime.basic declares no UI (entrypoints.ui)");
    const keys = (await host.request("GET", "/api/plugins/ui-contributions")).body.map(
      (c: { pluginKey: string }) => c.pluginKey,
    );
    expect(keys).toEqual(["bridge.kit"]);
  });

  it("refuses a plugin that is not ready with 403 and drops it from the contributions", async () => {
    const [before] = (await host.request("GET", "/api/plugins/ui-contributions")).body;
    await host.request("POST", `/api/plugins/${kit.id}/disable`, {});
    try {
      const response = await file("index.js");
      expect(response.status).toBe(403);
      expect(JSON.parse(response.text)).toEqual({ error: "Plugin is not ready (current status: disabled)" });
      expect((await host.request("GET", "/api/plugins/ui-contributions")).body).toEqual([]);
    } finally {
      await host.request("POST", `/api/plugins/${kit.id}/enable`);
    }
    const after = (await host.request("GET", "/api/plugins/ui-contributions")).body;
    expect(after).toHaveLength(1);
    // The row changed twice, the package did not: the board keeps the same build, so the UI is not remounted.
    expect(after[0].updatedAt).not.toBe(before.updatedAt);
    expect(after[0].uiBuild).toBe(before.uiBuild);
  });

  it("lists contributions for board users only", async () => {
    const { run } = await seedCompany(host.services, "Agents Inc");
    const response = await host.request("GET", "/api/plugins/ui-contributions", undefined, {
      "x-paperclip-run-id": run.id,
    });
    expect(response.status).toBe(403);
  });
});
