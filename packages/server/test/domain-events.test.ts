// Every core event type is emitted exactly once by the API call that causes it, in the §5.2 envelope,
// written to the outbox in the same transaction as the change.
import { PLUGIN_EVENT_TYPES } from "published-plugin-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORE_EVENT_TYPES } from "../src/domain/event-types.js";
import { seedBoard, startTestHost, type TestHost } from "./support/app.js";
import { ENGINES } from "./support/database.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

it("knows exactly the published core event types", () => {
  expect([...CORE_EVENT_TYPES].sort()).toEqual([...PLUGIN_EVENT_TYPES].sort());
});

describe.each(ENGINES)("domain events on %s", (engine) => {
  let host: TestHost;
  let board: Awaited<ReturnType<typeof seedBoard>>;
  const seen = new Set<string>();

  beforeAll(async () => {
    host = await startTestHost(engine);
    board = await seedBoard(host);
  });
  afterAll(async () => host?.close());

  /** Run one API call and return the events it committed, checking the response status. */
  async function emitted(method: string, path: string, body: unknown, status: number) {
    const before = await host.head();
    const notified: unknown[] = [];
    const stop = host.services.notifier.subscribe((commit) => notified.push(...commit.events));
    const response = await host.request(method, path, body);
    stop();
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    const events = await host.eventsSince(before);
    // In-process consumers get each commit's events as a read of the outbox returns them, without reading.
    expect(notified).toEqual(events);
    return { response, events, types: events.map((event) => event.eventType) };
  }

  /** `type` appears exactly once among the events of the call. */
  function once(events: Awaited<ReturnType<typeof emitted>>["events"], type: string) {
    const matching = events.filter((event) => event.eventType === type);
    expect(matching, `${type} in ${events.map((e) => e.eventType).join(", ")}`).toHaveLength(1);
    seen.add(type);
    const event = matching[0]!;
    expect(event.eventId).toMatch(UUID);
    expect(new Date(event.occurredAt).toISOString()).toBe(event.occurredAt);
    expect(typeof event.companyId).toBe("string");
    return event;
  }

  it("company.created / company.updated", async () => {
    const created = await emitted("POST", "/api/companies", { name: "Events Inc" }, 201);
    const event = once(created.events, "company.created");
    expect(event).toMatchObject({
      entityType: "company",
      entityId: created.response.body.id,
      actorType: "user",
    });
    expect(event.actorId).toBe("local-board");
    const updated = await emitted(
      "PATCH",
      `/api/companies/${created.response.body.id}`,
      { name: "Events Ltd" },
      200,
    );
    const change = once(updated.events, "company.updated");
    expect(change.payload).toMatchObject({ changes: { name: { from: "Events Inc", to: "Events Ltd" } } });
  });

  it("project and workspace events", async () => {
    const c = board.company.id;
    const created = await emitted("POST", `/api/companies/${c}/projects`, { name: "Evented" }, 201);
    once(created.events, "project.created");
    const projectId = created.response.body.id;
    once(
      (await emitted("PATCH", `/api/projects/${projectId}`, { status: "planned" }, 200)).events,
      "project.updated",
    );
    const ws = await emitted("POST", `/api/projects/${projectId}/workspaces`, { cwd: "/srv/app" }, 201);
    const wsEvent = once(ws.events, "project.workspace_created");
    expect(wsEvent).toMatchObject({ entityType: "project", entityId: projectId });
    expect(wsEvent.payload).toMatchObject({ workspaceId: ws.response.body.id, isPrimary: true });
    const wsPath = `/api/projects/${projectId}/workspaces/${ws.response.body.id}`;
    once((await emitted("PATCH", wsPath, { name: "Renamed" }, 200)).events, "project.workspace_updated");
    once((await emitted("DELETE", wsPath, undefined, 200)).events, "project.workspace_deleted");
  });

  it("issue lifecycle events", async () => {
    const c = board.company.id;
    const first = await emitted(
      "POST",
      `/api/companies/${c}/issues`,
      { title: "First", projectId: board.project.id },
      201,
    );
    const createdEvent = once(first.events, "issue.created");
    expect(createdEvent).toMatchObject({ entityType: "issue", entityId: first.response.body.id });
    expect(createdEvent.payload).toMatchObject({
      identifier: first.response.body.identifier,
      title: "First",
    });
    const issueId = first.response.body.id;

    // Children emit issue.created too (the original logs issue.child_created and emits nothing).
    const child = await emitted("POST", `/api/issues/${issueId}/children`, { title: "Child" }, 201);
    expect(child.types.filter((t) => t === "issue.created")).toHaveLength(1);
    expect(child.events.find((e) => e.eventType === "issue.created")!.payload).toMatchObject({
      parentId: issueId,
    });

    once(
      (await emitted("PATCH", `/api/issues/${issueId}`, { priority: "high" }, 200)).events,
      "issue.updated",
    );
    const comment = await emitted("POST", `/api/issues/${issueId}/comments`, { body: "Looks good" }, 201);
    expect(once(comment.events, "issue.comment.created").payload).toMatchObject({
      commentId: comment.response.body.id,
    });

    const doc = `/api/issues/${issueId}/documents/plan`;
    once(
      (await emitted("PUT", doc, { format: "markdown", body: "# Plan" }, 201)).events,
      "issue.document.created",
    );
    once(
      (await emitted("PUT", doc, { format: "markdown", body: "# Plan v2" }, 200)).events,
      "issue.document.updated",
    );
    once((await emitted("DELETE", doc, undefined, 200)).events, "issue.document.deleted");

    const blocker = (await host.request("POST", `/api/companies/${c}/issues`, { title: "Blocker" })).body;
    const relations = await emitted(
      "PATCH",
      `/api/issues/${issueId}`,
      { blockedByIssueIds: [blocker.id] },
      200,
    );
    once(relations.events, "issue.relations.updated");
    once(relations.events, "issue.updated");
    await host.request("PATCH", `/api/issues/${issueId}`, { blockedByIssueIds: [] });

    const checkout = await emitted(
      "POST",
      `/api/issues/${issueId}/checkout`,
      { agentId: board.agent.id, expectedStatuses: ["backlog", "todo"] },
      200,
    );
    expect(once(checkout.events, "issue.checked_out").payload).toMatchObject({ agentId: board.agent.id });
    once((await emitted("POST", `/api/issues/${issueId}/release`, undefined, 200)).events, "issue.released");
  });

  it("issue.assignment_wakeup_requested when work is assigned to an agent", async () => {
    const c = board.company.id;
    const issue = (
      await host.request("POST", `/api/companies/${c}/issues`, { title: "Assign me", status: "todo" })
    ).body;
    const assigned = await emitted(
      "PATCH",
      `/api/issues/${issue.id}`,
      { assigneeAgentId: board.agent.id },
      200,
    );
    const wake = once(assigned.events, "issue.assignment_wakeup_requested");
    expect(wake.payload).toMatchObject({ agentId: board.agent.id, reason: "issue_assigned" });
    // The wake queued a run for the agent.
    const runs = (await host.request("GET", `/api/companies/${c}/heartbeat-runs?agentId=${board.agent.id}`))
      .body;
    expect(runs.some((run: any) => run.id === wake.payload.wakeRunId && run.status === "queued")).toBe(true);
  });

  it("agent events, run events and agent status changes", async () => {
    const c = board.company.id;
    const created = await emitted("POST", `/api/companies/${c}/agents`, { name: "Runner" }, 201);
    once(created.events, "agent.created");
    const agentId = created.response.body.id;
    once(
      (await emitted("PATCH", `/api/agents/${agentId}`, { title: "Night shift" }, 200)).events,
      "agent.updated",
    );

    const queued = (await host.request("POST", `/api/agents/${agentId}/wakeup`, {})).body;
    const started = await emitted(
      "POST",
      `/api/heartbeat-runs/${queued.id}/status`,
      { status: "running" },
      200,
    );
    const startEvent = once(started.events, "agent.run.started");
    expect(startEvent).toMatchObject({
      entityType: "run",
      entityId: queued.id,
      actorType: "agent",
      actorId: agentId,
    });
    expect(startEvent.payload).toMatchObject({ runId: queued.id, agentId, status: "running" });
    expect(once(started.events, "agent.status_changed").payload).toMatchObject({ status: "running" });

    const finished = await emitted(
      "POST",
      `/api/heartbeat-runs/${queued.id}/status`,
      { status: "succeeded" },
      200,
    );
    expect(once(finished.events, "agent.run.finished")).toMatchObject({
      entityType: "run",
      entityId: queued.id,
    });

    const second = (await host.request("POST", `/api/agents/${agentId}/wakeup`, {})).body;
    await host.request("POST", `/api/heartbeat-runs/${second.id}/status`, { status: "running" });
    const failed = await emitted(
      "POST",
      `/api/heartbeat-runs/${second.id}/status`,
      { status: "failed", error: "adapter crashed" },
      200,
    );
    expect(once(failed.events, "agent.run.failed").payload).toMatchObject({ error: "adapter crashed" });
    expect(once(failed.events, "agent.status_changed").payload).toMatchObject({ status: "error" });
    once(
      (await emitted("POST", `/api/agents/${agentId}/clear-error`, undefined, 200)).events,
      "agent.error_cleared",
    );

    const third = (await host.request("POST", `/api/agents/${agentId}/wakeup`, {})).body;
    const cancelled = await emitted("POST", `/api/heartbeat-runs/${third.id}/cancel`, undefined, 200);
    expect(once(cancelled.events, "agent.run.cancelled")).toMatchObject({
      entityType: "run",
      entityId: third.id,
    });

    const paused = await emitted("POST", `/api/agents/${agentId}/pause`, undefined, 200);
    expect(once(paused.events, "agent.status_changed").payload).toMatchObject({
      status: "paused",
      previousStatus: "idle",
    });
  });

  it("goal and approval events", async () => {
    const c = board.company.id;
    const goal = await emitted("POST", `/api/companies/${c}/goals`, { title: "Grow" }, 201);
    once(goal.events, "goal.created");
    once(
      (await emitted("PATCH", `/api/goals/${goal.response.body.id}`, { status: "active" }, 200)).events,
      "goal.updated",
    );
    const approval = await emitted(
      "POST",
      `/api/companies/${c}/approvals`,
      { type: "approve_ceo_strategy", payload: {} },
      201,
    );
    once(approval.events, "approval.created");
    const decided = await emitted(
      "POST",
      `/api/approvals/${approval.response.body.id}/approve`,
      { decisionNote: "ok" },
      200,
    );
    expect(once(decided.events, "approval.decided").payload).toMatchObject({ decision: "approved" });
  });

  it("cost, budget incident and activity events", async () => {
    const c = board.company.id;
    await host.request("PATCH", `/api/agents/${board.agent.id}/budgets`, { budgetMonthlyCents: 1000 });
    const cost = await emitted(
      "POST",
      `/api/companies/${c}/cost-events`,
      {
        agentId: board.agent.id,
        provider: "anthropic",
        model: "claude",
        costCents: 850,
        occurredAt: new Date().toISOString(),
      },
      201,
    );
    expect(once(cost.events, "cost_event.created")).toMatchObject({
      entityType: "cost_event",
      entityId: cost.response.body.id,
    });
    const opened = once(cost.events, "budget.incident.opened");
    expect(opened.payload).toMatchObject({ thresholdType: "soft", amountObserved: 850, amountLimit: 1000 });
    const resolved = await emitted(
      "POST",
      `/api/companies/${c}/budget-incidents/${opened.entityId}/resolve`,
      { action: "keep_paused" },
      200,
    );
    once(resolved.events, "budget.incident.resolved");

    const logged = await emitted(
      "POST",
      `/api/companies/${c}/activity`,
      { actorId: "script", action: "custom.thing", entityType: "issue", entityId: "x" },
      201,
    );
    expect(logged.types).toEqual(["activity.logged"]);
    once(logged.events, "activity.logged");
  });

  it("every core event type was produced by a scenario above", () => {
    expect([...seen].sort()).toEqual([...CORE_EVENT_TYPES].sort());
  });

  it("writes one activity.logged per activity row, sequences strictly increasing", async () => {
    const events = await host.eventsSince(0);
    const seqs = events.map((event) => event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const activityRows = await host.services.db.query<{ n: string }>(
      "count_activity",
      "SELECT count(*) AS n FROM activity_log",
      [],
    );
    expect(events.filter((event) => event.eventType === "activity.logged")).toHaveLength(
      Number(activityRows[0]!.n),
    );
  });

  it("wakes in-process consumers after commit with the new head", async () => {
    const heads: number[] = [];
    const stop = host.services.notifier.subscribe((commit) => heads.push(commit.lastSeq));
    await host.request("POST", `/api/companies/${board.company.id}/goals`, { title: "Notify me" });
    stop();
    expect(heads).toHaveLength(1);
    expect(heads[0]).toBe(await host.head());
  });
});
