// Table-driven over the OpenAPI document of a host in authenticated mode (every domain and plugin route, the
// bridge-kit fixture plugin installed): for EVERY operation it asserts who gets past the access check.
//   anonymous  → 401, except the public operations (health, the webhook intake);
//   a viewer   → 403 on every write (non-GET) operation of the company, and on instance-admin operations;
//   an outsider (signed in, no role in the company) → 403, or 404 "… not found (or you are not a member …)", on every
//               operation that acts in the company;
//   the owner  → never 401/403 (except instance-admin operations: 403; agent-only ones: an agent key passes);
//   the instance admin → never 401/403 on instance-admin operations.
// Each operation's rule is read from its `x-paperclip-access` (src/http/auth/route-access.ts): an operation without
// one fails the test, and so does a write declared as a read unless it is listed below with its reason. Requests name
// real ids of the seeded company; bodies are minimal, because the access decision comes before body validation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthHost, type Caller, type Reply, startAuthHost } from "../auth/support.js";
import { copyBridgeKit, tempFolders } from "../plugins/fixtures/bridge/support.js";
import { ENGINES } from "../support/database.js";

type Schema = Record<string, any>;

interface Access {
  caller: "anyone" | "signed-in" | "user" | "agent" | "admin";
  company?: string;
  need?: "read" | "write" | "owner";
}

interface Operation {
  method: string;
  path: string;
  access: Access | undefined;
}

/** Writes that act in no company: any signed-in person may do them for themselves. */
const PERSONAL_WRITES = new Set([
  "POST /api/companies",
  "POST /api/me/api-keys",
  "DELETE /api/me/api-keys/{keyId}",
]);
/** POST operations that only read: the worker's getData behind the UI bridge (need read access to the company). */
const POST_READS = new Set([
  "POST /api/plugins/{pluginId}/data/{key}",
  "POST /api/plugins/{pluginId}/bridge/data",
]);
/** The scoped plugin API: the manifest's route names the company; the handler checks it (read for GET, else write). */
const PLUGIN_API = "/api/plugins/{pluginId}/api/{*}";
const FAKE_ID = "00000000-0000-4000-8000-00000000abcd";

const key = (op: Operation) => `${op.method} ${op.path}`;

describe.each(ENGINES)("access to every route of the OpenAPI document, authenticated mode (%s)", (engine) => {
  let host: AuthHost;
  const temp = tempFolders();
  let operations: Operation[] = [];
  let admin: Caller;
  let owner: Caller;
  let viewer: Caller;
  let outsider: Caller;
  let agentCaller: Caller;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    host = await startAuthHost(engine, { plugins: true });
    ids.pluginId = (await host.install(copyBridgeKit(temp.make("authz")))).id;
    await host.createUser("admin@example.com", "Admin");
    ids.ownerId = (await host.createUser("owner@example.com", "Owner")).id;
    ids.viewerId = (await host.createUser("viewer@example.com", "Viewer")).id;
    ids.outsiderId = (await host.createUser("outsider@example.com", "Outsider")).id;
    admin = await host.signIn("admin@example.com");
    owner = await host.signIn("owner@example.com");
    viewer = await host.signIn("viewer@example.com");
    outsider = await host.signIn("outsider@example.com");

    const post = async (url: string, body: unknown, caller: Caller = owner) => {
      const reply = await host.request("POST", url, body, caller);
      if (reply.status >= 300) throw new Error(`seeding ${url}: ${reply.status} ${reply.text}`);
      return reply.body;
    };
    const company = await post("/api/companies", { name: "Seeded Co" });
    ids.companyId = company.id;
    await post(`/api/companies/${company.id}/members`, { email: "viewer@example.com", role: "viewer" });
    await post("/api/companies", { name: "Outsider's own" }, outsider);
    const agent = await post(`/api/companies/${company.id}/agents`, {
      name: "Seeded agent",
      role: "engineer",
    });
    ids.agentId = agent.id;
    ids.goalId = (await post(`/api/companies/${company.id}/goals`, { title: "Goal", level: "company" })).id;
    ids.projectId = (await post(`/api/companies/${company.id}/projects`, { name: "Project" })).id;
    const issue = await post(`/api/companies/${company.id}/issues`, { title: "Issue" });
    ids.issueId = issue.id;
    ids.commentId = (await post(`/api/issues/${issue.id}/comments`, { body: "a comment" })).id;
    const doc = await host.request(
      "PUT",
      `/api/issues/${issue.id}/documents/plan`,
      { format: "markdown", body: "# plan" },
      owner,
    );
    expect(doc.status).toBeLessThan(300);
    ids.approvalId = (
      await post(`/api/companies/${company.id}/approvals`, { type: "hire_agent", payload: {} })
    ).id;
    ids.runId = (await post(`/api/agents/${agent.id}/wakeup`, {})).id;
    ids.secretId = (
      await post(`/api/companies/${company.id}/secrets`, { name: "token", value: "s3cret" })
    ).id;
    agentCaller = { token: (await post(`/api/agents/${agent.id}/keys`, { name: "authz" })).token };
    await post(
      `/api/plugins/${ids.pluginId}/config`,
      { companyId: company.id, configJson: { greeting: "hi" } },
      admin,
    );

    const document = (await host.request("GET", "/api/openapi.json")).body as Schema;
    for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Schema>>)) {
      for (const [method, spec] of Object.entries(methods)) {
        operations.push({ method: method.toUpperCase(), path, access: spec["x-paperclip-access"] });
      }
    }
    // Writes last, deletions after them (children before parents), the company's own deletion and archive very last.
    const rank = (op: Operation) =>
      /^\/api\/companies\/\{companyId\}(\/archive)?$/.test(op.path) &&
      op.method !== "GET" &&
      op.method !== "PATCH"
        ? 3
        : op.method === "DELETE"
          ? 2
          : op.method === "GET"
            ? 0
            : 1;
    operations = operations.sort(
      (a, b) => rank(a) - rank(b) || (rank(a) === 2 ? b.path.length - a.path.length : 0),
    );
  }, 300_000);

  afterAll(async () => {
    await host?.close();
    temp.cleanup();
  });

  /** The URL and body of an operation: real ids of the seeded company, minimal bodies. */
  function requestOf(op: Operation, forAdmin = false): { url: string; body: unknown } {
    const segments = op.path.split("/");
    let url = op.path;
    for (const [index, segment] of segments.entries()) {
      const match = /^\{(.+)\}$/.exec(segment);
      if (!match) continue;
      const name = match[1]!;
      const before = segments[index - 1] ?? "";
      url = url.replace(segment, encodeURIComponent(paramValue(op, name, before, forAdmin)));
    }
    const access = op.access;
    const query = access?.company === "query:companyId" ? `?companyId=${ids.companyId}` : "";
    let body: unknown = op.method === "GET" || op.method === "DELETE" ? undefined : {};
    if (access?.company === "body:companyId") {
      body =
        op.path.endsWith("/bridge/data") || op.path.endsWith("/bridge/action")
          ? { key: "echo", companyId: ids.companyId }
          : { companyId: ids.companyId };
    }
    if (access?.company === "handler:body runContext.companyId") {
      body = {
        tool: "bridge.kit:echo",
        parameters: { text: "hi" },
        runContext: {
          agentId: ids.agentId,
          runId: ids.runId,
          companyId: ids.companyId,
          projectId: ids.projectId,
        },
      };
    }
    if (op.path === PLUGIN_API) {
      // things.get / things.create / peek resolve the company from the query or body; PUT and PATCH match no route.
      const byMethod: Record<string, { url: string; body?: unknown }> = {
        GET: { url: `things/t-1?companyId=${ids.companyId}` },
        POST: { url: "things", body: { companyId: ids.companyId } },
        DELETE: { url: `peek/a/b?companyId=${ids.companyId}` },
        PUT: { url: "things", body: {} },
        PATCH: { url: "things", body: {} },
      };
      const chosen = byMethod[op.method]!;
      return { url: `/api/plugins/${ids.pluginId}/api/${chosen.url}`, body: chosen.body };
    }
    return { url: url + query, body };
  }

  function paramValue(op: Operation, name: string, before: string, forAdmin: boolean): string {
    switch (name) {
      case "companyId":
        return ids.companyId!;
      case "pluginId":
        // The admin's writes to a plugin (lifecycle, settings, isolation): a missing one, so nothing is stopped.
        return forAdmin && op.method !== "GET" ? "no-such-plugin" : ids.pluginId!;
      case "id": {
        const byCollection: Record<string, string | undefined> = {
          issues: ids.issueId,
          agents: ids.agentId,
          projects: ids.projectId,
          goals: ids.goalId,
          approvals: ids.approvalId,
        };
        return byCollection[op.path.split("/")[2] ?? ""] ?? FAKE_ID;
      }
      case "runId":
        return before === "heartbeat-runs" ? ids.runId! : FAKE_ID;
      case "commentId":
        return ids.commentId!;
      case "secretId":
        return ids.secretId!;
      case "key":
        return before === "documents" ? "plan" : "echo";
      case "userId":
        return ids.outsiderId!;
      case "channel":
        return "updates";
      case "endpointKey":
        return "inbound";
      case "jobId":
        return "nightly";
      case "keyId":
      case "revisionId":
      case "workspaceId":
      case "incidentId":
      case "deliveryId":
        return FAKE_ID;
      default:
        // A new path parameter: fill it in above, with a real id where the route needs one.
        return FAKE_ID;
    }
  }

  async function call(op: Operation, caller: Caller, forAdmin = false): Promise<Reply> {
    const { url, body } = requestOf(op, forAdmin);
    return host.request(op.method, url, body, caller);
  }

  const actsInCompany = (op: Operation) => op.access?.company !== undefined || op.path === PLUGIN_API;
  const what = (op: Operation, reply: Reply) => `${key(op)} → ${reply.status} ${reply.text.slice(0, 160)}`;

  it("gives every operation an access rule, and every write needs write access, an owner or the admin", () => {
    expect(operations.length).toBeGreaterThan(120);
    const problems: string[] = [];
    for (const op of operations) {
      const access = op.access;
      if (!access) {
        problems.push(`${key(op)}: no x-paperclip-access`);
        continue;
      }
      if (op.method === "GET") continue;
      const guarded =
        access.caller === "admin" ||
        access.caller === "agent" ||
        access.need === "write" ||
        access.need === "owner" ||
        PERSONAL_WRITES.has(key(op)) ||
        POST_READS.has(key(op)) ||
        op.path === PLUGIN_API ||
        (access.caller === "anyone" && op.path.endsWith("/webhooks/{endpointKey}"));
      if (!guarded)
        problems.push(`${key(op)}: a write that needs no write access (${JSON.stringify(access)})`);
    }
    expect(problems).toEqual([]);
  });

  it("refuses anonymous callers on every operation but the public ones", async () => {
    const problems: string[] = [];
    let publicOps = 0;
    for (const op of operations) {
      const reply = await call(op, {});
      if (op.access?.caller === "anyone") {
        publicOps++;
        if (reply.status === 401) problems.push(`public ${what(op, reply)}`);
        continue;
      }
      if (reply.status !== 401) problems.push(what(op, reply));
      else if (!/Sign in required/.test(reply.text))
        problems.push(`401 without the sign-in hint: ${what(op, reply)}`);
    }
    expect(problems).toEqual([]);
    expect(publicOps).toBeGreaterThanOrEqual(2);
  }, 300_000);

  it("refuses a viewer every write of the company and every instance-admin operation; lets them read", async () => {
    const problems: string[] = [];
    for (const op of operations) {
      const access = op.access!;
      const reply = await call(op, viewer);
      const refused = reply.status === 401 || reply.status === 403;
      if (access.caller === "anyone") continue;
      if (access.caller === "admin" || access.caller === "agent") {
        if (!refused) problems.push(`admin/agent-only ${what(op, reply)}`);
      } else if (op.path === PLUGIN_API) {
        const expected =
          op.method === "GET" ? "read" : op.method === "PUT" || op.method === "PATCH" ? "none" : "refused";
        if (expected === "read" && refused) problems.push(what(op, reply));
        if (expected === "refused" && reply.status !== 403) problems.push(what(op, reply));
        // No manifest route answers PUT or PATCH: nothing runs, for anyone.
        if (expected === "none" && !(reply.status === 404 && /Plugin API route not found/.test(reply.text)))
          problems.push(what(op, reply));
      } else if (access.need === "write" || access.need === "owner") {
        if (reply.status !== 403) problems.push(what(op, reply));
        else if (!/required \(your role: viewer\)/.test(reply.text))
          problems.push(`unclear 403: ${what(op, reply)}`);
      } else if (op.method === "GET" || POST_READS.has(key(op))) {
        if (refused) problems.push(`read refused: ${what(op, reply)}`);
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it("refuses someone outside the company every operation that acts in it, without telling what exists", async () => {
    const problems: string[] = [];
    for (const op of operations) {
      if (op.access?.caller === "anyone") continue;
      const reply = await call(op, outsider);
      if (op.access?.caller === "admin" || op.access?.caller === "agent") {
        if (reply.status !== 401 && reply.status !== 403)
          problems.push(`admin/agent-only ${what(op, reply)}`);
        continue;
      }
      if (!actsInCompany(op)) continue;
      if (op.path === PLUGIN_API && (op.method === "PUT" || op.method === "PATCH")) continue;
      const hidden =
        reply.status === 404 && /not found \(or you are not a member of its company\)/.test(reply.text);
      if (reply.status !== 403 && !hidden) problems.push(what(op, reply));
    }
    expect(problems).toEqual([]);
    const listed = await host.request("GET", "/api/companies", undefined, outsider);
    expect(listed.body.map((company: { id: string }) => company.id)).not.toContain(ids.companyId);
  }, 300_000);

  it("refuses plugin bridge, stream and tool calls for another company with a clear error", async () => {
    const others = (await host.request("GET", "/api/companies", undefined, outsider)).body as Array<{
      id: string;
    }>;
    const foreign = others[0]!.id;
    const action = await host.request(
      "POST",
      `/api/plugins/${ids.pluginId}/actions/echo`,
      { companyId: foreign, params: {} },
      owner,
    );
    expect(action.status).toBe(404);
    expect(action.body.error).toBe(`Company ${foreign} not found (or you are not a member of its company)`);
    const own = await host.request(
      "POST",
      `/api/plugins/${ids.pluginId}/data/echo`,
      { companyId: ids.companyId },
      viewer,
    );
    expect(own.status, own.text).toBe(200);
    const viewerAction = await host.request(
      "POST",
      `/api/plugins/${ids.pluginId}/actions/echo`,
      { companyId: ids.companyId },
      viewer,
    );
    expect(viewerAction.status).toBe(403);
    expect(viewerAction.body.error).toBe(
      `Write access to company ${ids.companyId} required (your role: viewer)`,
    );
    const stream = await host.request(
      "GET",
      `/api/plugins/${ids.pluginId}/bridge/stream/updates?companyId=${foreign}`,
      undefined,
      owner,
    );
    expect(stream.status).toBe(404);
    // An instance-scoped bridge call (no companyId) is the instance admin's.
    const instanceScoped = await host.request("POST", `/api/plugins/${ids.pluginId}/data/echo`, {}, owner);
    expect(instanceScoped.status).toBe(403);
    expect(instanceScoped.body.error).toMatch(/Instance admin access required/);
    const tool = await host.request(
      "POST",
      "/api/plugins/tools/execute",
      {
        tool: "bridge.kit:echo",
        parameters: { text: "x" },
        runContext: { agentId: ids.agentId, runId: ids.runId, companyId: foreign, projectId: ids.projectId },
      },
      agentCaller,
    );
    expect(tool.status).toBe(403);
    expect(tool.body.error).toBe(`Agent ${ids.agentId} may only act for its own company, not ${foreign}`);
    const uiFile = await host.request(
      "GET",
      `/_plugins/${ids.pluginId}/ui/index.js?companyId=${foreign}`,
      undefined,
      owner,
    );
    expect(uiFile.status).toBe(404);
  });

  it("lets an agent key of the company past the check on agent operations", async () => {
    const problems: string[] = [];
    for (const op of operations.filter((op) => op.access?.caller === "agent")) {
      const reply = await call(op, agentCaller);
      if (reply.status === 401 || reply.status === 403) problems.push(what(op, reply));
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it("lets the owner past the check on every operation (the instance admin on admin operations)", async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const op of operations) {
      const access = op.access!;
      if (access.caller === "anyone" || access.caller === "agent") continue;
      if (access.caller === "admin") {
        const refusedOwner = await call(op, owner);
        if (refusedOwner.status !== 403) problems.push(`owner on admin-only ${what(op, refusedOwner)}`);
        const reply = await call(op, admin, true);
        if (reply.status === 401 || reply.status === 403) problems.push(`admin ${what(op, reply)}`);
        checked++;
        continue;
      }
      const reply = await call(op, owner);
      if (reply.status === 401 || reply.status === 403) problems.push(what(op, reply));
      checked++;
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  }, 600_000);
});
