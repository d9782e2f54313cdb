// The UI bridge with a real worker (reference §10.4): data and action routes, both URL forms, the bodies the
// worker receives (companyId, params, renderEnvironment, actorContext), access rules, and every error the
// bridge maps — bad bodies (400), unknown plugin (404), worker errors (502 PluginBridgeError with the code
// map), a plugin that is not ready (502 WORKER_UNAVAILABLE with its status), timeouts and a killed worker.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_BOARD_ACTOR } from "../../src/domain/actor.js";
import { PluginCatalog } from "../../src/plugins/bridge/index.js";
import type { PluginRecord } from "../../src/plugins/registry/index.js";
import { ENGINES } from "../support/database.js";
import {
  type BridgeHost,
  copyBridgeKit,
  eventually,
  seedCompany,
  startBridgeHost,
  tempFolders,
} from "./fixtures/bridge/support.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());

describe.each(ENGINES)("plugin bridge on %s", (engine) => {
  let host: BridgeHost;
  let pluginId: string;
  let acme: Awaited<ReturnType<typeof seedCompany>>;
  let globex: Awaited<ReturnType<typeof seedCompany>>;

  beforeAll(async () => {
    host = await startBridgeHost(engine);
    acme = await seedCompany(host.services, "Acme");
    globex = await seedCompany(host.services, "Globex");
    pluginId = (await host.install(copyBridgeKit(temp.make("bridge")))).id;
  });
  afterAll(async () => {
    await host?.close();
  });

  const post = (path: string, body?: unknown, headers?: Record<string, string>) =>
    host.request("POST", `/api/plugins/${pluginId}${path}`, body, headers);
  const asAgentOf = (seed: typeof acme) => ({ "x-paperclip-run-id": seed.run.id });

  it("answers data/:key with {data} and passes companyId, params and renderEnvironment to getData", async () => {
    const renderEnvironment = { environment: "hostInline", launcherId: null, bounds: "inline" };
    const response = await post("/data/echo", {
      companyId: acme.company.id,
      params: { q: 1 },
      renderEnvironment,
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: { params: { q: 1, companyId: acme.company.id, renderEnvironment } },
    });
  });

  it("accepts the plugin key in place of its id, and bridge/data with the key in the body", async () => {
    const byKey = await host.request("POST", "/api/plugins/bridge.kit/data/echo", { params: { via: "key" } });
    expect(byKey.status).toBe(200);
    expect(byKey.body.data.params).toEqual({ via: "key", renderEnvironment: null });
    const bodyKey = await post("/bridge/data", {
      key: "echo",
      companyId: acme.company.id,
      params: { a: "b" },
    });
    expect(bodyKey.body).toEqual({
      data: { params: { a: "b", companyId: acme.company.id, renderEnvironment: null } },
    });
  });

  it("runs actions with the board user's actorContext and the company merged into params", async () => {
    for (const path of ["/actions/echo", "/bridge/action"]) {
      const body = { key: "echo", companyId: acme.company.id, params: { x: 1 } };
      const response = await post(path, body);
      expect(response.status, path).toBe(200);
      expect(response.body.data).toEqual({
        params: { x: 1, companyId: acme.company.id, renderEnvironment: null },
        actor: {
          type: "user",
          userId: LOCAL_BOARD_ACTOR.userId,
          agentId: null,
          runId: null,
          companyId: acme.company.id,
        },
        companyId: acme.company.id,
      });
    }
  });

  it("lets an agent run actions in its own company only, as itself", async () => {
    const own = await post("/actions/echo", { companyId: acme.company.id }, asAgentOf(acme));
    expect(own.status).toBe(200);
    expect(own.body.data.actor).toEqual({
      type: "agent",
      userId: null,
      agentId: acme.agent.id,
      runId: acme.run.id,
      companyId: acme.company.id,
    });
    const foreign = await post("/actions/echo", { companyId: globex.company.id }, asAgentOf(acme));
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toMatch(/may only act for its own company/);
    // Without a company the call is instance-scoped: instance admins only.
    const instance = await post("/actions/echo", {}, asAgentOf(acme));
    expect(instance.status).toBe(403);
    expect(instance.body.error).toMatch(/Instance admin access required/);
    // Data routes are for board users.
    const data = await post("/data/echo", { companyId: acme.company.id }, asAgentOf(acme));
    expect(data.status).toBe(403);
    expect(data.body).toEqual({ error: "Board access required" });
  });

  it("runs instance-scoped calls (no companyId) for the instance admin without a company in params", async () => {
    const response = await post("/actions/echo", { params: { n: 2 } });
    expect(response.status).toBe(200);
    expect(response.body.data.params).toEqual({ n: 2, renderEnvironment: null });
    expect(response.body.data.actor.companyId).toBeNull();
  });

  it("rejects malformed bodies with 400 naming the field", async () => {
    expect((await post("/bridge/data", { companyId: acme.company.id })).body).toEqual({
      error: '"key" is required and must be a string',
    });
    expect((await post("/bridge/action", { key: 42 })).status).toBe(400);
    const emptyCompany = await post("/actions/echo", { companyId: "" });
    expect(emptyCompany.status).toBe(400);
    expect(emptyCompany.body.error).toBe('"companyId" must be a non-empty string when present');
    const badParams = await post("/actions/echo", { params: [1, 2] });
    expect(badParams.status).toBe(400);
    expect(badParams.body.error).toBe('"params" must be a JSON object');
    const badEnvironment = await post("/data/echo", { renderEnvironment: "inline" });
    expect(badEnvironment.body.error).toBe('"renderEnvironment" must be a JSON object or null');
    const notObject = await post("/actions/echo", [1]);
    expect(notObject.body.error).toBe("Request body must be a JSON object");
    // Unknown properties are refused as on every route whose body says additionalProperties: false.
    const unknown = await post("/actions/echo", { companyId: acme.company.id, parms: {} });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe(
      "Validation error: body.parms is not a known property (unknown properties are refused)",
    );
    expect((await post("/data/echo", { key: "other", companyId: acme.company.id })).status).toBe(200);
    // Params nested 50,000 deep were a 502 "Maximum call stack size exceeded"; NUL text is refused like anywhere.
    const deep = await fetch(`${host.baseUrl}/api/plugins/${pluginId}/actions/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"companyId":"${acme.company.id}","params":{"x":${"[".repeat(50_000)}${"]".repeat(50_000)}}}`,
    });
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as { error: string }).error).toMatch(
      /^Validation error: JSON nested deeper than 64 levels at \$\.params\.x\[0\]\[0\]/,
    );
    const nul = await post("/actions/echo", { companyId: acme.company.id, params: { q: "a\u0000" } });
    expect(nul.status).toBe(400);
    expect(nul.body.error).toContain("body.params.q must not contain the NUL character");
    const malformed = await fetch(`${host.baseUrl}/api/plugins/${pluginId}/actions/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: string }).error).toMatch(/^Malformed JSON body/);
  });

  it("answers 404 for an unknown plugin and for a company that does not exist", async () => {
    for (const ref of ["00000000-0000-4000-8000-000000000000", "no.such.plugin"]) {
      const response = await host.request("POST", `/api/plugins/${ref}/actions/echo`, {});
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ error: "Plugin not found" });
    }
    const company = await post("/actions/echo", { companyId: "00000000-0000-4000-8000-000000000001" });
    expect(company.status).toBe(404);
    expect(company.body.error).toBe("Company not found");
  });

  it("maps worker failures to 502 PluginBridgeError codes", async () => {
    const thrown = await post("/actions/explode", { companyId: acme.company.id });
    expect(thrown.status).toBe(502);
    expect(thrown.body).toEqual({ code: "WORKER_ERROR", message: "action exploded" });
    const dataThrown = await post("/data/explode", { companyId: acme.company.id });
    expect(dataThrown.body).toMatchObject({ code: "WORKER_ERROR", message: "data handler exploded" });
    // An unknown key is a 404 whose body is both an API error and the PluginBridgeError the hooks read.
    const missing = await post("/actions/nope", { companyId: acme.company.id });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      error: 'No action handler registered for key "nope"',
      code: "WORKER_ERROR",
      message: 'No action handler registered for key "nope"',
      details: { key: "nope", kind: "action" },
    });
    const missingData = await post("/data/nope", { companyId: acme.company.id });
    expect(missingData.status).toBe(404);
    expect(missingData.body).toMatchObject({ code: "WORKER_ERROR", details: { key: "nope", kind: "data" } });
    const missingInBody = await post("/bridge/action", { key: "nope", companyId: acme.company.id });
    expect(missingInBody.status).toBe(404);
    const scope = await post("/actions/other-company", {
      companyId: acme.company.id,
      params: { otherCompanyId: globex.company.id },
    });
    expect(scope.status).toBe(502);
    expect(scope.body.code).toBe("INVOCATION_SCOPE_DENIED");
    expect(scope.body.message).toContain(globex.company.id);
    // A result too deep to serialize is the worker's failure, not a 500 from the serializer.
    const deep = await post("/data/deep", { companyId: acme.company.id });
    expect(deep.status).toBe(502);
    expect(deep.body.code).toBe("WORKER_ERROR");
    expect(deep.body.message).toMatch(
      /^The worker's getData result is JSON nested deeper than 256 levels at \$\.a\.a/,
    );
    const fits = await post("/data/deep", { companyId: acme.company.id, params: { depth: 200 } });
    expect(fits.status).toBe(200);
    const capability = await post("/actions/no-capability", { companyId: acme.company.id });
    expect(capability.status).toBe(502);
    expect(capability.body.code).toBe("CAPABILITY_DENIED");
    expect(capability.body.message).toContain('"issues.read"');
  });

  it("answers 502 TIMEOUT when the worker misses the per-method deadline", async () => {
    const context = { actor: LOCAL_BOARD_ACTOR };
    await host.runtime.lifecycle.setMethodTimeouts(pluginId, { performAction: 300 }, context);
    try {
      const response = await post("/actions/slow", { companyId: acme.company.id, params: { ms: 3_000 } });
      expect(response.status).toBe(502);
      expect(response.body.code).toBe("TIMEOUT");
      expect(response.body.message).toMatch(/performAction.*300/);
    } finally {
      await host.runtime.lifecycle.setMethodTimeouts(pluginId, {}, context);
    }
  });

  it("fails an in-flight call with WORKER_UNAVAILABLE when the worker is killed, then serves the restarted worker", async () => {
    const { pid } = (await post("/actions/pid", {})).body.data;
    const inFlight = post("/actions/slow", { params: { ms: 10_000 } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.kill(pid, "SIGKILL");
    const response = await inFlight;
    expect(response.status).toBe(502);
    expect(response.body.code).toBe("WORKER_UNAVAILABLE");
    const next = await eventually(async () => {
      const answer = await post("/actions/pid", {});
      return answer.status === 200 ? answer.body.data.pid : null;
    }, "the restarted worker to answer");
    expect(next).not.toBe(pid);
  });

  it("says the plugin is not ready (with its status) right after a disable, and serves it again after enable", async () => {
    expect((await post("/actions/echo", {})).status).toBe(200); // the record is now in the catalog's memory
    expect((await host.request("POST", `/api/plugins/${pluginId}/disable`, {})).body.status).toBe("disabled");
    const disabled = await post("/actions/echo", {});
    expect(disabled.status).toBe(502);
    expect(disabled.body).toEqual({
      code: "WORKER_UNAVAILABLE",
      message: "Plugin is not ready (current status: disabled)",
    });
    const data = await post("/bridge/data", { key: "echo" });
    expect(data.body).toEqual({
      code: "WORKER_UNAVAILABLE",
      message: "Plugin is not ready (current status: disabled)",
    });
    expect((await host.request("POST", `/api/plugins/${pluginId}/enable`)).body.status).toBe("ready");
    expect((await post("/actions/echo", {})).status).toBe(200);
  });
});

describe("plugin catalog (the bridge's in-memory plugin records)", () => {
  const record = (id: string, status: PluginRecord["status"] = "ready") =>
    ({ id, pluginKey: `key.${id}`, status }) as PluginRecord;

  function catalogOver(records: PluginRecord[], served: Set<string>) {
    let now = 0;
    const reads = { find: 0, list: 0 };
    const catalog = new PluginCatalog(
      {
        async find(ref) {
          reads.find++;
          return records.find((r) => r.id === ref || r.pluginKey === ref) ?? null;
        },
        async list() {
          reads.list++;
          return records;
        },
      },
      { maxAgeMs: 1_000, now: () => now, isServed: (id) => served.has(id), servedIds: () => [...served] },
    );
    return { catalog, reads, advance: (ms: number) => (now += ms) };
  }

  it("reads a ready, running plugin once per max age, by id or key", async () => {
    const { catalog, reads, advance } = catalogOver([record("a")], new Set(["a"]));
    for (let i = 0; i < 100; i++) await catalog.find("a");
    await catalog.find("key.a");
    expect(reads.find).toBe(1);
    advance(1_001);
    await catalog.find("a");
    expect(reads.find).toBe(2);
  });

  it("re-reads plugins that are not ready or whose worker this node stopped, and remembers unknown ids briefly", async () => {
    const served = new Set(["a"]);
    const { catalog, reads, advance } = catalogOver([record("a"), record("b", "disabled")], served);
    await catalog.find("b");
    await catalog.find("b");
    expect(reads.find).toBe(2);
    await catalog.find("a");
    served.delete("a"); // disabled through this node's lifecycle
    await catalog.find("a");
    expect(reads.find).toBe(4);
    await catalog.find("missing");
    await catalog.find("missing");
    expect(reads.find).toBe(5);
    advance(1_001);
    await catalog.find("missing");
    expect(reads.find).toBe(6);
  });

  it("re-reads the ready list when the set of running workers changes", async () => {
    const served = new Set(["a"]);
    const { catalog, reads } = catalogOver([record("a"), record("c")], served);
    expect((await catalog.readyPlugins()).map((r) => r.id)).toEqual(["a", "c"]);
    await catalog.readyPlugins();
    expect(reads.list).toBe(1);
    served.add("c");
    await catalog.readyPlugins();
    expect(reads.list).toBe(2);
    catalog.invalidate();
    await catalog.readyPlugins();
    expect(reads.list).toBe(3);
  });
});
