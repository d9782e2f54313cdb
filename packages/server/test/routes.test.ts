// The REST API end to end: shapes, status codes, paging and the behaviour scripts written against the
// original rely on (plus the documented deviations).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedBoard, startTestHost, type TestHost } from "./support/app.js";
import { ENGINES } from "./support/database.js";

describe.each(ENGINES)("REST API on %s", (engine) => {
  let host: TestHost;
  let board: Awaited<ReturnType<typeof seedBoard>>;

  beforeAll(async () => {
    host = await startTestHost(engine);
    board = await seedBoard(host, "Acme Corp");
  });
  afterAll(async () => host?.close());

  it("health reports version, database kind and status", async () => {
    const health = await host.request("GET", "/api/health");
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "ok", version: "0.1.0", database: { kind: engine } });
  });

  it("companies get unique issue prefixes and list/get/patch", async () => {
    expect(board.company.issuePrefix).toBe("ACM");
    const second = (await host.request("POST", "/api/companies", { name: "Acme Again" })).body;
    expect(second.issuePrefix).toBe("ACMA");
    const numbers = (await host.request("POST", "/api/companies", { name: "123" })).body;
    expect(numbers.issuePrefix).toBe("CMP");
    const list = await host.request("GET", "/api/companies?limit=2&offset=1");
    expect(list.body.map((c: any) => c.id)).toEqual([second.id, numbers.id]);
    const patched = await host.request("PATCH", `/api/companies/${second.id}`, {
      description: "d",
      status: "paused",
    });
    expect(patched.body).toMatchObject({ description: "d", status: "paused", pauseReason: "manual" });
    expect((await host.request("DELETE", `/api/companies/${numbers.id}`)).body).toEqual({ ok: true });
    expect((await host.request("GET", `/api/companies/${numbers.id}`)).status).toBe(404);
  });

  it("issues: numbering, identifiers, goal fallback, lookups by identifier, no silent deduplication", async () => {
    const c = board.company.id;
    const a = await host.request("POST", `/api/companies/${c}/issues`, {
      title: "Same title",
      projectId: board.project.id,
    });
    const b = await host.request("POST", `/api/companies/${c}/issues`, { title: "Same title" });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.id).not.toBe(a.body.id);
    expect(b.body.issueNumber).toBe(a.body.issueNumber + 1);
    expect(a.body.identifier).toBe(`ACM-${a.body.issueNumber}`);
    expect(a.body).toMatchObject({
      status: "backlog",
      priority: "medium",
      goalId: board.goal.id,
      blockedBy: [],
      labels: [],
    });
    // No project: the company's active company-level goal is the fallback.
    expect(b.body.goalId).toBe(board.goal.id);
    const byIdentifier = await host.request("GET", `/api/issues/${a.body.identifier.toLowerCase()}`);
    expect(byIdentifier.body.id).toBe(a.body.id);
    const assigned = (
      await host.request("POST", `/api/companies/${c}/issues`, {
        title: "Mine",
        assigneeUserId: "local-board",
      })
    ).body;
    expect(assigned.status).toBe("todo");
  });

  it("issue list filters and pages", async () => {
    const c = board.company.id;
    const p = (await host.request("POST", `/api/companies/${c}/projects`, { name: "Paged" })).body;
    for (let i = 0; i < 5; i++) {
      await host.request("POST", `/api/companies/${c}/issues`, {
        title: `Paged ${i}`,
        projectId: p.id,
        priority: i === 3 ? "critical" : "low",
      });
    }
    const all = (await host.request("GET", `/api/companies/${c}/issues?projectId=${p.id}`)).body;
    expect(all).toHaveLength(5);
    expect(all[0].title).toBe("Paged 3"); // critical first
    const page = (await host.request("GET", `/api/companies/${c}/issues?projectId=${p.id}&limit=2&offset=2`))
      .body;
    expect(page.map((i: any) => i.id)).toEqual(all.slice(2, 4).map((i: any) => i.id));
    const q = (await host.request("GET", `/api/companies/${c}/issues?q=paged%203`)).body;
    expect(q.map((i: any) => i.title)).toEqual(["Paged 3"]);
    const none = (await host.request("GET", `/api/companies/${c}/issues?status=done&projectId=${p.id}`)).body;
    expect(none).toEqual([]);
  });

  it("PATCH returns changes and the comment, stamps status times, and accepts an agent shortname", async () => {
    const c = board.company.id;
    const issue = (await host.request("POST", `/api/companies/${c}/issues`, { title: "Patch me" })).body;
    const patched = await host.request("PATCH", `/api/issues/${issue.id}`, {
      assigneeAgentId: board.agent.urlKey,
      status: "in_progress",
      comment: "on it",
    });
    expect(patched.status).toBe(200);
    expect(patched.body.assigneeAgentId).toBe(board.agent.id);
    expect(patched.body.changes.status).toEqual({ from: "backlog", to: "in_progress" });
    expect(patched.body.comment).toMatchObject({
      body: "on it",
      authorType: "user",
      authorUserId: "local-board",
    });
    expect(patched.body.startedAt).not.toBeNull();
    const done = (await host.request("PATCH", `/api/issues/${issue.id}`, { status: "done" })).body;
    expect(done.completedAt).not.toBeNull();
  });

  it("blockers: cycles are refused, unresolved blockers stop in_progress and checkout", async () => {
    const c = board.company.id;
    const a = (await host.request("POST", `/api/companies/${c}/issues`, { title: "A" })).body;
    const b = (
      await host.request("POST", `/api/companies/${c}/issues`, { title: "B", blockedByIssueIds: [a.id] })
    ).body;
    expect(b.blockedBy.map((x: any) => x.id)).toEqual([a.id]);
    const cycle = await host.request("PATCH", `/api/issues/${a.id}`, { blockedByIssueIds: [b.id] });
    expect(cycle.status).toBe(422);
    expect(cycle.body.error).toContain("cycles");
    const self = await host.request("PATCH", `/api/issues/${a.id}`, { blockedByIssueIds: [a.id] });
    expect(self.body.error).toContain("blocked by itself");
    const relations = (await host.request("GET", `/api/issues/${a.id}/relations`)).body;
    expect(relations.blocks.map((x: any) => x.id)).toEqual([b.id]);
    const checkout = await host.request("POST", `/api/issues/${b.id}/checkout`, {
      agentId: board.agent.id,
      expectedStatuses: ["backlog"],
    });
    expect(checkout.status).toBe(422);
    expect(checkout.body.details.unresolvedBlockerIssueIds).toEqual([a.id]);
    await host.request("PATCH", `/api/issues/${a.id}`, { status: "done" });
    const ok = await host.request("POST", `/api/issues/${b.id}/checkout`, {
      agentId: board.agent.id,
      expectedStatuses: ["backlog"],
    });
    expect(ok.body).toMatchObject({ status: "in_progress", assigneeAgentId: board.agent.id });
  });

  it("checkout conflicts are 409 with details; release keeps the assignee and returns to todo", async () => {
    const c = board.company.id;
    const other = (await host.request("POST", `/api/companies/${c}/agents`, { name: "Other agent" })).body;
    const issue = (
      await host.request("POST", `/api/companies/${c}/issues`, { title: "Lock me", status: "todo" })
    ).body;
    const first = await host.request("POST", `/api/issues/${issue.id}/checkout`, {
      agentId: board.agent.id,
      expectedStatuses: ["todo"],
    });
    expect(first.status).toBe(200);
    const again = await host.request("POST", `/api/issues/${issue.id}/checkout`, {
      agentId: board.agent.id,
      expectedStatuses: ["todo"],
    });
    expect(again.status).toBe(200); // idempotent for the same holder
    const stolen = await host.request("POST", `/api/issues/${issue.id}/checkout`, {
      agentId: other.id,
      expectedStatuses: ["in_progress"],
    });
    expect(stolen.status).toBe(409);
    expect(stolen.body).toMatchObject({
      error: "Issue checkout conflict",
      details: { assigneeAgentId: board.agent.id },
    });
    const released = (await host.request("POST", `/api/issues/${issue.id}/release`)).body;
    expect(released).toMatchObject({
      status: "todo",
      assigneeAgentId: board.agent.id,
      executionLockedAt: null,
    });
    expect((await host.request("POST", `/api/issues/${issue.id}/release`)).status).toBe(409);
  });

  it("an agent acting inside its run (X-Paperclip-Run-Id) is the actor of what it does", async () => {
    const c = board.company.id;
    const agent = (await host.request("POST", `/api/companies/${c}/agents`, { name: "Worker bee" })).body;
    const run = (await host.request("POST", `/api/agents/${agent.id}/wakeup`, { reason: "test" })).body;
    expect(run).toMatchObject({ status: "queued", agentId: agent.id });
    await host.request("POST", `/api/heartbeat-runs/${run.id}/status`, { status: "running" });
    const headers = { "x-paperclip-run-id": run.id };
    const issue = (
      await host.request(
        "POST",
        `/api/companies/${c}/issues`,
        { title: "Agent work", status: "todo" },
        headers,
      )
    ).body;
    expect(issue).toMatchObject({ createdByAgentId: agent.id, createdByUserId: null, originRunId: run.id });
    const checkout = await host.request(
      "POST",
      `/api/issues/${issue.id}/checkout`,
      { agentId: agent.id, expectedStatuses: ["todo"] },
      headers,
    );
    expect(checkout.body).toMatchObject({ checkoutRunId: run.id, executionRunId: run.id });
    const comment = (
      await host.request("POST", `/api/issues/${issue.id}/comments`, { body: "done" }, headers)
    ).body;
    expect(comment).toMatchObject({ authorType: "agent", authorAgentId: agent.id, createdByRunId: run.id });
    const activity = (await host.request("GET", `/api/issues/${issue.id}/activity`)).body;
    expect(activity.find((a: any) => a.action === "issue.checked_out")).toMatchObject({
      actorType: "agent",
      actorId: agent.id,
      runId: run.id,
    });
  });

  it("comments page with a cursor and delete to a tombstone", async () => {
    const issue = (
      await host.request("POST", `/api/companies/${board.company.id}/issues`, { title: "Chatty" })
    ).body;
    const ids: string[] = [];
    for (const body of ["one", "two", "three"]) {
      ids.push((await host.request("POST", `/api/issues/${issue.id}/comments`, { body })).body.id);
    }
    const asc = (await host.request("GET", `/api/issues/${issue.id}/comments?order=asc&limit=2`)).body;
    expect(asc.map((c: any) => c.body)).toEqual(["one", "two"]);
    const rest = (await host.request("GET", `/api/issues/${issue.id}/comments?order=asc&after=${asc[1].id}`))
      .body;
    expect(rest.map((c: any) => c.body)).toEqual(["three"]);
    const deleted = (await host.request("DELETE", `/api/issues/${issue.id}/comments/${ids[0]}`)).body;
    expect(deleted).toMatchObject({ body: "" });
    expect(deleted.deletedAt).not.toBeNull();
  });

  it("documents keep revisions; writes without a base revision are last-writer-wins", async () => {
    const issue = (await host.request("POST", `/api/companies/${board.company.id}/issues`, { title: "Doc" }))
      .body;
    const path = `/api/issues/${issue.id}/documents/Plan`;
    const v1 = await host.request("PUT", path, { format: "markdown", body: "one", title: "Plan" });
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ key: "plan", latestRevisionNumber: 1, body: "one", title: "Plan" });
    const v2 = await host.request("PUT", path, { format: "markdown", body: "two" });
    expect(v2.status).toBe(200);
    expect(v2.body).toMatchObject({ latestRevisionNumber: 2, body: "two", title: "Plan" });
    const v3 = await host.request("PUT", path, {
      format: "markdown",
      body: "three",
      baseRevisionId: v2.body.latestRevisionId,
    });
    expect(v3.status).toBe(200);
    const revisions = (await host.request("GET", `${path}/revisions`)).body;
    expect(revisions.map((r: any) => r.body)).toEqual(["three", "two", "one"]);
    const detail = (await host.request("GET", `/api/issues/${issue.id}`)).body;
    expect(detail.documentSummaries).toHaveLength(1);
    expect(detail.documentSummaries[0].body).toBeUndefined();
  });

  it("projects carry workspaces, goals and task counts; shortname lookups need the company", async () => {
    const c = board.company.id;
    const project = (
      await host.request("POST", `/api/companies/${c}/projects`, {
        name: "Big Launch",
        goalIds: [board.goal.id],
        workspace: { repoUrl: "https://github.com/acme/launch.git" },
      })
    ).body;
    expect(project).toMatchObject({
      urlKey: "big-launch",
      goalId: board.goal.id,
      goals: [{ id: board.goal.id, title: "Win" }],
    });
    expect(project.primaryWorkspace).toMatchObject({
      name: "launch",
      sourceType: "git_repo",
      isPrimary: true,
    });
    const second = (
      await host.request("POST", `/api/projects/${project.id}/workspaces`, { cwd: "/srv/x", isPrimary: true })
    ).body;
    const workspaces = (await host.request("GET", `/api/projects/${project.id}/workspaces`)).body;
    expect(workspaces.map((w: any) => w.id)).toEqual([second.id, project.primaryWorkspace.id]);
    await host.request("DELETE", `/api/projects/${project.id}/workspaces/${second.id}`);
    expect(
      (await host.request("GET", `/api/projects/big-launch?companyId=${c}`)).body.primaryWorkspace.id,
    ).toBe(project.primaryWorkspace.id);
    expect((await host.request("GET", "/api/projects/big-launch")).status).toBe(404);
    const badGoal = await host.request("POST", `/api/companies/${c}/projects`, {
      name: "x",
      goalIds: [project.id],
    });
    expect(badGoal.status).toBe(422);
    await host.request("POST", `/api/companies/${c}/issues`, { title: "Task", projectId: project.id });
    const listed = (await host.request("GET", `/api/companies/${c}/projects`)).body.find(
      (p: any) => p.id === project.id,
    );
    expect(listed.taskCount).toBe(1);
  });

  it("agents: adapter config merges, secrets are redacted, pause cancels runs, terminated agents leave the list", async () => {
    const c = board.company.id;
    const agent = (
      await host.request("POST", `/api/companies/${c}/agents`, {
        name: "Secretive",
        adapterConfig: { command: "run", env: { API_TOKEN: "s3cret", MODE: "fast" } },
      })
    ).body;
    expect(agent.adapterConfig.env).toEqual({ API_TOKEN: "***REDACTED***", MODE: "fast" });
    const merged = (await host.request("PATCH", `/api/agents/${agent.id}`, { adapterConfig: { timeout: 5 } }))
      .body;
    expect(merged.adapterConfig).toMatchObject({ command: "run", timeout: 5 });
    const run = (await host.request("POST", `/api/agents/${agent.id}/wakeup`, {})).body;
    const paused = (await host.request("POST", `/api/agents/${agent.id}/pause`)).body;
    expect(paused).toMatchObject({ status: "paused", pauseReason: "manual" });
    expect((await host.request("GET", `/api/heartbeat-runs/${run.id}`)).body.status).toBe("cancelled");
    const wake = await host.request("POST", `/api/agents/${agent.id}/wakeup`, {});
    expect(wake.status).toBe(409);
    expect(wake.body.details).toMatchObject({ reason: "paused" });
    expect((await host.request("POST", `/api/agents/${agent.id}/resume`)).body.status).toBe("idle");
    await host.request("POST", `/api/agents/${agent.id}/terminate`);
    const listed = (await host.request("GET", `/api/companies/${c}/agents`)).body.map((a: any) => a.id);
    expect(listed).not.toContain(agent.id);
    const terminated = (await host.request("GET", `/api/companies/${c}/agents?status=terminated`)).body.map(
      (a: any) => a.id,
    );
    expect(terminated).toContain(agent.id);
  });

  it("costs update spend, open incidents once, hard stops pause the agent, resolving can raise the budget", async () => {
    const c = board.company.id;
    const agent = (
      await host.request("POST", `/api/companies/${c}/agents`, { name: "Spender", budgetMonthlyCents: 100 })
    ).body;
    const spend = (cents: number) =>
      host.request("POST", `/api/companies/${c}/cost-events`, {
        agentId: agent.id,
        provider: "openai",
        model: "gpt",
        costCents: cents,
        occurredAt: new Date().toISOString(),
      });
    expect((await spend(85)).status).toBe(201);
    expect((await spend(5)).status).toBe(201); // still soft: no second incident
    expect((await spend(20)).status).toBe(201); // 110 ≥ 100: hard stop
    const incidents = (await host.request("GET", `/api/companies/${c}/budget-incidents`)).body.filter(
      (i: any) => i.scopeId === agent.id,
    );
    expect(incidents.map((i: any) => i.thresholdType).sort()).toEqual(["hard", "soft"]);
    const after = (await host.request("GET", `/api/agents/${agent.id}`)).body;
    expect(after).toMatchObject({ status: "paused", pauseReason: "budget", spentMonthlyCents: 110 });
    const hard = incidents.find((i: any) => i.thresholdType === "hard");
    const tooLow = await host.request("POST", `/api/companies/${c}/budget-incidents/${hard.id}/resolve`, {
      action: "raise_budget_and_resume",
      amount: 50,
    });
    expect(tooLow.status).toBe(422);
    const raised = await host.request("POST", `/api/companies/${c}/budget-incidents/${hard.id}/resolve`, {
      action: "raise_budget_and_resume",
      amount: 500,
    });
    expect(raised.body.status).toBe("resolved");
    expect((await host.request("GET", `/api/agents/${agent.id}`)).body).toMatchObject({
      status: "idle",
      budgetMonthlyCents: 500,
    });
    const summary = (await host.request("GET", `/api/companies/${c}/costs/summary`)).body;
    expect(summary.spendCents).toBeGreaterThanOrEqual(110);
    const byAgent = (await host.request("GET", `/api/companies/${c}/costs/by-agent`)).body;
    expect(byAgent.find((row: any) => row.agentId === agent.id)).toMatchObject({ costCents: 110 });
  });

  it("activity lists newest first with filters and limits", async () => {
    const c = board.company.id;
    const list = (await host.request("GET", `/api/companies/${c}/activity?limit=3`)).body;
    expect(list).toHaveLength(3);
    const times = list.map((a: any) => a.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    const goals = (await host.request("GET", `/api/companies/${c}/activity?entityType=goal`)).body;
    expect(goals.every((a: any) => a.entityType === "goal")).toBe(true);
  });

  it("serves an OpenAPI document generated from the route schemas", async () => {
    const doc = (await host.request("GET", "/api/openapi.json")).body;
    expect(doc.openapi).toMatch(/^3\./);
    const create = doc.paths["/api/companies/{companyId}/issues"].post;
    expect(create.requestBody.content["application/json"].schema.required).toEqual(["title"]);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(40);
  });
});
