// Failure handling with real worker processes: a worker that crashes on start leaves the plugin in `error` with
// the reason and its stderr; a running worker that falls into a crash loop ends in `error` too (the original
// kept saying "ready"); a host restart re-activates ready plugins, and one that cannot start goes to `error`.
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ENGINES, openTestDatabase } from "../support/database.js";
import {
  copyFixture,
  createCompanies,
  eventually,
  fixturePackage,
  pluginActivity,
  processAlive,
  type RuntimeHost,
  startRuntimeHost,
  tempFolders,
} from "./fixtures/runtime/support.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());

describe.each(ENGINES)("plugin failures on %s", (engine) => {
  const hosts: RuntimeHost[] = [];
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((host) => host.close()));
  });
  async function host(options: Parameters<typeof startRuntimeHost>[1] = {}) {
    const started = await startRuntimeHost(engine, options);
    hosts.push(started);
    return started;
  }

  it("puts a plugin whose worker crashes on start into error, with the reason and its stderr", async () => {
    const h = await host();
    const [companyId] = await createCompanies(h.services, ["Crashy Co"]);
    const response = await h.request("POST", "/api/plugins/install", {
      packageName: fixturePackage("crash-on-start"),
      isLocalPath: true,
    });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe("error");
    expect(response.body.lastError).toMatch(
      /^Activation failed: Worker for plugin "runtime\.crash-on-start" failed to start 3 times/,
    );
    expect(response.body.lastError).toContain("exited unexpectedly (code 3)");
    expect(response.body.lastError).toContain("fatal: cannot open ./settings.toml (ENOENT)");
    expect(h.runtime.workers.isRunning(response.body.id)).toBe(false);

    const health = (await h.request("GET", `/api/plugins/${response.body.id}/health`)).body;
    expect(health.healthy).toBe(false);
    expect(health.lastError).toBe(response.body.lastError);
    expect(health.checks.find((c: { name: string }) => c.name === "error_state")).toMatchObject({
      passed: false,
    });
    expect(await pluginActivity(h.services, companyId!, response.body.id)).toEqual([
      { action: "plugin.error", details: expect.objectContaining({ operation: "plugin.installed" }) },
    ]);

    // Enabling again retries cleanly (no "already registered" zombie) and fails the same way: 400 with the reason.
    const retry = await h.request("POST", `/api/plugins/${response.body.id}/enable`);
    expect(retry.status).toBe(400);
    expect(retry.body.error).toMatch(/^Activation failed: .*exited unexpectedly \(code 3\)/s);
    expect(retry.body.details).toMatchObject({ pluginId: response.body.id, status: "error" });
    const after = (await h.request("GET", `/api/plugins/${response.body.id}`)).body;
    expect(after).toMatchObject({ status: "error", lastError: retry.body.error });
  });

  it("marks a running plugin that falls into a crash loop as error with the last stderr lines", async () => {
    const h = await host();
    const folder = copyFixture("basic-plugin", temp.make("crash-loop"));
    const installed = (
      await h.request("POST", "/api/plugins/install", { packageName: folder, isLocalPath: true })
    ).body;
    expect(installed.status).toBe("ready");
    // The action writes `break-start` and exits: every restart now dies before initialize.
    await h.runtime.callPlugin(installed.id, "performAction", { key: "break", params: {} }, null);
    const failed = await eventually(async () => {
      const record = (await h.request("GET", `/api/plugins/${installed.id}`)).body;
      return record.status === "error" ? record : null;
    }, "the crash loop to put the plugin into error");
    expect(failed.lastError).toMatch(/crashed 3 times in a row; not restarting/);
    expect(failed.lastError).toContain("fatal: break-start is present, refusing to start");
    expect(h.runtime.workers.isRunning(installed.id)).toBe(false);

    // Fixed on disk (in its data folder, the one place the sandbox lets it write), an operator enable brings it back.
    const { dataDir } = (await h.request("GET", `/api/plugins/${installed.id}/sandbox`)).body;
    fs.rmSync(path.join(dataDir, "break-start"));
    const enabled = await h.request("POST", `/api/plugins/${installed.id}/enable`);
    expect(enabled.body).toMatchObject({ status: "ready", lastError: null });
  });

  it("re-activates ready plugins when the host restarts, leaves disabled ones alone, and handles a vanished folder", async () => {
    const database = await openTestDatabase(engine);
    try {
      const dataDir = temp.make("restart-instance");
      const keep = copyFixture("basic-plugin", temp.make("restart-keep"));
      const vanish = copyFixture("basic-plugin", temp.make("restart-vanish"), { id: "runtime.vanishing" });
      const idle = copyFixture("basic-plugin", temp.make("restart-idle"), { id: "runtime.idle" });

      const first = await host({ database, dataDir });
      const install = async (dir: string) =>
        (await first.request("POST", "/api/plugins/install", { packageName: dir, isLocalPath: true })).body;
      const kept = await install(keep);
      const vanishing = await install(vanish);
      const disabled = await install(idle);
      await first.request("POST", `/api/plugins/${disabled.id}/disable`, { reason: "not needed" });
      const oldPid = first.runtime.workers.diagnostics(kept.id)!.pid!;
      await first.close();
      hosts.splice(hosts.indexOf(first), 1);
      expect(processAlive(oldPid)).toBe(false);

      fs.rmSync(vanish, { recursive: true, force: true });
      const second = await host({ database, dataDir, start: true });
      const keptNow = (await second.request("GET", `/api/plugins/${kept.id}`)).body;
      expect(keptNow.status).toBe("ready");
      const newPid = second.runtime.workers.diagnostics(kept.id)?.pid;
      expect(newPid).toBeGreaterThan(0);
      expect(newPid).not.toBe(oldPid);
      expect((await second.request("GET", `/api/plugins/${disabled.id}`)).body.status).toBe("disabled");
      expect(second.runtime.workers.isRunning(disabled.id)).toBe(false);
      const broken = (await second.request("GET", `/api/plugins/${vanishing.id}`)).body;
      if (engine === "postgres") {
        // On PostgreSQL the installed version is also kept as an artifact in the database (docs/scale-out.md): the
        // node restores its copy from there and the plugin keeps running.
        expect(broken.status).toBe("ready");
        expect(second.runtime.workers.isRunning(vanishing.id)).toBe(true);
      } else {
        expect(broken.status).toBe("error");
        expect(broken.lastError).toMatch(
          /^Activation failed: Plugin runtime\.vanishing: the worker .* is missing/,
        );
      }
    } finally {
      await Promise.all(hosts.splice(0).map((h) => h.close()));
      await database.dispose();
    }
  });
});
