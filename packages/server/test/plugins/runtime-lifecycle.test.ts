// The lifecycle through the HTTP routes with real worker processes: install from a local path, enable and
// disable (with reason), illegal transitions, two concurrent enables, upgrade with capability growth,
// soft uninstall and reinstall, purge. Every change writes one activity row per company.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "../support/database.js";
import {
  copyFixture,
  createCompanies,
  editManifest,
  eventually,
  HELLO_WORLD_DIR,
  pluginActivity,
  processAlive,
  type RuntimeHost,
  startRuntimeHost,
  tempFolders,
} from "./fixtures/runtime/support.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());

describe.each(ENGINES)("plugin lifecycle on %s", (engine) => {
  let host: RuntimeHost;
  let companies: string[];
  let helloId: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(HELLO_WORLD_DIR, "dist", "worker.js"))) {
      throw new Error("examples/hello-world is not built: run `npx tsc -b` before these tests");
    }
    host = await startRuntimeHost(engine);
    companies = await createCompanies(host.services, ["Alpha", "Beta"]);
  });
  afterAll(async () => host?.close());

  const workerPid = async (pluginId: string): Promise<number | null> =>
    (await host.request("GET", `/api/plugins/${pluginId}/dashboard`)).body.worker?.pid ?? null;

  it("installs examples/hello-world from its local path and runs its worker", async () => {
    const response = await host.request("POST", "/api/plugins/install", {
      packageName: HELLO_WORLD_DIR,
      isLocalPath: true,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const plugin = response.body;
    helloId = plugin.id;
    expect(plugin).toMatchObject({
      pluginKey: "paperclip.hello-world",
      packageName: "paperclip-plugin-hello-world",
      status: "ready",
      apiVersion: 1,
      categories: ["automation"],
      packagePath: HELLO_WORLD_DIR,
      packageDir: HELLO_WORLD_DIR,
      source: "local",
      lastError: null,
    });
    expect(plugin.manifestJson.id).toBe("paperclip.hello-world");
    const pid = await workerPid(helloId);
    expect(pid).toBeGreaterThan(0);
    expect(processAlive(pid!)).toBe(true);
    // The worker answers a real call routed through the runtime.
    const pong = await host.runtime.callPlugin<{ pong: boolean; companyId: string }>(
      helloId,
      "performAction",
      { key: "ping", companyId: companies[0], params: { message: "hi" } },
      companies[0]!,
    );
    expect(pong).toMatchObject({ pong: true, echo: "hi" });
    for (const companyId of companies) {
      expect(await pluginActivity(host.services, companyId, helloId)).toEqual([
        {
          action: "plugin.installed",
          details: expect.objectContaining({ pluginKey: "paperclip.hello-world", status: "ready" }),
        },
      ]);
    }
  });

  it("shows the plugin by id and by key, and in the list", async () => {
    const byKey = await host.request("GET", "/api/plugins/paperclip.hello-world");
    expect(byKey.status).toBe(200);
    expect(byKey.body).toMatchObject({ id: helloId, supportsConfigTest: false });
    expect((await host.request("GET", `/api/plugins/${helloId}`)).body.pluginKey).toBe(
      "paperclip.hello-world",
    );
    const list = await host.request("GET", "/api/plugins");
    expect(list.body.map((p: { id: string }) => p.id)).toContain(helloId);
    const ready = await host.request("GET", "/api/plugins?status=ready");
    expect(ready.body.map((p: { id: string }) => p.id)).toContain(helloId);
  });

  it("refuses to install the same plugin twice (409) and leaves it running", async () => {
    const pid = await workerPid(helloId);
    const again = await host.request("POST", "/api/plugins/install", {
      packageName: HELLO_WORLD_DIR,
      isLocalPath: true,
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/paperclip\.hello-world is already installed \(status ready/);
    expect(await workerPid(helloId)).toBe(pid);
  });

  it("disables with a reason (kept in lastError) and stops the worker", async () => {
    const pid = (await workerPid(helloId))!;
    const response = await host.request("POST", `/api/plugins/${helloId}/disable`, {
      reason: "maintenance window",
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: "disabled", lastError: "maintenance window" });
    expect(await workerPid(helloId)).toBeNull();
    await eventually(() => !processAlive(pid), "the disabled plugin's worker to exit");
    const last = (await pluginActivity(host.services, companies[1]!, helloId)).at(-1);
    expect(last).toEqual({
      action: "plugin.disabled",
      details: expect.objectContaining({ reason: "maintenance window" }),
    });
  });

  it("refuses illegal transitions with the lifecycle message", async () => {
    const again = await host.request("POST", `/api/plugins/${helloId}/disable`, {});
    expect(again.status).toBe(400);
    expect(again.body.error).toBe(
      "Invalid lifecycle transition: disabled → disabled for plugin paperclip.hello-world",
    );
    const upgrade = await host.request("POST", `/api/plugins/${helloId}/upgrade`, {});
    expect(upgrade.status).toBe(400);
    expect(upgrade.body.error).toMatch(
      /Cannot upgrade plugin paperclip\.hello-world: its status is disabled/,
    );
  });

  it("lets exactly one of two concurrent enables win, with one worker and one activity row per company", async () => {
    const before = (await pluginActivity(host.services, companies[0]!, helloId)).length;
    const [a, b] = await Promise.all([
      host.request("POST", `/api/plugins/${helloId}/enable`),
      host.request("POST", "/api/plugins/paperclip.hello-world/enable"),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(200);
    expect([400, 409]).toContain(statuses[1]);
    const loser = a.status === 200 ? b : a;
    expect(loser.body.error).toMatch(/paperclip\.hello-world/);
    const record = (await host.request("GET", `/api/plugins/${helloId}`)).body;
    expect(record).toMatchObject({ status: "ready", lastError: null });
    expect(host.runtime.workers.runningIds().filter((id) => id === helloId)).toHaveLength(1);
    expect(processAlive((await workerPid(helloId))!)).toBe(true);
    for (const companyId of companies) {
      const added = (await pluginActivity(host.services, companyId, helloId)).slice(before);
      expect(added.map((row) => row.action)).toEqual(["plugin.enabled"]);
    }
  });

  it("answers a real health check: status, worker, a live ping and the database", async () => {
    const health = await host.request("GET", `/api/plugins/${helloId}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ pluginId: helloId, status: "ready", healthy: true });
    const names = health.body.checks.map((check: { name: string }) => check.name);
    expect(names).toEqual([
      "registry",
      "manifest",
      "status",
      "error_state",
      "worker",
      "worker_ping",
      "database",
    ]);
    const ping = health.body.checks.find((check: { name: string }) => check.name === "worker_ping");
    expect(ping.message).toMatch(/Hello World is running/);
    const dashboard = (await host.request("GET", `/api/plugins/${helloId}/dashboard`)).body;
    expect(dashboard).toMatchObject({
      pluginId: helloId,
      worker: { status: "running", consecutiveCrashes: 0, totalCrashes: 0, pendingRequests: 0 },
      recentJobRuns: [],
      recentWebhookDeliveries: [],
      health: { healthy: true },
    });
    expect(new Date(dashboard.checkedAt).toISOString()).toBe(dashboard.checkedAt);
  });

  it("holds an upgrade that adds capabilities in upgrade_pending until enable approves it", async () => {
    const v1 = copyFixture("basic-plugin", temp.make("upgrade"), { version: "1.0.0" });
    const installed = await host.request("POST", "/api/plugins/install", {
      packageName: v1,
      isLocalPath: true,
    });
    expect(installed.status, JSON.stringify(installed.body)).toBe(200);
    const id = installed.body.id;
    expect(installed.body).toMatchObject({ status: "ready", version: "1.0.0", pluginKey: "runtime.basic" });
    expect(installed.body.methodTimeouts).toEqual({});

    // Same capabilities, new version: straight back to ready on a new worker.
    const firstPid = (await workerPid(id))!;
    editManifest(v1, { version: "1.0.1" });
    const quiet = await host.request("POST", `/api/plugins/${id}/upgrade`, {});
    expect(quiet.status, JSON.stringify(quiet.body)).toBe(200);
    expect(quiet.body).toMatchObject({ status: "ready", version: "1.0.1", lastError: null });
    const secondPid = (await workerPid(id))!;
    expect(secondPid).not.toBe(firstPid);

    // New capability: stopped, pending approval, reason says which capability.
    editManifest(v1, {
      version: "1.1.0",
      capabilities: ["plugin.state.read", "plugin.state.write", "issues.read"],
    });
    const grown = await host.request("POST", `/api/plugins/runtime.basic/upgrade`, {});
    expect(grown.status).toBe(200);
    expect(grown.body).toMatchObject({ status: "upgrade_pending", version: "1.1.0" });
    expect(grown.body.lastError).toMatch(/adds capabilities: issues\.read/);
    expect(await workerPid(id)).toBeNull();
    const upgraded = (await pluginActivity(host.services, companies[0]!, id)).at(-1);
    expect(upgraded).toEqual({
      action: "plugin.upgraded",
      details: expect.objectContaining({
        fromVersion: "1.0.1",
        toVersion: "1.1.0",
        addedCapabilities: ["issues.read"],
      }),
    });

    const approved = await host.request("POST", `/api/plugins/${id}/enable`);
    expect(approved.body).toMatchObject({ status: "ready", version: "1.1.0", lastError: null });
    expect(approved.body.manifestJson.capabilities).toContain("issues.read");
    expect(processAlive((await workerPid(id))!)).toBe(true);
  });

  it("refuses an upgrade whose package is another plugin", async () => {
    const dir = copyFixture("basic-plugin", temp.make("other-id"), { version: "2.0.0" });
    const installed = await host.request("POST", "/api/plugins/install", {
      packageName: dir,
      isLocalPath: true,
    });
    expect(installed.status).toBe(409); // runtime.basic is already installed from another folder
    const record = (await host.request("GET", "/api/plugins/runtime.basic")).body;
    const folder = record.packageDir;
    editManifest(folder, { id: "runtime.renamed" });
    const response = await host.request("POST", "/api/plugins/runtime.basic/upgrade", {});
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/is plugin runtime\.renamed, not runtime\.basic/);
    editManifest(folder, { id: "runtime.basic" });
    expect((await host.request("GET", "/api/plugins/runtime.basic")).body.status).toBe("ready");
  });

  it("routes a worker→host state round trip and replays stored configs after a restart", async () => {
    const id = (await host.request("GET", "/api/plugins/runtime.basic")).body.id;
    const roundTrip = (params: unknown) =>
      host.runtime.callPlugin(id, "performAction", { key: "state-roundtrip", params }, null);
    expect(await roundTrip({ key: "answer", value: { n: 42 } })).toEqual({ value: { n: 42 } });
    expect(await roundTrip({ key: "nothing", value: null })).toEqual({ value: null });

    const saved = await host.request("POST", "/api/plugins/runtime.basic/config", {
      companyId: companies[0],
      configJson: { greeting: "hello" },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const configsOf = async () =>
      (
        await host.runtime.callPlugin<{ configs: unknown[] }>(
          id,
          "performAction",
          { key: "configs", params: {} },
          null,
        )
      ).configs;
    expect(await configsOf()).toContainEqual({ companyId: companies[0], config: { greeting: "hello" } });

    const before = await workerPid(id);
    await host.runtime.access.restartWorker(id);
    expect(await workerPid(id)).not.toBe(before);
    // A fresh process starts with an empty bootstrap config and gets every stored config replayed.
    expect(await configsOf()).toEqual([{ companyId: companies[0], config: { greeting: "hello" } }]);
  });

  it("purges a plugin's data with its row (cascade)", async () => {
    const id = (await host.request("GET", "/api/plugins/runtime.basic")).body.id;
    const count = async (table: string) =>
      Number(
        (
          await host.database.db.query<{ n: string }>(
            `count_${table}`,
            `SELECT count(*) AS n FROM ${table} WHERE plugin_id = $1`,
            [id],
          )
        )[0]!.n,
      );
    expect(await count("plugin_state")).toBeGreaterThan(0);
    expect(await count("plugin_config")).toBe(1);
    const purged = await host.request("DELETE", "/api/plugins/runtime.basic?purge=true");
    expect(purged.status).toBe(200);
    expect(await count("plugin_state")).toBe(0);
    expect(await count("plugin_config")).toBe(0);
    expect((await host.request("GET", "/api/plugins/runtime.basic")).status).toBe(404);
  });

  it("uninstalls softly, keeps the row, and revives the same plugin id on reinstall", async () => {
    const pid = (await workerPid(helloId))!;
    const removed = await host.request("DELETE", `/api/plugins/${helloId}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id: helloId, status: "uninstalled" });
    await eventually(() => !processAlive(pid), "the uninstalled plugin's worker to exit");
    expect((await host.request("GET", "/api/plugins")).body.map((p: { id: string }) => p.id)).not.toContain(
      helloId,
    );
    const uninstalled = (await host.request("GET", "/api/plugins?status=uninstalled")).body;
    expect(uninstalled.map((p: { id: string }) => p.id)).toContain(helloId);

    const again = await host.request("DELETE", `/api/plugins/${helloId}`);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe(
      "Invalid lifecycle transition: uninstalled → uninstalled for plugin paperclip.hello-world",
    );
    expect((await host.request("POST", `/api/plugins/${helloId}/enable`)).status).toBe(400);

    const reinstalled = await host.request("POST", "/api/plugins/install", {
      packageName: HELLO_WORLD_DIR,
      isLocalPath: true,
    });
    expect(reinstalled.status).toBe(200);
    expect(reinstalled.body).toMatchObject({ id: helloId, status: "ready" });
    const actions = (await pluginActivity(host.services, companies[0]!, helloId)).map((row) => row.action);
    expect(actions.slice(-2)).toEqual(["plugin.uninstalled", "plugin.installed"]);
  });

  it("purges: the row is gone and the plugin is unknown afterwards", async () => {
    const pid = (await workerPid(helloId))!;
    const purged = await host.request("DELETE", `/api/plugins/${helloId}?purge=true`);
    expect(purged.status).toBe(200);
    expect(purged.body).toMatchObject({ id: helloId, status: "uninstalled" });
    await eventually(() => !processAlive(pid), "the purged plugin's worker to exit");
    expect((await host.request("GET", `/api/plugins/${helloId}`)).status).toBe(404);
    expect(await host.runtime.registry.find(helloId)).toBeNull();
    // A local folder is never deleted by a purge.
    expect(fs.existsSync(path.join(HELLO_WORLD_DIR, "package.json"))).toBe(true);
    const last = (await pluginActivity(host.services, companies[0]!, helloId)).at(-1);
    expect(last).toEqual({ action: "plugin.uninstalled", details: expect.objectContaining({ purge: true }) });
  });
});
