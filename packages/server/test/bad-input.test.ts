// Bad input never yields a 500: each class gets a clear error naming the problem, and a failed request
// leaves no rows and no events behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_LIMIT, seedBoard, startTestHost, type TestHost } from "./support/app.js";
import { ENGINES } from "./support/database.js";

const MISSING = "00000000-0000-4000-8000-000000000000";

describe.each(ENGINES)("bad input on %s", (engine) => {
  let host: TestHost;
  let board: Awaited<ReturnType<typeof seedBoard>>;

  beforeAll(async () => {
    host = await startTestHost(engine);
    board = await seedBoard(host);
  });
  afterAll(async () => host?.close());

  async function counts() {
    const rows = await host.services.db.query<{
      issues: string;
      activity: string;
      events: string;
      comments: string;
    }>(
      "bad_input_counts",
      `SELECT (SELECT count(*) FROM issues) AS issues, (SELECT count(*) FROM activity_log) AS activity,
              (SELECT count(*) FROM domain_events) AS events, (SELECT count(*) FROM issue_comments) AS comments`,
      [],
    );
    return rows[0];
  }

  it("unknown ids are 404 with the entity named, for UUIDs, identifiers and garbage alike", async () => {
    for (const [path, message] of [
      [`/api/companies/${MISSING}`, "Company not found"],
      ["/api/companies/not-a-uuid", "Company not found"],
      [`/api/issues/${MISSING}`, "Issue not found"],
      ["/api/issues/ZZZ-999", "Issue not found"],
      ["/api/issues/%27%3B%20drop", "Issue not found"],
      [`/api/agents/${MISSING}`, "Agent not found"],
      ["/api/goals/42", "Goal not found"],
      ["/api/approvals/nope", "Approval not found"],
      ["/api/heartbeat-runs/nope", "Heartbeat run not found"],
      [`/api/projects/${MISSING}`, "Project not found"],
      [`/api/companies/${MISSING}/issues`, "Company not found"],
    ] as const) {
      const response = await host.request("GET", path);
      expect(response.status, path).toBe(404);
      expect(response.body.error, path).toBe(message);
    }
    const unknownRoute = await host.request("GET", "/api/no-such-thing");
    expect(unknownRoute).toMatchObject({ status: 404, body: { error: "API route not found" } });
  });

  it("wrong types, missing fields, over-long strings and unknown enum values are 400 naming the field", async () => {
    const c = board.company.id;
    const cases: Array<[string, unknown, string]> = [
      ["missing title", {}, "body.title is required"],
      ["numeric title", { title: 5 }, "body.title must be string"],
      ["empty title", { title: "" }, "body.title must NOT have fewer than 1 characters"],
      ["long title", { title: "x".repeat(501) }, "body.title must NOT have more than 500 characters"],
      ["bad status", { title: "t", status: "doing" }, 'body.status must be one of: "backlog"'],
      ["bad priority type", { title: "t", priority: 1 }, "body.priority must be string"],
      ["string number", { title: "t", requestDepth: "3" }, "body.requestDepth must be integer"],
      ["bad uuid", { title: "t", projectId: "p-1" }, "body.projectId must be a valid uuid"],
      ["array body", [1, 2], "body.(root) must be object"],
    ];
    for (const [label, body, message] of cases) {
      const response = await host.request("POST", `/api/companies/${c}/issues`, body);
      expect(response.status, label).toBe(400);
      expect(response.body.error, label).toContain(message);
      expect(Array.isArray(response.body.details), label).toBe(true);
    }
    const query = await host.request("GET", `/api/companies/${c}/issues?limit=abc`);
    expect(query.status).toBe(400);
    expect(query.body.error).toContain("querystring.limit must be integer");
    const status = await host.request("GET", `/api/companies/${c}/issues?status=todo,nope`);
    expect(status.status).toBe(400);
    expect(status.body.error).toContain('querystring.status has unknown status "nope"');
  });

  it("malformed JSON is 400, a non-JSON content type 415, an oversize body 413", async () => {
    const c = board.company.id;
    const malformed = await host.raw("POST", `/api/companies/${c}/issues`, '{"title": "x",');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toContain("Malformed JSON body");
    const text = await host.raw("POST", `/api/companies/${c}/issues`, "title=x", {
      "content-type": "text/plain",
    });
    expect(text.status).toBe(415);
    expect(text.body.error).toContain("Content-Type");
    const huge = await host.raw(
      "POST",
      `/api/companies/${c}/issues`,
      JSON.stringify({ title: "t", description: "x".repeat(BODY_LIMIT) }),
    );
    expect(huge.status).toBe(413);
    expect(huge.body.error).toContain("larger than the limit");
  });

  it("NUL and lone surrogates anywhere in a body are 400 naming the JSON path, and nothing is stored", async () => {
    const c = board.company.id;
    const issue = (await host.request("POST", `/api/companies/${c}/issues`, { title: "Clean" })).body;
    const before = await counts();
    const head = await host.head();
    const cases: Array<[string, string, unknown, string]> = [
      ["POST", "/api/companies", { name: "a\u0000b" }, "body.name must not contain the NUL character"],
      ["PATCH", `/api/companies/${c}`, { description: "x\ud800" }, "body.description must be valid Unicode"],
      [
        "POST",
        `/api/companies/${c}/issues`,
        { title: "\u0000" },
        "body.title must not contain the NUL character",
      ],
      [
        "POST",
        `/api/companies/${c}/issues`,
        { title: "t", description: "d\u0000" },
        "body.description must not",
      ],
      ["PATCH", `/api/issues/${issue.id}`, { title: "\udfff" }, "body.title must be valid Unicode"],
      ["PATCH", `/api/issues/${issue.id}`, { comment: "c\u0000" }, "body.comment must not contain the NUL"],
      ["POST", `/api/issues/${issue.id}/comments`, { body: "\u0000" }, "body.body must not contain the NUL"],
      [
        "POST",
        `/api/issues/${issue.id}/comments`,
        { body: "ok", metadata: { list: ["fine", { deep: "\u0000" }] } },
        "body.metadata.list.1.deep must not contain the NUL",
      ],
      [
        "POST",
        `/api/issues/${issue.id}/comments`,
        { body: "ok", metadata: { "k\u0000": 1 } },
        "body.metadata has a key containing the NUL character",
      ],
    ];
    for (const [method, path, body, message] of cases) {
      const response = await host.request(method, path, body);
      expect(response.status, message).toBe(400);
      expect(response.body.error, message).toContain(message);
      expect(response.body.details[0], message).toMatchObject({
        location: "body",
        path: expect.stringMatching(/^\$\./),
      });
    }
    // In the URL too: a path parameter or a query value with %00 is a 400, not a database error.
    const path = await host.request("GET", "/api/issues/%00");
    expect(path).toMatchObject({
      status: 400,
      body: { error: "Validation error: params.id must not contain the NUL character (%00)" },
    });
    const query = await host.request("GET", `/api/companies/${c}/issues?q=a%00`);
    expect(query.status).toBe(400);
    expect(query.body.error).toContain("querystring.q must not contain the NUL character");
    // Odd but storable text is kept as sent.
    const odd = "\u202eRTL\u202c 😀 \u2028 'quote\" \\u0000";
    const stored = await host.request("POST", `/api/companies/${c}/issues`, { title: odd });
    expect(stored.status).toBe(201);
    expect((await host.request("GET", `/api/issues/${stored.body.id}`)).body.title).toBe(odd);
    await host.request("DELETE", `/api/issues/${stored.body.id}`);
    expect(Number((await counts())!.comments)).toBe(Number(before!.comments));
    // Only the odd-but-valid issue was written (created, then deleted): the refused requests left nothing.
    expect((await host.eventsSince(head)).filter((e) => e.eventType === "issue.created")).toHaveLength(1);
  });

  it("bodies nested deeper than 64 levels are 400 naming the limit, however deep", async () => {
    const c = board.company.id;
    const issue = (await host.request("POST", `/api/companies/${c}/issues`, { title: "Deep" })).body;
    const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    for (const depth of [64, 5_000, 40_000]) {
      const response = await host.raw(
        "POST",
        `/api/issues/${issue.id}/comments`,
        `{"body":"x","metadata":${deepObject(depth)}}`,
      );
      expect(response.status, String(depth)).toBe(400);
      expect(response.body.error).toMatch(
        /^Validation error: JSON nested deeper than 64 levels at \$\.metadata\.a\.a/,
      );
      expect(response.body.details[0]).toMatchObject({ rule: "maxDepth", limit: 64, location: "body" });
    }
    // 63 levels inside metadata (64 with the body) is allowed and stored as sent.
    const fits = await host.raw(
      "POST",
      `/api/issues/${issue.id}/comments`,
      `{"body":"x","metadata":${deepObject(63)}}`,
    );
    expect(fits.status).toBe(201);
    const arrays = await host.raw(
      "POST",
      `/api/companies/${c}/issues`,
      `{"title":${"[".repeat(50_000)}${"]".repeat(50_000)}}`,
    );
    expect(arrays.status).toBe(400);
    expect(arrays.body.error).toContain("JSON nested deeper than 64 levels at $.title[0][0]");
  });

  it("unknown body properties are 400 naming the property (the OpenAPI document says additionalProperties: false)", async () => {
    const c = board.company.id;
    const before = await counts();
    const create = await host.request("POST", `/api/companies/${c}/issues`, { title: "t", colour: "red" });
    expect(create.status).toBe(400);
    expect(create.body.error).toBe(
      "Validation error: body.colour is not a known property (unknown properties are refused)",
    );
    expect(create.body.details).toEqual([
      {
        field: "colour",
        location: "body",
        rule: "additionalProperties",
        message: "is not a known property (unknown properties are refused)",
      },
    ]);
    const company = await host.request("POST", "/api/companies", { name: "x", bogus: 1 });
    expect(company.body.error).toContain("body.bogus is not a known property");
    expect(await counts()).toEqual(before);
    // Free-form objects (metadata, payloads) take any keys; unknown query parameters are ignored.
    const issue = (await host.request("POST", `/api/companies/${c}/issues`, { title: "Free" })).body;
    const comment = await host.request("POST", `/api/issues/${issue.id}/comments`, {
      body: "x",
      metadata: { anything: { goes: true } },
    });
    expect(comment.status).toBe(201);
    expect((await host.request("GET", `/api/companies/${c}/issues?cacheBust=123`)).status).toBe(200);
  });

  it("illegal status transitions are 409", async () => {
    const run = (await host.request("POST", `/api/agents/${board.agent.id}/wakeup`, {})).body;
    const finish = await host.request("POST", `/api/heartbeat-runs/${run.id}/status`, {
      status: "succeeded",
    });
    expect(finish.status).toBe(409);
    expect(finish.body.error).toBe('Illegal run status transition from "queued" to "succeeded"');
    expect(finish.body.details).toMatchObject({
      from: "queued",
      to: "succeeded",
      allowed: ["running", "cancelled"],
    });
    await host.request("POST", `/api/heartbeat-runs/${run.id}/cancel`);

    const resume = await host.request("POST", `/api/agents/${board.agent.id}/resume`);
    expect(resume.status).toBe(409);
    const clear = await host.request("POST", `/api/agents/${board.agent.id}/clear-error`);
    expect(clear.status).toBe(409);

    const approval = (
      await host.request("POST", `/api/companies/${board.company.id}/approvals`, {
        type: "hire_agent",
        payload: {},
      })
    ).body;
    expect((await host.request("POST", `/api/approvals/${approval.id}/reject`, {})).status).toBe(200);
    const approveRejected = await host.request("POST", `/api/approvals/${approval.id}/approve`, {});
    expect(approveRejected.status).toBe(409);
    expect(approveRejected.body.error).toContain('status "rejected"');
  });

  it("a failed request leaves no partial rows and emits no event", async () => {
    const c = board.company.id;
    const blocker = (await host.request("POST", `/api/companies/${c}/issues`, { title: "Blocker" })).body;
    const before = await counts();
    const head = await host.head();
    // The issue row would be inserted before the blocker check fails: the whole transaction must roll back.
    const failed = await host.request("POST", `/api/companies/${c}/issues`, {
      title: "Half done",
      blockedByIssueIds: [blocker.id, MISSING],
    });
    expect(failed.status).toBe(422);
    expect(failed.body.error).toContain("blockedByIssueIds");
    // A PATCH whose comment is valid but whose transition fails must not keep the comment.
    const target = (await host.request("POST", `/api/companies/${c}/issues`, { title: "Target" })).body;
    const afterTarget = await counts();
    const headAfterTarget = await host.head();
    const patch = await host.request("PATCH", `/api/issues/${target.id}`, {
      status: "in_progress",
      comment: "starting",
    });
    expect(patch.status).toBe(422);
    expect(patch.body.error).toBe("status: in_progress needs an assignee");
    expect(await counts()).toEqual(afterTarget);
    expect(await host.head()).toBe(headAfterTarget);
    expect(Number(afterTarget!.issues)).toBe(Number(before!.issues) + 1);
    expect(await host.eventsSince(head)).toHaveLength(2); // only the Target's issue.created + activity.logged
    // The failed create did not consume an issue number either.
    expect(target.issueNumber).toBe(blocker.issueNumber + 1);
  });

  it("references to other companies are 422, unknown referenced ids 404 naming the field", async () => {
    const other = (await host.request("POST", "/api/companies", { name: "Other" })).body;
    const foreignAgent = (
      await host.request("POST", `/api/companies/${other.id}/agents`, { name: "Stranger" })
    ).body;
    const cross = await host.request("POST", `/api/companies/${board.company.id}/issues`, {
      title: "x",
      assigneeAgentId: foreignAgent.id,
    });
    expect(cross.status).toBe(422);
    expect(cross.body.error).toBe("assigneeAgentId: Agent belongs to another company");
    const unknown = await host.request("POST", `/api/companies/${board.company.id}/issues`, {
      title: "x",
      goalId: MISSING,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe("goalId: Goal not found");
  });

  it("bad document keys and stale revisions are refused", async () => {
    const issue = (await host.request("POST", `/api/companies/${board.company.id}/issues`, { title: "Docs" }))
      .body;
    const badKey = await host.request("PUT", `/api/issues/${issue.id}/documents/-bad`, {
      format: "markdown",
      body: "x",
    });
    expect(badKey.status).toBe(400);
    expect(badKey.body.error).toContain("Invalid document key");
    const created = (
      await host.request("PUT", `/api/issues/${issue.id}/documents/plan`, { format: "markdown", body: "v1" })
    ).body;
    await host.request("PUT", `/api/issues/${issue.id}/documents/plan`, { format: "markdown", body: "v2" });
    const stale = await host.request("PUT", `/api/issues/${issue.id}/documents/plan`, {
      format: "markdown",
      body: "v3",
      baseRevisionId: created.latestRevisionId,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toBe("Document was updated by someone else");
  });

  it("bearer credentials and unknown run ids are refused with 401", async () => {
    const bearer = await host.request("GET", "/api/companies", undefined, { authorization: "Bearer pcp_x" });
    expect(bearer.status).toBe(401);
    const run = await host.request("GET", "/api/companies", undefined, { "x-paperclip-run-id": MISSING });
    expect(run.status).toBe(401);
    expect(run.body.error).toContain("x-paperclip-run-id");
  });
});
