// The node registry, drain and the nodes routes on one database (both engines; the multi-process behaviour is in
// test/multinode/nodes.test.ts): a node registers `active` and heartbeats; a second live claim of its id is refused
// with a message naming it; a stale row or the row of a dead process on this machine is taken over; a heartbeat too
// old reads `unreachable`; a drain marks `draining`, runs every step in order and ends `stopped`; a drain asked for
// on another node reaches this one through its heartbeat; old rows are pruned; the routes answer 404/409 clearly.
import { spawnSync } from "node:child_process";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NodeChange, NodeDrain, NodeIdInUseError, NodeRegistry } from "../../src/cluster/index.js";
import { heartbeatIntervalFromEnv } from "../../src/cluster/node-registry.js";
import { type BridgeHost, startBridgeHost } from "../plugins/fixtures/bridge/support.js";
import { ENGINES, openTestDatabase, type TestDatabase } from "../support/database.js";

const logger = pino({ level: "silent" });

describe.each(ENGINES)("node registry (%s)", (engine) => {
  let test: TestDatabase;
  const registries: NodeRegistry[] = [];

  function registry(nodeId: string, extra: Partial<ConstructorParameters<typeof NodeRegistry>[0]> = {}) {
    const made = new NodeRegistry({
      db: test.db,
      logger,
      nodeId,
      version: "9.9.9",
      heartbeatMs: 60_000,
      ...extra,
    });
    registries.push(made);
    return made;
  }

  async function setRow(nodeId: string, assignments: string): Promise<void> {
    await test.db.query(
      `test_set_${nodeId}_${assignments.length}`,
      `UPDATE cluster_nodes SET ${assignments} WHERE node_id = $1`,
      [nodeId],
    );
  }

  beforeAll(async () => {
    test = await openTestDatabase(engine);
  });
  afterAll(async () => {
    for (const made of registries) await made.markStopped().catch(() => {});
    await test?.dispose();
  });

  it("registers a node active with its host, pid, version and URL, and announces it", async () => {
    const changes: NodeChange[] = [];
    const node = registry("web-1", { announce: (change) => changes.push(change) });
    await node.register("http://10.0.0.5:3100");
    const [row] = (await node.list()).filter((entry) => entry.nodeId === "web-1");
    expect(row).toMatchObject({
      nodeId: "web-1",
      status: "active",
      pid: process.pid,
      version: "9.9.9",
      url: "http://10.0.0.5:3100",
      heartbeatIntervalMs: 60_000,
      stoppedAt: null,
    });
    expect(row!.heartbeatAgeMs).toBeLessThan(60_000);
    expect(row!.uptimeMs).not.toBeNull();
    expect(changes).toEqual([{ nodeId: "web-1", status: "active" }]);
  });

  it("refuses a second live process under the same node id, naming the id and the holder", async () => {
    await registry("web-2", { hostName: "machine-a" }).register();
    const duplicate = registry("web-2", { hostName: "machine-b" });
    const refusal = await duplicate.register().catch((error: Error) => error);
    expect(refusal).toBeInstanceOf(NodeIdInUseError);
    expect((refusal as Error).message).toMatch(
      /Node id "web-2" is in use by a running host \(pid \d+ on machine-a/,
    );
    expect((refusal as Error).message).toMatch(/--node-id/);
    // The holder's row is untouched.
    const row = (await duplicate.list()).find((entry) => entry.nodeId === "web-2");
    expect(row).toMatchObject({ hostName: "machine-a", status: "active" });
  });

  it("reads a node whose heartbeat is older than three intervals as unreachable, and lets its id be claimed", async () => {
    const crashed = registry("web-3", { hostName: "machine-a", heartbeatMs: 1_000 });
    await crashed.register();
    await setRow("web-3", "last_heartbeat_at = now() - interval '4 seconds'");
    expect((await crashed.get("web-3"))?.status).toBe("unreachable");
    expect((await crashed.get("web-3"))?.uptimeMs).toBeNull();
    const restarted = registry("web-3", { hostName: "machine-b" });
    await restarted.register();
    expect(await restarted.get("web-3")).toMatchObject({ status: "active", hostName: "machine-b" });
  });

  it("takes over at once the row of a process on this machine that is gone (a crash, then a restart)", async () => {
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
    const node = registry("web-4");
    await test.db.query(
      "test_insert_gone",
      `INSERT INTO cluster_nodes (node_id, incarnation, host_name, pid, version, status, heartbeat_interval_ms)
       VALUES ('web-4', gen_random_uuid(), $1, $2, '0.0.1', 'active', 60000)`,
      [(await import("node:os")).hostname(), gone],
    );
    await node.register();
    expect(await node.get("web-4")).toMatchObject({ status: "active", pid: process.pid, version: "9.9.9" });
  });

  it("drains: marks draining, runs each step in order, then ends stopped; stopped rows may be claimed again", async () => {
    const changes: NodeChange[] = [];
    const node = registry("web-5", { announce: (change) => changes.push(change) });
    await node.register();
    const steps: string[] = [];
    const drain = new NodeDrain({
      nodeId: "web-5",
      logger,
      markDraining: () => node.markDraining(),
      steps: [
        {
          name: "job ticks",
          stop: async () => void steps.push(`jobs while ${(await node.get("web-5"))?.status}`),
        },
        { name: "event delivery", stop: async () => void steps.push("events") },
      ],
    });
    expect(drain.draining).toBe(false);
    await drain.drain("test");
    expect(drain.draining).toBe(true);
    expect(steps).toEqual(["jobs while draining", "events"]);
    // A second drain joins the first: the steps do not run again.
    await drain.drain("again");
    expect(steps).toHaveLength(2);
    await node.markStopped();
    const row = await node.get("web-5");
    expect(row).toMatchObject({ status: "stopped", uptimeMs: null });
    expect(row!.stoppedAt).not.toBeNull();
    expect(changes.map((change) => change.status)).toEqual(["active", "draining", "stopped"]);
    await registry("web-5", { hostName: "elsewhere" }).register();
    expect((await node.get("web-5"))?.hostName).toBe("elsewhere");
  });

  it("hears through its heartbeat that another node marked it draining", async () => {
    let asked = 0;
    const target = registry("web-6", { onDrainRequested: () => asked++ });
    await target.register();
    const other = registry("web-7");
    await other.register();
    expect(await other.requestDrain("web-6")).toMatchObject({ nodeId: "web-6", status: "draining" });
    await target.heartbeat();
    expect(asked).toBe(1);
    // Only an active, live node can be asked.
    expect(await other.requestDrain("web-6")).toBeNull();
    expect(await other.requestDrain("no-such-node")).toBeNull();
  });

  it("forgets nodes gone for more than 7 days when a node registers, and keeps recent ones", async () => {
    await test.db.query(
      "test_insert_old",
      `INSERT INTO cluster_nodes (node_id, incarnation, host_name, pid, version, status, heartbeat_interval_ms,
         last_heartbeat_at) VALUES
       ('old-stopped', gen_random_uuid(), 'h', 1, '0.0.1', 'stopped', 5000, now() - interval '8 days'),
       ('old-crashed', gen_random_uuid(), 'h', 1, '0.0.1', 'active', 5000, now() - interval '8 days'),
       ('recent-stopped', gen_random_uuid(), 'h', 1, '0.0.1', 'stopped', 5000, now() - interval '6 days')`,
      [],
    );
    const node = registry("web-8");
    await node.register();
    await expect
      .poll(async () => (await node.list()).map((entry) => entry.nodeId))
      .not.toContain("old-stopped");
    const ids = (await node.list()).map((entry) => entry.nodeId);
    expect(ids).not.toContain("old-crashed");
    expect(ids).toContain("recent-stopped");
  });

  it("refuses a heartbeat setting that is not a sensible number of milliseconds", () => {
    expect(heartbeatIntervalFromEnv({})).toBe(5_000);
    expect(heartbeatIntervalFromEnv({ PAPERCLIP_NODE_HEARTBEAT_MS: "250" })).toBe(250);
    for (const bad of ["0", "fast", "1.5", "99", "700000"]) {
      expect(() => heartbeatIntervalFromEnv({ PAPERCLIP_NODE_HEARTBEAT_MS: bad })).toThrow(
        `PAPERCLIP_NODE_HEARTBEAT_MS must be a whole number of milliseconds between 100 and 600000 (got "${bad}")`,
      );
    }
  });
});

describe.each(ENGINES)("nodes routes (%s)", (engine) => {
  let host: BridgeHost;

  beforeAll(async () => {
    host = await startBridgeHost(engine);
    await host.plugins.node.register(host.baseUrl);
  });
  afterAll(async () => {
    await host?.close();
  });

  it("lists this node as the one active node, with what it holds", async () => {
    const reply = await host.request("GET", "/api/instance/nodes");
    expect(reply.status).toBe(200);
    const self = host.plugins.cluster.nodeId;
    expect(reply.body.nodeId).toBe(self);
    expect(reply.body.nodes).toEqual([
      expect.objectContaining({
        nodeId: self,
        self: true,
        status: "active",
        url: host.baseUrl,
        workers: [],
        leases: { events: [], webhookDeliveries: 0, jobRuns: 0 },
      }),
    ]);
  });

  it("answers 404 for an unknown node, drains this one (202, draining), then 409 for a second drain", async () => {
    const unknown = await host.request("POST", "/api/instance/nodes/no-such-node/drain");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe(
      'No node "no-such-node" has run on this database (GET /api/instance/nodes lists them)',
    );
    const self = host.plugins.cluster.nodeId;
    const drained = await host.request("POST", `/api/instance/nodes/${encodeURIComponent(self)}/drain`);
    expect(drained.status).toBe(202);
    expect(drained.body).toMatchObject({ nodeId: self, status: "draining" });
    expect(host.plugins.drain.draining).toBe(true);
    // HTTP keeps answering on a draining node.
    expect((await host.request("GET", "/api/instance/nodes")).body.nodes[0].status).toBe("draining");
    const again = await host.request("POST", `/api/instance/nodes/${encodeURIComponent(self)}/drain`);
    expect(again.status).toBe(409);
    expect(again.body.error).toBe(`Node "${self}" cannot be drained: it is already draining`);
  });
});
