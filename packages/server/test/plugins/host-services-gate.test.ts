// The gate in front of every worker→host call, driven by real worker processes under the real supervisor:
// capabilities (-32001), company scope (-32005), unknown methods (-32601), malformed params, and how calls
// without an invocation id are attributed (setup(), timers, workers built with older SDKs).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PluginIdentity } from "../../src/plugins/host-services/index.js";
import { ENGINES } from "../support/database.js";
import { eventually, ServicesBed, type TestWorker } from "./fixtures/services/bed.js";

describe.each(ENGINES)("host services gate (%s)", (engine) => {
  let bed: ServicesBed;
  let companyA: { id: string };
  let companyB: { id: string };
  let plugin: PluginIdentity;
  let worker: TestWorker;

  beforeAll(async () => {
    bed = await ServicesBed.open(engine);
    companyA = await bed.company("Alpha");
    companyB = await bed.company("Beta");
    plugin = await bed.plugin({
      capabilities: ["plugin.state.read", "issues.read", "companies.read", "events.subscribe"],
    });
    await bed.factory.configStore.save({ id: plugin.pluginId, schema: undefined }, companyA.id, {
      region: "eu",
    });
    worker = await bed.worker(plugin);
  });

  afterAll(async () => {
    await bed?.close();
  });

  it("refuses a method whose capability the manifest does not declare, with the published message", async () => {
    const outcome = await worker.ctx("state.set", [{ scopeKind: "instance", stateKey: "k" }, 1], companyA.id);
    expect(outcome.caught).toEqual({
      code: -32001,
      message: `Plugin "${plugin.pluginKey}" is missing required capability "plugin.state.write" for method "state.set"`,
    });
    const issue = await worker.ctx("issues.create", [{ companyId: companyA.id, title: "nope" }], companyA.id);
    expect(issue.caught?.code).toBe(-32001);
    expect(issue.caught?.message).toContain('"issues.create"');
  });

  it("refuses a call that names another company than the invocation's", async () => {
    const outcome = await worker.ctx("issues.list", [{ companyId: companyB.id }], companyA.id);
    expect(outcome.caught?.code).toBe(-32005);
    expect(outcome.caught?.message).toContain(
      `requested company "${companyB.id}" but the current invocation is scoped to company "${companyA.id}"`,
    );
    const state = await worker.ctx(
      "state.get",
      [{ scopeKind: "company", scopeId: companyB.id, stateKey: "x" }],
      companyA.id,
    );
    expect(state.caught?.code).toBe(-32005);
  });

  it("allows the invocation's own company", async () => {
    const outcome = await worker.ctx("issues.list", [{ companyId: companyA.id }], companyA.id);
    expect(outcome.result).toEqual([]);
  });

  it("refuses a company-kind state key without a scopeId", async () => {
    const outcome = await worker.ctx("state.get", [{ scopeKind: "company", stateKey: "x" }], companyA.id);
    expect(outcome.caught?.code).toBe(-32005);
    expect(outcome.caught?.message).toContain("needs scopeId");
  });

  it("lets instance-scoped calls (jobs, webhooks) touch configured companies only", async () => {
    const configured = await worker.ctx("issues.list", [{ companyId: companyA.id }], null);
    expect(configured.result).toEqual([]);
    const other = await worker.ctx("issues.list", [{ companyId: companyB.id }], null);
    expect(other.caught?.code).toBe(-32005);
    expect(other.caught?.message).toContain(`company "${companyB.id}" has no saved config for this plugin`);
  });

  it("applies the same rule to proactive calls made outside any invocation", async () => {
    await worker.action(
      "proactive",
      { path: "issues.list", args: [{ companyId: companyA.id }] },
      companyA.id,
    );
    await worker.action(
      "proactive",
      { path: "issues.list", args: [{ companyId: companyB.id }] },
      companyA.id,
    );
    const results: any[] = [];
    await eventually(async () => {
      results.push(...(await worker.action("proactive-results", {}, null)).results);
      return results.length >= 2;
    }, "two proactive calls");
    expect(results[0]).toEqual({ result: [] });
    expect(results[1].caught.code).toBe(-32005);
  });

  it("filters companies.list to the invocation's company, or to the configured ones", async () => {
    const scoped = await worker.ctx("companies.list", [{}], companyB.id);
    expect(scoped.result.map((c: { id: string }) => c.id)).toEqual([companyB.id]);
    const instance = await worker.ctx("companies.list", [{}], null);
    expect(instance.result.map((c: { id: string }) => c.id)).toEqual([companyA.id]);
  });

  it("answers METHOD_NOT_FOUND with a reason for methods this host does not serve", async () => {
    const routine = await worker.ctx("routines.managed.get", ["weekly", companyA.id], companyA.id);
    expect(routine.caught?.code).toBe(-32601);
    expect(routine.caught?.message).toBe(
      'Host does not handle method "routines.managed.get": managed routines are not available on this host ' +
        "(manifest.routines is refused at install)",
    );
    const members = await worker.ctx("access.members.list", [{ companyId: companyA.id }], companyA.id);
    expect(members.caught?.code).toBe(-32601);
    expect(members.caught?.message).toContain("company access management is not available");
  });

  it("names the field and the rule for malformed params", async () => {
    const outcome = await worker.ctx("state.get", [{ scopeKind: "galaxy", stateKey: "k" }], companyA.id);
    expect(outcome.caught?.message).toContain("state.get: params.scopeKind must be one of");
    const missing = await worker.ctx("issues.get", ["", companyA.id], companyA.id);
    expect(missing.caught?.message).toContain("issues.get: params.issueId");
  });

  it("refuses params nested deeper than 64 levels and text PostgreSQL cannot store, naming the limit and the place", async () => {
    const key = { scopeKind: "company", scopeId: companyA.id, stateKey: "deep" };
    // 65 levels inside `value` (66 with params itself) is over the limit; 3,000 is what an SDK can still send.
    for (const depth of [64, 3_000]) {
      const outcome = await worker.ctx("state.get", [{ ...key, stateKey: { $deep: depth } }], companyA.id);
      expect(outcome.caught?.code).toBe(-32602);
      expect(outcome.caught?.message).toMatch(
        /^state\.get: JSON nested deeper than 64 levels at params\.stateKey\.a\.a/,
      );
    }
    const nul = await worker.ctx(
      "issues.list",
      [{ companyId: companyA.id, originKind: "a\u0000b" }],
      companyA.id,
    );
    expect(nul.caught).toEqual({
      code: -32602,
      message:
        "issues.list: params.originKind must not contain the NUL character (\\u0000), which cannot be stored",
    });
    const surrogate = await worker.ctx(
      "issues.list",
      [{ companyId: companyA.id, originKind: "\ud800" }],
      companyA.id,
    );
    expect(surrogate.caught?.code).toBe(-32602);
    expect(surrogate.caught?.message).toContain("params.originKind must be valid Unicode");
    // The worker and the host are fine afterwards.
    expect((await worker.ctx("issues.list", [{ companyId: companyA.id }], companyA.id)).result).toEqual([]);
  });

  it("records event subscriptions once per pattern and filter, also across worker restarts", async () => {
    const before = await bed.factory.listSubscriptions(plugin.pluginId);
    expect(before.map((s) => s.eventPattern).sort()).toEqual(["issue.created", "plugin.other.*"]);
    await worker.supervisor.restart();
    await eventually(
      async () => (await bed.factory.listSubscriptions(plugin.pluginId)).length === 2,
      "re-subscribed",
    );
    const after = await bed.factory.listSubscriptions(plugin.pluginId);
    expect(after.map((s) => s.eventPattern).sort()).toEqual(["issue.created", "plugin.other.*"]);
  });
});

describe.each(ENGINES)("invocation attribution (%s)", (engine) => {
  let bed: ServicesBed;
  let companyA: { id: string };
  let companyB: { id: string };

  beforeAll(async () => {
    bed = await ServicesBed.open(engine, { invocationGraceMs: 60_000 });
    companyA = await bed.company("Alpha");
    companyB = await bed.company("Beta");
  });

  afterAll(async () => {
    await bed?.close();
  });

  it("attributes an older-SDK call without an invocation id to the single invocation in flight", async () => {
    const plugin = await bed.plugin({
      capabilities: ["plugin.state.read", "plugin.state.write", "issues.read"],
    });
    const legacy = await bed.worker(plugin, "legacy-ndjson-worker.mjs");
    // Company B has no config: only the invocation makes the call legitimate.
    const own = await legacy.action(
      "call",
      { method: "issues.list", params: { companyId: companyB.id } },
      companyB.id,
    );
    expect(own).toEqual({ result: [] });
    const other = await legacy.action(
      "call",
      { method: "issues.list", params: { companyId: companyA.id } },
      companyB.id,
    );
    expect(other.caught.code).toBe(-32005);
    expect(other.caught.message).toContain(`scoped to company "${companyB.id}"`);
  });

  it("falls back to the configured companies when several invocations are in flight", async () => {
    const plugin = await bed.plugin({ capabilities: ["issues.read"] });
    await bed.factory.configStore.save({ id: plugin.pluginId, schema: undefined }, companyA.id, {});
    const legacy = await bed.worker(plugin, "legacy-ndjson-worker.mjs");
    const [forA, forB] = await Promise.all([
      legacy.action(
        "call",
        { method: "issues.list", params: { companyId: companyA.id }, holdMs: 200 },
        companyA.id,
      ),
      legacy.action(
        "call",
        { method: "issues.list", params: { companyId: companyB.id }, holdMs: 200 },
        companyB.id,
      ),
    ]);
    // Ambiguous: neither is attributed to its invocation; A is configured, B is not.
    expect(forA).toEqual({ result: [] });
    expect(forB.caught.code).toBe(-32005);
  });

  it("refuses an invocation id the host never issued", async () => {
    const plugin = await bed.plugin({ capabilities: ["issues.read"] });
    const forged = await bed.worker(plugin, "forged-id-worker.mjs");
    const outcome = await forged.action(
      "call",
      { method: "issues.list", params: { companyId: companyA.id } },
      companyA.id,
    );
    expect(outcome.caught.code).toBe(-32005);
    expect(outcome.caught.message).toContain("missing, expired, or unknown invocation scope");
  });

  it("reads config.get() with no company in setup(): the only configured company's config, else {}", async () => {
    const single = await bed.plugin({ capabilities: ["events.subscribe"] });
    await bed.factory.configStore.save({ id: single.pluginId, schema: undefined }, companyA.id, {
      token: "a",
    });
    const one = await bed.worker(single);
    expect(await one.action("setup-config", {}, null)).toEqual({
      setupConfig: { token: "a" },
      setupError: null,
    });

    const double = await bed.plugin({ capabilities: ["events.subscribe"] });
    await bed.factory.configStore.save({ id: double.pluginId, schema: undefined }, companyA.id, {
      token: "a",
    });
    await bed.factory.configStore.save({ id: double.pluginId, schema: undefined }, companyB.id, {
      token: "b",
    });
    const two = await bed.worker(double);
    expect(await two.action("setup-config", {}, null)).toEqual({ setupConfig: {}, setupError: null });
    // Inside a company invocation config.get() is that company's.
    expect((await two.ctx("config.get", [], companyB.id)).result).toEqual({ token: "b" });
    expect((await two.ctx("config.get", [companyA.id], null)).result).toEqual({ token: "a" });
  });
});
