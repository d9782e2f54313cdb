// The issue routes the board's issues pages use beyond the original API: list sorting, priority and
// "no project" filters with a total count (X-Total-Count), editing a comment, restoring a document revision.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedBoard, startTestHost, type TestHost } from "./support/app.js";
import { ENGINES } from "./support/database.js";

describe.each(ENGINES)("board issue routes on %s", (engine) => {
  let host: TestHost;
  let board: Awaited<ReturnType<typeof seedBoard>>;

  beforeAll(async () => {
    host = await startTestHost(engine);
    board = await seedBoard(host, "Board Co");
  });
  afterAll(async () => host?.close());

  it("lists a page with the total, sorted and filtered by priority and project", async () => {
    const c = board.company.id;
    const make = async (title: string, priority: string, extra: Record<string, unknown> = {}) =>
      (await host.request("POST", `/api/companies/${c}/issues`, { title, priority, ...extra })).body;
    const low = await make("Sort low", "low");
    const critical = await make("Sort critical", "critical", { projectId: board.project.id });
    const high = await make("Sort high", "high");
    const medium = await make("Sort medium", "medium", { status: "done" });

    const page = await host.request("GET", `/api/companies/${c}/issues?q=Sort&limit=2&includeTotal=true`);
    expect(page.status).toBe(200);
    expect(page.headers.get("x-total-count")).toBe("4");
    expect(page.body.map((i: any) => i.id)).toEqual([critical.id, high.id]);
    // Without includeTotal the list is unchanged and no count is run.
    expect(
      (await host.request("GET", `/api/companies/${c}/issues?q=Sort`)).headers.get("x-total-count"),
    ).toBeNull();

    const reversed = await host.request("GET", `/api/companies/${c}/issues?q=Sort&sortDir=desc`);
    expect(reversed.body.map((i: any) => i.id)).toEqual([low.id, medium.id, high.id, critical.id]);
    const byIdentifier = await host.request("GET", `/api/companies/${c}/issues?q=Sort&sortField=identifier`);
    expect(byIdentifier.body.map((i: any) => i.id)).toEqual([low.id, critical.id, high.id, medium.id]);
    const created = await host.request("GET", `/api/companies/${c}/issues?q=Sort&sortField=created`);
    expect(created.body.map((i: any) => i.id)).toEqual([medium.id, high.id, critical.id, low.id]);

    const priorities = await host.request(
      "GET",
      `/api/companies/${c}/issues?q=Sort&priority=low,high&includeTotal=true`,
    );
    expect(priorities.body.map((i: any) => i.id).sort()).toEqual([low.id, high.id].sort());
    expect(priorities.headers.get("x-total-count")).toBe("2");
    const noProject = await host.request("GET", `/api/companies/${c}/issues?q=Sort&projectId=null`);
    expect(noProject.body.map((i: any) => i.id)).not.toContain(critical.id);
    expect(noProject.body).toHaveLength(3);

    expect((await host.request("GET", `/api/companies/${c}/issues?priority=urgent`)).status).toBe(400);
    expect((await host.request("GET", `/api/companies/${c}/issues?sortField=title`)).status).toBe(400);
    expect((await host.request("GET", `/api/companies/${c}/issues?assigneeAgentId=smith`)).status).toBe(422);
  });

  it("lets the author edit a comment", async () => {
    const issue = (await host.request("POST", `/api/companies/${board.company.id}/issues`, { title: "Talk" }))
      .body;
    const comment = (await host.request("POST", `/api/issues/${issue.id}/comments`, { body: "first" })).body;
    const edited = await host.request("PATCH", `/api/issues/${issue.id}/comments/${comment.id}`, {
      body: "second",
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: comment.id, body: "second" });
    const listed = (await host.request("GET", `/api/issues/${issue.id}/comments`)).body;
    expect(listed[0].body).toBe("second");
    expect(
      (await host.request("PATCH", `/api/issues/${issue.id}/comments/${comment.id}`, { body: "" })).status,
    ).toBe(400);
    const activity = (await host.request("GET", `/api/issues/${issue.id}/activity`)).body;
    expect(activity.map((a: any) => a.action)).toContain("issue.comment_updated");
    await host.request("DELETE", `/api/issues/${issue.id}/comments/${comment.id}`);
    expect(
      (await host.request("PATCH", `/api/issues/${issue.id}/comments/${comment.id}`, { body: "again" }))
        .status,
    ).toBe(409);
  });

  it("restores an older document revision as a new revision", async () => {
    const issue = (await host.request("POST", `/api/companies/${board.company.id}/issues`, { title: "Doc" }))
      .body;
    const path = `/api/issues/${issue.id}/documents/plan`;
    const first = (await host.request("PUT", path, { format: "markdown", body: "one", title: "Plan" })).body;
    const second = (
      await host.request("PUT", path, {
        format: "markdown",
        body: "two",
        baseRevisionId: first.latestRevisionId,
      })
    ).body;
    expect(second.latestRevisionNumber).toBe(2);
    const revisions = (await host.request("GET", `${path}/revisions`)).body;
    const revisionOne = revisions.find((r: any) => r.revisionNumber === 1);
    const restored = await host.request("POST", `${path}/revisions/${revisionOne.id}/restore`, {});
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ body: "one", title: "Plan", latestRevisionNumber: 3 });
    const after = (await host.request("GET", `${path}/revisions`)).body;
    expect(after[0]).toMatchObject({ revisionNumber: 3, changeSummary: "Restored revision 1" });
    // The latest revision cannot be restored onto itself; unknown revisions are 404.
    expect(
      (await host.request("POST", `${path}/revisions/${restored.body.latestRevisionId}/restore`, {})).status,
    ).toBe(409);
    expect((await host.request("POST", `${path}/revisions/${board.company.id}/restore`, {})).status).toBe(
      404,
    );
  });
});
