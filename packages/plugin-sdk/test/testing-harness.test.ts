import {
  definePlugin,
  type PaperclipPluginManifestV1,
  PLUGIN_CAPABILITIES,
  type PluginCapability,
} from "@paperclipai/plugin-sdk";
import { createTestHarness, TestHarnessCapabilityError } from "@paperclipai/plugin-sdk/testing";
import { describe, expect, it } from "vitest";

function manifestWith(
  capabilities: PluginCapability[],
  extra: Partial<PaperclipPluginManifestV1> = {},
): PaperclipPluginManifestV1 {
  return {
    id: "acme.harness-test",
    apiVersion: 1,
    version: "1.0.0",
    displayName: "Harness test",
    description: "Exercises the test harness",
    author: "Acme",
    categories: ["automation"],
    capabilities,
    entrypoints: { worker: "./dist/worker.js" },
    ...extra,
  };
}

const denial = (capability: string) =>
  `Plugin 'acme.harness-test' is missing required capability '${capability}' in test harness`;

describe("createTestHarness: options", () => {
  it("rejects a manifest without an id, naming the field", () => {
    expect(() => createTestHarness({ manifest: { ...manifestWith([]), id: "" } })).toThrow(
      "createTestHarness: options.manifest.id must be a non-empty string (got an empty string)",
    );
  });

  it("rejects an unknown capability in the override, naming its index and value", () => {
    expect(() =>
      createTestHarness({
        manifest: manifestWith([]),
        capabilities: ["issues.read", "issues.fly" as PluginCapability],
      }),
    ).toThrow('createTestHarness: capabilities[1] "issues.fly" is not a known plugin capability');
  });

  it("rejects a non-array capabilities list", () => {
    expect(() =>
      createTestHarness({
        manifest: { ...manifestWith([]), capabilities: "issues.read" as unknown as PluginCapability[] },
      }),
    ).toThrow("must be an array (got the string");
  });

  it("rejects a non-object config", () => {
    expect(() => createTestHarness({ manifest: manifestWith([]), config: [] as never })).toThrow(
      "createTestHarness: options.config must be an object (got an array)",
    );
  });

  it("returns the published surface", () => {
    const harness = createTestHarness({ manifest: manifestWith([]) });
    for (const method of [
      "seed",
      "setConfig",
      "emit",
      "runJob",
      "getData",
      "performAction",
      "executeTool",
      "getState",
      "simulateSessionEvent",
    ] as const) {
      expect(typeof harness[method]).toBe("function");
    }
    for (const recorder of ["logs", "activity", "metrics", "telemetry", "dbQueries", "dbExecutes"] as const) {
      expect(harness[recorder]).toEqual([]);
    }
    expect(harness.ctx.manifest.id).toBe("acme.harness-test");
  });
});

describe("capability checks", () => {
  it("denies every gated ctx method when no capability is granted", async () => {
    const { ctx } = createTestHarness({ manifest: manifestWith([]) });
    const noop = async () => {};
    const cases: Array<[string, () => unknown]> = [
      ["events.subscribe", () => ctx.events.on("issue.created", noop)],
      ["events.emit", () => ctx.events.emit("done", "c1", {})],
      ["jobs.schedule", () => ctx.jobs.register("sync", noop)],
      [
        "agent.tools.register",
        () =>
          ctx.tools.register(
            "t",
            { displayName: "T", description: "d", parametersSchema: {} },
            async () => ({}),
          ),
      ],
      ["plugin.state.read", () => ctx.state.get({ scopeKind: "instance", stateKey: "k" })],
      ["plugin.state.write", () => ctx.state.set({ scopeKind: "instance", stateKey: "k" }, 1)],
      ["plugin.state.write", () => ctx.state.delete({ scopeKind: "instance", stateKey: "k" })],
      ["http.outbound", () => ctx.http.fetch("http://127.0.0.1:1/")],
      ["secrets.read-ref", () => ctx.secrets.resolve({ type: "secret_ref", secretId: "s" })],
      ["activity.log.write", () => ctx.activity.log({ companyId: "c1", message: "m" })],
      ["metrics.write", () => ctx.metrics.write("m", 1)],
      ["telemetry.track", () => ctx.telemetry.track("m")],
      ["database.namespace.read", () => ctx.db.query("select 1")],
      ["database.namespace.write", () => ctx.db.execute("delete from t")],
      ["companies.read", () => ctx.companies.list()],
      ["projects.read", () => ctx.projects.get("p", "c1")],
      ["project.workspaces.read", () => ctx.projects.listWorkspaces("p", "c1")],
      ["execution.workspaces.read", () => ctx.executionWorkspaces.get("w", "c1")],
      ["issues.read", () => ctx.issues.list({ companyId: "c1" })],
      ["issues.create", () => ctx.issues.create({ companyId: "c1", title: "t" })],
      ["issues.update", () => ctx.issues.update("i", { title: "t" }, "c1")],
      ["issue.comments.read", () => ctx.issues.listComments("i", "c1")],
      ["issue.comments.create", () => ctx.issues.createComment("i", "hi", "c1")],
      ["issue.documents.read", () => ctx.issues.documents.list("i", "c1")],
      ["issue.documents.write", () => ctx.issues.documents.delete("i", "k", "c1")],
      ["issue.relations.read", () => ctx.issues.relations.get("i", "c1")],
      ["issue.relations.write", () => ctx.issues.relations.addBlockers("i", [], "c1")],
      [
        "issues.checkout",
        () =>
          ctx.issues.assertCheckoutOwner({
            issueId: "i",
            companyId: "c1",
            actorAgentId: "a",
            actorRunId: "r",
          }),
      ],
      ["issue.subtree.read", () => ctx.issues.getSubtree("i", "c1")],
      ["issues.wakeup", () => ctx.issues.requestWakeup("i", "c1")],
      [
        "issues.orchestration.read",
        () => ctx.issues.summaries.getOrchestration({ issueId: "i", companyId: "c1" }),
      ],
      ["issue.interactions.read", () => ctx.issues.listInteractions("i", "c1")],
      ["issue.attachments.read", () => ctx.issues.listAttachments("i", "c1")],
      ["agents.read", () => ctx.agents.list({ companyId: "c1" })],
      ["agents.pause", () => ctx.agents.pause("a", "c1")],
      ["agents.resume", () => ctx.agents.resume("a", "c1")],
      ["agents.invoke", () => ctx.agents.invoke("a", "c1", { prompt: "p" })],
      ["agents.managed", () => ctx.agents.managed.get("k", "c1")],
      ["agent.sessions.create", () => ctx.agents.sessions.create("a", "c1")],
      ["agent.sessions.list", () => ctx.agents.sessions.list("a", "c1")],
      ["agent.sessions.send", () => ctx.agents.sessions.sendMessage("s", "c1", { prompt: "p" })],
      ["agent.sessions.close", () => ctx.agents.sessions.close("s", "c1")],
      ["goals.read", () => ctx.goals.list({ companyId: "c1" })],
      ["goals.create", () => ctx.goals.create({ companyId: "c1", title: "g" })],
      ["goals.update", () => ctx.goals.update("g", { title: "t" }, "c1")],
      ["approvals.read", () => ctx.approvals.list({ companyId: "c1" })],
      ["approvals.respond", () => ctx.approvals.decide("ap", { action: "approve" }, "c1")],
      ["local.folders", () => ctx.localFolders.status("c1", "docs")],
      ["projects.managed", () => ctx.projects.managed.get("k", "c1")],
      ["routines.managed", () => ctx.routines.managed.get("k", "c1")],
      ["skills.managed", () => ctx.skills.managed.get("k", "c1")],
      ["access.members.read", () => ctx.access.members.list({ companyId: "c1" })],
      ["authorization.grants.read", () => ctx.authorization.grants.list({ companyId: "c1" })],
    ];
    for (const [capability, call] of cases) {
      await expect(Promise.resolve().then(call), capability).rejects.toThrow(denial(capability));
    }
  });

  it("throws a typed error carrying the capability and the host's JSON-RPC code", async () => {
    const { ctx } = createTestHarness({ manifest: manifestWith([]) });
    const error = await ctx.issues.list({ companyId: "c1" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TestHarnessCapabilityError);
    expect(error).toMatchObject({ capability: "issues.read", code: -32001, pluginId: "acme.harness-test" });
  });

  it("requires the human-attribution grant only when a comment is written in a user's name", async () => {
    const harness = createTestHarness({ manifest: manifestWith(["issues.create", "issue.comments.create"]) });
    const issue = await harness.ctx.issues.create({ companyId: "c1", title: "Needs a reply" });
    await expect(harness.ctx.issues.createComment(issue.id, "from the plugin", "c1")).resolves.toMatchObject({
      authorType: "system",
    });
    await expect(
      harness.ctx.issues.createComment(issue.id, "as a human", "c1", { actorUserId: "user-1" }),
    ).rejects.toThrow(denial("issue.comments.create_human_attributed"));
  });

  it("lets the capabilities option narrow the manifest grant", async () => {
    const manifest = manifestWith(["plugin.state.read", "plugin.state.write"]);
    const harness = createTestHarness({ manifest, capabilities: ["plugin.state.read"] });
    await expect(harness.ctx.state.get({ scopeKind: "instance", stateKey: "k" })).resolves.toBeNull();
    await expect(harness.ctx.state.set({ scopeKind: "instance", stateKey: "k" }, 1)).rejects.toThrow(
      denial("plugin.state.write"),
    );
  });

  it("leaves the ungated calls open: config, data, actions, launchers, entities, logger, streams", async () => {
    const harness = createTestHarness({ manifest: manifestWith([]), config: { greeting: "hi" } });
    const { ctx } = harness;
    await expect(ctx.config.get()).resolves.toEqual({ greeting: "hi" });
    ctx.data.register("d", async () => 1);
    ctx.actions.register("a", async () => 2);
    ctx.launchers.register({
      id: "open",
      displayName: "Open",
      placementZone: "toolbarButton",
      action: { type: "navigate", target: "x" },
    });
    await expect(ctx.entities.list({})).resolves.toEqual([]);
    ctx.logger.warn("careful", { n: 1 });
    ctx.streams.open("progress", "c1");
    ctx.streams.emit("progress", { pct: 50 });
    ctx.streams.close("progress");
    expect(harness.logs).toEqual([{ level: "warn", message: "careful", meta: { n: 1 } }]);
  });
});

describe("state", () => {
  const harness = () =>
    createTestHarness({ manifest: manifestWith(["plugin.state.read", "plugin.state.write"]) });

  it("keeps a stored null distinct from a value that was never set", async () => {
    const { ctx, getState } = harness();
    await ctx.state.set({ scopeKind: "instance", stateKey: "cursor" }, null);
    expect(getState({ scopeKind: "instance", stateKey: "cursor" })).toBeNull();
    expect(getState({ scopeKind: "instance", stateKey: "never" })).toBeUndefined();
    await expect(ctx.state.get({ scopeKind: "instance", stateKey: "never" })).resolves.toBeNull();
  });

  it("partitions values by scopeKind, scopeId, namespace and stateKey, namespace defaulting to 'default'", async () => {
    const { ctx, getState } = harness();
    await ctx.state.set({ scopeKind: "project", scopeId: "p1", stateKey: "k" }, "p1-default");
    await ctx.state.set(
      { scopeKind: "project", scopeId: "p1", namespace: "linear", stateKey: "k" },
      "p1-linear",
    );
    await ctx.state.set({ scopeKind: "project", scopeId: "p2", stateKey: "k" }, "p2-default");
    await ctx.state.set({ scopeKind: "issue", scopeId: "p1", stateKey: "k" }, "issue-p1");
    expect(getState({ scopeKind: "project", scopeId: "p1", namespace: "default", stateKey: "k" })).toBe(
      "p1-default",
    );
    expect(getState({ scopeKind: "project", scopeId: "p1", namespace: "linear", stateKey: "k" })).toBe(
      "p1-linear",
    );
    expect(getState({ scopeKind: "project", scopeId: "p2", stateKey: "k" })).toBe("p2-default");
    expect(getState({ scopeKind: "issue", scopeId: "p1", stateKey: "k" })).toBe("issue-p1");
  });

  it("returns falsy values as stored, upserts, and deletes idempotently", async () => {
    const { ctx } = harness();
    const key = { scopeKind: "company", scopeId: "c1", stateKey: "count" } as const;
    await ctx.state.set(key, 0);
    await expect(ctx.state.get(key)).resolves.toBe(0);
    await ctx.state.set(key, false);
    await expect(ctx.state.get(key)).resolves.toBe(false);
    await ctx.state.delete(key);
    await ctx.state.delete(key);
    await expect(ctx.state.get(key)).resolves.toBeNull();
  });

  it("stores a JSON copy, as the host does: later mutation does not leak, Dates become strings", async () => {
    const { ctx } = harness();
    const value = { tags: ["a"], at: new Date("2026-01-02T03:04:05.000Z") };
    await ctx.state.set({ scopeKind: "instance", stateKey: "doc" }, value);
    value.tags.push("b");
    await expect(ctx.state.get({ scopeKind: "instance", stateKey: "doc" })).resolves.toEqual({
      tags: ["a"],
      at: "2026-01-02T03:04:05.000Z",
    });
  });

  it("rejects malformed scope keys and values, naming the field", async () => {
    const { ctx } = harness();
    await expect(ctx.state.get({ scopeKind: "planet" as "instance", stateKey: "k" })).rejects.toThrow(
      'ctx.state.get: scopeKind must be one of instance, company, project, project_workspace, agent, issue, goal, run (got the string "planet")',
    );
    await expect(ctx.state.set({ scopeKind: "instance", stateKey: "" }, 1)).rejects.toThrow(
      "ctx.state.set: stateKey must be a non-empty string (got an empty string)",
    );
    await expect(ctx.state.set({ scopeKind: "project", scopeId: "", stateKey: "k" }, 1)).rejects.toThrow(
      "ctx.state.set: scopeId must be a non-empty string when present (got an empty string)",
    );
    await expect(ctx.state.set({ scopeKind: "instance", stateKey: "k" }, 10n)).rejects.toThrow(
      "ctx.state.set: value must be JSON-serializable",
    );
  });
});

describe("dispatch: jobs, data, actions, tools", () => {
  const manifest = manifestWith(["jobs.schedule", "agent.tools.register"], {
    jobs: [{ jobKey: "nightly", displayName: "Nightly", schedule: "0 2 * * *" }],
    tools: [{ name: "echo", displayName: "Echo", description: "Echo", parametersSchema: { type: "object" } }],
  });

  it("runs a declared job with a manual-trigger context, overridable per field", async () => {
    const harness = createTestHarness({ manifest });
    const runs: unknown[] = [];
    harness.ctx.jobs.register("nightly", async (job) => {
      runs.push(job);
    });
    await harness.runJob("nightly");
    await harness.runJob("nightly", { trigger: "retry", runId: "run-2" });
    expect(runs[0]).toMatchObject({ jobKey: "nightly", trigger: "manual" });
    expect(typeof (runs[0] as { runId: string }).runId).toBe("string");
    expect(Number.isNaN(Date.parse((runs[0] as { scheduledAt: string }).scheduledAt))).toBe(false);
    expect(runs[1]).toMatchObject({ jobKey: "nightly", trigger: "retry", runId: "run-2" });
  });

  it("refuses jobs the manifest does not declare, unregistered handlers and bad triggers", async () => {
    const harness = createTestHarness({ manifest });
    await expect(harness.runJob("hourly")).rejects.toThrow(
      "harness.runJob: job 'hourly' is not declared in manifest.jobs, so the host would never run it",
    );
    await expect(harness.runJob("nightly")).rejects.toThrow("No job handler registered for 'nightly'");
    harness.ctx.jobs.register("nightly", async () => {});
    await expect(harness.runJob("nightly", { trigger: "cron" as "manual" })).rejects.toThrow(
      "harness.runJob: partial.trigger must be one of schedule, manual, retry",
    );
  });

  it("propagates a failing job, like the host marking the run failed", async () => {
    const harness = createTestHarness({ manifest });
    harness.ctx.jobs.register("nightly", async () => {
      throw new Error("upstream down");
    });
    await expect(harness.runJob("nightly")).rejects.toThrow("upstream down");
  });

  it("passes data params through and reports a missing data handler", async () => {
    const harness = createTestHarness({ manifest });
    harness.ctx.data.register("summary", async (params) => ({ got: params }));
    await expect(harness.getData("summary", { companyId: "c1", n: 2 })).resolves.toEqual({
      got: { companyId: "c1", n: 2 },
    });
    await expect(harness.getData("summary")).resolves.toEqual({ got: {} });
    await expect(harness.getData("other")).rejects.toThrow("No data handler registered for 'other'");
  });

  it("gives actions a frozen actor context and lets the authorized company override params", async () => {
    const harness = createTestHarness({ manifest });
    harness.ctx.actions.register("sync", async (params, context) => ({ params, context }));
    const plain = await harness.performAction<{ context: { actor: object; companyId: null } }>("sync", {
      x: 1,
    });
    expect(plain.context).toEqual({
      actor: { type: "system", userId: null, agentId: null, runId: null, companyId: null },
      companyId: null,
    });
    expect(Object.isFrozen(plain.context)).toBe(true);
    expect(Object.isFrozen(plain.context.actor)).toBe(true);

    const scoped = await harness.performAction<{ params: object; context: object }>(
      "sync",
      { x: 1, companyId: "spoofed" },
      { companyId: "c1", actor: { type: "user", userId: "u1" } },
    );
    expect(scoped.params).toEqual({ x: 1, companyId: "c1" });
    expect(scoped.context).toEqual({
      actor: { type: "user", userId: "u1", agentId: null, runId: null, companyId: "c1" },
      companyId: "c1",
    });

    const coerced = await harness.performAction<{ context: { actor: { type: string } } }>(
      "sync",
      {},
      {
        actor: { type: "robot" as "user" },
      },
    );
    expect(coerced.context.actor.type).toBe("system");
    await expect(harness.performAction("nope")).rejects.toThrow("No action handler registered for 'nope'");
  });

  it("executes declared tools with a default run context, accepting the namespaced name", async () => {
    const harness = createTestHarness({ manifest });
    harness.ctx.tools.register("echo", manifest.tools![0]!, async (params, runCtx) => ({
      content: "ok",
      data: { params, runCtx },
    }));
    const result = await harness.executeTool<{ data: { params: unknown; runCtx: Record<string, string> } }>(
      "echo",
      {
        a: 1,
      },
    );
    expect(result.data.params).toEqual({ a: 1 });
    expect(result.data.runCtx).toMatchObject({
      agentId: "agent-test",
      companyId: "company-test",
      projectId: "project-test",
    });
    const namespaced = await harness.executeTool<{ data: { runCtx: object } }>(
      "acme.harness-test:echo",
      {},
      {
        companyId: "c9",
      },
    );
    expect(namespaced.data.runCtx).toMatchObject({ companyId: "c9", agentId: "agent-test" });
  });

  it("refuses tools the manifest does not declare, and declared tools with no handler", async () => {
    const harness = createTestHarness({ manifest });
    await expect(harness.executeTool("shell", {})).rejects.toThrow(
      "harness.executeTool: tool 'shell' is not declared in manifest.tools, so the host would never expose it to agents",
    );
    await expect(harness.executeTool("echo", {})).rejects.toThrow("No tool handler registered for 'echo'");
  });

  it("rejects malformed registrations, naming the method and argument", () => {
    const { ctx } = createTestHarness({ manifest });
    expect(() => ctx.data.register("", async () => 1)).toThrow(
      "ctx.data.register: key must be a non-empty string (got an empty string)",
    );
    expect(() => ctx.actions.register("a", "nope" as never)).toThrow(
      'ctx.actions.register: handler must be a function (got the string "nope")',
    );
    expect(() => ctx.jobs.register("nightly", undefined as never)).toThrow(
      "ctx.jobs.register: handler must be a function (got a undefined)",
    );
  });

  it("works with a definePlugin plugin end to end", async () => {
    const plugin = definePlugin({
      async setup(ctx) {
        ctx.data.register("hello", async (params) => ({ hello: params.name ?? "world" }));
      },
    });
    const harness = createTestHarness({ manifest });
    await plugin.definition.setup(harness.ctx);
    await expect(harness.getData("hello", { name: "Ada" })).resolves.toEqual({ hello: "Ada" });
  });
});

describe("recorders", () => {
  const all = [...PLUGIN_CAPABILITIES];

  it("records activity, metrics, telemetry, logs and SQL statements", async () => {
    const harness = createTestHarness({
      manifest: manifestWith(all, { database: { migrationsDir: "migrations" } }),
    });
    const { ctx } = harness;
    await ctx.activity.log({
      companyId: "c1",
      message: "Synced",
      entityType: "issue",
      entityId: "i1",
      metadata: { n: 2 },
    });
    await ctx.metrics.write("sync.duration_ms", 12.5, { source: "linear" });
    await ctx.telemetry.track("sync_done", { ok: true, count: 3 });
    ctx.logger.debug("details");
    await expect(ctx.db.query("select * from t where id = $1", [1])).resolves.toEqual([]);
    await expect(ctx.db.execute("delete from t")).resolves.toEqual({ rowCount: 0 });
    expect(ctx.db.namespace).toBe("test_acme_harness-test".replace(/[^a-z0-9_]/g, "_"));
    expect(harness.activity).toEqual([
      { companyId: "c1", message: "Synced", entityType: "issue", entityId: "i1", metadata: { n: 2 } },
    ]);
    expect(harness.metrics).toEqual([{ name: "sync.duration_ms", value: 12.5, tags: { source: "linear" } }]);
    expect(harness.telemetry).toEqual([{ eventName: "sync_done", dimensions: { ok: true, count: 3 } }]);
    expect(harness.logs).toEqual([{ level: "debug", message: "details" }]);
    expect(harness.dbQueries).toEqual([{ sql: "select * from t where id = $1", params: [1] }]);
    expect(harness.dbExecutes).toEqual([{ sql: "delete from t" }]);
  });

  it("has an empty db namespace when the manifest declares no database", () => {
    expect(createTestHarness({ manifest: manifestWith(all) }).ctx.db.namespace).toBe("");
  });

  it("rejects malformed recorder input, naming the field and the rule", async () => {
    const { ctx } = createTestHarness({ manifest: manifestWith(all) });
    await expect(ctx.activity.log({ companyId: "", message: "m" })).rejects.toThrow(
      "ctx.activity.log: companyId must be a non-empty string",
    );
    await expect(ctx.metrics.write("m", Number.NaN)).rejects.toThrow(
      "ctx.metrics.write: value must be a finite number",
    );
    await expect(ctx.metrics.write("m", 1, { n: 1 as unknown as string })).rejects.toThrow(
      "ctx.metrics.write: tags.n must be a string (got a number)",
    );
    await expect(ctx.telemetry.track("Sync Done")).rejects.toThrow(
      "ctx.telemetry.track: eventName must match /^[a-z0-9][a-z0-9_-]*$/",
    );
    await expect(ctx.telemetry.track("ok", { nested: {} as unknown as string })).rejects.toThrow(
      "ctx.telemetry.track: dimensions.nested must be a string, number or boolean (got an object)",
    );
    await expect(ctx.db.query("")).rejects.toThrow("ctx.db.query: sql must be a non-empty string");
    await expect(ctx.db.execute("update t", "x" as unknown as unknown[])).rejects.toThrow(
      "ctx.db.execute: params must be an array",
    );
  });

  it("resolves secret_ref objects and refuses legacy string refs like the host", async () => {
    const { ctx } = createTestHarness({ manifest: manifestWith(all) });
    await expect(ctx.secrets.resolve({ type: "secret_ref", secretId: "sec-1" })).resolves.toBe(
      "resolved:sec-1",
    );
    await expect(ctx.secrets.resolve("sec-1")).rejects.toThrow('use { type: "secret_ref", secretId }');
  });

  it("keeps config per harness and lets setConfig replace it", async () => {
    const harness = createTestHarness({ manifest: manifestWith([]), config: { a: 1 } });
    const first = await harness.ctx.config.get();
    first.a = 99;
    await expect(harness.ctx.config.get()).resolves.toEqual({ a: 1 });
    harness.setConfig({ b: 2 });
    await expect(harness.ctx.config.get("c1")).resolves.toEqual({ b: 2 });
    expect(() => harness.setConfig(null as never)).toThrow(
      "harness.setConfig: config must be an object (got null)",
    );
  });

  it("upserts entities by entityType and externalId, keeping id and createdAt", async () => {
    const { ctx } = createTestHarness({ manifest: manifestWith([]) });
    const first = await ctx.entities.upsert({
      entityType: "linear-issue",
      scopeKind: "instance",
      externalId: "L-1",
      data: { v: 1 },
    });
    const second = await ctx.entities.upsert({
      entityType: "linear-issue",
      scopeKind: "project",
      scopeId: "p1",
      externalId: "L-1",
      title: "Renamed",
      data: { v: 2 },
    });
    await ctx.entities.upsert({
      entityType: "linear-issue",
      scopeKind: "instance",
      externalId: "L-2",
      data: {},
    });
    await ctx.entities.upsert({
      entityType: "github-pr",
      scopeKind: "instance",
      externalId: "L-1",
      data: {},
    });
    expect(second).toMatchObject({
      id: first.id,
      createdAt: first.createdAt,
      scopeKind: "project",
      scopeId: "p1",
      title: "Renamed",
      data: { v: 2 },
    });
    await expect(ctx.entities.list({ entityType: "linear-issue" })).resolves.toHaveLength(2);
    await expect(ctx.entities.list({ externalId: "L-1" })).resolves.toHaveLength(2);
    await expect(
      ctx.entities.list({ entityType: "linear-issue", limit: 1, offset: 1 }),
    ).resolves.toMatchObject([{ externalId: "L-2" }]);
    await expect(ctx.entities.upsert({ entityType: "", scopeKind: "instance", data: {} })).rejects.toThrow(
      "ctx.entities.upsert: entityType must be a non-empty string",
    );
    await expect(ctx.entities.list({ limit: -1 })).rejects.toThrow(
      "ctx.entities.list: limit must be a non-negative integer",
    );
  });

  it("refuses non-http URLs in ctx.http.fetch", async () => {
    const { ctx } = createTestHarness({ manifest: manifestWith(["http.outbound"]) });
    await expect(ctx.http.fetch("file:///etc/passwd")).rejects.toThrow(
      "ctx.http.fetch: only http and https URLs are allowed (got file:)",
    );
    await expect(ctx.http.fetch("not a url")).rejects.toThrow(
      'ctx.http.fetch: url "not a url" is not an absolute URL',
    );
  });
});

describe("ctx.http.fetch", () => {
  it("performs a real request and returns a Response", async () => {
    const { createServer } = await import("node:http");
    const server = createServer((request, response) => {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ method: request.method, path: request.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as { port: number };
      const { ctx } = createTestHarness({ manifest: manifestWith(["http.outbound"]) });
      const response = await ctx.http.fetch(`http://127.0.0.1:${port}/hooks?x=1`, {
        method: "POST",
        body: "{}",
      });
      expect(response).toBeInstanceOf(Response);
      expect(response.status).toBe(200);
      await expect(response.json()).resolves.toEqual({ method: "POST", path: "/hooks?x=1" });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
