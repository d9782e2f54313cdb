// The egress routes with a real worker: GET/PUT …/egress (defaults, strict validation with 400s naming the entry,
// 403 for callers that are not instance admins, activity in every company), a policy change applying to the very
// next ctx.http.fetch without a restart, and GET …/outbound (newest first, paged, filtered, no query strings).
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_BOARD_ACTOR } from "../../src/domain/actor.js";
import { buildApp } from "../../src/http/app.js";
import { registerPluginEgressRoutes } from "../../src/http/plugins/egress-routes.js";
import type { PluginIdentity } from "../../src/plugins/host-services/index.js";
import { ENGINES } from "../support/database.js";
import { ServicesBed, type TestWorker } from "./fixtures/services/bed.js";

describe.each(ENGINES)("egress routes (%s)", (engine) => {
  let bed: ServicesBed;
  let app: FastifyInstance;
  let baseUrl: string;
  let server: http.Server;
  let serverUrl: string;
  let plugin: PluginIdentity;
  let worker: TestWorker;
  let companies: Array<{ id: string }>;
  let runId: string;

  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(baseUrl + path, {
      method,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const egressPath = () => `/api/plugins/${plugin.pluginId}/egress`;
  const fetchVia = (url: string, companyId: string | null = companies[0]!.id) =>
    worker.ctx("http.fetch", [url], companyId);

  beforeAll(async () => {
    bed = await ServicesBed.open(engine, {
      outboundAllowList: ["fixture.egress-routes=10.0.0.0/8", "other.plugin=192.168.0.0/16"],
    });
    companies = [await bed.company("Alpha"), await bed.company("Beta")];
    plugin = await bed.plugin({ key: "fixture.egress-routes", capabilities: ["http.outbound"] });
    worker = await bed.worker(plugin);
    app = await buildApp({
      db: bed.db,
      config: { deploymentMode: "local_trusted", bodyLimitBytes: 1024 * 1024 },
      logger: false,
      services: bed.services,
    });
    registerPluginEgressRoutes(app, { egress: bed.factory.egress, access: bed.access() });
    await app.listen({ port: 0, host: "127.0.0.1" });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    server = http.createServer((request, response) => response.end(`ok ${request.url}`));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // An agent in a running run: a caller that is not the instance admin.
    const agent = await bed.services.agents.create(LOCAL_BOARD_ACTOR, companies[0]!.id, {
      name: "Agent",
      role: "engineer",
    });
    const run = await bed.services.runs.wakeup(LOCAL_BOARD_ACTOR, agent.id, { reason: "test" });
    await bed.services.runs.setStatus(LOCAL_BOARD_ACTOR, run.id, { status: "running" });
    runId = run.id;
  });
  afterAll(async () => {
    await app?.close();
    await bed?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("shows the default policy, the instance grants for this plugin only, and the host's limits", async () => {
    const response = await api("GET", egressPath());
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      pluginId: plugin.pluginId,
      pluginKey: "fixture.egress-routes",
      mode: "any-public",
      allow: [],
      privateGrants: [],
      timeoutMs: null,
      maxResponseBytes: null,
      updatedAt: null,
      updatedBy: null,
      instanceGrants: ["10.0.0.0/8"],
      defaults: { timeoutMs: 30_000, maxResponseBytes: 32 * 1024 * 1024 },
      log: { maxRowsPerPlugin: 2_000, retentionDays: 7 },
    });
    const byKey = await api("GET", "/api/plugins/fixture.egress-routes/egress");
    expect(byKey.body.pluginId).toBe(plugin.pluginId);
  });

  it("answers 404 for an unknown plugin and 403 for a caller that is not the instance admin", async () => {
    for (const [method, path, body] of [
      ["GET", "/api/plugins/no.such.plugin/egress"],
      ["PUT", "/api/plugins/no.such.plugin/egress", { mode: "any-public" }],
      ["GET", "/api/plugins/no.such.plugin/outbound"],
    ] as const) {
      const response = await api(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.error).toBe("Plugin not found");
    }
    const asAgent = { "x-paperclip-run-id": runId };
    for (const [method, path, body] of [
      ["GET", egressPath()],
      ["PUT", egressPath(), { mode: "any-public", privateGrants: ["0.0.0.0/0"] }],
      ["GET", `/api/plugins/${plugin.pluginId}/outbound`],
    ] as const) {
      const response = await api(method, path, body, asAgent);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body.error).toBe("Instance admin access required");
    }
    expect((await api("GET", egressPath())).body.privateGrants).toEqual([]);
  });

  const badBodies: Array<[string, unknown, RegExp]> = [
    ["no mode", {}, /body\.mode is required|must have required property 'mode'/],
    ["an unknown mode", { mode: "open" }, /body\.mode must be one of/],
    ["an unknown field", { mode: "any-public", allowList: [] }, /allowList/],
    ["allow as text", { mode: "allow-list", allow: "x.com" }, /body\.allow must be array/],
    ["a number entry", { mode: "allow-list", allow: [5] }, /body\.allow\.0 must be string/],
    [
      "a URL entry",
      { mode: "allow-list", allow: ["ok.example", "https://x.com/v1"] },
      /^allow\[1\] "https:\/\/x\.com\/v1": leave out the scheme/,
    ],
    ["a query entry", { mode: "allow-list", allow: ["x.com/a?b=c"] }, /allow\[0\] .*query string/],
    ["a dot-dot prefix", { mode: "allow-list", allow: ["x.com/a/../b"] }, /"\." or "\.\." segments/],
    ["a tld wildcard", { mode: "allow-list", allow: ["*.com"] }, /whole top-level domain/],
    [
      "a grant with host bits",
      { mode: "any-public", privateGrants: ["192.168.1.1/16"] },
      /privateGrants\[0\] .*did you mean 192\.168\.0\.0\/16\?/,
    ],
    ["a URL grant", { mode: "any-public", privateGrants: ["http://10.0.0.1"] }, /not a URL/],
    ["a tiny timeout", { mode: "any-public", timeoutMs: 5 }, /body\.timeoutMs must be >= 100/],
    ["a huge timeout", { mode: "any-public", timeoutMs: 600_000 }, /body\.timeoutMs must be <= 30000/],
    [
      "a tiny response cap",
      { mode: "any-public", maxResponseBytes: 100 },
      /body\.maxResponseBytes must be >= 1024/,
    ],
    [
      "201 entries",
      { mode: "allow-list", allow: Array(201).fill("x.com") },
      /must NOT have more than 200 items/,
    ],
  ];
  for (const [what, body, message] of badBodies) {
    it(`PUT refuses ${what} with a 400 naming it`, async () => {
      const response = await api("PUT", egressPath(), body);
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(message);
    });
  }

  it("stores a normalized policy, logs the change in every company, and applies it to the next call", async () => {
    // Before: loopback is refused (no grant), as for every plugin.
    const refused = await fetchVia(`${serverUrl}/before`);
    expect(refused.caught?.message).toMatch(
      /^http\.fetch: refusing to connect to 127\.0\.0\.1 \(127\.0\.0\.1\): loopback/,
    );

    const port = new URL(serverUrl).port;
    const saved = await api("PUT", egressPath(), {
      mode: "allow-list",
      allow: [` 127.0.0.1:${port}/OK/%7Eme `, `127.0.0.1:${port}/public/`],
      privateGrants: ["127.0.0.1", "127.0.0.1"],
      timeoutMs: 5_000,
      maxResponseBytes: null,
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      mode: "allow-list",
      allow: [`127.0.0.1:${port}/OK/~me`, `127.0.0.1:${port}/public/`],
      privateGrants: ["127.0.0.1"],
      timeoutMs: 5_000,
      maxResponseBytes: null,
      updatedBy: "local-board",
    });
    expect(Date.parse(saved.body.updatedAt)).not.toBeNaN();
    expect((await api("GET", egressPath())).body).toEqual(saved.body);

    // No restart: the very next calls run under the new policy.
    const allowed = await fetchVia(`${serverUrl}/OK/~me/profile?secret=1`);
    expect(allowed.result).toMatchObject({ status: 200, body: "ok /OK/~me/profile?secret=1" });
    const outside = await fetchVia(`${serverUrl}/OK/~meow`);
    expect(outside.caught?.message).toMatch(
      /path "\/OK\/~meow" of 127\.0\.0\.1:\d+ is outside the allowed path prefixes/,
    );
    const otherHost = await fetchVia("http://localhost.example.invalid/OK/~me");
    expect(otherHost.caught?.message).toMatch(/localhost\.example\.invalid is not on its allow-list/);

    for (const company of companies) {
      const activity = await bed.services.activity.list(company.id, {
        entityType: "plugin",
        entityId: plugin.pluginId,
      });
      expect(activity.map((row) => row.action)).toContain("plugin.egress.updated");
      const row = activity.find((entry) => entry.action === "plugin.egress.updated")!;
      expect(row.details).toMatchObject({
        pluginKey: "fixture.egress-routes",
        mode: "allow-list",
        previousMode: "any-public",
        allowEntries: 2,
        privateGrants: 1,
        timeoutMs: 5_000,
      });
      expect(JSON.stringify(row.details)).not.toContain("127.0.0.1");
    }

    // Back to the default: loopback refused again on the next call.
    const reset = await api("PUT", egressPath(), { mode: "any-public" });
    expect(reset.body).toMatchObject({ mode: "any-public", allow: [], privateGrants: [], timeoutMs: null });
    const again = await fetchVia(`${serverUrl}/OK/~me`);
    expect(again.caught?.message).toMatch(/refusing to connect to 127\.0\.0\.1/);
  });

  it("lists outbound calls newest first, paged and filtered, without query strings", async () => {
    await api("PUT", egressPath(), { mode: "any-public", privateGrants: ["127.0.0.1"] });
    await fetchVia(`${serverUrl}/page/1?token=s3cret`);
    await fetchVia("file:///etc/passwd");
    await fetchVia(`${serverUrl}/page/2?token=s3cret`, null);
    const first = await api("GET", `/api/plugins/${plugin.pluginId}/outbound?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    const [newest, previous] = first.body.items;
    expect(newest).toMatchObject({
      pluginId: plugin.pluginId,
      companyId: null,
      method: "GET",
      scheme: "http",
      host: new URL(serverUrl).host,
      path: "/page/2",
      address: "127.0.0.1",
      outcome: "completed",
      status: 200,
      reason: null,
      requestBytes: 0,
      responseBytes: Buffer.byteLength("ok /page/2?token=s3cret"),
    });
    expect(previous).toMatchObject({
      scheme: "file",
      host: "",
      outcome: "refused",
      companyId: companies[0]!.id,
    });
    expect(previous.reason).toMatch(/only http: and https: URLs are allowed/);
    expect(newest.id).toBeGreaterThan(previous.id);
    expect(JSON.stringify(first.body)).not.toContain("s3cret");
    expect(first.body.nextBefore).toBe(previous.id);

    const second = await api(
      "GET",
      `/api/plugins/${plugin.pluginId}/outbound?limit=1&before=${first.body.nextBefore}`,
    );
    expect(second.body.items[0]).toMatchObject({ path: "/page/1", outcome: "completed" });

    const refusedOnly = await api(
      "GET",
      `/api/plugins/${plugin.pluginId}/outbound?outcome=refused&limit=500`,
    );
    expect(refusedOnly.body.items.length).toBeGreaterThanOrEqual(4);
    expect(refusedOnly.body.items.every((call: { outcome: string }) => call.outcome === "refused")).toBe(
      true,
    );
    expect(refusedOnly.body.nextBefore).toBeNull();
  });

  const badQueries: Array<[string, RegExp]> = [
    ["limit=0", /limit must be an integer from 1 to 500 \(got "0"\)/],
    ["limit=501", /limit must be an integer from 1 to 500/],
    ["limit=ten", /limit must be an integer/],
    ["before=abc", /before must be a call id from a previous page's nextBefore \(got "abc"\)/],
    ["before=-1", /before must be a call id/],
    ["outcome=ok", /outcome must be one of: completed, refused, failed \(got "ok"\)/],
  ];
  for (const [query, message] of badQueries) {
    it(`GET …/outbound?${query} is a 400 naming the parameter`, async () => {
      const response = await api("GET", `/api/plugins/${plugin.pluginId}/outbound?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(message);
    });
  }
});
