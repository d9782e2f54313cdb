// Host services over the domain, called by a real worker: issues (origin rule, company ownership), comments,
// documents, relations, agents (invoke, pause, sessions), goals, approvals, projects and workspaces, activity,
// plugin events, outbound HTTP with its private-address guard.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { PluginEvent } from "@paperclipai/plugin-sdk/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_BOARD_ACTOR } from "../../src/domain/actor.js";
import type { PluginIdentity } from "../../src/plugins/host-services/index.js";
import { ENGINES } from "../support/database.js";
import { ServicesBed, type TestWorker } from "./fixtures/services/bed.js";

const CAPS = [
  "issues.read",
  "issues.create",
  "issues.update",
  "issue.comments.read",
  "issue.comments.create",
  "issue.documents.read",
  "issue.documents.write",
  "issue.relations.read",
  "issue.relations.write",
  "issues.wakeup",
  "issues.checkout",
  "agents.read",
  "agents.pause",
  "agents.resume",
  "agents.invoke",
  "agent.sessions.create",
  "agent.sessions.list",
  "agent.sessions.send",
  "agent.sessions.close",
  "goals.read",
  "goals.create",
  "goals.update",
  "approvals.read",
  "approvals.respond",
  "projects.read",
  "project.workspaces.read",
  "companies.read",
  "activity.log.write",
  "events.emit",
  "events.subscribe",
  "http.outbound",
  "plugin.state.read",
  "plugin.state.write",
];

describe.each(ENGINES)("host services over the domain (%s)", (engine) => {
  let bed: ServicesBed;
  let company: { id: string };
  let other: { id: string };
  let plugin: PluginIdentity;
  let worker: TestWorker;
  let server: http.Server;
  let serverUrl: string;

  const ok = async (path: string, args: unknown[], companyId: string | null = company.id) => {
    const outcome = await worker.ctx(path, args, companyId);
    if (outcome.caught)
      throw new Error(`ctx.${path} failed: ${outcome.caught.code} ${outcome.caught.message}`);
    return outcome.result;
  };

  beforeAll(async () => {
    bed = await ServicesBed.open(engine, { outboundAllowList: ["fixture.http-granted=127.0.0.1"] });
    company = await bed.company("Alpha");
    other = await bed.company("Beta");
    plugin = await bed.plugin({ key: "fixture.domain", capabilities: CAPS });
    worker = await bed.worker(plugin);
    server = http.createServer((request, response) => {
      response.setHeader("x-echo", request.method ?? "");
      response.end(`hello ${request.url}`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await bed?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("creates issues with the plugin's origin and refuses another plugin's namespace", async () => {
    const created = await ok("issues.create", [{ companyId: company.id, title: "From plugin" }]);
    expect(created.originKind).toBe("plugin:fixture.domain");
    expect(created.companyId).toBe(company.id);
    const sub = await ok("issues.create", [
      { companyId: company.id, title: "Sub", originKind: "plugin:fixture.domain:sync", originId: "ext-1" },
    ]);
    expect(sub.originKind).toBe("plugin:fixture.domain:sync");

    const foreign = await worker.ctx(
      "issues.create",
      [{ companyId: company.id, title: "x", originKind: "plugin:other.plugin" }],
      company.id,
    );
    expect(foreign.caught?.message).toContain(
      'params.originKind "plugin:other.plugin" is outside this plugin\'s namespace',
    );
    const manual = await worker.ctx(
      "issues.create",
      [{ companyId: company.id, title: "x", originKind: "manual" }],
      company.id,
    );
    expect(manual.caught?.message).toContain("outside this plugin's namespace");

    const byPrefix = await ok("issues.list", [
      { companyId: company.id, originKindPrefix: "plugin:fixture.domain:" },
    ]);
    expect(byPrefix.map((issue: { id: string }) => issue.id)).toEqual([sub.id]);
  });

  it("treats another company's issue as missing even when the call names its own company", async () => {
    const foreign = await bed.services.issues.create(LOCAL_BOARD_ACTOR, other.id, { title: "Beta's" });
    expect(await ok("issues.get", [foreign.id, company.id])).toBeNull();
    const update = await worker.ctx(
      "issues.update",
      [foreign.id, { title: "hijack" }, company.id],
      company.id,
    );
    expect(update.caught?.message).toContain(`issue "${foreign.id}" not found in company "${company.id}"`);
    expect((await bed.services.issues.get(foreign.id)).title).toBe("Beta's");
  });

  it("updates issues, and refuses fields that cannot change", async () => {
    const issue = await ok("issues.create", [{ companyId: company.id, title: "Before" }]);
    const updated = await ok("issues.update", [issue.id, { title: "After", priority: "high" }, company.id]);
    expect(updated).toMatchObject({ title: "After", priority: "high" });
    const origin = await worker.ctx(
      "issues.update",
      [issue.id, { originKind: "plugin:fixture.domain:x" }, company.id],
      company.id,
    );
    expect(origin.caught?.message).toContain("params.patch.originKind cannot be changed");
    const bogus = await worker.ctx(
      "issues.update",
      [issue.id, { status: "exploded" }, company.id],
      company.id,
    );
    expect(bogus.caught?.message).toContain("params.patch.status must be one of");
  });

  it("refuses text PostgreSQL cannot store in issues, comments and state values with -32602, storing nothing", async () => {
    const issue = await ok("issues.create", [{ companyId: company.id, title: "Clean" }]);
    const cases: Array<[string, unknown[], string]> = [
      [
        "issues.create",
        [{ companyId: company.id, title: "a\u0000b" }],
        "issues.create: params.title must not contain",
      ],
      [
        "issues.createComment",
        [issue.id, "x\u0000", company.id],
        "issues.createComment: params.body must not contain",
      ],
      [
        "state.set",
        [{ scopeKind: "company", scopeId: company.id, stateKey: "k" }, { nested: ["\ud800"] }],
        "state.set: params.value.nested[0] must be valid Unicode",
      ],
      [
        "state.set",
        [{ scopeKind: "company", scopeId: company.id, stateKey: "k" }, { $deep: 500 }],
        "state.set: JSON nested deeper than 64 levels at params.value.a.a",
      ],
    ];
    for (const [path, args, message] of cases) {
      const outcome = await worker.ctx(path, args, company.id);
      expect(outcome.caught?.code, path).toBe(-32602);
      expect(outcome.caught?.message, path).toContain(message);
    }
    expect(await ok("state.get", [{ scopeKind: "company", scopeId: company.id, stateKey: "k" }])).toBeNull();
    expect(await ok("issues.listComments", [issue.id, company.id])).toEqual([]);
  });

  it("writes and reads comments, documents and blocker relations", async () => {
    const issue = await ok("issues.create", [{ companyId: company.id, title: "Threaded" }]);
    const blocker = await ok("issues.create", [{ companyId: company.id, title: "Blocker" }]);
    const comment = await ok("issues.createComment", [issue.id, "First!", company.id]);
    expect(comment).toMatchObject({ issueId: issue.id, body: "First!" });
    expect(
      (await ok("issues.listComments", [issue.id, company.id])).map((c: { body: string }) => c.body),
    ).toEqual(["First!"]);
    const asHuman = await worker.ctx(
      "issues.createComment",
      [issue.id, "In your name", company.id, { actorUserId: "user-1" }],
      company.id,
    );
    expect(asHuman.caught).toEqual({
      code: -32001,
      message:
        'Plugin "fixture.domain" is missing required capability "issue.comments.create_human_attributed" for method "issues.createComment"',
    });

    await ok("issues.documents.upsert", [
      { issueId: issue.id, key: "plan", body: "# Plan", companyId: company.id, title: "Plan" },
    ]);
    expect(await ok("issues.documents.get", [issue.id, "plan", company.id])).toMatchObject({
      key: "plan",
      body: "# Plan",
    });
    const summaries = await ok("issues.documents.list", [issue.id, company.id]);
    expect(summaries).toHaveLength(1);
    expect(summaries[0].body).toBeUndefined();
    await ok("issues.documents.delete", [issue.id, "plan", company.id]);
    expect(await ok("issues.documents.get", [issue.id, "plan", company.id])).toBeNull();

    const relations = await ok("issues.relations.setBlockedBy", [issue.id, [blocker.id], company.id]);
    expect(relations.blockedBy.map((b: { id: string }) => b.id)).toEqual([blocker.id]);
    expect(
      (await ok("issues.relations.get", [blocker.id, company.id])).blocks.map((b: { id: string }) => b.id),
    ).toEqual([issue.id]);
  });

  it("invokes, pauses and resumes agents, and keeps agent sessions per plugin", async () => {
    const agent = await bed.services.agents.create(LOCAL_BOARD_ACTOR, company.id, { name: "Worker Bee" });
    expect((await ok("agents.get", [agent.id, company.id])).name).toBe("Worker Bee");
    expect(await ok("agents.get", [agent.id, other.id], other.id)).toBeNull();

    const { runId } = await ok("agents.invoke", [agent.id, company.id, { prompt: "Summarise the backlog" }]);
    const run = await bed.services.runs.get(runId);
    expect(run.agentId).toBe(agent.id);
    expect(run.contextSnapshot).toMatchObject({ prompt: "Summarise the backlog" });

    expect((await ok("agents.pause", [agent.id, company.id])).status).toBe("paused");
    expect((await ok("agents.resume", [agent.id, company.id])).status).toBe("idle");

    const session = await ok("agents.sessions.create", [agent.id, company.id, { reason: "chat" }]);
    expect(session).toMatchObject({ agentId: agent.id, companyId: company.id, status: "active" });
    expect(
      (await ok("agents.sessions.list", [agent.id, company.id])).map(
        (s: { sessionId: string }) => s.sessionId,
      ),
    ).toEqual([session.sessionId]);
    const sent = await ok("agents.sessions.sendMessage", [
      session.sessionId,
      company.id,
      { prompt: "hello" },
    ]);
    expect((await bed.services.runs.get(sent.runId)).agentId).toBe(agent.id);
    await ok("agents.sessions.close", [session.sessionId, company.id]);
    const again = await worker.ctx("agents.sessions.close", [session.sessionId, company.id], company.id);
    expect(again.caught?.message).toContain(`session "${session.sessionId}" not found`);
  });

  it("reads and writes goals, decides approvals", async () => {
    const goal = await ok("goals.create", [{ companyId: company.id, title: "Ship it", level: "company" }]);
    expect((await ok("goals.update", [goal.id, { status: "active" }, company.id])).status).toBe("active");
    expect(await ok("goals.get", [goal.id, other.id], other.id)).toBeNull();

    const approval = await bed.services.approvals.create(LOCAL_BOARD_ACTOR, company.id, {
      type: "request_board_approval",
      payload: { what: "budget" },
    });
    expect(
      (await ok("approvals.list", [{ companyId: company.id }])).map((a: { id: string }) => a.id),
    ).toContain(approval.id);
    const decided = await ok("approvals.decide", [
      approval.id,
      { action: "approve", decisionNote: "fine" },
      company.id,
    ]);
    expect(decided.applied).toBe(true);
    expect(decided.approval.status).toBe("approved");
  });

  it("lists projects and their workspaces", async () => {
    const project = await bed.services.projects.create(LOCAL_BOARD_ACTOR, company.id, { name: "Core" });
    await bed.services.workspaces.create(LOCAL_BOARD_ACTOR, project.id, {
      cwd: "/srv/core",
      isPrimary: true,
    });
    expect((await ok("projects.get", [project.id, company.id])).name).toBe("Core");
    const workspaces = await ok("projects.listWorkspaces", [project.id, company.id]);
    expect(workspaces).toHaveLength(1);
    expect(workspaces[0]).toMatchObject({ projectId: project.id, path: "/srv/core", isPrimary: true });
    expect((await ok("projects.getPrimaryWorkspace", [project.id, company.id])).id).toBe(workspaces[0].id);
    const issue = await ok("issues.create", [
      { companyId: company.id, title: "In project", projectId: project.id },
    ]);
    expect((await ok("projects.getWorkspaceForIssue", [issue.id, company.id])).id).toBe(workspaces[0].id);
  });

  it("logs activity as the plugin", async () => {
    await ok("activity.log", [
      { companyId: company.id, message: "synced 3 tickets", metadata: { count: 3 } },
    ]);
    const rows = await bed.services.activity.list(company.id, { entityType: "plugin" });
    const row = rows.find((r) => r.action === "synced 3 tickets");
    expect(row).toMatchObject({ actorType: "plugin", actorId: plugin.pluginId, entityId: plugin.pluginId });
  });

  it("publishes plugin events under the plugin's namespace and refuses reserved names", async () => {
    const seen: PluginEvent[] = [];
    const listener = (event: PluginEvent) => seen.push(event);
    bed.factory.pluginEvents.on("event", listener);
    try {
      await ok("events.emit", ["sync.done", company.id, { count: 2 }]);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({
        eventType: "plugin.fixture.domain.sync.done",
        actorType: "plugin",
        actorId: "fixture.domain",
        companyId: company.id,
        payload: { count: 2 },
      });
      const reserved = await worker.ctx("events.emit", ["plugin.fake", company.id, {}], company.id);
      expect(reserved.caught?.message).toContain('params.name must not start with "plugin."');
      const elsewhere = await worker.ctx("events.emit", ["sync.done", other.id, {}], company.id);
      expect(elsewhere.caught?.code).toBe(-32005);
    } finally {
      bed.factory.pluginEvents.off("event", listener);
    }
  });

  it("refuses private addresses for http.fetch unless granted, and non-http URLs always", async () => {
    const refused = await worker.ctx("http.fetch", [`${serverUrl}/x`], company.id);
    expect(refused.caught?.message).toContain("refusing to connect to 127.0.0.1 (127.0.0.1)");
    const scheme = await worker.ctx("http.fetch", ["file:///etc/passwd"], company.id);
    expect(scheme.caught?.message).toContain('only http: and https: URLs are allowed (got "file:")');

    // The instance allow-list grants it to one plugin by key.
    const granted = await bed.plugin({ key: "fixture.http-granted", capabilities: ["http.outbound"] });
    const grantedWorker = await bed.worker(granted);
    const response = await grantedWorker.ctx(
      "http.fetch",
      [`${serverUrl}/granted`, { method: "POST", body: "x" }],
      company.id,
    );
    expect(response.caught).toBeUndefined();
    expect(response.result).toMatchObject({
      status: 200,
      body: "hello /granted",
      headers: { "x-echo": "POST" },
    });
  });

  it("lets a company's config grant private hosts to calls for that company only", async () => {
    const byConfig = await bed.plugin({ capabilities: ["http.outbound"] });
    await bed.factory.configStore.save({ id: byConfig.pluginId, schema: undefined }, company.id, {
      paperclipAllowedHosts: ["127.0.0.1"],
    });
    const configWorker = await bed.worker(byConfig);
    const allowed = await configWorker.action(
      "ctx",
      { path: "http.fetch", args: [`${serverUrl}/cfg`] },
      company.id,
    );
    expect(allowed.result.status).toBe(200);
    const denied = await configWorker.action(
      "ctx",
      { path: "http.fetch", args: [`${serverUrl}/cfg`] },
      other.id,
    );
    expect(denied.caught.message).toContain("refusing to connect");
  });
});
