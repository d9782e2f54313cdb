// Plugin UI isolation (docs/plugin-ui-sandbox.md) with installed plugins, on PGlite and PostgreSQL: the mode in
// the ui-contributions list and at GET/PUT /api/plugins/:pluginId/ui-isolation (default same-origin, the plugin's
// package.json hint, the instance admin's choice winning over it, null forgetting it), the activity rows and the
// plugin.ui.updated broadcast a change makes, 400s naming the field, 403 for a board user who is not the instance
// admin, the row going with the plugin; and the sandboxed frame's document with its CSP, plus what the host guard
// lets an opaque-origin frame load (static UI files, CORS) and what it refuses (the API).
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pluginUiIsolation } from "../../src/db/schema.js";
import { LOCAL_BOARD_ACTOR } from "../../src/domain/actor.js";
import { buildApp } from "../../src/http/app.js";
import { frameContentSecurityPolicy } from "../../src/http/plugins/ui-frame.js";
import { registerUiIsolationRoutes } from "../../src/http/plugins/ui-isolation-routes.js";
import type { PluginRecord } from "../../src/plugins/registry/index.js";
import { hintOfPackageJson, UI_ISOLATION_HINT_KEY } from "../../src/plugins/ui/isolation.js";
import { ENGINES } from "../support/database.js";
import {
  BRIDGE_FIXTURES,
  type BridgeHost,
  copyBridgeKit,
  rawRequest,
  seedCompany,
  startBridgeHost,
  tempFolders,
} from "./fixtures/bridge/support.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());

const SDK_DIR = path.resolve(BRIDGE_FIXTURES, "../../../../../plugin-sdk");

/** bridge-kit under another plugin id, its package.json's paperclipPlugin extended with `extra`. */
function hintedKit(id: string, extra: Record<string, unknown>): string {
  const folder = copyBridgeKit(temp.make(id));
  const manifestFile = path.join(folder, "manifest.js");
  fs.writeFileSync(
    manifestFile,
    fs
      .readFileSync(manifestFile, "utf8")
      .replace('id: "bridge.kit"', `id: "${id}"`)
      .replace('displayName: "Bridge kit"', `displayName: "${id}"`),
  );
  const packageFile = path.join(folder, "package.json");
  const packageJson = JSON.parse(fs.readFileSync(packageFile, "utf8"));
  packageJson.name = `paperclip-plugin-${id.replace(/\W/g, "-")}`;
  packageJson.paperclipPlugin = { ...packageJson.paperclipPlugin, ...extra };
  fs.writeFileSync(packageFile, JSON.stringify(packageJson, null, 2));
  return folder;
}

/** The bridge-bare fixture (a worker, no UI) with our SDK linked in. */
function bareKit(): string {
  const target = path.join(temp.make("bare"), "bridge-bare");
  fs.cpSync(path.join(BRIDGE_FIXTURES, "bridge-bare"), target, { recursive: true });
  fs.mkdirSync(path.join(target, "node_modules", "@paperclipai"), { recursive: true });
  fs.symlinkSync(SDK_DIR, path.join(target, "node_modules", "@paperclipai", "plugin-sdk"), "dir");
  return target;
}

/** SSE frames of a company event stream, read with fetch. */
function openCompanyStream(url: string) {
  const controller = new AbortController();
  const frames: any[] = [];
  const opened = fetch(url, { signal: controller.signal }).then((response) => {
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    void (async () => {
      for (;;) {
        const chunk = await reader.read().catch(() => null);
        if (!chunk || chunk.done) return;
        text += decoder.decode(chunk.value, { stream: true });
        for (let end = text.indexOf("\n\n"); end >= 0; end = text.indexOf("\n\n")) {
          const data = text
            .slice(0, end)
            .split("\n")
            .find((line) => line.startsWith("data: "));
          text = text.slice(end + 2);
          if (data) frames.push(JSON.parse(data.slice(6)));
        }
      }
    })();
  });
  return { frames, opened, close: () => controller.abort() };
}

async function eventually<T>(find: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the plugin's hint in package.json", () => {
  it("reads paperclipPlugin[x-paperclip-ui-isolation]; anything else is no hint, with a reason", () => {
    expect(UI_ISOLATION_HINT_KEY).toBe("x-paperclip-ui-isolation");
    expect(hintOfPackageJson({ paperclipPlugin: { [UI_ISOLATION_HINT_KEY]: "sandboxed" } })).toEqual({
      mode: "sandboxed",
      problem: null,
    });
    expect(hintOfPackageJson({ paperclipPlugin: { [UI_ISOLATION_HINT_KEY]: "same-origin" } }).mode).toBe(
      "same-origin",
    );
    for (const empty of [{}, null, { paperclipPlugin: "x" }, { paperclipPlugin: { manifest: "./m.js" } }]) {
      expect(hintOfPackageJson(empty)).toEqual({ mode: null, problem: null });
    }
    const wrong = hintOfPackageJson({ paperclipPlugin: { [UI_ISOLATION_HINT_KEY]: "iframe" } });
    expect(wrong.mode).toBeNull();
    expect(wrong.problem).toContain('must be one of same-origin, sandboxed (got "iframe")');
  });
});

describe("the frame's Content-Security-Policy", () => {
  it("allows scripts from the runtime, the assets, the plugin's UI and blob: only; no connection; no eval", () => {
    const csp = frameContentSecurityPolicy("http://127.0.0.1:3100", "p-1");
    const directives = new Map(
      csp.split("; ").map((part) => {
        const [name, ...values] = part.split(" ");
        return [name!, values] as const;
      }),
    );
    expect(directives.get("default-src")).toEqual(["'none'"]);
    expect(directives.get("script-src")).toEqual([
      "http://127.0.0.1:3100/plugin-frame/runtime.js",
      "http://127.0.0.1:3100/assets/",
      "http://127.0.0.1:3100/_plugins/p-1/ui/",
      "blob:",
    ]);
    expect(directives.get("connect-src")).toEqual(["'none'"]);
    expect(directives.get("frame-ancestors")).toEqual(["'self'"]);
    expect(directives.get("base-uri")).toEqual(["'none'"]);
    expect(directives.get("form-action")).toEqual(["'none'"]);
    expect(directives.get("object-src")).toEqual(["'none'"]);
    expect(directives.get("sandbox")).toContain("allow-scripts");
    expect(directives.get("sandbox")).not.toContain("allow-same-origin");
    expect(csp).not.toContain("unsafe-eval");
    expect(directives.get("script-src")).not.toContain("'unsafe-inline'");
    expect(() => frameContentSecurityPolicy("http://x; script-src *", "p")).toThrow(TypeError);
  });
});

describe.each(ENGINES)("plugin UI isolation on %s", (engine) => {
  let host: BridgeHost;
  let kit: PluginRecord;
  let companyId: string;
  let otherCompanyId: string;

  beforeAll(async () => {
    host = await startBridgeHost(engine);
    companyId = (await seedCompany(host.services, "Acme")).company.id;
    otherCompanyId = (await host.services.companies.create(LOCAL_BOARD_ACTOR, { name: "Globex" })).id;
    kit = await host.install(copyBridgeKit(temp.make("kit")));
  });
  afterAll(async () => {
    await host?.close();
  });

  const isolation = (pluginId: string) => `/api/plugins/${pluginId}/ui-isolation`;
  const contributionOf = async (pluginId: string) =>
    (await host.request("GET", "/api/plugins/ui-contributions")).body.find(
      (item: { pluginId: string }) => item.pluginId === pluginId,
    );

  it("is same-origin by default, in the contributions and the isolation route", async () => {
    expect((await contributionOf(kit.id)).uiIsolation).toBe("same-origin");
    const response = await host.request("GET", isolation(kit.id));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      pluginId: kit.id,
      pluginKey: "bridge.kit",
      mode: "same-origin",
      source: "default",
      operatorMode: null,
      pluginHint: null,
      pluginHintProblem: null,
      updatedAt: null,
      updatedBy: null,
    });
    // By plugin key too.
    expect((await host.request("GET", isolation("bridge.kit"))).body.pluginId).toBe(kit.id);
  });

  it("takes the admin's choice: contributions, activity in every company, plugin.ui.updated", async () => {
    const stream = openCompanyStream(`${host.baseUrl}/api/companies/${companyId}/events/stream`);
    await stream.opened;
    try {
      const set = await host.request("PUT", isolation(kit.id), { mode: "sandboxed" });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({
        mode: "sandboxed",
        source: "operator",
        operatorMode: "sandboxed",
        updatedBy: "local-board",
      });
      expect(Number.isNaN(Date.parse(set.body.updatedAt))).toBe(false);
      expect((await host.request("GET", isolation(kit.id))).body).toEqual(set.body);
      expect((await contributionOf(kit.id)).uiIsolation).toBe("sandboxed");

      const update = await eventually(
        () =>
          stream.frames.find(
            (frame) => frame.type === "plugin.ui.updated" && frame.payload?.action === "ui_isolation_changed",
          ),
        "plugin.ui.updated",
      );
      expect(update.payload.pluginId).toBe(kit.id);

      for (const company of [companyId, otherCompanyId]) {
        const rows = await host.services.activity.list(company, { entityType: "plugin", entityId: kit.id });
        const row = rows.find((item) => item.action === "plugin.ui_isolation.updated");
        expect(row?.details, company).toMatchObject({
          pluginKey: "bridge.kit",
          mode: "sandboxed",
          source: "operator",
          operatorMode: "sandboxed",
          previousMode: "same-origin",
        });
        expect(row?.actorId).toBe("local-board");
      }
    } finally {
      stream.close();
    }
  });

  it("forgets the choice with null (back to the default) and switches back and forth", async () => {
    expect((await host.request("PUT", isolation(kit.id), { mode: "same-origin" })).body.mode).toBe(
      "same-origin",
    );
    expect((await contributionOf(kit.id)).uiIsolation).toBe("same-origin");
    const cleared = await host.request("PUT", isolation(kit.id), { mode: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({
      mode: "same-origin",
      source: "default",
      operatorMode: null,
      updatedAt: null,
    });
    const rows = await host.services.db.orm.select().from(pluginUiIsolation);
    expect(rows.filter((row) => row.pluginId === kit.id)).toEqual([]);
  });

  it("answers bad input with 400 naming the field, unknown plugins with 404", async () => {
    const cases: Array<[unknown, string]> = [
      [{ mode: "iframe" }, "mode"],
      [{ mode: 1 }, "mode"],
      [{}, "mode"],
      [{ mode: "sandboxed", extra: true }, "extra"],
      [[], "body"],
    ];
    for (const [body, field] of cases) {
      const response = await host.request("PUT", isolation(kit.id), body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error, JSON.stringify(body)).toContain(field);
    }
    const noJson = await fetch(`${host.baseUrl}${isolation(kit.id)}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: "{mode:",
    });
    expect(noJson.status).toBe(400);
    for (const method of ["GET", "PUT"]) {
      const response = await host.request(
        method,
        isolation("no.such.plugin"),
        method === "PUT" ? { mode: null } : undefined,
      );
      expect(response.status).toBe(404);
      expect(response.body.error).toBe("Plugin not found");
    }
    expect((await host.request("GET", isolation(kit.id))).body.mode).toBe("same-origin");
  });

  it("is the instance admin's: other board users get 403 reading or choosing", async () => {
    const viewer: FastifyInstance = await buildApp({
      db: host.services.db,
      config: { deploymentMode: "local_trusted", bodyLimitBytes: 64 * 1024 },
      logger: false,
      services: host.services,
      resolveActor: () => ({ type: "user", id: "viewer", userId: "viewer", isInstanceAdmin: false }),
    });
    registerUiIsolationRoutes(viewer, { registry: host.runtime.registry, services: host.services });
    try {
      for (const [method, payload] of [
        ["GET", undefined],
        ["PUT", { mode: "sandboxed" }],
      ] as const) {
        const response = await viewer.inject({ method, url: isolation(kit.id), payload });
        expect(response.statusCode, method).toBe(403);
        expect(response.json().error, method).toContain("Instance admin access required");
      }
      expect((await host.request("GET", isolation(kit.id))).body.mode).toBe("same-origin");
    } finally {
      await viewer.close();
    }
  });

  it("follows the plugin's hint unless the admin chose; an invalid hint is ignored with its reason", async () => {
    const hinted = await host.install(hintedKit("bridge.hinted", { [UI_ISOLATION_HINT_KEY]: "sandboxed" }));
    expect((await host.request("GET", isolation(hinted.id))).body).toMatchObject({
      mode: "sandboxed",
      source: "plugin",
      pluginHint: "sandboxed",
      operatorMode: null,
    });
    expect((await contributionOf(hinted.id)).uiIsolation).toBe("sandboxed");
    // The admin's same-origin wins over the plugin's sandboxed; null gives the plugin its say again.
    await host.request("PUT", isolation(hinted.id), { mode: "same-origin" });
    expect((await contributionOf(hinted.id)).uiIsolation).toBe("same-origin");
    expect((await host.request("GET", isolation(hinted.id))).body).toMatchObject({
      mode: "same-origin",
      source: "operator",
      pluginHint: "sandboxed",
    });
    await host.request("PUT", isolation(hinted.id), { mode: null });
    expect((await contributionOf(hinted.id)).uiIsolation).toBe("sandboxed");

    const wrong = await host.install(hintedKit("bridge.wrong-hint", { [UI_ISOLATION_HINT_KEY]: "iframe" }));
    const state = (await host.request("GET", isolation(wrong.id))).body;
    expect(state).toMatchObject({ mode: "same-origin", source: "default", pluginHint: null });
    expect(state.pluginHintProblem).toContain(`paperclipPlugin["${UI_ISOLATION_HINT_KEY}"] must be one of`);
  });

  it("drops the admin's choice with the plugin (purge)", async () => {
    const doomed = await host.install(hintedKit("bridge.doomed", {}));
    await host.request("PUT", isolation(doomed.id), { mode: "sandboxed" });
    const before = await host.services.db.orm.select().from(pluginUiIsolation);
    expect(before.some((row) => row.pluginId === doomed.id)).toBe(true);
    await host.runtime.lifecycle.uninstall(doomed.id, true, { actor: LOCAL_BOARD_ACTOR });
    const after = await host.services.db.orm.select().from(pluginUiIsolation);
    expect(after.some((row) => row.pluginId === doomed.id)).toBe(false);
    expect((await host.request("GET", isolation(doomed.id))).status).toBe(404);
  });

  it("serves the frame document with its CSP; 404 without a UI, 403 when not ready", async () => {
    const response = await rawRequest(host.port, "GET", `/_plugins/${kit.id}/ui-frame?v=1`);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.headers["content-security-policy"]).toBe(
      frameContentSecurityPolicy(`http://127.0.0.1:${host.port}`, kit.id),
    );
    expect(response.text).toContain('<script type="module" src="/plugin-frame/runtime.js"></script>');
    expect(response.text).toContain('<div id="plugin-root"></div>');
    expect(response.text).toContain("<title>Bridge kit (sandboxed)</title>");
    // The document itself is never served to another page's script (no CORS), only framed by the board.
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();

    const bare = await host.install(bareKit());
    const noUi = await rawRequest(host.port, "GET", `/_plugins/${bare.id}/ui-frame`);
    expect(noUi.status).toBe(404);
    expect(JSON.parse(noUi.text).error).toContain("declares no UI (entrypoints.ui)");
    expect((await rawRequest(host.port, "GET", "/_plugins/no.such.plugin/ui-frame")).status).toBe(404);

    await host.runtime.lifecycle.disable(kit.id, "testing", { actor: LOCAL_BOARD_ACTOR });
    try {
      const disabled = await rawRequest(host.port, "GET", `/_plugins/${kit.id}/ui-frame`);
      expect(disabled.status).toBe(403);
      expect(JSON.parse(disabled.text).error).toBe("Plugin is not ready (current status: disabled)");
    } finally {
      await host.runtime.lifecycle.enable(kit.id, { actor: LOCAL_BOARD_ACTOR });
    }
  });

  it("lets an opaque-origin frame load the plugin's UI files (CORS) but not call the API", async () => {
    const file = await rawRequest(host.port, "GET", `/_plugins/${kit.id}/ui/index.js?v=1`, {
      origin: "null",
    });
    expect(file.status).toBe(200);
    expect(file.headers["access-control-allow-origin"]).toBe("*");
    for (const [method, url] of [
      ["GET", `/_plugins/${kit.id}/ui/index.js?companyId=${companyId}`],
      ["GET", "/api/plugins/ui-contributions"],
      ["GET", isolation(kit.id)],
      ["POST", `/api/plugins/${kit.id}/data/echo`],
      ["GET", `/api/companies/${companyId}/issues`],
    ] as const) {
      const response = await rawRequest(host.port, method, url, { origin: "null" });
      expect(response.status, `${method} ${url}`).toBe(403);
      expect(JSON.parse(response.text).error).toContain('Origin "null"');
    }
  });
});
