// Scoped plugin API routes with real workers (reference §11): matching declared routes, the input the worker
// gets (params, query, body, actor, company, allow-listed headers), auth modes, company resolution and access,
// the checkout policies for agents, JSON only (415) and the 1 000 000-byte limit (413), the worker's status
// and headers, and the error map (403 denied, 501 no onApiRequest, 502 worker error, 503 not ready).
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentActor, LOCAL_BOARD_ACTOR } from "../../src/domain/actor.js";
import { FORWARDED_REQUEST_HEADERS } from "../../src/plugins/api-routes/index.js";
import { ENGINES } from "../support/database.js";
import {
  BRIDGE_FIXTURES,
  type BridgeHost,
  copyBridgeKit,
  seedCompany,
  startBridgeHost,
  tempFolders,
} from "./fixtures/bridge/support.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());

describe.each(ENGINES)("scoped plugin API routes on %s", (engine) => {
  let host: BridgeHost;
  let pluginId: string;
  let acme: Awaited<ReturnType<typeof seedCompany>>;
  let globex: Awaited<ReturnType<typeof seedCompany>>;

  beforeAll(async () => {
    host = await startBridgeHost(engine);
    acme = await seedCompany(host.services, "Acme");
    globex = await seedCompany(host.services, "Globex");
    pluginId = (await host.install(copyBridgeKit(temp.make("api")))).id;
  });
  afterAll(async () => {
    await host?.close();
  });

  const api = (method: string, rest: string, body?: unknown, headers?: Record<string, string>) =>
    host.request(method, `/api/plugins/${pluginId}/api${rest}`, body, headers);
  const asAgentOf = (seed: typeof acme) => ({ "x-paperclip-run-id": seed.run.id });

  it("passes a matched GET to onApiRequest with params, query, actor, company and allow-listed headers", async () => {
    const response = await api("GET", `/things/t-1?companyId=${acme.company.id}&tag=a&tag=b`, undefined, {
      "x-request-id": "req-1",
      "user-agent": "tests",
      "x-secret": "must not pass",
      cookie: "session=1",
    });
    expect(response.status).toBe(200);
    const { input } = response.body;
    expect(input).toEqual({
      routeKey: "things.get",
      method: "GET",
      path: "/things/t-1",
      params: { thingId: "t-1" },
      query: { companyId: acme.company.id, tag: ["a", "b"] },
      body: null,
      actor: { actorType: "user", actorId: "local-board", userId: "local-board", agentId: null, runId: null },
      companyId: acme.company.id,
      headers: expect.objectContaining({ "x-request-id": "req-1", "user-agent": "tests" }),
    });
    for (const name of Object.keys(input.headers)) expect(FORWARDED_REQUEST_HEADERS).toContain(name);
    expect(input.headers["x-secret"]).toBeUndefined();
    expect(input.headers.cookie).toBeUndefined();
  });

  it("decodes captured segments, finds the plugin by key, and passes JSON bodies", async () => {
    const encoded = await api("GET", `/things/a%2Fb%20c?companyId=${acme.company.id}`);
    expect(encoded.body.input.params).toEqual({ thingId: "a/b c" });
    const byKey = await host.request(
      "GET",
      `/api/plugins/bridge.kit/api/things/k?companyId=${acme.company.id}`,
    );
    expect(byKey.status).toBe(200);
    const created = await api("POST", "/things", { companyId: acme.company.id, name: "widget" });
    expect(created.status).toBe(201);
    expect(created.body.input.body).toEqual({ companyId: acme.company.id, name: "widget" });
    const twoParams = await api("DELETE", `/peek/x/y?companyId=${acme.company.id}`);
    expect(twoParams.body.input.params).toEqual({ a: "x", b: "y" });
  });

  it("answers 404 for unknown plugins, undeclared paths and methods, and plugins without API routes", async () => {
    const unknown = await host.request("GET", "/api/plugins/no.such.plugin/api/things/1");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: "Plugin not found" });
    const undeclared = await api("GET", `/nope?companyId=${acme.company.id}`);
    expect(undeclared.status).toBe(404);
    expect(undeclared.body.error).toBe("Plugin API route not found: GET /nope");
    expect((await api("PATCH", "/things", { companyId: acme.company.id })).status).toBe(404);
    expect((await api("GET", "/things/a/b")).status).toBe(404);
    const basic = await host.install(path.join(BRIDGE_FIXTURES, "../runtime/basic-plugin"));
    const none = await host.request("GET", `/api/plugins/${basic.id}/api/anything`);
    expect(none.status).toBe(404);
    expect(none.body.error).toBe("Plugin runtime.basic declares no API routes");
  });

  it("enforces each route's auth mode", async () => {
    const agentOnBoard = await api("POST", "/things", { companyId: acme.company.id }, asAgentOf(acme));
    expect(agentOnBoard.status).toBe(403);
    expect(agentOnBoard.body.error).toBe('API route "things.create" requires a board user');
    const boardOnAgent = await api("GET", "/mine");
    expect(boardOnAgent.status).toBe(403);
    expect(boardOnAgent.body.error).toMatch(/^API route "mine" requires an agent/);
    const agent = await api("GET", "/mine", undefined, asAgentOf(acme));
    expect(agent.status).toBe(200);
    expect(agent.body.input.companyId).toBe(acme.company.id);
    expect(agent.body.input.actor).toEqual({
      actorType: "agent",
      actorId: acme.agent.id,
      agentId: acme.agent.id,
      userId: null,
      runId: acme.run.id,
    });
    const webhook = await api("POST", `/hook?companyId=${acme.company.id}`, {});
    expect(webhook.status).toBe(422);
    expect(webhook.body.error).toMatch(/uses auth "webhook", which requires a signature verifier/);
  });

  it("resolves the company as declared and checks access to it", async () => {
    const noQuery = await api("GET", "/things/1");
    expect(noQuery.status).toBe(400);
    expect(noQuery.body.error).toBe(
      'API route "things.get" takes its company from the query parameter "companyId", which is missing',
    );
    const noBody = await api("POST", "/things", { name: "x" });
    expect(noBody.status).toBe(400);
    expect(noBody.body.error).toBe(
      'API route "things.create" takes its company from body.companyId, which must be a company id',
    );
    const implicit = await api("GET", "/implicit");
    expect(implicit.status).toBe(400);
    expect(implicit.body.error).toMatch(/declares no companyResolution/);
    const foreign = await api("GET", `/things/1?companyId=${globex.company.id}`, undefined, asAgentOf(acme));
    expect(foreign.status).toBe(403);
    const missing = await api("GET", "/things/1?companyId=00000000-0000-4000-8000-000000000007");
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe("Company not found");
  });

  it("applies the checkout policies to agents, taking the company from the issue", async () => {
    const issue = await host.services.issues.create(LOCAL_BOARD_ACTOR, acme.company.id, {
      title: "Do the thing",
      assigneeAgentId: acme.agent.id,
    });
    const agentHeaders = asAgentOf(acme);
    const notCheckedOut = await api("POST", `/issues/${issue.id}/work`, {}, agentHeaders);
    expect(notCheckedOut.status).toBe(409);
    expect(notCheckedOut.body.error).toMatch(/is not checked out by agent .* in run/);
    // Not in progress: the soft policy does not apply yet.
    expect((await api("POST", `/issues/${issue.id}/soft`, {}, agentHeaders)).status).toBe(201);

    await host.services.checkout.checkout(agentActor(acme.agent.id, acme.run.id), issue.id, {
      agentId: acme.agent.id,
      expectedStatuses: [issue.status as "todo"],
    });
    const work = await api("POST", `/issues/${issue.id}/work`, {}, agentHeaders);
    expect(work.status).toBe(201);
    expect(work.body.input.companyId).toBe(acme.company.id);
    expect(work.body.input.params).toEqual({ issueId: issue.id });
    expect((await api("POST", `/issues/${issue.id}/soft`, {}, agentHeaders)).status).toBe(201);

    // Another run of the same agent does not hold the checkout.
    const otherRun = await host.services.runs.wakeup(LOCAL_BOARD_ACTOR, acme.agent.id, {
      reason: "second run",
    });
    await host.services.runs.setStatus(LOCAL_BOARD_ACTOR, otherRun.id, { status: "running" });
    const soft = await api("POST", `/issues/${issue.id}/soft`, {}, { "x-paperclip-run-id": otherRun.id });
    expect(soft.status).toBe(409);
    // Board users are not subject to checkout policies.
    expect((await api("POST", `/issues/${issue.id}/soft`, {})).status).toBe(201);
    const unknownIssue = await api("POST", "/issues/00000000-0000-4000-8000-000000000008/soft", {});
    expect(unknownIssue.status).toBe(404);
    expect(unknownIssue.body.error).toBe("Issue not found");
  });

  it("accepts JSON only (415) and at most 1 000 000 bytes (413)", async () => {
    const text = await fetch(`${host.baseUrl}/api/plugins/${pluginId}/api/things`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "hello",
    });
    expect(text.status).toBe(415);
    expect(((await text.json()) as { error: string }).error).toBe(
      "Plugin API routes accept JSON only (Content-Type: application/json), got text/plain",
    );
    const large = await api("POST", "/things", { companyId: acme.company.id, blob: "x".repeat(1_000_001) });
    expect(large.status).toBe(413);
    expect(large.body.error).toBe("Plugin API request bodies are limited to 1000000 bytes");
    const malformed = await fetch(`${host.baseUrl}/api/plugins/${pluginId}/api/things`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{oops",
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: string }).error).toMatch(/^Malformed JSON body/);
  });

  it("answers with the worker's status (200–599), its allowed headers only, and no body for 204", async () => {
    const teapot = await api("GET", `/status/418?companyId=${acme.company.id}`);
    expect(teapot.status).toBe(418);
    expect(teapot.body).toEqual({ ok: true });
    expect(teapot.headers.get("etag")).toBe('"v1"');
    expect(teapot.headers.get("cache-control")).toBe("no-store");
    expect(teapot.headers.get("x-internal")).toBeNull();
    expect(teapot.headers.get("set-cookie")).toBeNull();
    const empty = await fetch(
      `${host.baseUrl}/api/plugins/${pluginId}/api/status/204?companyId=${acme.company.id}`,
    );
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe("");
    for (const code of ["700", "100", "abc"]) {
      expect((await api("GET", `/status/${code}?companyId=${acme.company.id}`)).status, code).toBe(200);
    }
  });

  it("maps worker failures: 403 scope denied, 502 handler error, 501 without onApiRequest, 503 not ready", async () => {
    const scope = await api("GET", `/scope?companyId=${acme.company.id}&other=${globex.company.id}`);
    expect(scope.status).toBe(403);
    expect(scope.body.error).toContain(globex.company.id);
    const thrown = await api("GET", `/throws?companyId=${acme.company.id}`);
    expect(thrown.status).toBe(502);
    expect(thrown.body).toEqual({ error: "api handler exploded" });

    const bare = await host.install(path.join(BRIDGE_FIXTURES, "bridge-bare"));
    const unimplemented = await host.request(
      "GET",
      `/api/plugins/${bare.id}/api/ping?companyId=${acme.company.id}`,
    );
    expect(unimplemented.status).toBe(501);
    expect(unimplemented.body).toEqual({ error: "Plugin bridge.bare does not implement onApiRequest" });

    await host.request("POST", `/api/plugins/${pluginId}/disable`, {});
    try {
      const disabled = await api("GET", `/things/1?companyId=${acme.company.id}`);
      expect(disabled.status).toBe(503);
      expect(disabled.body).toEqual({ error: "Plugin is not ready (current status: disabled)" });
    } finally {
      await host.request("POST", `/api/plugins/${pluginId}/enable`);
    }
    expect((await api("GET", `/things/1?companyId=${acme.company.id}`)).status).toBe(200);
  });
});
