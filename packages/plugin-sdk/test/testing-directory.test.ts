import { createTestHarness } from "@paperclipai/plugin-sdk/testing";
import { describe, expect, it } from "vitest";
import {
  approval,
  company,
  fullManifest,
  goal,
  project,
  seededIssue,
  workspace,
} from "./testing-fixtures.js";

function directoryHarness(extra: Parameters<typeof fullManifest>[0] = {}) {
  const harness = createTestHarness({ manifest: fullManifest(extra) });
  harness.seed({
    companies: [company("acme"), company("beta"), company("gamma")],
    projects: [project("p1", "acme"), project("p2", "acme"), project("q1", "beta")],
    projectWorkspaces: [workspace("w-side", "p1", false), workspace("w-main", "p1", true)],
    issues: [seededIssue("i1", "acme", { projectId: "p1" }), seededIssue("i2", "acme")],
    goals: [goal("g1", "acme"), goal("g2", "acme", { level: "team", status: "planned" })],
    approvals: [approval("ap1", "acme"), approval("ap2", "acme", { status: "approved" })],
  });
  return harness;
}

describe("companies and projects", () => {
  it("lists and gets seeded companies, with pagination", async () => {
    const { ctx } = directoryHarness();
    await expect(ctx.companies.list()).resolves.toHaveLength(3);
    await expect(ctx.companies.list({ limit: 1, offset: 1 })).resolves.toMatchObject([{ id: "beta" }]);
    await expect(ctx.companies.get("beta")).resolves.toMatchObject({ name: "Company beta" });
    await expect(ctx.companies.get("nope")).resolves.toBeNull();
  });

  it("scopes projects to their company", async () => {
    const { ctx } = directoryHarness();
    await expect(ctx.projects.list({ companyId: "acme" })).resolves.toMatchObject([
      { id: "p1" },
      { id: "p2" },
    ]);
    await expect(ctx.projects.get("q1", "acme")).resolves.toBeNull();
    await expect(ctx.projects.get("q1", "beta")).resolves.toMatchObject({ id: "q1" });
  });

  it("lists workspaces primary first and resolves an issue's workspace", async () => {
    const { ctx } = directoryHarness();
    const workspaces = await ctx.projects.listWorkspaces("p1", "acme");
    expect(workspaces.map((w) => w.id)).toEqual(["w-main", "w-side"]);
    await expect(ctx.projects.getPrimaryWorkspace("p1", "acme")).resolves.toMatchObject({ id: "w-main" });
    await expect(ctx.projects.getPrimaryWorkspace("p2", "acme")).resolves.toBeNull();
    await expect(ctx.projects.getPrimaryWorkspace("p1", "beta")).resolves.toBeNull();
    await expect(ctx.projects.getWorkspaceForIssue("i1", "acme")).resolves.toMatchObject({
      path: "/srv/w-main",
    });
    await expect(ctx.projects.getWorkspaceForIssue("i2", "acme")).resolves.toBeNull();
    await expect(ctx.projects.listWorkspaces("q1", "acme")).rejects.toThrow("Project not found: q1");
  });
});

describe("goals", () => {
  it("creates with defaults, filters by level and status, and updates", async () => {
    const { ctx } = directoryHarness();
    const created = await ctx.goals.create({ companyId: "acme", title: "Ship v1", parentId: "g1" });
    expect(created).toMatchObject({ level: "task", status: "planned", parentId: "g1", description: null });
    await expect(ctx.goals.list({ companyId: "acme", level: "team" })).resolves.toMatchObject([{ id: "g2" }]);
    await expect(ctx.goals.list({ companyId: "acme", status: "planned" })).resolves.toHaveLength(2);
    const updated = await ctx.goals.update(created.id, { status: "achieved", title: "Shipped v1" }, "acme");
    expect(updated).toMatchObject({ status: "achieved", title: "Shipped v1" });
    await expect(ctx.goals.get(created.id, "beta")).resolves.toBeNull();
  });

  it("rejects bad goal input, naming the field", async () => {
    const { ctx } = directoryHarness();
    await expect(
      ctx.goals.create({ companyId: "acme", title: "x", level: "galaxy" as "task" }),
    ).rejects.toThrow("ctx.goals.create: level must be one of company, team, agent, task");
    await expect(ctx.goals.create({ companyId: "acme", title: "x", parentId: "missing" })).rejects.toThrow(
      "Goal not found: missing",
    );
    await expect(ctx.goals.update("g1", { owner: "x" } as never, "acme")).rejects.toThrow(
      "ctx.goals.update: patch.owner is not an updatable goal field",
    );
    await expect(ctx.goals.update("g1", { parentId: "g1" }, "acme")).rejects.toThrow(
      "a goal cannot be its own parent",
    );
    await expect(ctx.goals.update("missing", { title: "x" }, "acme")).rejects.toThrow(
      "Goal not found: missing",
    );
  });
});

describe("approvals", () => {
  it("lists by status and decides a pending approval once", async () => {
    const { ctx } = directoryHarness();
    await expect(ctx.approvals.list({ companyId: "acme", status: "pending" })).resolves.toMatchObject([
      { id: "ap1" },
    ]);
    const decided = await ctx.approvals.decide(
      "ap1",
      { action: "reject", actorUserId: "u1", decisionNote: "Too costly" },
      "acme",
    );
    expect(decided).toMatchObject({
      applied: true,
      approval: { status: "rejected", decidedByUserId: "u1", decisionNote: "Too costly" },
    });
    await expect(ctx.approvals.decide("ap2", { action: "reject" }, "acme")).resolves.toMatchObject({
      applied: false,
      approval: { status: "approved" },
    });
    await expect(ctx.approvals.decide("ap1", { action: "maybe" as "approve" }, "acme")).rejects.toThrow(
      "ctx.approvals.decide: action must be one of approve, reject",
    );
    await expect(ctx.approvals.get("ap1", "beta")).resolves.toBeNull();
  });
});

describe("seed", () => {
  it("rejects malformed seeds, naming the list and index", () => {
    const harness = createTestHarness({ manifest: fullManifest() });
    expect(() => harness.seed({ companies: {} as never })).toThrow(
      "harness.seed: companies must be an array (got an object)",
    );
    expect(() => harness.seed({ goals: [{ ...goal("x", "acme"), id: "" }] })).toThrow(
      "harness.seed: goals[0].id must be a non-empty string",
    );
  });

  it("copies seeded records, so later changes to the test's objects do not leak in", async () => {
    const harness = createTestHarness({ manifest: fullManifest() });
    const record = company("acme");
    harness.seed({ companies: [record] });
    record.name = "changed";
    await expect(harness.ctx.companies.get("acme")).resolves.toMatchObject({ name: "Company acme" });
  });
});

describe("local folders", () => {
  const declared = {
    localFolders: [{ folderKey: "docs", displayName: "Docs", requiredFiles: ["README.md"] }],
  };

  it("configures a declared folder, reports missing required files, and reads/writes below it", async () => {
    const { ctx } = directoryHarness(declared);
    await expect(ctx.localFolders.status("acme", "docs")).resolves.toMatchObject({
      configured: false,
      problems: [{ code: "not_configured" }],
    });
    const configured = await ctx.localFolders.configure({
      companyId: "acme",
      folderKey: "docs",
      path: "/data/docs",
    });
    expect(configured).toMatchObject({ configured: true, healthy: false, missingFiles: ["README.md"] });
    const written = await ctx.localFolders.writeTextAtomic("acme", "docs", "README.md", "# Docs");
    expect(written).toMatchObject({ healthy: true, missingFiles: [] });
    await ctx.localFolders.writeTextAtomic("acme", "docs", "guides/setup.md", "steps");
    await expect(ctx.localFolders.readText("acme", "docs", "guides/setup.md")).resolves.toBe("steps");
    const top = await ctx.localFolders.list("acme", "docs");
    expect(top.entries.map((e) => [e.path, e.kind])).toEqual([
      ["README.md", "file"],
      ["guides", "directory"],
    ]);
    const all = await ctx.localFolders.list("acme", "docs", { recursive: true, maxEntries: 2 });
    expect(all).toMatchObject({ truncated: true, entries: [{ path: "README.md" }, { path: "guides" }] });
    await ctx.localFolders.deleteFile("acme", "docs", "guides/setup.md");
    await expect(ctx.localFolders.readText("acme", "docs", "guides/setup.md")).rejects.toThrow(
      "file not found",
    );
    expect(ctx.localFolders.declarations()).toEqual(declared.localFolders);
  });

  it("refuses undeclared folders, unconfigured companies, path escapes and writes to read-only folders", async () => {
    const { ctx } = directoryHarness(declared);
    await expect(
      ctx.localFolders.configure({ companyId: "acme", folderKey: "home", path: "/home" }),
    ).rejects.toThrow(
      "ctx.localFolders.configure: folderKey 'home' is not declared in manifest.localFolders",
    );
    await expect(ctx.localFolders.readText("beta", "docs", "README.md")).rejects.toThrow(
      "local folder 'docs' is not configured for company beta",
    );
    await ctx.localFolders.configure({
      companyId: "acme",
      folderKey: "docs",
      path: "/data/docs",
      access: "read",
    });
    for (const bad of ["../etc/passwd", "/etc/passwd", "a//b", "a\\b", "./x"]) {
      await expect(ctx.localFolders.readText("acme", "docs", bad)).rejects.toThrow("path_traversal");
    }
    await expect(ctx.localFolders.writeTextAtomic("acme", "docs", "README.md", "x")).rejects.toThrow(
      "local folder 'docs' is read-only",
    );
  });
});

describe("access, authorization, routines and skills (served only from seeds)", () => {
  it("lists seeded grants, replaces a principal's grants and summarises policies", async () => {
    const { ctx } = directoryHarness();
    const grants = await ctx.authorization.grants.set({
      companyId: "acme",
      principalType: "agent",
      principalId: "a1",
      grants: [{ permissionKey: "tasks:assign" }],
    });
    expect(grants).toMatchObject([{ principalId: "a1", permissionKey: "tasks:assign", scope: null }]);
    await ctx.authorization.grants.set({
      companyId: "acme",
      principalType: "agent",
      principalId: "a1",
      grants: [],
    });
    await expect(ctx.authorization.grants.list({ companyId: "acme" })).resolves.toEqual([]);
    await expect(ctx.authorization.policies.summary("acme")).resolves.toMatchObject({
      permissionsMode: "simple",
      memberCount: 0,
      grantCount: 0,
    });
    await expect(
      ctx.authorization.grants.set({
        companyId: "acme",
        principalType: "agent",
        principalId: "a1",
        grants: [{ permissionKey: "everything" as "tasks:assign" }],
      }),
    ).rejects.toThrow("ctx.authorization.grants.set: grants[0].permissionKey must be one of");
    await expect(ctx.access.invites.create({ companyId: "acme" })).rejects.toThrow(
      "ctx.access.invites.create is not supported by the test harness",
    );
  });

  it("reports declared routines and skills as missing", async () => {
    const { ctx } = directoryHarness({
      routines: [{ routineKey: "daily", title: "Daily" }],
      skills: [{ skillKey: "triage", displayName: "Triage" }],
    });
    await expect(ctx.routines.managed.get("daily", "acme")).resolves.toMatchObject({
      resourceKind: "routine",
      routineId: null,
      status: "missing",
      missingRefs: [],
    });
    await expect(ctx.skills.managed.get("triage", "acme")).resolves.toMatchObject({
      resourceKind: "skill",
      status: "missing",
    });
    await expect(ctx.routines.managed.run("daily", "acme")).rejects.toThrow(
      "ctx.routines.managed.run is not supported by the test harness",
    );
  });
});
