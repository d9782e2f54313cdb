// Config saves that cannot hurt, over real HTTP with a real worker (fixtures/config/config-kit, our SDK): the save
// answers before the worker restart; a restart the new config makes fail holds that config back and brings the
// worker back with the configs that worked (the plugin stays ready and serves the other company); DELETE config;
// secret ids given as plain strings; an Error in log meta; enable of a worker that cannot start (400);
// supportsConfigTest on install and list.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUuidStrings } from "../../src/plugins/config/schema.js";
import { ENGINES } from "../support/database.js";
import {
  type BridgeHost,
  eventually,
  seedCompany,
  startBridgeHost,
  tempFolders,
} from "./fixtures/bridge/support.js";

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures/config/config-kit");
const SDK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../plugin-sdk");
const KEY = "fixtures.config-kit";

function copyConfigKit(parent: string): string {
  const target = path.join(parent, "config-kit");
  fs.cpSync(FIXTURE, target, { recursive: true });
  const scope = path.join(target, "node_modules", "@paperclipai");
  fs.mkdirSync(scope, { recursive: true });
  fs.symlinkSync(SDK_DIR, path.join(scope, "plugin-sdk"), "dir");
  return target;
}

describe.each(ENGINES)("config saves that cannot hurt (%s)", (engine) => {
  const temp = tempFolders();
  let host: BridgeHost;
  let folder: string;
  let pluginId: string;
  let acme: string;
  let globex: string;

  const configPath = `/api/plugins/${KEY}/config`;
  const state = async (companyId: string) => {
    const response = await host.request("POST", `/api/plugins/${KEY}/data/state`, {
      companyId,
      params: { companyId },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.data as { pid: number; setupConfig: unknown; companyConfig: unknown };
  };
  const savedConfig = async (companyId: string) =>
    (await host.request("GET", `${configPath}?companyId=${companyId}`)).body;
  const health = async () => (await host.request("GET", `/api/plugins/${KEY}/health`)).body;
  const running = () => host.runtime.workers.diagnostics(pluginId)?.status === "running";

  beforeAll(async () => {
    host = await startBridgeHost(engine);
    acme = (await seedCompany(host.services, "Acme")).company.id;
    globex = (await seedCompany(host.services, "Globex")).company.id;
    folder = copyConfigKit(temp.make("config-kit"));
    const installed = await host.request("POST", "/api/plugins/install", {
      packageName: folder,
      isLocalPath: true,
    });
    expect(installed.status).toBe(200);
    expect(installed.body).toMatchObject({ status: "ready", supportsConfigTest: true });
    pluginId = installed.body.id;
  });

  afterAll(async () => {
    await host?.close();
    temp.cleanup();
  });

  it("answers supportsConfigTest in the plugin list as in GET …/:pluginId", async () => {
    const list = (await host.request("GET", "/api/plugins")).body as Array<Record<string, unknown>>;
    expect(list.find((plugin) => plugin.id === pluginId)).toMatchObject({ supportsConfigTest: true });
    expect((await host.request("GET", `/api/plugins/${KEY}`)).body.supportsConfigTest).toBe(true);
  });

  it("applies a save behind the answer: the worker restarts and its setup() reads the config", async () => {
    const before = (await state(acme)).pid;
    const saved = await host.request("POST", configPath, {
      companyId: globex,
      configJson: { greeting: "hello" },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      companyId: globex,
      configJson: { greeting: "hello" },
      lastError: null,
    });
    const after = await eventually(async () => {
      if (!running()) return null;
      const now = await state(acme);
      return now.pid !== before ? now : null;
    }, "the worker restarted with the new config");
    expect(after.setupConfig).toEqual({ greeting: "hello" });
    expect((await savedConfig(globex)).lastError).toBeNull();
  });

  it("holds back a config whose restart fails and keeps serving every company with the configs that worked", async () => {
    const saved = await host.request("POST", configPath, {
      companyId: globex,
      configJson: { explode: true },
    });
    // The answer does not wait for the restart (which fails three times before the host gives up on it).
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ configJson: { explode: true }, lastError: null });

    const held = await eventually(async () => {
      const row = await savedConfig(globex);
      return row.lastError ? row : null;
    }, "the failed restart recorded on the company's config row");
    expect(held.configJson).toEqual({ explode: true });
    expect(held.lastError).toMatch(/made the worker fail to start, so it is not applied/);
    expect(held.lastError).toContain("runs with this company's previous config");
    expect(held.lastError).toContain("explode is set in the config");

    // Back with the previous config: ready for every company, Globex served with what worked.
    await eventually(running, "the worker running again with the configs that worked");
    const record = (await host.request("GET", `/api/plugins/${KEY}`)).body;
    expect(record).toMatchObject({ status: "ready", lastError: null });
    expect(await state(acme)).toMatchObject({ setupConfig: { greeting: "hello" }, companyConfig: {} });
    expect(await state(globex)).toMatchObject({ companyConfig: { greeting: "hello" } });

    const report = await health();
    expect(report.healthy).toBe(false);
    const check = report.checks.find((c: { name: string }) => c.name === "config");
    expect(check).toMatchObject({ passed: false });
    expect(check.message).toContain(`company ${globex} (config held back)`);
    expect(check.message).toContain("explode is set in the config");

    // A config test says what is wrong before saving.
    const test = await host.request("POST", `${configPath}/test`, {
      companyId: globex,
      configJson: { explode: true },
    });
    expect(test.body).toEqual({ valid: false, message: "explode is set" });
  });

  it("applies the next good save and clears the held-back state", async () => {
    const saved = await host.request("POST", configPath, {
      companyId: globex,
      configJson: { greeting: "again" },
    });
    expect(saved.status).toBe(200);
    await eventually(async () => {
      if (!running()) return false;
      const setup = (await state(acme)).setupConfig as { greeting?: string } | null;
      return setup?.greeting === "again";
    }, "the worker restarted with the new config");
    expect((await savedConfig(globex)).lastError).toBeNull();
    const report = await health();
    expect(report.checks.find((c: { name: string }) => c.name === "config")).toBeUndefined();
  });

  it("deletes a company's config: 200 with the row, activity, the worker told by a restart; 404 after; 400 without companyId", async () => {
    const before = (await state(globex)).pid;
    const removed = await host.request("DELETE", `${configPath}?companyId=${globex}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ companyId: globex, configJson: { greeting: "again" } });
    expect(await savedConfig(globex)).toBeNull();
    const again = await host.request("DELETE", `${configPath}?companyId=${globex}`);
    expect(again).toMatchObject({
      status: 404,
      body: { error: `Plugin ${KEY} has no config for company ${globex}` },
    });
    const noCompany = await host.request("DELETE", configPath);
    expect(noCompany).toMatchObject({
      status: 400,
      body: { error: '"companyId" query parameter is required' },
    });
    const after = await eventually(async () => {
      if (!running()) return null;
      const now = await state(globex);
      return now.pid !== before ? now : null;
    }, "the worker restarted without the deleted config");
    expect(after).toMatchObject({ setupConfig: {}, companyConfig: {} });
    const activity = await host.services.activity.list(globex, { entityType: "plugin", entityId: pluginId });
    expect(activity.find((row) => row.action === "plugin.config.deleted")?.details).toMatchObject({
      pluginKey: KEY,
      keys: ["greeting"],
    });
  });

  it("holds back a first config (none before it): the worker runs without a config for that company", async () => {
    const saved = await host.request("POST", configPath, { companyId: acme, configJson: { explode: true } });
    expect(saved.status).toBe(200);
    const held = await eventually(async () => {
      const row = await savedConfig(acme);
      return row.lastError ? row : null;
    }, "the failed restart recorded");
    expect(held.lastError).toContain("the worker runs without a config for this company");
    await eventually(running, "the worker running again");
    expect(await state(acme)).toMatchObject({ setupConfig: {}, companyConfig: {} });
    expect((await host.request("GET", `/api/plugins/${KEY}`)).body.status).toBe("ready");

    // Deleting the held-back config clears the health check.
    const removed = await host.request("DELETE", `${configPath}?companyId=${acme}`);
    expect(removed.body).toMatchObject({ configJson: { explode: true } });
    expect((await health()).checks.find((c: { name: string }) => c.name === "config")).toBeUndefined();
    await eventually(running, "the worker running after the delete");
  });

  it("resolves a secret id saved as a plain string in any field of a plugin without a config schema", async () => {
    const secret = await host.request("POST", `/api/companies/${acme}/secrets`, {
      name: "bot-token",
      value: "s3cr3t-value",
    });
    expect(secret.status).toBe(201);
    const before = (await state(acme)).pid;
    const saved = await host.request("POST", configPath, {
      companyId: acme,
      configJson: { accounts: [{ label: "main", token: secret.body.id }] },
    });
    expect(saved.status).toBe(200);
    await eventually(async () => running() && (await state(acme)).pid !== before, "restart with the config");
    const resolved = await host.request("POST", `/api/plugins/${KEY}/actions/resolve`, {
      companyId: acme,
      params: { secretId: secret.body.id },
    });
    expect(resolved).toMatchObject({ status: 200, body: { data: { value: "s3cr3t-value" } } });
    // Still only what the company's saved config names: another company cannot resolve it.
    const other = await host.request("POST", `/api/plugins/${KEY}/actions/resolve`, {
      companyId: globex,
      params: { secretId: secret.body.id },
    });
    expect(other.status).toBe(502);
    expect(other.body.message).toMatch(/not bound to plugin/);
  });

  it("keeps an Error's message, stack, code and cause when a worker logs it in meta", async () => {
    const logged = await host.request("POST", `/api/plugins/${KEY}/actions/log-error`, { companyId: acme });
    expect(logged.status).toBe(200);
    const entry = await eventually(async () => {
      const logs = (await host.request("GET", `/api/plugins/${KEY}/logs?limit=50`)).body as Array<{
        message: string;
        meta: Record<string, any> | null;
      }>;
      return logs.find((row) => row.message === "report failed") ?? null;
    }, "the log entry stored");
    expect(entry.meta?.attempt).toBe(2);
    expect(entry.meta?.err).toMatchObject({
      name: "Error",
      message: "could not write the report",
      code: "E_REPORT",
      cause: { name: "Error", message: "disk quota exceeded" },
    });
    expect(entry.meta?.err.stack).toContain("could not write the report");
  });

  it("answers enable with 400 and the activation error when the worker cannot start", async () => {
    const disabled = await host.request("POST", `/api/plugins/${KEY}/disable`, {});
    expect(disabled.body.status).toBe("disabled");
    fs.writeFileSync(path.join(folder, "break-start"), "");
    // The test changes the installed files on purpose: trust them, as an operator would (docs/supply-chain.md).
    await host.request("POST", `/api/plugins/${KEY}/verify`, { accept: true });
    const enabled = await host.request("POST", `/api/plugins/${KEY}/enable`);
    expect(enabled.status).toBe(400);
    expect(enabled.body.error).toMatch(
      /^Activation failed: Worker for plugin "fixtures\.config-kit" failed to start/,
    );
    expect(enabled.body.error).toContain("fatal: break-start is present, refusing to start");
    expect((await host.request("GET", `/api/plugins/${KEY}`)).body).toMatchObject({
      status: "error",
      lastError: enabled.body.error,
    });
    fs.rmSync(path.join(folder, "break-start"));
    await host.request("POST", `/api/plugins/${KEY}/verify`, { accept: true });
    const fixed = await host.request("POST", `/api/plugins/${KEY}/enable`);
    expect(fixed).toMatchObject({ status: 200, body: { status: "ready", lastError: null } });
  });
});

describe("plain secret-id candidates in a config", () => {
  it("lists every UUID-shaped string with its path, skipping ref objects", () => {
    const id = "0b5c1f0e-8f1e-4a57-9d0c-2b7e4a9c1d11";
    expect(
      findUuidStrings({
        token: id.toUpperCase(),
        nested: { list: ["x", ` ${id} `] },
        ref: { type: "secret_ref", secretId: id },
        other: "not-a-uuid",
      }),
    ).toEqual([
      { configPath: "token", value: id },
      { configPath: "nested.list.1", value: id },
    ]);
  });
});
