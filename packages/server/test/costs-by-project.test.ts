// GET /api/companies/:companyId/costs/by-project on every engine: spend per project in a window, events without
// a project in one `projectId: null` row, largest first; 404 for an unknown company.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedBoard, startTestHost, type TestHost } from "./support/app.js";
import { ENGINES } from "./support/database.js";

describe.each(ENGINES)("costs by project on %s", (engine) => {
  let host: TestHost;
  let board: Awaited<ReturnType<typeof seedBoard>>;

  beforeAll(async () => {
    host = await startTestHost(engine);
    board = await seedBoard(host, "Spend Co");
    const report = (costCents: number, occurredAt: string, projectId?: string) =>
      host.request("POST", `/api/companies/${board.company.id}/cost-events`, {
        agentId: board.agent.id,
        provider: "anthropic",
        model: "claude",
        costCents,
        occurredAt,
        projectId,
        inputTokens: 10,
        outputTokens: 5,
      });
    await report(300, "2025-06-02T10:00:00Z", board.project.id);
    await report(200, "2025-06-03T10:00:00Z", board.project.id);
    await report(50, "2025-06-03T11:00:00Z");
    await report(9999, "2025-05-03T11:00:00Z", board.project.id);
  });
  afterAll(async () => host?.close());

  it("sums spend per project in the window", async () => {
    const response = await host.request(
      "GET",
      `/api/companies/${board.company.id}/costs/by-project?from=2025-06-01T00:00:00Z&to=2025-07-01T00:00:00Z`,
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual([
      { projectId: board.project.id, projectName: "Core", costCents: 500, inputTokens: 20, outputTokens: 10 },
      { projectId: null, projectName: null, costCents: 50, inputTokens: 10, outputTokens: 5 },
    ]);
    const all = await host.request("GET", `/api/companies/${board.company.id}/costs/by-project`);
    expect(all.body[0].costCents).toBe(10_499);
  });

  it("answers 404 for an unknown company", async () => {
    const response = await host.request(
      "GET",
      "/api/companies/00000000-0000-4000-8000-000000000000/costs/by-project",
    );
    expect(response.status).toBe(404);
  });
});
