// Company membership and roles in authenticated mode: owners manage members, members write, viewers only read,
// people outside a company learn nothing about it, agents act for their own company only, and the instance admin
// is owner everywhere.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "../support/database.js";
import { type AuthHost, type Caller, show, startAuthHost } from "./support.js";

describe.each(ENGINES)("company roles (%s)", (engine) => {
  let host: AuthHost;
  let admin: Caller;
  let owner: Caller;
  let member: Caller;
  let viewer: Caller;
  let outsider: Caller;
  const ids: Record<string, string> = {};
  let company: { id: string; issuePrefix: string };
  let issue: { id: string; identifier: string };

  beforeAll(async () => {
    host = await startAuthHost(engine);
    await host.createUser("root@example.com", "Root"); // the first user: instance admin
    for (const name of ["owner", "member", "viewer", "outsider"]) {
      ids[name] = (await host.createUser(`${name}@example.com`, name[0]!.toUpperCase() + name.slice(1))).id;
    }
    admin = await host.signIn("root@example.com");
    owner = await host.signIn("owner@example.com");
    member = await host.signIn("member@example.com");
    viewer = await host.signIn("viewer@example.com");
    outsider = await host.signIn("outsider@example.com");
    const created = await host.request("POST", "/api/companies", { name: "Acme" }, owner);
    expect(created.status, show(created)).toBe(201);
    company = created.body;
  });
  afterAll(() => host?.close());

  it("makes the creator of a company its owner, and lists each person only their companies", async () => {
    const me = await host.request("GET", "/api/me", undefined, owner);
    expect(me.body.memberships).toEqual([
      { companyId: company.id, companyName: "Acme", issuePrefix: company.issuePrefix, role: "owner" },
    ]);
    const other = await host.request("POST", "/api/companies", { name: "Outsider Inc" }, outsider);
    expect(other.status).toBe(201);
    const names = async (caller: Caller) =>
      (await host.request("GET", "/api/companies", undefined, caller)).body.map(
        (c: { name: string }) => c.name,
      );
    expect(await names(owner)).toEqual(["Acme"]);
    expect(await names(outsider)).toEqual(["Outsider Inc"]);
    expect(await names(viewer)).toEqual([]);
    // The instance admin sees and owns everything.
    expect(await names(admin)).toEqual(["Acme", "Outsider Inc"]);
    const adminMe = await host.request("GET", "/api/me", undefined, admin);
    expect(adminMe.body.memberships.map((m: { role: string }) => m.role)).toEqual(["owner", "owner"]);
  });

  it("lets owners add members by email, with clear errors for unknown, duplicate and non-owner requests", async () => {
    const add = (caller: Caller, email: string, role: string) =>
      host.request("POST", `/api/companies/${company.id}/members`, { email, role }, caller);
    expect((await add(owner, "Member@Example.com", "member")).status).toBe(201);
    const added = await add(owner, "viewer@example.com", "viewer");
    expect(added.status, show(added)).toBe(201);
    expect(added.body).toMatchObject({ userId: ids.viewer, email: "viewer@example.com", role: "viewer" });

    const unknown = await add(owner, "ghost@example.com", "member");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatch(
      /^No user with email ghost@example.com: an instance admin creates accounts/,
    );
    const duplicate = await add(owner, "viewer@example.com", "member");
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toBe(
      "viewer@example.com is already a member of this company (role: viewer)",
    );
    const badRole = await add(owner, "outsider@example.com", "boss");
    expect(badRole.status).toBe(400);

    const byMember = await add(member, "outsider@example.com", "viewer");
    expect(byMember.status).toBe(403);
    expect(byMember.body.error).toBe(`Owner access to company ${company.id} required (your role: member)`);

    const list = await host.request("GET", `/api/companies/${company.id}/members`, undefined, viewer);
    expect(list.status).toBe(200);
    expect(list.body.map((m: { email: string; role: string }) => `${m.role}:${m.email}`)).toEqual([
      "owner:owner@example.com",
      "member:member@example.com",
      "viewer:viewer@example.com",
    ]);
  });

  it("lets viewers read and refuses their writes, naming the role", async () => {
    const created = await host.request(
      "POST",
      `/api/companies/${company.id}/issues`,
      { title: "Ship it" },
      member,
    );
    expect(created.status, show(created)).toBe(201);
    issue = created.body;

    expect((await host.request("GET", `/api/companies/${company.id}/issues`, undefined, viewer)).status).toBe(
      200,
    );
    expect((await host.request("GET", `/api/issues/${issue.identifier}`, undefined, viewer)).status).toBe(
      200,
    );

    const denied = `Write access to company ${company.id} required (your role: viewer)`;
    const write = await host.request(
      "POST",
      `/api/companies/${company.id}/issues`,
      { title: "Nope" },
      viewer,
    );
    expect(write.status).toBe(403);
    expect(write.body.error).toBe(denied);
    expect(write.body.details).toEqual({ companyId: company.id, role: "viewer", required: "member" });
    const patch = await host.request("PATCH", `/api/issues/${issue.id}`, { title: "Renamed" }, viewer);
    expect(patch.status).toBe(403);
    expect(patch.body.error).toBe(denied);
    // Refused before the body is validated: an invalid body still gets the 403.
    const invalid = await host.request("PATCH", `/api/issues/${issue.id}`, { title: 42 }, viewer);
    expect(invalid.status).toBe(403);
    const comment = await host.request("POST", `/api/issues/${issue.id}/comments`, { body: "hi" }, viewer);
    expect(comment.status).toBe(403);

    // Members write, but renaming or deleting the company is the owners'.
    expect(
      (await host.request("PATCH", `/api/issues/${issue.id}`, { title: "Renamed" }, member)).status,
    ).toBe(200);
    const rename = await host.request("PATCH", `/api/companies/${company.id}`, { name: "Mine" }, member);
    expect(rename.status).toBe(403);
    expect(rename.body.error).toBe(`Owner access to company ${company.id} required (your role: member)`);
    expect(
      (await host.request("PATCH", `/api/companies/${company.id}`, { name: "Acme" }, owner)).status,
    ).toBe(200);
  });

  it("tells people outside a company no more than that nothing was found", async () => {
    const companyReply = await host.request("GET", `/api/companies/${company.id}`, undefined, outsider);
    expect(companyReply.status).toBe(404);
    expect(companyReply.body.error).toBe(
      `Company ${company.id} not found (or you are not a member of its company)`,
    );
    const missingCompany = "00000000-0000-4000-8000-000000000000";
    const missing = await host.request("GET", `/api/companies/${missingCompany}`, undefined, outsider);
    expect(missing.body.error).toBe(
      `Company ${missingCompany} not found (or you are not a member of its company)`,
    );

    const issueReply = await host.request("GET", `/api/issues/${issue.identifier}`, undefined, outsider);
    expect(issueReply.status).toBe(404);
    expect(issueReply.body.error).toBe(
      `Issue ${issue.identifier} not found (or you are not a member of its company)`,
    );
    const noIssue = await host.request("GET", "/api/issues/ACM-999", undefined, outsider);
    expect(noIssue.status).toBe(404);
    expect(noIssue.body.error).toBe("Issue ACM-999 not found (or you are not a member of its company)");

    const write = await host.request("POST", `/api/companies/${company.id}/issues`, { title: "x" }, outsider);
    expect(write.status).toBe(404);
    const stream = await host.request(
      "GET",
      `/api/companies/${company.id}/events/stream`,
      undefined,
      outsider,
    );
    expect(stream.status).toBe(404);
    const members = await host.request("GET", `/api/companies/${company.id}/members`, undefined, outsider);
    expect(members.status).toBe(404);
  });

  it("changes roles and removes members, but never the last owner", async () => {
    const path = (userId: string) => `/api/companies/${company.id}/members/${userId}`;
    const demoteLast = await host.request("PATCH", path(ids.owner!), { role: "member" }, owner);
    expect(demoteLast.status).toBe(422);
    expect(demoteLast.body.error).toBe(
      "The last owner of a company cannot be demoted: make another member an owner first",
    );
    const removeLast = await host.request("DELETE", path(ids.owner!), undefined, owner);
    expect(removeLast.status).toBe(422);
    expect(removeLast.body.error).toMatch(/cannot be removed/);

    const promote = await host.request("PATCH", path(ids.member!), { role: "owner" }, owner);
    expect(promote.status, show(promote)).toBe(200);
    expect(promote.body.role).toBe("owner");
    // Two owners now: one may step down.
    expect((await host.request("PATCH", path(ids.owner!), { role: "member" }, owner)).status).toBe(200);
    const notOwnerAnymore = await host.request("PATCH", path(ids.member!), { role: "viewer" }, owner);
    expect(notOwnerAnymore.status).toBe(403);
    // The new owner restores the first one.
    expect((await host.request("PATCH", path(ids.owner!), { role: "owner" }, member)).status).toBe(200);

    const notMember = await host.request("DELETE", path(ids.outsider!), undefined, owner);
    expect(notMember.status).toBe(404);
    expect(notMember.body.error).toBe(`User ${ids.outsider} is not a member of this company`);

    // Removing the viewer ends their access at once.
    expect((await host.request("DELETE", path(ids.viewer!), undefined, owner)).status).toBe(200);
    const gone = await host.request("GET", `/api/companies/${company.id}/issues`, undefined, viewer);
    expect(gone.status).toBe(404);
    expect(
      (
        await host.request(
          "POST",
          `/api/companies/${company.id}/members`,
          { email: "viewer@example.com", role: "viewer" },
          owner,
        )
      ).status,
    ).toBe(201);

    const activity = await host.request(
      "GET",
      `/api/companies/${company.id}/activity?limit=50`,
      undefined,
      owner,
    );
    const actions = activity.body.map((row: { action: string }) => row.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "company.member_added",
        "company.member_role_changed",
        "company.member_removed",
      ]),
    );
  });

  it("lets an agent act for its own company only", async () => {
    const agent = await host.request(
      "POST",
      `/api/companies/${company.id}/agents`,
      { name: "Bot", role: "engineer" },
      owner,
    );
    expect(agent.status, show(agent)).toBe(201);
    const key = await host.request("POST", `/api/agents/${agent.body.id}/keys`, { name: "ci" }, owner);
    expect(key.status, show(key)).toBe(201);
    const asAgent: Caller = { token: key.body.token };
    expect(
      (await host.request("GET", `/api/companies/${company.id}/issues`, undefined, asAgent)).status,
    ).toBe(200);
    const made = await host.request(
      "POST",
      `/api/companies/${company.id}/issues`,
      { title: "From the agent" },
      asAgent,
    );
    expect(made.status, show(made)).toBe(201);
    // Viewers cannot mint agent keys (an agent writes as a member).
    expect(
      (await host.request("POST", `/api/agents/${agent.body.id}/keys`, { name: "x" }, viewer)).status,
    ).toBe(403);

    const other = (await host.request("GET", "/api/companies", undefined, outsider)).body[0];
    const foreign = await host.request("GET", `/api/companies/${other.id}/issues`, undefined, asAgent);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toBe(
      `Agent ${agent.body.id} may only act for its own company, not company ${other.id}`,
    );
    const foreignIssue = await host.request(
      "POST",
      `/api/companies/${other.id}/issues`,
      { title: "x" },
      outsider,
    );
    const touch = await host.request(
      "PATCH",
      `/api/issues/${foreignIssue.body.id}`,
      { title: "mine" },
      asAgent,
    );
    expect(touch.status).toBe(403);
    expect(touch.body.error).toBe(
      `Agent ${agent.body.id} may only act for its own company, not issue ${foreignIssue.body.id}`,
    );
    // Agents are not board users: no company creation, no account routes.
    expect((await host.request("POST", "/api/companies", { name: "Agent Co" }, asAgent)).status).toBe(403);
    expect(
      (await host.request("GET", "/api/companies", undefined, asAgent)).body.map((c: { id: string }) => c.id),
    ).toEqual([company.id]);
  });
});
