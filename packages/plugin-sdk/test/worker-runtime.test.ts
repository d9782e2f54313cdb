/**
 * Every host→worker method, answered by a real worker process built with our SDK and driven over
 * its real stdin/stdout.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TEST_MANIFEST, WorkerChild } from "./worker-child.js";

const event = (eventType: string, extra: Record<string, unknown> = {}) => ({
  eventId: "e-1",
  eventType,
  occurredAt: "2026-01-01T00:00:00.000Z",
  companyId: "company-1",
  payload: {},
  ...extra,
});

function stateAnswers(worker: WorkerChild): WorkerChild {
  return worker.handle("state.get", (params) => ({ result: `value of ${params.stateKey}` }));
}

describe("initialize", () => {
  let worker: WorkerChild;
  afterEach(() => worker.close());

  it("runs setup (which may call the host first) and lists the optional hooks the plugin implements", async () => {
    worker = stateAnswers(new WorkerChild("worker-full.mjs"));
    const response = await worker.initialize();
    expect(response.result).toEqual({
      ok: true,
      supportedMethods: [
        "validateConfig",
        "configChanged",
        "health",
        "shutdown",
        "handleApiRequest",
        "environmentProbe",
      ],
    });
    const setupCall = worker.received.findIndex((m) => m.method === "state.get");
    expect(setupCall).toBeGreaterThanOrEqual(0);
    expect(setupCall).toBeLessThan(worker.received.indexOf(response));
    const observed = await worker.request("getData", { key: "observed", params: {} });
    expect(observed.result.setupState).toBe("value of boot");
  });

  it("sends events.subscribe for every events.on, with the filter or null", async () => {
    worker = stateAnswers(new WorkerChild("worker-full.mjs")).handle("events.subscribe", () => ({
      result: null,
    }));
    await worker.initialize();
    expect(worker.outgoing("events.subscribe").map((m) => m.params)).toEqual([
      { eventPattern: "issue.created", filter: null },
      { eventPattern: "issue.*", filter: { companyId: "company-1" } },
      { eventPattern: "agent.status_changed", filter: { agentId: "agent-7" } },
      { eventPattern: "plugin.*", filter: null },
      { eventPattern: "plugin.acme.ping", filter: null },
    ]);
  });

  it("lists no methods for a plugin without optional hooks and exposes the manifest to ctx", async () => {
    worker = new WorkerChild("worker-minimal.mjs");
    expect((await worker.initialize()).result).toEqual({ ok: true, supportedMethods: [] });
    expect((await worker.request("getData", { key: "manifest-id", params: {} })).result).toBe(
      TEST_MANIFEST.id,
    );
  });

  it("rejects a second initialize and keeps serving", async () => {
    worker = new WorkerChild("worker-minimal.mjs");
    await worker.initialize();
    const second = await worker.initialize();
    expect(second.error).toEqual({ code: -32002, message: "Worker already initialized" });
    expect((await worker.request("health", {})).result).toEqual({ status: "ok" });
  });

  it("answers initialize without a manifest with INVALID_PARAMS naming the field", async () => {
    worker = new WorkerChild("worker-minimal.mjs");
    const response = await worker.request("initialize", { config: {} });
    expect(response.error).toEqual({
      code: -32602,
      message: "initialize: params.manifest must be an object",
    });
    expect((await worker.initialize()).result).toEqual({ ok: true, supportedMethods: [] });
  });
});

describe("a running full worker", () => {
  let worker: WorkerChild;
  beforeAll(async () => {
    worker = stateAnswers(new WorkerChild("worker-full.mjs")).handle("events.subscribe", () => ({
      result: null,
    }));
    await worker.initialize({ databaseNamespace: "plugin_acme_0123456789" });
  });
  afterAll(() => worker.close());

  it("health answers with onHealth", async () => {
    expect((await worker.request("health", {})).result).toEqual({
      status: "degraded",
      message: "slow upstream",
    });
  });

  it("validateConfig answers with onValidateConfig", async () => {
    expect((await worker.request("validateConfig", { config: { apiKey: "k" } })).result).toEqual({
      ok: true,
    });
    expect((await worker.request("validateConfig", { config: {} })).result).toEqual({
      ok: false,
      errors: ["apiKey is required"],
    });
  });

  it("getData merges companyId and renderEnvironment into the handler params", async () => {
    const renderEnvironment = { environment: "hostInline", launcherId: "l1", bounds: "compact" };
    const response = await worker.request("getData", {
      key: "echo",
      companyId: "company-1",
      params: { a: 1, companyId: "overridden" },
      renderEnvironment,
    });
    expect(response.result).toEqual({ a: 1, companyId: "company-1", renderEnvironment });
    const bare = await worker.request("getData", { key: "echo", params: { a: 2 } });
    expect(bare.result).toEqual({ a: 2 });
  });

  it("getData reaches ctx.manifest and ctx.db.namespace from initialize", async () => {
    const response = await worker.request("getData", { key: "manifest", params: {} });
    expect(response.result).toEqual({ id: TEST_MANIFEST.id, namespace: "plugin_acme_0123456789" });
  });

  it("getData and performAction name a missing handler", async () => {
    expect((await worker.request("getData", { key: "nope", params: {} })).error).toEqual({
      code: -32002,
      message: 'No data handler registered for key "nope"',
    });
    expect((await worker.request("performAction", { key: "nope", params: {} })).error).toEqual({
      code: -32002,
      message: 'No action handler registered for key "nope"',
    });
  });

  it("performAction passes a frozen action context with a normalised actor", async () => {
    const response = await worker.request("performAction", {
      key: "echo",
      companyId: "company-1",
      params: { x: 1 },
      actorContext: {
        type: "agent",
        userId: " ",
        agentId: " agent-1 ",
        runId: "run-1",
        companyId: "company-1",
      },
    });
    expect(response.result).toEqual({
      params: { x: 1, companyId: "company-1" },
      context: {
        actor: { type: "agent", userId: null, agentId: "agent-1", runId: "run-1", companyId: "company-1" },
        companyId: "company-1",
      },
      frozen: true,
    });
  });

  it("performAction coerces an unknown actor type, or a missing actor, to system", async () => {
    const bogus = await worker.request("performAction", {
      key: "echo",
      params: {},
      actorContext: { type: "root" },
    });
    expect(bogus.result.context.actor.type).toBe("system");
    const none = await worker.request("performAction", { key: "echo", params: {}, actorContext: null });
    expect(none.result.context).toEqual({
      actor: { type: "system", userId: null, agentId: null, runId: null, companyId: null },
      companyId: null,
    });
  });

  it("executeTool finds the tool by its bare name and passes the run context", async () => {
    const runContext = { agentId: "a1", runId: "r1", companyId: "company-1", projectId: "p1" };
    const response = await worker.request("executeTool", {
      toolName: "calculator",
      parameters: { a: 2, b: 3 },
      runContext,
    });
    expect(response.result).toEqual({ content: "Result: 5", data: { runContext } });
    const missing = await worker.request("executeTool", {
      toolName: "acme:calculator",
      parameters: {},
      runContext,
    });
    expect(missing.error).toEqual({
      code: -32002,
      message: 'No tool handler registered for "acme:calculator"',
    });
  });

  it("runJob runs the job by key, names a missing one and reports a failing one", async () => {
    const job = {
      jobKey: "sync",
      runId: "run-9",
      trigger: "manual",
      scheduledAt: "2026-01-01T00:00:00.000Z",
    };
    expect((await worker.request("runJob", { job })).result).toBeNull();
    const observed = await worker.request("getData", { key: "observed", params: {} });
    expect(observed.result.jobs).toEqual([job]);
    expect((await worker.request("runJob", { job: { ...job, jobKey: "ghost" } })).error).toEqual({
      code: -32002,
      message: 'No handler registered for job "ghost"',
    });
    expect((await worker.request("runJob", { job: { ...job, jobKey: "broken" } })).error).toEqual({
      code: -32002,
      message: "job failed",
    });
  });

  it("handleWebhook hands the delivery to onWebhook and answers null", async () => {
    const input = {
      endpointKey: "inbound",
      headers: { "x-sig": "abc" },
      rawBody: '{"a":1}',
      parsedBody: { a: 1 },
      requestId: "req-1",
    };
    expect((await worker.request("handleWebhook", input)).result).toBeNull();
    const observed = await worker.request("getData", { key: "observed", params: {} });
    expect(observed.result.webhooks).toEqual([input]);
  });

  it("handleApiRequest answers with onApiRequest", async () => {
    const response = await worker.request("handleApiRequest", {
      routeKey: "list",
      method: "GET",
      path: "/x",
    });
    expect(response.result).toEqual({ status: 201, body: { got: "list" } });
  });

  it("an implemented extension hook answers; a missing one is METHOD_NOT_IMPLEMENTED", async () => {
    const base = { driverKey: "box", companyId: "company-1", environmentId: "env-1", config: {} };
    expect((await worker.request("environmentProbe", base)).result).toEqual({
      ok: true,
      summary: "probed box",
    });
    expect((await worker.request("environmentExecute", { ...base, command: "ls" })).error).toEqual({
      code: -32004,
      message: "environmentExecute is not implemented by this plugin",
    });
  });

  it("keeps a thrown numeric code, otherwise answers WORKER_ERROR with the message", async () => {
    expect((await worker.request("performAction", { key: "throw-coded", params: {} })).error).toEqual({
      code: -32050,
      message: "custom failure",
    });
    expect((await worker.request("performAction", { key: "throw-plain", params: {} })).error).toEqual({
      code: -32002,
      message: "plain failure",
    });
    expect((await worker.request("performAction", { key: "throw-string", params: {} })).error).toEqual({
      code: -32002,
      message: "a bare string",
    });
  });

  it("answers an unknown method with METHOD_NOT_FOUND", async () => {
    expect((await worker.request("doTheThing", {})).error).toEqual({
      code: -32601,
      message: "Unknown method: doTheThing",
    });
  });
});

describe("events", () => {
  let worker: WorkerChild;
  beforeAll(async () => {
    worker = stateAnswers(new WorkerChild("worker-full.mjs")).handle("events.subscribe", () => ({
      result: null,
    }));
    await worker.initialize();
  });
  afterAll(() => worker.close());

  const seenSince = async (count: number) => {
    const observed = await worker.request("getData", { key: "observed", params: {} });
    return observed.result.events.slice(count);
  };

  it("onEvent as a request runs exact, wildcard and filtered handlers in registration order", async () => {
    const before = (await seenSince(0)).length;
    expect((await worker.request("onEvent", { event: event("issue.created") })).result).toBeNull();
    expect(await seenSince(before)).toEqual([
      { handler: "issue.created", eventType: "issue.created" },
      { handler: "issue.* company-1", eventType: "issue.created" },
    ]);
  });

  it("filters on companyId, and on agentId from the entity or the payload", async () => {
    const before = (await seenSince(0)).length;
    await worker.request("onEvent", { event: event("issue.updated", { companyId: "company-2" }) });
    await worker.request("onEvent", {
      event: event("agent.status_changed", { entityType: "agent", entityId: "agent-7" }),
    });
    await worker.request("onEvent", {
      event: event("agent.status_changed", { payload: { agentId: "agent-7" } }),
    });
    await worker.request("onEvent", {
      event: event("agent.status_changed", { payload: { agentId: "agent-8" } }),
    });
    expect(await seenSince(before)).toEqual([
      { handler: "agent-7", eventType: "agent.status_changed" },
      { handler: "agent-7", eventType: "agent.status_changed" },
    ]);
  });

  it("onEvent as a notification runs the handlers; a throwing handler is logged and the others still run", async () => {
    const before = (await seenSince(0)).length;
    const mark = worker.received.length;
    worker.notify("onEvent", { event: event("plugin.acme.ping", { payload: { fail: true } }) });
    const log = await worker.waitFor(
      (m) =>
        m.method === "log" && String(m.params?.message).startsWith('Event handler for "plugin.*" failed'),
    );
    expect(log.params).toMatchObject({
      level: "error",
      message: 'Event handler for "plugin.*" failed: handler exploded',
      meta: { eventType: "plugin.acme.ping" },
    });
    await worker.waitFor((m) => m.method === "log" && m.params?.message === "ping handled");
    // Notifications get no response.
    expect(worker.since(mark).filter((m) => m.id !== undefined && !("method" in m))).toEqual([]);
    expect(await seenSince(before)).toEqual([{ handler: "plugin.acme.ping", eventType: "plugin.acme.ping" }]);
  });

  it("a wildcard does not match a type that only shares a prefix without the dot", async () => {
    const before = (await seenSince(0)).length;
    await worker.request("onEvent", { event: event("issues.created") });
    await worker.request("onEvent", { event: event("plugin") });
    expect(await seenSince(before)).toEqual([]);
  });
});

describe("configChanged", () => {
  let worker: WorkerChild;
  afterEach(() => worker.close());

  it("applies configs of one company and passes the company to onConfigChanged", async () => {
    worker = stateAnswers(new WorkerChild("worker-full.mjs")).handle("events.subscribe", () => ({
      result: null,
    }));
    await worker.initialize();
    expect((await worker.request("configChanged", { config: { a: 1 }, companyId: "c1" })).result).toBeNull();
    expect((await worker.request("configChanged", { config: { a: 2 }, companyId: "c1" })).result).toBeNull();
    expect((await worker.request("configChanged", { config: { a: 3 } })).result).toBeNull();
    const observed = await worker.request("getData", { key: "observed", params: {} });
    expect(observed.result.configChanges).toEqual([
      { config: { a: 1 }, context: { companyId: "c1" } },
      { config: { a: 2 }, context: { companyId: "c1" } },
      { config: { a: 3 }, context: { companyId: null } },
    ]);
  });

  it("refuses a different config for a second company (CROSS_TENANT_CONFIG) but accepts the same one", async () => {
    worker = new WorkerChild("worker-minimal.mjs");
    await worker.initialize();
    await worker.request("configChanged", {
      config: { token: "t", nested: { x: 1, y: 2 } },
      companyId: "c1",
    });
    const refused = await worker.request("configChanged", { config: { token: "other" }, companyId: "c2" });
    expect(refused.error.code).toBe(-32006);
    expect(refused.error.message).toContain('refusing to overwrite configuration for company "c1"');
    expect(refused.error.message).toContain('company "c2"');
    expect(refused.error.message).toContain("multiCompanyConfig: true");
    // Same config in another key order: an idempotent replay, allowed.
    const replay = await worker.request("configChanged", {
      config: { nested: { y: 2, x: 1 }, token: "t" },
      companyId: "c2",
    });
    expect(replay.result).toBeNull();
  });

  it("lets a multiCompanyConfig plugin hold different configs per company", async () => {
    worker = new WorkerChild("worker-minimal.mjs", { FIXTURE_MULTI_COMPANY: "1" });
    await worker.initialize();
    await worker.request("configChanged", { config: { token: "a" }, companyId: "c1" });
    expect(
      (await worker.request("configChanged", { config: { token: "b" }, companyId: "c2" })).result,
    ).toBeNull();
  });
});

describe("a worker without optional hooks", () => {
  let worker: WorkerChild;
  beforeAll(async () => {
    worker = new WorkerChild("worker-minimal.mjs");
    await worker.initialize();
  });
  afterAll(() => worker.close());

  it("answers health with ok", async () => {
    expect((await worker.request("health", {})).result).toEqual({ status: "ok" });
  });

  it.each([
    ["validateConfig", { config: {} }],
    ["handleWebhook", { endpointKey: "x", headers: {}, rawBody: "", requestId: "r" }],
    ["handleApiRequest", { routeKey: "x" }],
    ["detectExternalObjects", { companyId: "c1", urls: [] }],
    ["loginPtyOpen", { hostRouteId: "r" }],
    ["duplexChannelClose", { hostRouteId: "r" }],
  ])("answers %s with METHOD_NOT_IMPLEMENTED", async (method, params) => {
    expect((await worker.request(method, params)).error).toEqual({
      code: -32004,
      message: `${method} is not implemented by this plugin`,
    });
  });

  it("still accepts configChanged (the host restarts the worker when onConfigChanged is absent)", async () => {
    expect((await worker.request("configChanged", { config: {}, companyId: null })).result).toBeNull();
  });
});

describe("process lifecycle", () => {
  let worker: WorkerChild;
  afterEach(() => worker.close());

  it("shutdown runs onShutdown, answers, then exits 0", async () => {
    worker = stateAnswers(new WorkerChild("worker-full.mjs")).handle("events.subscribe", () => ({
      result: null,
    }));
    await worker.initialize();
    const response = await worker.request("shutdown", {});
    expect(response.result).toBeNull();
    const log = worker.received.findIndex((m) => m.method === "log" && m.params.message === "shutting down");
    expect(log).toBeGreaterThanOrEqual(0);
    expect(log).toBeLessThan(worker.received.indexOf(response));
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });

  it("exits 0 when stdin closes", async () => {
    worker = new WorkerChild("worker-minimal.mjs");
    await worker.initialize();
    worker.process.stdin.end();
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });

  it("reports an uncaught exception as an error log, then exits 1", async () => {
    worker = stateAnswers(new WorkerChild("worker-full.mjs")).handle("events.subscribe", () => ({
      result: null,
    }));
    await worker.initialize();
    await worker.request("performAction", { key: "crash", params: {} });
    const log = await worker.waitFor((m) => m.method === "log" && m.params.level === "error");
    expect(log.params.message).toBe("Uncaught exception: crashed on a timer");
    expect(log.params.meta.stack).toContain("crashed on a timer");
    expect(await worker.exited).toEqual({ code: 1, signal: null });
  });

  it("reports an unhandled rejection as an error log and keeps serving", async () => {
    worker = stateAnswers(new WorkerChild("worker-full.mjs")).handle("events.subscribe", () => ({
      result: null,
    }));
    await worker.initialize();
    await worker.request("performAction", { key: "reject-later", params: {} });
    const log = await worker.waitFor((m) => m.method === "log" && m.params.level === "error");
    expect(log.params.message).toBe("Unhandled rejection: nobody caught this");
    expect((await worker.request("health", {})).result).toEqual({
      status: "degraded",
      message: "slow upstream",
    });
  });
});
