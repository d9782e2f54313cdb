// Plugin-managed projects and agents (manifest.projects / manifest.agents), reconciled per company through
// ctx.projects.managed / ctx.agents.managed on a real worker over real HTTP: get, reconcile (create, resolve,
// relink, apply a changed declaration), reset, the company gate, uninstall keeping and purge releasing them; and
// manifests declaring managed routines or skills refused at install — on PGlite and on PostgreSQL.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_BOARD_ACTOR } from "../../src/domain/actor.js";
import { ENGINES } from "../support/database.js";
import { type BridgeHost, seedCompany, startBridgeHost, tempFolders } from "./fixtures/bridge/support.js";
import { baseManifest, type FixtureWorker, writeNamespacePackage } from "./fixtures/namespaces/support.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());

const PROJECT = {
  projectKey: "inbox",
  displayName: "Plugin Inbox",
  description: "Where the plugin files its work",
  status: "planned",
  color: "#336699",
};
const AGENT = {
  agentKey: "triager",
  displayName: "Triage Bot",
  role: "engineer",
  title: "Triage",
  capabilities: "Sorts incoming work",
  adapterType: "process",
  adapterConfig: { command: "echo" },
  budgetMonthlyCents: 500,
};

function managedManifest(id: string, version = "1.0.0", project = PROJECT) {
  return baseManifest(id, {
    version,
    capabilities: ["projects.managed", "agents.managed"],
    projects: [project],
    agents: [AGENT],
  });
}

describe.each(ENGINES)("managed projects and agents (%s)", (engine) => {
  const WORKERS: FixtureWorker[] = ["worker-ours.mjs", "worker-916.mjs"];
  let host: BridgeHost;
  let alpha: string;
  let beta: string;

  beforeAll(async () => {
    host = await startBridgeHost(engine);
    alpha = (await seedCompany(host.services, "Alpha")).company.id;
    beta = (await seedCompany(host.services, "Beta")).company.id;
  });
  afterAll(async () => {
    await host?.close();
  });

  describe.each(WORKERS)("a worker built with %s", (worker) => {
    let pluginId: string;
    let folder: string;
    const key = `fixture.managed-${worker === "worker-ours.mjs" ? "ours" : "916"}`;
    const managed = async (
      kind: string,
      op: string,
      companyId: string,
      resourceKey: string,
      callCompany = companyId,
    ) => {
      const response = await host.request("POST", `/api/plugins/${pluginId}/actions/managed`, {
        companyId: callCompany,
        params: { kind, op, key: resourceKey, targetCompanyId: companyId },
      });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body.data as { ok: boolean; result?: any; error?: string };
    };

    beforeAll(async () => {
      folder = writeNamespacePackage(path.join(temp.make("managed"), key), managedManifest(key), {}, worker);
      pluginId = (await host.install(folder)).id;
    });

    it("creates the declared project once per company and resolves it afterwards", async () => {
      const before = await managed("project", "get", alpha, "inbox");
      expect(before.result).toMatchObject({
        status: "missing",
        projectId: null,
        project: null,
        resourceKind: "project",
      });
      const created = await managed("project", "reconcile", alpha, "inbox");
      expect(created.result).toMatchObject({
        pluginKey: key,
        resourceKey: "inbox",
        companyId: alpha,
        status: "created",
        project: { name: "Plugin Inbox", status: "planned", color: "#336699", companyId: alpha },
      });
      const again = await managed("project", "reconcile", alpha, "inbox");
      expect(again.result).toMatchObject({ status: "resolved", projectId: created.result.projectId });
      expect((await managed("project", "get", alpha, "inbox")).result.projectId).toBe(
        created.result.projectId,
      );
      const inBeta = await managed("project", "reconcile", beta, "inbox");
      expect(inBeta.result).toMatchObject({ status: "created", companyId: beta });
      expect(inBeta.result.projectId).not.toBe(created.result.projectId);
    });

    it("never reaches another company than the call's, and names undeclared keys", async () => {
      const crossed = await managed("project", "reconcile", beta, "inbox", alpha);
      expect(crossed.ok).toBe(false);
      expect(crossed.error).toMatch(/scoped to company/);
      const undeclared = await managed("project", "get", alpha, "nope");
      expect(undeclared.error).toMatch(/declares no managed project "nope"/);
    });

    it("keeps operator edits on reconcile, restores the declaration on reset, relinks a deleted project", async () => {
      const { projectId } = (await managed("project", "get", alpha, "inbox")).result;
      await host.services.projects.update(LOCAL_BOARD_ACTOR, projectId, {
        name: "Renamed by hand",
        status: "in_progress",
      });
      expect((await managed("project", "reconcile", alpha, "inbox")).result.project).toMatchObject({
        name: "Renamed by hand",
        status: "in_progress",
      });
      const reset = await managed("project", "reset", alpha, "inbox");
      expect(reset.result).toMatchObject({
        status: "reset",
        projectId,
        project: { name: "Plugin Inbox", status: "planned" },
      });
      await host.services.projects.delete(LOCAL_BOARD_ACTOR, projectId);
      expect((await managed("project", "get", alpha, "inbox")).result).toMatchObject({
        status: "missing",
        projectId: null,
      });
      const relinked = await managed("project", "reconcile", alpha, "inbox");
      expect(relinked.result.status).toBe("relinked");
      expect(relinked.result.projectId).not.toBe(projectId);
    });

    it("reconciles and resets the declared agent", async () => {
      const created = await managed("agent", "reconcile", alpha, "triager");
      expect(created.result).toMatchObject({
        status: "created",
        resourceKind: "agent",
        agent: {
          name: "Triage Bot",
          role: "engineer",
          title: "Triage",
          adapterType: "process",
          budgetMonthlyCents: 500,
          status: "idle",
          companyId: alpha,
        },
      });
      const agentId = created.result.agentId;
      await host.services.agents.update(LOCAL_BOARD_ACTOR, agentId, { name: "Hand-named", title: "Other" });
      await host.services.agents.pause(LOCAL_BOARD_ACTOR, agentId);
      expect((await managed("agent", "reconcile", alpha, "triager")).result.agent).toMatchObject({
        name: "Hand-named",
        status: "paused",
      });
      const reset = await managed("agent", "reset", alpha, "triager");
      expect(reset.result).toMatchObject({
        status: "reset",
        agentId,
        agent: { name: "Triage Bot", title: "Triage", status: "idle" },
      });
    });

    it("applies a changed declaration on reconcile after an upgrade, keeping the operator's other edits", async () => {
      const { projectId } = (await managed("project", "get", alpha, "inbox")).result;
      await host.services.projects.update(LOCAL_BOARD_ACTOR, projectId, { description: "Operator notes" });
      writeNamespacePackage(
        folder,
        managedManifest(key, "1.1.0", { ...PROJECT, displayName: "Plugin Inbox v2" }),
        {},
        worker,
      );
      expect(
        (await host.runtime.lifecycle.upgrade(pluginId, undefined, { actor: LOCAL_BOARD_ACTOR })).status,
      ).toBe("ready");
      const after = await managed("project", "reconcile", alpha, "inbox");
      expect(after.result).toMatchObject({
        status: "resolved",
        projectId,
        project: { name: "Plugin Inbox v2", description: "Operator notes" },
      });
    });

    it("keeps the bindings on a soft uninstall and releases the records on purge", async () => {
      const bindings = () =>
        host.services.db.pool
          .query("SELECT resource_kind, resource_id FROM plugin_managed_resources WHERE plugin_id = $1", [
            pluginId,
          ])
          .then((result) => result.rows);
      const bound = await bindings();
      expect(bound.length).toBe(3);
      await host.runtime.lifecycle.uninstall(pluginId, false, { actor: LOCAL_BOARD_ACTOR });
      expect(await bindings()).toHaveLength(3);
      await host.runtime.lifecycle.uninstall(pluginId, true, { actor: LOCAL_BOARD_ACTOR });
      expect(await bindings()).toEqual([]);
      for (const row of bound) {
        const record =
          row.resource_kind === "project"
            ? await host.services.projects.get(row.resource_id)
            : await host.services.agents.get(row.resource_id);
        expect(record.id).toBe(row.resource_id);
      }
    });
  });

  it.each([
    ["routines", { routines: [{ routineKey: "weekly-plan", title: "Plan the week" }] }, "routines.managed"],
    ["skills", { skills: [{ skillKey: "triage-guide", displayName: "Triage guide" }] }, "skills.managed"],
  ])(
    "refuses a plugin that declares managed %s at install, naming the declaration",
    async (field, extra, capability) => {
      const id = `fixture.declares-${field}`;
      const dir = writeNamespacePackage(
        path.join(temp.make(`managed-${field}`), field),
        baseManifest(id, { capabilities: [capability], ...extra }),
      );
      const response = await host.request("POST", "/api/plugins/install", {
        packageName: dir,
        isLocalPath: true,
      });
      expect(response.status).toBe(400);
      const text = JSON.stringify(response.body);
      expect(text).toContain(`${field} declares managed ${field}`);
      expect(text).toContain(field === "routines" ? "weekly-plan" : "triage-guide");
      expect(await host.runtime.registry.findByKey(id)).toBeNull();
    },
  );
});
