// The nodes of a cluster as an operator sees them (docs/scale-out.md), with real `paperclip start` processes on one
// PostgreSQL: every node lists all three active; a second live process under a node id is refused; the drain route
// (asked on one node, for another) leaves that node serving HTTP and plugin bridge calls while it claims no job run;
// SIGTERM ends a node `stopped` with exit code 0 and its event lease goes to another node at once (the lease TTL is
// 45 s: waiting for expiry would take far longer); a killed node reads `unreachable` once its heartbeat is too old.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_URL } from "../support/database.js";
import { type Cluster, ClusterNode, freePort, startCluster } from "./cluster-harness.js";

const CLI = path.resolve(import.meta.dirname, "../../bin/paperclip.js");
const KITCHEN_SINK = path.resolve(import.meta.dirname, "../../../../examples/kitchen-sink");

interface NodeView {
  nodeId: string;
  self: boolean;
  pid: number;
  url: string | null;
  version: string;
  status: "active" | "draining" | "stopped" | "unreachable";
  heartbeatAgeMs: number;
  uptimeMs: number | null;
  workers: Array<{ pluginKey: string; status: string }>;
  leases: {
    events: Array<{ pluginId: string; pluginKey: string }>;
    webhookDeliveries: number;
    jobRuns: number;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(
  probe: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

async function nodesSeenBy(node: ClusterNode): Promise<NodeView[]> {
  const reply = await node.api<{ nodeId: string; nodes: NodeView[] }>("GET", "/api/instance/nodes");
  expect(reply.status).toBe(200);
  expect(reply.body.nodeId).toBe(node.nodeId);
  return reply.body.nodes;
}

const statusOf = (nodes: NodeView[], nodeId: string) => nodes.find((node) => node.nodeId === nodeId)?.status;

describe.runIf(TEST_DATABASE_URL)("nodes of a cluster", () => {
  let cluster: Cluster;
  let one: ClusterNode;
  let two: ClusterNode;
  let three: ClusterNode;
  let companyId: string;
  let pluginId: string;
  const folders: string[] = [];

  const ping = (node: ClusterNode) =>
    node.api<{ data?: { ok: boolean } }>("POST", `/api/plugins/${pluginId}/actions/launcher-ping`, {
      companyId,
      params: { source: node.nodeId },
    });

  /** The node whose event stream for the plugin is leased, as `node` sees it. */
  async function eventLeaseHolder(node: ClusterNode): Promise<string | null> {
    const holder = (await nodesSeenBy(node)).find((entry) =>
      entry.leases.events.some((lease) => lease.pluginId === pluginId),
    );
    return holder?.nodeId ?? null;
  }

  beforeAll(async () => {
    // Heartbeat every 500 ms: a node is unreachable 1.5 s after its last one.
    cluster = await startCluster(3, { env: { PAPERCLIP_NODE_HEARTBEAT_MS: "500" } });
    [one, two, three] = cluster.nodes as [ClusterNode, ClusterNode, ClusterNode];
  }, 120_000);

  afterAll(async () => {
    await cluster?.dispose();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it("every node lists the three nodes active, with their pid, URL, version and heartbeat", async () => {
    for (const node of [one, two, three]) {
      const seen = await nodesSeenBy(node);
      expect(seen.map((entry) => [entry.nodeId, entry.status, entry.self])).toEqual([
        ["node-1", "active", node === one],
        ["node-2", "active", node === two],
        ["node-3", "active", node === three],
      ]);
      for (const member of [one, two, three]) {
        const entry = seen.find((candidate) => candidate.nodeId === member.nodeId)!;
        expect(entry.pid).toBe(member.pid);
        expect(entry.url).toBe(member.url);
        expect(entry.version).toMatch(/^\d+\.\d+\.\d+/);
        expect(entry.uptimeMs).not.toBeNull();
      }
    }
  });

  it("refuses a second live process under a node id that is in use, saying so", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "paperclip-duplicate-"));
    folders.push(folder);
    const duplicate = new ClusterNode("node-2", await freePort(), folder, cluster.databaseUrl, {});
    const failure = await duplicate.start().catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(duplicate.output).toMatch(/Node id "node-2" is in use by a running host \(pid \d+ on /);
    expect(duplicate.running).toBe(false);
    // The node that holds the id carries on.
    expect(statusOf(await nodesSeenBy(two), "node-2")).toBe("active");
    expect((await nodesSeenBy(two)).find((entry) => entry.nodeId === "node-2")?.pid).toBe(two.pid);
  });

  it("a plugin installed on node-1 runs on every node; one node holds its event lease", async () => {
    companyId = (await one.api<{ id: string }>("POST", "/api/companies", { name: "Nodes Co" })).body.id;
    const installed = await one.api<{ id: string; status: string; lastError: string | null }>(
      "POST",
      "/api/plugins/install",
      { packageName: KITCHEN_SINK, isLocalPath: true },
    );
    expect(installed.body.status, installed.body.lastError ?? "").toBe("ready");
    pluginId = installed.body.id;
    // A node started before the install picks the plugin up on restart (when nothing propagated it already).
    for (const node of [two, three]) {
      if ((await ping(node)).status === 200) continue;
      await node.restart();
      expect((await ping(node)).status).toBe(200);
    }
    expect((await ping(one)).status).toBe(200);
    const holder = await until(() => eventLeaseHolder(one), "an event lease for the plugin");
    expect(["node-1", "node-2", "node-3"]).toContain(holder);
  });

  it("drain asked on node-1 for node-3: draining, it still serves HTTP and bridge calls, and runs no job", async () => {
    const drained = await one.api<NodeView>("POST", "/api/instance/nodes/node-3/drain");
    expect(drained.status).toBe(202);
    expect(drained.body).toMatchObject({ nodeId: "node-3", status: "draining", self: false });
    await three.waitForLog(/Node node-3 drained: it claims no work/);
    // The other nodes hear of it at once (bus topic node.changed) and log it.
    await two.waitForLog(/Node node-3 is draining/);
    expect(three.output).toMatch(/Node node-3 drain: job ticks stopped/);
    expect(three.output).toMatch(/Node node-3 drain: event delivery stopped/);
    for (const node of [one, two, three])
      expect(statusOf(await nodesSeenBy(node), "node-3")).toBe("draining");
    // Its HTTP API and the plugin bridge keep working; its worker stays up.
    expect((await three.api("GET", "/api/health")).status).toBe(200);
    const pong = await ping(three);
    expect(pong.status).toBe(200);
    expect(pong.body.data?.ok).toBe(true);
    // A job triggered through node-3 is run by another node.
    const triggered = await three.api<{ runId: string }>(
      "POST",
      `/api/plugins/${pluginId}/jobs/tick/trigger`,
    );
    expect(triggered.status).toBe(200);
    const run = await until(async () => {
      const reply = await three.api<{ status: string; nodeId: string | null }>(
        "GET",
        `/api/plugins/${pluginId}/jobs/tick/runs/${triggered.body.runId}`,
      );
      return reply.body.status === "succeeded" ? reply.body : null;
    }, "the triggered run to finish");
    expect(["node-1", "node-2"]).toContain(run.nodeId);
    expect(await eventLeaseHolder(one)).not.toBe("node-3");
    // A second drain is refused: it is not active any more.
    const again = await two.api<{ error: string }>("POST", "/api/instance/nodes/node-3/drain");
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('Node "node-3" cannot be drained: it is already draining');
    expect((await two.api("POST", "/api/instance/nodes/node-9/drain")).status).toBe(404);
  });

  it("SIGTERM: the node drains, exits 0, shows stopped, and another node takes its event lease at once", async () => {
    const holderId = await until(() => eventLeaseHolder(one), "an event lease holder");
    expect(holderId).not.toBe("node-3");
    const [holder, other] = holderId === "node-1" ? [one, two] : [two, one];
    expect(await holder.stop()).toBe(0);
    expect(holder.output).toMatch(new RegExp(`Node ${holder.nodeId} drain: event delivery stopped`));
    expect(statusOf(await nodesSeenBy(other), holder.nodeId)).toBe("stopped");
    // Released, not expired: the other active node holds it within a few seconds (the TTL is 45 s).
    const takenBy = await until(() => eventLeaseHolder(other), "the lease to move", 5_000);
    expect(takenBy).toBe(other.nodeId);
  });

  it("a killed node reads unreachable once its heartbeat is older than three intervals", async () => {
    const [survivor] = [one, two].filter((node) => node.running) as [ClusterNode];
    expect(statusOf(await nodesSeenBy(survivor), "node-3")).toBe("draining");
    await three.kill();
    await until(
      async () => statusOf(await nodesSeenBy(survivor), "node-3") === "unreachable",
      "node-3 to read unreachable",
      10_000,
    );
    const entry = (await nodesSeenBy(survivor)).find((node) => node.nodeId === "node-3")!;
    expect(entry.heartbeatAgeMs).toBeGreaterThanOrEqual(1_500);
    expect(entry.uptimeMs).toBeNull();
  });

  it("paperclip doctor lists the nodes the database has seen, with their heartbeat age", () => {
    const [survivor] = [one, two].filter((node) => node.running) as [ClusterNode];
    const doctor = spawnSync(
      process.execPath,
      [CLI, "doctor", "--data-dir", survivor.dataDir, "--database-url", cluster.databaseUrl],
      { encoding: "utf8", env: { ...process.env, PAPERCLIP_HOME: survivor.dataDir } },
    );
    expect(doctor.status, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toMatch(
      new RegExp(
        `ok {4}node ${survivor.nodeId}: active, last heartbeat \\d+\\.\\d s ago \\(.+, pid ${survivor.pid}, version `,
      ),
    );
    expect(doctor.stdout).toMatch(/ok {4}node node-[12]: stopped, last heartbeat/);
    expect(doctor.stdout).toMatch(
      /warn {2}node node-3: unreachable, last heartbeat .*: it crashed or lost the database/,
    );
  });
});
