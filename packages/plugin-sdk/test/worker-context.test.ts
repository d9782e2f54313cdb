/**
 * Each ctx method becomes exactly one worker→host message with the published method name and
 * params, and hands back the host's answer (or its error). Driven through a real worker process.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WireMessage, WorkerChild } from "./worker-child.js";

type Case = [path: string, args: unknown[], method: string, params: Record<string, unknown>];

const C = "company-1";

const REQUEST_CASES: Case[] = [
  ["config.get", [], "config.get", {}],
  ["config.get", [C], "config.get", { companyId: C }],
  [
    "localFolders.configure",
    [{ companyId: C, folderKey: "docs", path: "/srv/docs", access: "read" }],
    "localFolders.configure",
    { companyId: C, folderKey: "docs", path: "/srv/docs", access: "read" },
  ],
  ["localFolders.status", [C, "docs"], "localFolders.status", { companyId: C, folderKey: "docs" }],
  [
    "localFolders.list",
    [C, "docs", { relativePath: "a", recursive: true, maxEntries: 5 }],
    "localFolders.list",
    { companyId: C, folderKey: "docs", relativePath: "a", recursive: true, maxEntries: 5 },
  ],
  [
    "localFolders.readText",
    [C, "docs", "a.md"],
    "localFolders.readText",
    { companyId: C, folderKey: "docs", relativePath: "a.md" },
  ],
  [
    "localFolders.writeTextAtomic",
    [C, "docs", "a.md", "hi"],
    "localFolders.writeTextAtomic",
    { companyId: C, folderKey: "docs", relativePath: "a.md", contents: "hi" },
  ],
  [
    "localFolders.deleteFile",
    [C, "docs", "a.md"],
    "localFolders.deleteFile",
    { companyId: C, folderKey: "docs", relativePath: "a.md" },
  ],
  ["events.emit", ["ping", C, { n: 1 }], "events.emit", { name: "ping", companyId: C, payload: { n: 1 } }],
  ["db.query", ["select 1", [1]], "db.query", { sql: "select 1", params: [1] }],
  ["db.execute", ["delete from t"], "db.execute", { sql: "delete from t" }],
  [
    "secrets.resolve",
    [
      { type: "secret_ref", secretId: "s1" },
      { companyId: C, configPath: "apiKey" },
    ],
    "secrets.resolve",
    { secretRef: { type: "secret_ref", secretId: "s1" }, companyId: C, configPath: "apiKey" },
  ],
  [
    "activity.log",
    [{ companyId: C, message: "did it", entityType: "issue", entityId: "i1", metadata: { a: 1 } }],
    "activity.log",
    { companyId: C, message: "did it", entityType: "issue", entityId: "i1", metadata: { a: 1 } },
  ],
  [
    "state.get",
    [{ scopeKind: "company", scopeId: C, stateKey: "k" }],
    "state.get",
    { scopeKind: "company", scopeId: C, stateKey: "k" },
  ],
  [
    "state.set",
    [{ scopeKind: "issue", scopeId: "i1", namespace: "ns", stateKey: "k" }, { v: 1 }],
    "state.set",
    { scopeKind: "issue", scopeId: "i1", namespace: "ns", stateKey: "k", value: { v: 1 } },
  ],
  [
    "state.set",
    [{ scopeKind: "instance", stateKey: "k" }, null],
    "state.set",
    { scopeKind: "instance", stateKey: "k", value: null },
  ],
  [
    "state.delete",
    [{ scopeKind: "run", scopeId: "r1", stateKey: "k" }],
    "state.delete",
    { scopeKind: "run", scopeId: "r1", stateKey: "k" },
  ],
  [
    "entities.upsert",
    [
      {
        entityType: "ticket",
        scopeKind: "company",
        scopeId: C,
        externalId: "T-1",
        title: "T",
        status: "open",
        data: {},
      },
    ],
    "entities.upsert",
    {
      entityType: "ticket",
      scopeKind: "company",
      scopeId: C,
      externalId: "T-1",
      title: "T",
      status: "open",
      data: {},
    },
  ],
  [
    "entities.list",
    [{ entityType: "ticket", limit: 10 }],
    "entities.list",
    { entityType: "ticket", limit: 10 },
  ],
  ["projects.list", [{ companyId: C, limit: 2 }], "projects.list", { companyId: C, limit: 2 }],
  ["projects.get", ["p1", C], "projects.get", { projectId: "p1", companyId: C }],
  ["projects.listWorkspaces", ["p1", C], "projects.listWorkspaces", { projectId: "p1", companyId: C }],
  [
    "projects.getPrimaryWorkspace",
    ["p1", C],
    "projects.getPrimaryWorkspace",
    { projectId: "p1", companyId: C },
  ],
  [
    "projects.getWorkspaceForIssue",
    ["i1", C],
    "projects.getWorkspaceForIssue",
    { issueId: "i1", companyId: C },
  ],
  [
    "projects.managed.reconcile",
    ["main", C],
    "projects.managed.reconcile",
    { projectKey: "main", companyId: C },
  ],
  ["executionWorkspaces.get", ["w1", C], "executionWorkspaces.get", { workspaceId: "w1", companyId: C }],
  [
    "routines.managed.run",
    ["daily", C, { projectId: "p1" }],
    "routines.managed.run",
    { routineKey: "daily", companyId: C, projectId: "p1" },
  ],
  [
    "routines.managed.update",
    ["daily", C, { status: "paused" }],
    "routines.managed.update",
    { routineKey: "daily", companyId: C, status: "paused" },
  ],
  ["skills.managed.get", ["s", C], "skills.managed.get", { skillKey: "s", companyId: C }],
  ["companies.list", [], "companies.list", {}],
  ["companies.list", [{ limit: 1, offset: 2 }], "companies.list", { limit: 1, offset: 2 }],
  ["companies.get", [C], "companies.get", { companyId: C }],
  [
    "issues.list",
    [{ companyId: C, status: "todo", limit: 5 }],
    "issues.list",
    { companyId: C, status: "todo", limit: 5 },
  ],
  ["issues.get", ["i1", C], "issues.get", { issueId: "i1", companyId: C }],
  [
    "issues.create",
    [{ companyId: C, title: "Fix", priority: "high", actor: { actorAgentId: "a1", actorRunId: "r1" } }],
    "issues.create",
    { companyId: C, title: "Fix", priority: "high", actorAgentId: "a1", actorRunId: "r1" },
  ],
  [
    "issues.update",
    ["i1", { status: "done" }, C, { actorUserId: "u1" }],
    "issues.update",
    { issueId: "i1", patch: { status: "done", actorUserId: "u1" }, companyId: C },
  ],
  [
    "issues.assertCheckoutOwner",
    [{ issueId: "i1", companyId: C, actorAgentId: "a1", actorRunId: "r1" }],
    "issues.assertCheckoutOwner",
    { issueId: "i1", companyId: C, actorAgentId: "a1", actorRunId: "r1" },
  ],
  [
    "issues.getSubtree",
    ["i1", C, { includeRoot: true }],
    "issues.getSubtree",
    { issueId: "i1", companyId: C, includeRoot: true },
  ],
  [
    "issues.requestWakeup",
    ["i1", C, { reason: "r", actorAgentId: "a1" }],
    "issues.requestWakeup",
    { issueId: "i1", companyId: C, reason: "r", actorAgentId: "a1" },
  ],
  [
    "issues.requestWakeups",
    [["i1", "i2"], C, { idempotencyKeyPrefix: "k" }],
    "issues.requestWakeups",
    { issueIds: ["i1", "i2"], companyId: C, idempotencyKeyPrefix: "k" },
  ],
  ["issues.listComments", ["i1", C], "issues.listComments", { issueId: "i1", companyId: C }],
  [
    "issues.createComment",
    ["i1", "hello", C, { authorAgentId: "a1" }],
    "issues.createComment",
    { issueId: "i1", body: "hello", companyId: C, authorAgentId: "a1" },
  ],
  [
    "issues.createInteraction",
    ["i1", { kind: "request_confirmation", title: "Sure?" }, C],
    "issues.createInteraction",
    { issueId: "i1", companyId: C, interaction: { kind: "request_confirmation", title: "Sure?" } },
  ],
  [
    "issues.suggestTasks",
    ["i1", { tasks: [] }, C],
    "issues.createInteraction",
    { issueId: "i1", companyId: C, interaction: { tasks: [], kind: "suggest_tasks" } },
  ],
  [
    "issues.askUserQuestions",
    ["i1", { questions: [] }, C],
    "issues.createInteraction",
    { issueId: "i1", companyId: C, interaction: { questions: [], kind: "ask_user_questions" } },
  ],
  [
    "issues.requestConfirmation",
    ["i1", { title: "ok" }, C, { authorAgentId: "a1" }],
    "issues.createInteraction",
    {
      issueId: "i1",
      companyId: C,
      interaction: { title: "ok", kind: "request_confirmation" },
      authorAgentId: "a1",
    },
  ],
  [
    "issues.requestCheckboxConfirmation",
    ["i1", { items: [] }, C],
    "issues.createInteraction",
    { issueId: "i1", companyId: C, interaction: { items: [], kind: "request_checkbox_confirmation" } },
  ],
  ["issues.listInteractions", ["i1", C], "issues.listInteractions", { issueId: "i1", companyId: C }],
  [
    "issues.respondInteraction",
    ["i1", "x1", { action: "accept", reason: "fine" }, C],
    "issues.respondInteraction",
    { issueId: "i1", interactionId: "x1", companyId: C, action: "accept", reason: "fine" },
  ],
  ["issues.listAttachments", ["i1", C], "issues.listAttachments", { issueId: "i1", companyId: C }],
  [
    "issues.getAttachmentContent",
    ["att1", C],
    "issues.getAttachmentContent",
    { attachmentId: "att1", companyId: C, maxBytes: null },
  ],
  ["issues.documents.list", ["i1", C], "issues.documents.list", { issueId: "i1", companyId: C }],
  [
    "issues.documents.get",
    ["i1", "plan", C],
    "issues.documents.get",
    { issueId: "i1", key: "plan", companyId: C },
  ],
  [
    "issues.documents.upsert",
    [{ issueId: "i1", key: "plan", body: "# Plan", companyId: C, title: "Plan" }],
    "issues.documents.upsert",
    { issueId: "i1", key: "plan", body: "# Plan", companyId: C, title: "Plan" },
  ],
  [
    "issues.documents.delete",
    ["i1", "plan", C],
    "issues.documents.delete",
    { issueId: "i1", key: "plan", companyId: C },
  ],
  ["issues.relations.get", ["i1", C], "issues.relations.get", { issueId: "i1", companyId: C }],
  [
    "issues.relations.setBlockedBy",
    ["i1", ["i2"], C],
    "issues.relations.setBlockedBy",
    { issueId: "i1", companyId: C, blockedByIssueIds: ["i2"] },
  ],
  [
    "issues.relations.addBlockers",
    ["i1", ["i3"], C, { actorRunId: "r1" }],
    "issues.relations.addBlockers",
    { issueId: "i1", companyId: C, blockerIssueIds: ["i3"], actorRunId: "r1" },
  ],
  [
    "issues.relations.removeBlockers",
    ["i1", ["i3"], C],
    "issues.relations.removeBlockers",
    { issueId: "i1", companyId: C, blockerIssueIds: ["i3"] },
  ],
  [
    "issues.summaries.getOrchestration",
    [{ issueId: "i1", companyId: C, includeSubtree: true }],
    "issues.summaries.getOrchestration",
    { issueId: "i1", companyId: C, includeSubtree: true },
  ],
  [
    "approvals.list",
    [{ companyId: C, status: "pending" }],
    "approvals.list",
    { companyId: C, status: "pending" },
  ],
  ["approvals.get", ["ap1", C], "approvals.get", { approvalId: "ap1", companyId: C }],
  [
    "approvals.decide",
    ["ap1", { action: "approve", decisionNote: "ok" }, C],
    "approvals.decide",
    { approvalId: "ap1", companyId: C, action: "approve", decisionNote: "ok" },
  ],
  ["agents.list", [{ companyId: C, status: "idle" }], "agents.list", { companyId: C, status: "idle" }],
  ["agents.get", ["a1", C], "agents.get", { agentId: "a1", companyId: C }],
  ["agents.pause", ["a1", C], "agents.pause", { agentId: "a1", companyId: C }],
  ["agents.resume", ["a1", C], "agents.resume", { agentId: "a1", companyId: C }],
  [
    "agents.invoke",
    ["a1", C, { prompt: "go", reason: "because" }],
    "agents.invoke",
    { agentId: "a1", companyId: C, prompt: "go", reason: "because" },
  ],
  ["agents.managed.get", ["bot", C], "agents.managed.get", { agentKey: "bot", companyId: C }],
  [
    "agents.sessions.create",
    ["a1", C, { taskKey: "t" }],
    "agents.sessions.create",
    { agentId: "a1", companyId: C, taskKey: "t" },
  ],
  ["agents.sessions.list", ["a1", C], "agents.sessions.list", { agentId: "a1", companyId: C }],
  ["goals.list", [{ companyId: C, level: "company" }], "goals.list", { companyId: C, level: "company" }],
  ["goals.get", ["g1", C], "goals.get", { goalId: "g1", companyId: C }],
  ["goals.create", [{ companyId: C, title: "Grow" }], "goals.create", { companyId: C, title: "Grow" }],
  [
    "goals.update",
    ["g1", { status: "achieved" }, C],
    "goals.update",
    { goalId: "g1", patch: { status: "achieved" }, companyId: C },
  ],
  ["access.members.list", [{ companyId: C }], "access.members.list", { companyId: C }],
  ["access.invites.revoke", ["inv1", C], "access.invites.revoke", { inviteId: "inv1", companyId: C }],
  ["authorization.policies.summary", [C], "authorization.policies.summary", { companyId: C }],
  [
    "authorization.audit.search",
    [{ companyId: C, limit: 3 }],
    "authorization.audit.search",
    { companyId: C, limit: 3 },
  ],
  [
    "metrics.write",
    ["latency", 12.5, { route: "x" }],
    "metrics.write",
    { name: "latency", value: 12.5, tags: { route: "x" } },
  ],
  [
    "telemetry.track",
    ["clicked", { n: 1 }],
    "telemetry.track",
    { eventName: "clicked", dimensions: { n: 1 } },
  ],
];

const VOID_METHODS = new Set([
  "events.emit",
  "state.set",
  "state.delete",
  "activity.log",
  "metrics.write",
  "telemetry.track",
]);

describe("ctx methods over the wire", () => {
  let worker: WorkerChild;
  const hostAnswer = { answered: true };

  beforeAll(async () => {
    worker = new WorkerChild("worker-full.mjs");
    worker.handle("events.subscribe", () => ({ result: null }));
    for (const [, , method] of REQUEST_CASES) worker.handle(method, () => ({ result: hostAnswer }));
    worker.handle("state.get", (params) => ({ result: params.stateKey === "boot" ? null : hostAnswer }));
    worker.handle("http.fetch", (params) => ({
      result:
        params.url === "https://example.test/empty"
          ? { status: 204, statusText: "No Content", headers: {}, body: "" }
          : {
              status: 202,
              statusText: "Accepted",
              headers: { "x-reply": "yes" },
              body: JSON.stringify(params.init ?? null),
            },
    }));
    worker.handle("agents.sessions.sendMessage", () => ({ result: { runId: "run-1" } }));
    worker.handle("agents.sessions.close", () => ({ result: null }));
    worker.handle("span.record", () => ({ result: null }));
    await worker.initialize();
  });
  afterAll(() => worker.close());

  /** Call a ctx method through the fixture's ctx-call action; return the result and the wire message. */
  async function callCtx(
    path: string,
    args: unknown[],
    method: string,
  ): Promise<{ response: WireMessage; sent: WireMessage }> {
    const mark = worker.received.length;
    const response = await worker.request("performAction", { key: "ctx-call", params: { path, args } });
    const sent = worker.since(mark).filter((m) => m.method === method);
    expect(sent).toHaveLength(1);
    return { response, sent: sent[0]! };
  }

  it.each(REQUEST_CASES)("%s → %s", async (path, args, method, params) => {
    const { response, sent } = await callCtx(path, args, method);
    expect(sent.params).toEqual(params);
    expect(typeof sent.id).toBe("number");
    expect(response.error).toBeUndefined();
    // Methods typed Promise<void> drop the host's result; the rest hand it back.
    expect(response.result).toEqual({ returned: VOID_METHODS.has(method) ? "undefined" : hostAnswer });
  });

  it("localFolders.declarations answers locally from the manifest", async () => {
    const mark = worker.received.length;
    const response = await worker.request("performAction", {
      key: "ctx-call",
      params: { path: "localFolders.declarations", args: [] },
    });
    expect(response.result).toEqual({ returned: [] });
    expect(worker.since(mark).filter((m) => m.method !== undefined)).toEqual([]);
  });

  it("a host error reaches the plugin as a JsonRpcCallError with the host's code", async () => {
    worker.handle("goals.create", () => ({
      error: {
        code: -32001,
        message: 'Plugin "x" is missing required capability "goals.create" for method "goals.create"',
      },
    }));
    const response = await worker.request("performAction", {
      key: "ctx-call",
      params: { path: "goals.create", args: [{ companyId: C, title: "Nope" }] },
    });
    expect(response.error).toEqual({
      code: -32001,
      message: 'Plugin "x" is missing required capability "goals.create" for method "goals.create"',
    });
  });

  it("a method the host does not know comes back as METHOD_NOT_FOUND", async () => {
    const response = await worker.request("performAction", {
      key: "ctx-call",
      params: { path: "skills.managed.reset", args: ["s", C] },
    });
    // skills.managed.reset has no host handler in this test host.
    expect(response.error).toEqual({
      code: -32601,
      message: 'Host does not handle method "skills.managed.reset"',
    });
  });

  it("events.on whose subscription the host refuses logs a warning and does not fail", async () => {
    const response = await worker.request("performAction", {
      key: "subscribe",
      params: { pattern: "goal.created" },
    });
    expect(response.result).toBe("subscribing");
    worker.handle("events.subscribe", () => ({ error: { code: -32001, message: "no events.subscribe" } }));
    await worker.request("performAction", { key: "subscribe", params: { pattern: "goal.updated" } });
    const warning = await worker.waitFor((m) => m.method === "log" && m.params.level === "warn");
    expect(warning.params).toEqual({
      level: "warn",
      message: 'Failed to subscribe to event "goal.updated" on host: no events.subscribe',
    });
  });

  it("http.fetch flattens the request and returns a real Response", async () => {
    const response = await worker.request("performAction", {
      key: "fetch",
      params: {
        url: "https://example.test/x",
        init: { method: "POST", headers: [["x-a", "1"]], body: "payload" },
      },
    });
    expect(worker.outgoing("http.fetch").at(-1)!.params).toEqual({
      url: "https://example.test/x",
      init: { method: "POST", headers: { "x-a": "1" }, body: "payload" },
    });
    expect(response.result).toEqual({
      isResponse: true,
      status: 202,
      statusText: "Accepted",
      header: "yes",
      text: JSON.stringify({ method: "POST", headers: { "x-a": "1" }, body: "payload" }),
    });
  });

  it("http.fetch sends no init when none is given and handles a body-less status", async () => {
    const plain = await worker.request("performAction", {
      key: "fetch",
      params: { url: "https://example.test/y" },
    });
    expect(worker.outgoing("http.fetch").at(-1)!.params).toEqual({ url: "https://example.test/y" });
    expect(plain.result.text).toBe("null");
    const empty = await worker.request("performAction", {
      key: "fetch",
      params: { url: "https://example.test/empty" },
    });
    expect(empty.result).toMatchObject({ isResponse: true, status: 204, text: "" });
  });

  it("ctx.logger sends log notifications at each level", async () => {
    const mark = worker.received.length;
    await worker.request("performAction", { key: "print", params: {} });
    const logs = worker.since(mark).filter((m) => m.method === "log");
    expect(logs.map((m) => m.params)).toEqual([
      { level: "warn", message: "warned", meta: { k: "v" } },
      { level: "debug", message: "debugged" },
      { level: "error", message: "errored" },
    ]);
    expect(logs.every((m) => m.id === undefined)).toBe(true);
  });

  it("streams send open/emit/close notifications with the company from open()", async () => {
    const mark = worker.received.length;
    await worker.request("performAction", { key: "streams", params: { channel: "progress", companyId: C } });
    const streamed = worker.since(mark).filter((m) => String(m.method).startsWith("streams."));
    expect(streamed.map((m) => [m.method, m.params, m.id])).toEqual([
      ["streams.open", { channel: "progress", companyId: C }, undefined],
      ["streams.emit", { channel: "progress", companyId: C, event: { n: 1 } }, undefined],
      ["streams.emit", { channel: "progress", companyId: C, event: { n: 2 } }, undefined],
      ["streams.close", { channel: "progress", companyId: C }, undefined],
      ["streams.emit", { channel: "never-opened", companyId: "", event: { n: 3 } }, undefined],
    ]);
  });

  it("a span records once, and only when the host sent a traceparent", async () => {
    let mark = worker.received.length;
    await worker.request("performAction", { key: "span", params: {} });
    expect(worker.since(mark).filter((m) => m.method === "span.record")).toEqual([]);

    mark = worker.received.length;
    await worker.request(
      "performAction",
      { key: "span", params: {} },
      {
        paperclipInvocation: { id: "inv-span", scope: { companyId: C }, traceparent: "00-abc-def-01" },
      },
    );
    const spans = worker.since(mark).filter((m) => m.method === "span.record");
    expect(spans).toHaveLength(1);
    expect(spans[0]!.paperclipInvocationId).toBe("inv-span");
    expect(spans[0]!.params).toMatchObject({
      name: "work",
      attributes: { a: 1, b: "two" },
      status: { code: 1 },
    });
    expect(spans[0]!.params.endTimeMs).toBeGreaterThanOrEqual(spans[0]!.params.startTimeMs);
  });

  it("agent session events reach the onEvent callback until the session is closed", async () => {
    const sent = await worker.request("performAction", {
      key: "session",
      params: { sessionId: "s-1", companyId: C },
    });
    expect(sent.result).toEqual({ runId: "run-1" });
    const chunk = {
      sessionId: "s-1",
      runId: "run-1",
      seq: 1,
      eventType: "chunk",
      stream: "stdout",
      message: "hi",
      payload: null,
    };
    worker.notify("agents.sessions.event", chunk);
    worker.notify("agents.sessions.event", { ...chunk, sessionId: "other-session" });
    // A throwing callback is logged, not fatal.
    worker.notify("agents.sessions.event", { ...chunk, seq: 2, message: "explode" });
    const log = await worker.waitFor(
      (m) => m.method === "log" && String(m.params.message).includes("callback exploded"),
    );
    expect(log.params.level).toBe("error");
    await worker.request("performAction", {
      key: "close-session",
      params: { sessionId: "s-1", companyId: C },
    });
    worker.notify("agents.sessions.event", { ...chunk, seq: 3, eventType: "done" });
    const observed = await worker.request("getData", { key: "observed", params: {} });
    expect(observed.result.sessionEvents).toEqual([chunk]);
  });
});
