// Plugins across host nodes (docs/scale-out.md): a plugin installed on one node runs on every node — from the same
// folder where a node sees it (all nodes here share one machine), else from the artifact store (the folder is moved
// away to show that) — every lifecycle change made on any node reaches every node's worker within seconds, and each
// node's worker shows in GET /api/plugins/:id/nodes.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_URL } from "../support/database.js";
import { type Cluster, type ClusterNode, startCluster } from "./cluster-harness.js";

const REPO = path.resolve(import.meta.dirname, "../../../..");
const PLUGIN_KEY = "paperclip.hello-world";

interface NodeRow {
  nodeId: string;
  status: string;
  pid: number | null;
  version: string | null;
  startedAt: string | null;
  lastError: string | null;
  nodeStatus: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll `probe` until it answers something truthy (null, false and undefined mean "not yet"). */
async function until<T>(
  probe: () => Promise<T | null | false | undefined> | T | null | false | undefined,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`,
      );
    }
    await sleep(100);
  }
}

/**
 * A copy of examples/hello-world outside the repository, with the SDK linked into its node_modules as npm
 * workspaces link it: an operator's plugin folder that can be changed and upgraded.
 */
function pluginFolder(root: string): string {
  const folder = path.join(root, "hello-world");
  mkdirSync(folder, { recursive: true });
  cpSync(path.join(REPO, "examples/hello-world/dist"), path.join(folder, "dist"), { recursive: true });
  cpSync(path.join(REPO, "examples/hello-world/package.json"), path.join(folder, "package.json"));
  mkdirSync(path.join(root, "node_modules/@paperclipai"), { recursive: true });
  symlinkSync(
    path.join(REPO, "packages/plugin-sdk"),
    path.join(root, "node_modules/@paperclipai/plugin-sdk"),
  );
  return folder;
}

/** The same plugin as version `version`: the first "0.1.0" of the manifest and of package.json is the version. */
function bumpVersion(folder: string, version: string): void {
  for (const file of ["dist/manifest.js", "package.json"]) {
    const full = path.join(folder, file);
    writeFileSync(full, readFileSync(full, "utf8").replace('"0.1.0"', `"${version}"`));
  }
}

describe.runIf(TEST_DATABASE_URL)("plugins across nodes", () => {
  let cluster: Cluster;
  let nodes: ClusterNode[];
  let db: pg.Pool;
  let root: string;
  let folder: string;
  let companyId: string;
  let pluginId: string;

  const ping = (node: ClusterNode) =>
    node.api<{ data?: { pong?: boolean }; code?: string; message?: string }>(
      "POST",
      `/api/plugins/${pluginId}/actions/ping`,
      { companyId, params: { message: node.nodeId } },
    );
  const healthData = (node: ClusterNode) =>
    node.api<{ data?: { status?: string } }>("POST", `/api/plugins/${pluginId}/data/health`, {
      companyId,
      params: {},
    });
  const workers = async (node: ClusterNode) =>
    (await node.api<{ nodes: NodeRow[] }>("GET", `/api/plugins/${PLUGIN_KEY}/nodes`)).body.nodes;
  const copiesOf = (node: ClusterNode) => path.join(node.dataDir, "plugins", ".node-copies", pluginId);
  /** A node started now cannot see the plugin's folder (as on another machine); running workers keep going. */
  const hideFolder = () => renameSync(folder, `${folder}.away`);
  const showFolder = () => renameSync(`${folder}.away`, folder);

  /** Every listed node's worker row says `status` (and `version`), as seen from `from`. */
  const allWorkers = (from: ClusterNode, running: ClusterNode[], status: string, version?: string) =>
    until(
      async () => {
        const rows = await workers(from);
        return running.every((node) =>
          rows.some(
            (row) =>
              row.nodeId === node.nodeId &&
              row.status === status &&
              (version === undefined || row.version === version),
          ),
        )
          ? rows
          : null;
      },
      `${running.map((node) => node.nodeId).join(", ")} to report ${status}${version ? ` ${version}` : ""}`,
    );

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "paperclip-plugins-across-"));
    folder = pluginFolder(root);
    cluster = await startCluster(4, { start: false });
    nodes = cluster.nodes;
    for (const node of nodes.slice(0, 3)) await node.start();
    db = new pg.Pool({ connectionString: cluster.databaseUrl, max: 2 });
    companyId = (await nodes[0]!.api<{ id: string }>("POST", "/api/companies", { name: "Nodes Co" })).body.id;
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await cluster?.dispose();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("a plugin installed on node-1 by local path answers through node-3, and every node lists its worker", async () => {
    const [one, two, three] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const installed = await one.api<{ id: string; status: string; lastError: string | null }>(
      "POST",
      "/api/plugins/install",
      { packageName: folder, isLocalPath: true },
    );
    expect(installed.body.status, installed.body.lastError ?? "").toBe("ready");
    pluginId = installed.body.id;

    const rows = await allWorkers(three, [one, two, three], "ready", "0.1.0");
    expect(new Set(rows.map((row) => row.pid)).size).toBe(3);
    expect(rows.every((row) => row.nodeStatus === "active" && row.startedAt !== null)).toBe(true);

    const answer = await ping(three);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.data).toMatchObject({ pong: true, echo: "node-3", companyId });
    expect((await healthData(two)).body.data).toMatchObject({ status: "ok" });

    // Every node here sees the installed folder: each runs it, checked against its recorded digest.
    for (const node of [one, two, three]) expect(existsSync(copiesOf(node)), node.nodeId).toBe(false);
    const [artifact] = (
      await db.query(
        "SELECT version, integrity, size_bytes, packed_by_node FROM plugin_artifacts WHERE plugin_id = $1",
        [pluginId],
      )
    ).rows;
    expect(artifact).toMatchObject({ version: "0.1.0", packed_by_node: "node-1" });
    expect(artifact.integrity).toMatch(/^sha512-/);
  });

  it("disable on node-2 stops the worker on every node; enable brings them all back", async () => {
    const [one, two, three] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const disabled = await two.api<{ status: string }>("POST", `/api/plugins/${pluginId}/disable`, {});
    expect(disabled.body.status).toBe("disabled");
    await allWorkers(one, [one, two, three], "stopped");
    for (const node of [one, two, three]) {
      const answer = await ping(node);
      expect(answer.status, `${node.nodeId}: ${JSON.stringify(answer.body)}`).not.toBe(200);
      expect(answer.body).toMatchObject({
        code: "WORKER_UNAVAILABLE",
        message: "Plugin is not ready (current status: disabled)",
      });
    }

    const enabled = await two.api<{ status: string }>("POST", `/api/plugins/${pluginId}/enable`);
    expect(enabled.body.status).toBe("ready");
    await allWorkers(three, [one, two, three], "ready");
    for (const node of [one, two, three]) expect((await ping(node)).status, node.nodeId).toBe(200);
  });

  it("a config saved on node-3 reaches node-1's worker (restarted with it, as hello-world has no configChanged)", async () => {
    const [one, two, three] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const before = await allWorkers(one, [one, two, three], "ready");
    const pidOn = (rows: NodeRow[], node: ClusterNode) => rows.find((row) => row.nodeId === node.nodeId)?.pid;
    const saved = await three.api("POST", `/api/plugins/${pluginId}/config`, {
      companyId,
      configJson: { greeting: "hi from node-3" },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBeLessThan(300);
    const after = await until(async () => {
      const rows = await workers(two);
      const restarted =
        pidOn(rows, one) !== pidOn(before, one) && rows.every((row) => row.status === "ready");
      return restarted ? rows : null;
    }, "node-1's worker to restart with the new config");
    expect(pidOn(after, one)).not.toBe(pidOn(before, one));
    expect((await ping(one)).status).toBe(200);
  });

  it("a node started after the install, without its folder, materializes it from the artifact store", async () => {
    const four = nodes[3] as ClusterNode;
    hideFolder();
    await four.start();
    const rows = await allWorkers(four, [four], "ready", "0.1.0");
    expect(rows.find((row) => row.nodeId === "node-4")?.pid).toBeGreaterThan(0);
    expect(existsSync(copiesOf(four))).toBe(true);
    expect(four.output).toMatch(/Materialized paperclip\.hello-world 0\.1\.0 from the artifact store/);
    const answer = await ping(four);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.data).toMatchObject({ echo: "node-4" });
  });

  it("a corrupted artifact is refused on a node that must materialize it; nodes that have it keep running", async () => {
    const [one, two, , four] = nodes as [ClusterNode, ClusterNode, ClusterNode, ClusterNode];
    await four.stop();
    rmSync(copiesOf(four), { recursive: true, force: true });
    await db.query(
      "UPDATE plugin_artifacts SET content = set_byte(content, 99, get_byte(content, 99) # 255) WHERE plugin_id = $1",
      [pluginId],
    );
    await four.start();
    const rows = await allWorkers(one, [four], "error");
    expect(rows.find((row) => row.nodeId === "node-4")?.lastError).toMatch(
      /the stored artifact of paperclip\.hello-world 0\.1\.0 failed its integrity check .*refused/,
    );
    expect(four.output).toMatch(/failed its integrity check/);
    expect((await ping(four)).body).toMatchObject({ code: "WORKER_UNAVAILABLE" });
    // The plugin stays ready for the cluster; the nodes with a copy serve it.
    expect((await one.api<{ status: string }>("GET", `/api/plugins/${pluginId}`)).body.status).toBe("ready");
    expect((await ping(one)).status).toBe(200);
    expect((await ping(two)).status).toBe(200);
  });

  it("an upgrade (a changed copy, reinstalled) runs the new version on every node, node-4 included", async () => {
    const [one, two, three, four] = nodes as [ClusterNode, ClusterNode, ClusterNode, ClusterNode];
    showFolder();
    bumpVersion(folder, "0.2.0");
    const upgraded = await three.api<{ status: string; version: string; lastError: string | null }>(
      "POST",
      `/api/plugins/${pluginId}/upgrade`,
      {},
    );
    expect(upgraded.body, upgraded.body.lastError ?? "").toMatchObject({ status: "ready", version: "0.2.0" });
    await allWorkers(one, [one, two, three, four], "ready", "0.2.0");
    for (const node of [one, two, three, four]) expect((await ping(node)).status, node.nodeId).toBe(200);
    // The current and the previous version are kept.
    const kept = await db.query(
      "SELECT version FROM plugin_artifacts WHERE plugin_id = $1 ORDER BY created_at",
      [pluginId],
    );
    expect(kept.rows.map((row) => row.version)).toEqual(["0.1.0", "0.2.0"]);
  });

  it("uninstall stops every node's worker and removes every node's copy", async () => {
    const [one, two, three, four] = nodes as [ClusterNode, ClusterNode, ClusterNode, ClusterNode];
    // node-4 restarted without the folder runs its copy of 0.2.0.
    hideFolder();
    await four.restart();
    await allWorkers(one, [four], "ready", "0.2.0");
    expect(existsSync(copiesOf(four))).toBe(true);
    const removed = await two.api<{ status: string }>("DELETE", `/api/plugins/${pluginId}`);
    expect(removed.body.status).toBe("uninstalled");
    await allWorkers(three, [one, two, three, four], "stopped");
    await until(() => !existsSync(copiesOf(four)), "node-4's copy to be removed");
    showFolder();
    for (const node of [one, three]) {
      expect((await ping(node)).body).toMatchObject({ code: "WORKER_UNAVAILABLE" });
    }
  });

  it("a node that stops marks its workers stopped", async () => {
    const four = nodes[3] as ClusterNode;
    const reinstalled = await nodes[0]!.api<{ status: string }>("POST", "/api/plugins/install", {
      packageName: folder,
      isLocalPath: true,
    });
    expect(reinstalled.body.status).toBe("ready");
    await allWorkers(four, [four], "ready", "0.2.0");
    expect(await four.stop()).toBe(0);
    const rows = await workers(nodes[0]!);
    expect(rows.find((row) => row.nodeId === "node-4")).toMatchObject({ status: "stopped", pid: null });
  });
});
