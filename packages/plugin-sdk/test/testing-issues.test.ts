import { createTestHarness } from "@paperclipai/plugin-sdk/testing";
import { describe, expect, it } from "vitest";
import { agent, attachment, company, fullManifest, seededIssue } from "./testing-fixtures.js";

function issuesHarness() {
  const harness = createTestHarness({ manifest: fullManifest() });
  harness.seed({ companies: [company("acme"), company("other")] });
  return harness;
}

describe("ctx.issues: create, get, update, list", () => {
  it("creates an issue with host defaults, a company identifier and the plugin origin", async () => {
    const { ctx } = issuesHarness();
    const issue = await ctx.issues.create({ companyId: "acme", title: "First", description: "Body" });
    expect(issue).toMatchObject({
      companyId: "acme",
      title: "First",
      description: "Body",
      status: "todo",
      priority: "medium",
      issueNumber: 1,
      identifier: "ACME-1",
      originKind: "plugin:acme.domain",
      parentId: null,
      assigneeAgentId: null,
    });
    expect(typeof issue.createdAt).toBe("string");
    const second = await ctx.issues.create({ companyId: "acme", title: "Second" });
    expect(second.identifier).toBe("ACME-2");
    await expect(ctx.issues.get(issue.id, "acme")).resolves.toEqual(issue);
  });

  it("hides issues of other companies: get is null, update is not found", async () => {
    const { ctx } = issuesHarness();
    const issue = await ctx.issues.create({ companyId: "acme", title: "Private" });
    await expect(ctx.issues.get(issue.id, "other")).resolves.toBeNull();
    await expect(ctx.issues.update(issue.id, { title: "x" }, "other")).rejects.toThrow(
      `Issue not found: ${issue.id}`,
    );
    await expect(ctx.issues.list({ companyId: "other" })).resolves.toEqual([]);
  });

  it("enforces the origin-kind namespace of the plugin", async () => {
    const { ctx } = issuesHarness();
    await expect(
      ctx.issues.create({ companyId: "acme", title: "t", originKind: "plugin:acme.domain:sync" }),
    ).resolves.toMatchObject({
      originKind: "plugin:acme.domain:sync",
    });
    await expect(
      ctx.issues.create({ companyId: "acme", title: "t", originKind: "plugin:acme.other" }),
    ).rejects.toThrow(
      'ctx.issues.create: originKind: plugin may only use originKind values under plugin:acme.domain (got "plugin:acme.other")',
    );
  });

  it("updates fields, stamps status timestamps and returns a detached copy", async () => {
    const { ctx } = issuesHarness();
    const issue = await ctx.issues.create({ companyId: "acme", title: "Work" });
    const started = await ctx.issues.update(issue.id, { status: "in_progress", priority: "high" }, "acme");
    expect(started).toMatchObject({ status: "in_progress", priority: "high", completedAt: null });
    expect(typeof started.startedAt).toBe("string");
    const done = await ctx.issues.update(issue.id, { status: "done" }, "acme");
    expect(done.startedAt).toBe(started.startedAt);
    expect(typeof done.completedAt).toBe("string");
    done.title = "mutated by the caller";
    await expect(ctx.issues.get(issue.id, "acme")).resolves.toMatchObject({ title: "Work" });
  });

  it("filters lists by project, assignee, status, origin and paginates", async () => {
    const { ctx } = issuesHarness();
    await ctx.issues.create({ companyId: "acme", title: "a", projectId: "p1", status: "backlog" });
    await ctx.issues.create({ companyId: "acme", title: "b", projectId: "p1", assigneeAgentId: "agent-1" });
    await ctx.issues.create({
      companyId: "acme",
      title: "c",
      projectId: "p2",
      originKind: "plugin:acme.domain:import",
    });
    await ctx.issues.create({ companyId: "acme", title: "d", status: "done" });
    const titles = async (input: Parameters<typeof ctx.issues.list>[0]) =>
      (await ctx.issues.list(input)).map((issue) => issue.title);
    await expect(titles({ companyId: "acme", projectId: "p1" })).resolves.toEqual(["a", "b"]);
    await expect(titles({ companyId: "acme", assigneeAgentId: "agent-1" })).resolves.toEqual(["b"]);
    await expect(titles({ companyId: "acme", status: "done" })).resolves.toEqual(["d"]);
    await expect(titles({ companyId: "acme", originKind: "plugin:acme.domain:import" })).resolves.toEqual([
      "c",
    ]);
    await expect(titles({ companyId: "acme", originKindPrefix: "plugin:acme.domain:" })).resolves.toEqual([
      "c",
    ]);
    await expect(titles({ companyId: "acme", limit: 2, offset: 1 })).resolves.toEqual(["b", "c"]);
  });

  it("rejects bad input, naming the field and the rule", async () => {
    const { ctx } = issuesHarness();
    const issue = await ctx.issues.create({ companyId: "acme", title: "t" });
    await expect(ctx.issues.create({ companyId: "acme", title: "" })).rejects.toThrow(
      "ctx.issues.create: title must be a non-empty string (got an empty string)",
    );
    await expect(
      ctx.issues.create({ companyId: "acme", title: "t", status: "open" as "todo" }),
    ).rejects.toThrow(
      'ctx.issues.create: status must be one of backlog, todo, in_progress, in_review, done, blocked, cancelled (got the string "open")',
    );
    await expect(
      ctx.issues.create({ companyId: "acme", title: "t", description: 5 as never }),
    ).rejects.toThrow("ctx.issues.create: description must be a string or null (got a number)");
    await expect(ctx.issues.create({ companyId: "acme", title: "t", parentId: "missing" })).rejects.toThrow(
      "Issue not found: missing",
    );
    await expect(ctx.issues.update(issue.id, { colour: "red" } as never, "acme")).rejects.toThrow(
      "ctx.issues.update: patch.colour is not an updatable issue field",
    );
    await expect(ctx.issues.update(issue.id, { priority: "urgent" as "high" }, "acme")).rejects.toThrow(
      "ctx.issues.update: patch.priority must be one of critical, high, medium, low",
    );
    await expect(ctx.issues.list({ companyId: "" })).rejects.toThrow(
      "ctx.issues.list: companyId must be a non-empty string",
    );
    await expect(ctx.issues.list({ companyId: "acme", offset: 1.5 })).rejects.toThrow(
      "ctx.issues.list: offset must be a non-negative integer (got a number)",
    );
  });

  it("serves seeded issues", async () => {
    const harness = issuesHarness();
    harness.seed({ issues: [seededIssue("i-1", "acme", { title: "Seeded" })] });
    await expect(harness.ctx.issues.get("i-1", "acme")).resolves.toMatchObject({
      title: "Seeded",
      createdAt: "2026-01-01T00:00:00.000Z",
    });
  });
});

describe("ctx.issues: comments, documents, relations", () => {
  it("creates and lists comments with the right author attribution", async () => {
    const { ctx } = issuesHarness();
    const issue = await ctx.issues.create({ companyId: "acme", title: "t" });
    await ctx.issues.createComment(issue.id, "from the plugin", "acme");
    await ctx.issues.createComment(issue.id, "as the agent", "acme", { authorAgentId: "agent-1" });
    await ctx.issues.createComment(issue.id, "for a user", "acme", { actorUserId: "user-1" });
    const comments = await ctx.issues.listComments(issue.id, "acme");
    expect(comments.map((c) => [c.body, c.authorType, c.authorAgentId, c.authorUserId])).toEqual([
      ["from the plugin", "system", null, null],
      ["as the agent", "agent", "agent-1", null],
      ["for a user", "user", null, "user-1"],
    ]);
    await expect(ctx.issues.createComment(issue.id, "", "acme")).rejects.toThrow(
      "ctx.issues.createComment: body must be a non-empty string",
    );
    await expect(ctx.issues.createComment("nope", "hi", "acme")).rejects.toThrow("Issue not found: nope");
  });

  it("keeps one current revision per document key", async () => {
    const { ctx } = issuesHarness();
    const issue = await ctx.issues.create({ companyId: "acme", title: "t" });
    const first = await ctx.issues.documents.upsert({
      issueId: issue.id,
      key: "plan",
      body: "v1",
      companyId: "acme",
    });
    const second = await ctx.issues.documents.upsert({
      issueId: issue.id,
      key: "plan",
      body: "v2",
      companyId: "acme",
      title: "Plan",
    });
    expect(second).toMatchObject({
      id: first.id,
      body: "v2",
      title: "Plan",
      latestRevisionNumber: 2,
      format: "markdown",
    });
    const summaries = await ctx.issues.documents.list(issue.id, "acme");
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).not.toHaveProperty("body");
    await expect(ctx.issues.documents.get(issue.id, "plan", "acme")).resolves.toMatchObject({ body: "v2" });
    await ctx.issues.documents.delete(issue.id, "plan", "acme");
    await expect(ctx.issues.documents.get(issue.id, "plan", "acme")).resolves.toBeNull();
    await expect(ctx.issues.documents.delete(issue.id, "plan", "acme")).rejects.toThrow(
      "Issue document not found: plan",
    );
    await expect(
      ctx.issues.documents.upsert({
        issueId: issue.id,
        key: "x",
        body: "b",
        companyId: "acme",
        format: "html",
      }),
    ).rejects.toThrow('ctx.issues.documents.upsert: format must be "markdown"');
  });

  it("tracks blockers in both directions and validates them", async () => {
    const { ctx } = issuesHarness();
    const blocked = await ctx.issues.create({ companyId: "acme", title: "blocked" });
    const blockerA = await ctx.issues.create({ companyId: "acme", title: "A" });
    const blockerB = await ctx.issues.create({ companyId: "acme", title: "B" });
    const foreign = await ctx.issues.create({ companyId: "other", title: "foreign" });

    const set = await ctx.issues.relations.setBlockedBy(blocked.id, [blockerA.id], "acme");
    expect(set.blockedBy.map((i) => i.title)).toEqual(["A"]);
    const added = await ctx.issues.relations.addBlockers(blocked.id, [blockerB.id, blockerA.id], "acme");
    expect(added.blockedBy.map((i) => i.title)).toEqual(["A", "B"]);
    await expect(ctx.issues.relations.get(blockerB.id, "acme")).resolves.toMatchObject({
      blockedBy: [],
      blocks: [{ id: blocked.id, title: "blocked", status: "todo" }],
    });
    const removed = await ctx.issues.relations.removeBlockers(blocked.id, [blockerA.id], "acme");
    expect(removed.blockedBy.map((i) => i.title)).toEqual(["B"]);

    await expect(ctx.issues.relations.addBlockers(blocked.id, [blocked.id], "acme")).rejects.toThrow(
      "an issue cannot block itself",
    );
    await expect(ctx.issues.relations.addBlockers(blocked.id, [foreign.id], "acme")).rejects.toThrow(
      `Issue not found: ${foreign.id}`,
    );
    await ctx.issues.update(blocked.id, { blockedByIssueIds: [] }, "acme");
    await expect(ctx.issues.relations.get(blocked.id, "acme")).resolves.toEqual({
      blockedBy: [],
      blocks: [],
    });
  });
});

describe("ctx.issues: interactions, attachments, checkout, wake-ups, subtree", () => {
  it("creates interactions (including the sugar methods) and answers each once", async () => {
    const { ctx } = issuesHarness();
    const issue = await ctx.issues.create({ companyId: "acme", title: "t" });
    const confirm = await ctx.issues.requestConfirmation(
      issue.id,
      { payload: { version: 1, prompt: "Ship it?" } },
      "acme",
    );
    expect(confirm).toMatchObject({
      kind: "request_confirmation",
      status: "pending",
      continuationPolicy: "none",
    });
    const legacy = await ctx.issues.createInteraction(
      issue.id,
      {
        kind: "ask_user_questions",
        resolverPolicy: "board_only",
        payload: { version: 1, questions: [] } as never,
      },
      "acme",
    );
    expect(legacy).toMatchObject({ resolverPolicy: "human_only", continuationPolicy: "wake_assignee" });
    const answer = await ctx.issues.respondInteraction(
      issue.id,
      confirm.id,
      { action: "accept", actorUserId: "u1" },
      "acme",
    );
    expect(answer).toMatchObject({
      applied: true,
      interaction: { status: "accepted", resolvedByUserId: "u1" },
    });
    const again = await ctx.issues.respondInteraction(issue.id, confirm.id, { action: "reject" }, "acme");
    expect(again).toMatchObject({ applied: false, interaction: { status: "accepted" } });
    await expect(ctx.issues.listInteractions(issue.id, "acme")).resolves.toHaveLength(2);
    await expect(
      ctx.issues.createInteraction(issue.id, { kind: "poll", payload: {} } as never, "acme"),
    ).rejects.toThrow("ctx.issues.createInteraction: interaction.kind must be one of suggest_tasks");
  });

  it("lists attachments and returns their content within maxBytes", async () => {
    const harness = issuesHarness();
    const issue = await harness.ctx.issues.create({ companyId: "acme", title: "t" });
    harness.seed({
      issueAttachments: [
        {
          ...attachment("att-1", "acme", issue.id, 5),
          contentBase64: Buffer.from("hello").toString("base64"),
        },
      ],
    });
    await expect(harness.ctx.issues.listAttachments(issue.id, "acme")).resolves.toMatchObject([
      { id: "att-1" },
    ]);
    await expect(harness.ctx.issues.getAttachmentContent("att-1", "acme")).resolves.toMatchObject({
      attachmentId: "att-1",
      contentBase64: "aGVsbG8=",
      byteSize: 5,
    });
    await expect(harness.ctx.issues.getAttachmentContent("att-1", "other")).resolves.toBeNull();
    await expect(harness.ctx.issues.getAttachmentContent("att-1", "acme", { maxBytes: 4 })).rejects.toThrow(
      "attachment att-1 is 5 bytes, more than maxBytes 4",
    );
  });

  it("asserts checkout ownership against the issue's assignee and run", async () => {
    const harness = issuesHarness();
    harness.seed({
      issues: [
        seededIssue("i-1", "acme", { status: "in_progress", assigneeAgentId: "a1", checkoutRunId: "r1" }),
      ],
    });
    await expect(
      harness.ctx.issues.assertCheckoutOwner({
        issueId: "i-1",
        companyId: "acme",
        actorAgentId: "a1",
        actorRunId: "r1",
      }),
    ).resolves.toEqual({
      issueId: "i-1",
      status: "in_progress",
      assigneeAgentId: "a1",
      checkoutRunId: "r1",
      adoptedFromRunId: null,
    });
    await expect(
      harness.ctx.issues.assertCheckoutOwner({
        issueId: "i-1",
        companyId: "acme",
        actorAgentId: "a1",
        actorRunId: "r2",
      }),
    ).rejects.toThrow("Issue checkout conflict");
  });

  it("queues wake-ups only for issues with an invokable agent assignee", async () => {
    const harness = issuesHarness();
    harness.seed({ agents: [agent("a1", "acme"), agent("a2", "acme", { status: "paused" })] });
    const { ctx } = harness;
    const assigned = await ctx.issues.create({ companyId: "acme", title: "t", assigneeAgentId: "a1" });
    const paused = await ctx.issues.create({ companyId: "acme", title: "t", assigneeAgentId: "a2" });
    const unassigned = await ctx.issues.create({ companyId: "acme", title: "t" });
    const single = await ctx.issues.requestWakeup(assigned.id, "acme", { reason: "new info" });
    expect(single.queued).toBe(true);
    expect(typeof single.runId).toBe("string");
    const batch = await ctx.issues.requestWakeups([paused.id, unassigned.id], "acme");
    expect(batch).toEqual([
      { issueId: paused.id, queued: false, runId: null },
      { issueId: unassigned.id, queued: false, runId: null },
    ]);
  });

  it("returns subtrees and orchestration summaries built from parent links", async () => {
    const { ctx } = issuesHarness();
    const root = await ctx.issues.create({ companyId: "acme", title: "root" });
    const child = await ctx.issues.create({ companyId: "acme", title: "child", parentId: root.id });
    const grandchild = await ctx.issues.create({
      companyId: "acme",
      title: "grandchild",
      parentId: child.id,
    });
    await ctx.issues.create({ companyId: "acme", title: "unrelated" });
    const subtree = await ctx.issues.getSubtree(root.id, "acme", { includeRelations: true });
    expect(subtree.issueIds).toEqual([root.id, child.id, grandchild.id]);
    expect(subtree.issues.map((i) => i.title)).toEqual(["root", "child", "grandchild"]);
    expect(Object.keys(subtree.relations ?? {})).toHaveLength(3);
    const withoutRoot = await ctx.issues.getSubtree(root.id, "acme", { includeRoot: false });
    expect(withoutRoot.issueIds).toEqual([child.id, grandchild.id]);
    const summary = await ctx.issues.summaries.getOrchestration({
      issueId: root.id,
      companyId: "acme",
      includeSubtree: true,
    });
    expect(summary).toMatchObject({
      issueId: root.id,
      subtreeIssueIds: [root.id, child.id, grandchild.id],
      runs: [],
    });
  });
});
