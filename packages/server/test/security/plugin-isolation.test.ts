// Adversarial: a plugin goes after another plugin's data on the same host — its state (same keys, same scopes), its
// company secret (by the secret id the victim's config references), its config, its identity (a forged pluginId or
// pluginKey in params). Every attempt fails with a clear error or reaches only the adversary's own, empty data; the
// victim's data is unchanged, and the victim keeps answering during and after.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RuntimeHost, startRuntimeHost } from "../plugins/fixtures/runtime/support.js";
import { ENGINES } from "../support/database.js";
import {
  attack,
  bridgeAction,
  bystander,
  copyAdversary,
  createCompany,
  installFolder,
  rawCalls,
  tempFolders,
} from "./fixtures/adversary-support.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());

const CAPABILITIES = ["plugin.state.read", "plugin.state.write", "secrets.read-ref", "companies.read"];

describe.each(ENGINES)("reaching into another plugin (%s)", (engine) => {
  let host: RuntimeHost;
  let companyId: string;
  let secretId: string;
  let victim: { id: string };
  let sdk: { id: string };
  let raw: { id: string };
  let watcher: ReturnType<typeof bystander>;

  beforeAll(async () => {
    host = await startRuntimeHost(engine);
    companyId = (await createCompany(host.services, "Acme")).id;
    const parent = temp.make(`isolation-${engine}`);
    victim = await installFolder(host, copyAdversary("adversary-victim", parent));
    sdk = await installFolder(
      host,
      copyAdversary("adversary-sdk", parent, { manifest: { capabilities: CAPABILITIES } }),
    );
    raw = await installFolder(
      host,
      copyAdversary("adversary-raw", parent, { manifest: { capabilities: CAPABILITIES } }),
    );

    // The victim's company config references a company secret; it keeps a value in its state.
    const secret = await host.request("POST", `/api/companies/${companyId}/secrets`, {
      name: "victim-token",
      value: "s3cr3t-victim-token",
    });
    expect(secret.status).toBe(201);
    secretId = secret.body.id;
    const saved = await host.request("POST", `/api/plugins/${victim.id}/config`, {
      companyId,
      configJson: { apiToken: secretId },
    });
    expect(saved.status).toBe(200);
    await expect(waitForSecret()).resolves.toEqual({ length: "s3cr3t-victim-token".length });
    await bridgeAction(host, victim.id, "remember", { value: "the victim's treasure" }, companyId);
    // The adversaries are configured for the same company: same tenant, different plugin.
    for (const plugin of [sdk, raw]) {
      expect(
        (await host.request("POST", `/api/plugins/${plugin.id}/config`, { companyId, configJson: {} }))
          .status,
      ).toBe(200);
    }
    watcher = bystander(host, victim.id, companyId);
  }, 60_000);

  /** The victim resolves its secret once its worker has taken the saved config (it restarts to apply it). */
  async function waitForSecret(): Promise<unknown> {
    const started = Date.now();
    for (;;) {
      try {
        return await bridgeAction(host, victim.id, "secret", {}, companyId);
      } catch (error) {
        if (Date.now() - started > 20_000) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  afterAll(async () => {
    const seen = await watcher?.stop();
    await host?.close();
    expect(seen?.failures).toEqual([]);
    expect(seen?.answered).toBeGreaterThan(0);
  });

  it("reads only its own (empty) state under the victim's keys, and cannot overwrite the victim's", async () => {
    const instanceKey = { scopeKind: "instance", stateKey: "treasure" };
    const companyKey = { scopeKind: "company", scopeId: companyId, stateKey: "treasure" };
    expect(await attack(host, sdk.id, "state.get", [instanceKey], companyId)).toEqual({ result: null });
    expect(await attack(host, sdk.id, "state.get", [companyKey], companyId)).toEqual({ result: null });
    expect(await attack(host, sdk.id, "state.set", [instanceKey, "overwritten"], companyId)).toEqual({
      result: null,
    });
    expect(await attack(host, sdk.id, "state.set", [companyKey, "overwritten"], companyId)).toEqual({
      result: null,
    });
    // What it wrote is its own; the victim's value is what the victim stored.
    expect(await attack(host, sdk.id, "state.get", [instanceKey], companyId)).toEqual({
      result: "overwritten",
    });
    expect(await bridgeAction(host, victim.id, "recall", {}, companyId)).toEqual({
      value: "the victim's treasure",
    });
  });

  it("refuses a pluginId or pluginKey in params: a plugin always acts as itself", async () => {
    const answers = await rawCalls(
      host,
      raw.id,
      [
        { method: "state.get", params: { scopeKind: "instance", stateKey: "treasure", pluginId: victim.id } },
        {
          method: "state.set",
          params: { scopeKind: "instance", stateKey: "treasure", value: "x", pluginKey: "adversary.victim" },
        },
        { method: "secrets.resolve", params: { secretRef: secretId, companyId, pluginId: victim.id } },
        { method: "config.get", params: { pluginId: victim.id } },
      ],
      companyId,
    );
    const methods = ["state.get", "state.set", "secrets.resolve", "config.get"];
    const fields = ["pluginId", "pluginKey", "pluginId", "pluginId"];
    answers.forEach((answer, index) => {
      expect(answer).toEqual({
        error: {
          code: -32602,
          message:
            `${methods[index]}: params.${fields[index]} is not accepted: a plugin always acts as itself (the host ` +
            "knows the calling plugin from its worker connection, never from params)",
        },
      });
    });
    expect(await bridgeAction(host, victim.id, "recall", {}, companyId)).toEqual({
      value: "the victim's treasure",
    });
  });

  it("cannot resolve the victim's secret: only secrets its own saved config references resolve", async () => {
    const outcome = await attack(host, sdk.id, "secrets.resolve", [secretId, { companyId }], companyId);
    expect(outcome.result).toBeUndefined();
    expect(outcome.caught).toEqual({
      code: -32603,
      message:
        `secrets.resolve: secret "${secretId}" is not bound to plugin "adversary.sdk" in company "${companyId}": ` +
        "only secrets referenced by the plugin's saved config for that company resolve",
    });
    const typedRef = await attack(
      host,
      sdk.id,
      "secrets.resolve",
      [
        { type: "secret_ref", secretId },
        { companyId, configPath: "apiToken" },
      ],
      companyId,
    );
    expect(typedRef.caught?.message).toContain(`secret "${secretId}" is not bound to plugin "adversary.sdk"`);
    // The raw worker fares no better, with or without its invocation.
    const [inside, outside] = await rawCalls(
      host,
      raw.id,
      [
        { method: "secrets.resolve", params: { secretRef: secretId, companyId } },
        { method: "secrets.resolve", params: { secretRef: secretId, companyId }, invocation: "none" },
      ],
      companyId,
    );
    for (const answer of [inside!, outside!]) {
      expect(answer.error?.message).toContain(`is not bound to plugin "adversary.raw"`);
    }
    // The victim still resolves its own.
    expect(await bridgeAction(host, victim.id, "secret", {}, companyId)).toEqual({ length: 19 });
  });

  it("sees its own config, never the victim's", async () => {
    expect(await attack(host, sdk.id, "config.get", [], companyId)).toEqual({ result: {} });
    const [answer] = await rawCalls(host, raw.id, [{ method: "config.get", params: {} }], companyId);
    expect(answer).toEqual({ result: {} });
  });

  it("cannot reach the victim over the plugin bridge either: actions run in the plugin they are addressed to", async () => {
    // The adversary's own action keys do not exist on the victim, and the victim's on the adversary.
    const onVictim = await host.request("POST", `/api/plugins/${victim.id}/actions/ctx`, {
      companyId,
      params: { path: "state.get", args: [{ scopeKind: "instance", stateKey: "treasure" }] },
    });
    const onAdversary = await host.request("POST", `/api/plugins/${sdk.id}/actions/recall`, {
      companyId,
      params: {},
    });
    expect(onVictim).toMatchObject({
      status: 404,
      body: { error: 'No action handler registered for key "ctx"' },
    });
    expect(onAdversary).toMatchObject({
      status: 404,
      body: { error: 'No action handler registered for key "recall"' },
    });
  });
});
