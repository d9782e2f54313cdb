// GET /api/companies/:companyId/dashboard on every engine: exact counts by status, agents by status, pending
// approvals, this month's spend, the created/closed trend bucketed by local day in the asked time zone, the
// latest issues; 404 for an unknown company, 400 for an unknown time zone; fast with 10,000 issues.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardSummary } from "../src/http/routes/dashboard.js";
import { seedBoard, startTestHost, type TestHost } from "./support/app.js";
import { ENGINES } from "./support/database.js";

describe.each(ENGINES)("dashboard route on %s", (engine) => {
  let host: TestHost;
  let board: Awaited<ReturnType<typeof seedBoard>>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    host = await startTestHost(engine);
    board = await seedBoard(host, "Dash Co");
    const c = board.company.id;
    const create = async (key: string, status: string) => {
      const response = await host.request("POST", `/api/companies/${c}/issues`, {
        title: key,
        status,
        assigneeAgentId: status === "in_progress" ? board.agent.id : undefined,
      });
      expect(response.body.error ?? "").toBe("");
      ids[key] = response.body.id;
    };
    await create("todo", "todo");
    await create("progress", "in_progress");
    await create("blocked", "blocked");
    await create("review", "in_review");
    await create("done", "todo");
    await create("cancelled", "todo");
    await create("hidden", "todo");
    await host.request("PATCH", `/api/issues/${ids.done}`, { status: "done" });
    await host.request("PATCH", `/api/issues/${ids.cancelled}`, { status: "cancelled" });
    await host.request("PATCH", `/api/issues/${ids.hidden}`, { hiddenAt: new Date().toISOString() });
    const second = await host.request("POST", `/api/companies/${c}/agents`, { name: "Pauly", role: "qa" });
    await host.request("POST", `/api/agents/${second.body.id}/pause`);
    await host.request("POST", `/api/companies/${c}/approvals`, {
      type: "hire_agent",
      payload: { name: "X" },
    });
    await host.request("POST", `/api/companies/${c}/cost-events`, {
      agentId: board.agent.id,
      provider: "anthropic",
      model: "claude",
      costCents: 1234,
      occurredAt: new Date().toISOString(),
    });
    await host.request("PATCH", `/api/companies/${c}`, { budgetMonthlyCents: 10_000 });
  });
  afterAll(async () => host?.close());

  it("counts issues by status, agents, approvals and this month's spend", async () => {
    const response = await host.request("GET", `/api/companies/${board.company.id}/dashboard`);
    expect(response.status).toBe(200);
    const body = response.body;
    expect(body.issues).toMatchObject({
      total: 6,
      open: 4,
      inProgress: 1,
      blocked: 1,
      inReview: 1,
      byStatus: { todo: 1, in_progress: 1, blocked: 1, in_review: 1, done: 1, cancelled: 1, backlog: 0 },
    });
    expect(body.agents).toMatchObject({ total: 2, paused: 1, running: 0 });
    expect(body.agents.byStatus.paused).toBe(1);
    expect(body.pendingApprovals).toBe(1);
    expect(body.costs).toMatchObject({
      monthSpendCents: 1234,
      monthBudgetCents: 10_000,
      monthUtilizationPercent: 12.34,
    });
    expect(body.trend).toHaveLength(14);
    const today = body.trend.at(-1);
    expect(today).toMatchObject({ created: 6, closed: 2 });
    expect(body.recentIssues).toHaveLength(6);
    expect(body.recentIssues.map((issue: { id: string }) => issue.id)).not.toContain(ids.hidden);
    expect(body.recentIssues[0]).toHaveProperty("identifier");
  });

  it("buckets the trend by local day in the asked time zone", async () => {
    const now = new Date("2025-06-15T10:00:00Z");
    // Created at 23:30 UTC on June 10 = June 11 in Tokyo; closed on June 14 at 16:00 UTC = June 15 in Tokyo.
    await host.database.db.query(
      "test_dashboard_move",
      `UPDATE issues SET created_at = $2, completed_at = $3 WHERE id = $1`,
      [ids.done, "2025-06-10T23:30:00Z", "2025-06-14T16:00:00Z"],
    );
    await host.database.db.query(
      "test_dashboard_move2",
      `UPDATE issues SET created_at = $2, cancelled_at = $3 WHERE id = $1`,
      [ids.cancelled, "2025-05-01T00:00:00Z", "2025-06-15T09:00:00Z"],
    );
    const utc = await dashboardSummary(host.database.db, board.company.id, now, { days: 7 });
    expect(utc.trend.map((day) => day.day)).toEqual([
      "2025-06-09",
      "2025-06-10",
      "2025-06-11",
      "2025-06-12",
      "2025-06-13",
      "2025-06-14",
      "2025-06-15",
    ]);
    const pick = (trend: typeof utc.trend, day: string) => trend.find((entry) => entry.day === day);
    expect(pick(utc.trend, "2025-06-10")).toMatchObject({ created: 1, closed: 0 });
    expect(pick(utc.trend, "2025-06-14")).toMatchObject({ created: 0, closed: 1 });
    expect(pick(utc.trend, "2025-06-15")).toMatchObject({ created: 0, closed: 1 });

    const tokyo = await dashboardSummary(host.database.db, board.company.id, now, {
      days: 7,
      timeZone: "Asia/Tokyo",
    });
    expect(tokyo.timeZone).toBe("Asia/Tokyo");
    expect(pick(tokyo.trend, "2025-06-10")).toMatchObject({ created: 0 });
    expect(pick(tokyo.trend, "2025-06-11")).toMatchObject({ created: 1 });
    expect(pick(tokyo.trend, "2025-06-14")).toMatchObject({ closed: 0 });
    expect(pick(tokyo.trend, "2025-06-15")).toMatchObject({ closed: 2 });
  });

  it("answers 404 for an unknown company and 400 for an unknown time zone", async () => {
    const missing = await host.request(
      "GET",
      "/api/companies/00000000-0000-4000-8000-000000000000/dashboard",
    );
    expect(missing.status).toBe(404);
    const badZone = await host.request(
      "GET",
      `/api/companies/${board.company.id}/dashboard?timeZone=Mars%2FOlympus`,
    );
    expect(badZone.status).toBe(400);
    expect(badZone.body.error).toContain("timeZone");
    const badDays = await host.request("GET", `/api/companies/${board.company.id}/dashboard?days=0`);
    expect(badDays.status).toBe(400);
  });

  it("stays exact and fast with 10,000 issues", async () => {
    const company = (await host.request("POST", "/api/companies", { name: "Big Co" })).body;
    await host.database.db.query(
      "test_dashboard_bulk",
      `INSERT INTO issues (company_id, title, status, issue_number, identifier, created_at, updated_at,
         completed_at)
       SELECT $1, 'Issue ' || n, CASE WHEN n % 4 = 0 THEN 'done' WHEN n % 4 = 1 THEN 'todo'
         WHEN n % 4 = 2 THEN 'in_progress' ELSE 'blocked' END, n, $2 || '-' || n,
         now() - (n % 20) * interval '1 day', now(),
         CASE WHEN n % 4 = 0 THEN now() - (n % 3) * interval '1 day' END
       FROM generate_series(1, 10000) AS n`,
      [company.id, company.issuePrefix],
    );
    const started = performance.now();
    const response = await host.request(
      "GET",
      `/api/companies/${company.id}/dashboard?timeZone=Europe%2FParis`,
    );
    const elapsed = performance.now() - started;
    expect(response.status).toBe(200);
    expect(response.body.issues).toMatchObject({
      total: 10_000,
      open: 7500,
      inProgress: 2500,
      blocked: 2500,
    });
    expect(response.body.issues.byStatus.done).toBe(2500);
    const closed = response.body.trend.reduce((sum: number, day: { closed: number }) => sum + day.closed, 0);
    expect(closed).toBe(2500);
    const created = response.body.trend.reduce(
      (sum: number, day: { created: number }) => sum + day.created,
      0,
    );
    expect(created).toBeGreaterThan(6000);
    expect(created).toBeLessThan(8000);
    expect(elapsed).toBeLessThan(1500);
  });
});
