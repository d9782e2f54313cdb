// Work shared by several host nodes on one PostgreSQL (docs/scale-out.md): worker streams and board live updates
// reach browsers on any node; event delivery, webhook deliveries and job ticks are done once across nodes — with
// nodes killed (SIGKILL) mid-work and their leases taken over after expiry. Leases are shortened for the test.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_URL } from "../support/database.js";
import { type Cluster, type ClusterNode, startCluster } from "./cluster-harness.js";
import { SseClient } from "./sse-client.js";

const FIXTURE = path.resolve(import.meta.dirname, "fixtures/cluster-work");
const PLUGIN_KEY = "fixtures.cluster-work";

// Event lease 4 s (renewed every second, requests time out after 2.5 s); webhook and job leases 5 s.
const LEASES = {
  PAPERCLIP_EVENT_LEASE_TTL_MS: "4000",
  PAPERCLIP_EVENT_LEASE_RENEW_MS: "1000",
  PAPERCLIP_EVENT_TIMEOUT_MS: "2500",
  PAPERCLIP_WEBHOOK_LEASE_MS: "5000",
  PAPERCLIP_JOB_LEASE_MS: "5000",
};

interface WorkRecord {
  kind: "job" | "event" | "webhook-start" | "webhook";
  key: string | number;
  pid: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the fixture's worker on `node` handled (its records.jsonl in the node's plugin data folder). */
function recordsOf(node: ClusterNode): WorkRecord[] {
  const file = path.join(node.dataDir, "plugin-data", PLUGIN_KEY, "records.jsonl");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as WorkRecord);
}

function recordsOfKind(nodes: ClusterNode[], kind: WorkRecord["kind"]) {
  return nodes.flatMap((node) =>
    recordsOf(node)
      .filter((record) => record.kind === kind)
      .map((record) => ({ ...record, node: node.nodeId })),
  );
}

async function until<T>(probe: () => Promise<T> | T, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

describe.runIf(TEST_DATABASE_URL)("work across nodes", () => {
  let cluster: Cluster;
  let nodes: ClusterNode[];
  let db: pg.Pool;
  let companyId: string;
  let pluginId: string;

  const action = (node: ClusterNode, key: string, params: Record<string, unknown>) =>
    node.api<{ data?: unknown; message?: string }>("POST", `/api/plugins/${pluginId}/actions/${key}`, {
      companyId,
      params,
    });

  /** Every node runs the fixture's worker: a node started before the install picks it up on restart. */
  async function workersEverywhere(): Promise<void> {
    for (const node of nodes) {
      if (!node.running) await node.start();
      if ((await action(node, "burst", { count: 0 })).status === 200) continue;
      await node.restart();
      const answer = await action(node, "burst", { count: 0 });
      expect(answer.status, `worker on ${node.nodeId}: ${JSON.stringify(answer.body)}`).toBe(200);
    }
  }

  beforeAll(async () => {
    cluster = await startCluster(3, { env: LEASES });
    nodes = cluster.nodes;
    db = new pg.Pool({ connectionString: cluster.databaseUrl, max: 2 });
    companyId = (await nodes[0]!.api<{ id: string }>("POST", "/api/companies", { name: "Cluster Co" })).body
      .id;
    const installed = await nodes[0]!.api<{ id: string; status: string; lastError: string | null }>(
      "POST",
      "/api/plugins/install",
      { packageName: FIXTURE, isLocalPath: true },
    );
    expect(installed.body.status, installed.body.lastError ?? "").toBe("ready");
    pluginId = installed.body.id;
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await cluster?.dispose();
  });

  it("an SSE client on node-2 receives, in order, the stream a worker on node-1 emits, and resumes on node-3", async () => {
    const [one, two, three] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const streamUrl = (node: ClusterNode) =>
      `${node.url}/api/plugins/${pluginId}/bridge/stream/progress?companyId=${companyId}`;
    // node-2 and node-3 may have no worker for the plugin yet: serving its stream does not need one.
    const onTwo = await SseClient.open(streamUrl(two));
    const onOne = await SseClient.open(streamUrl(one));
    const emitted = await action(one, "stream", { channel: "progress", count: 200 });
    expect(emitted.body).toEqual({ data: { emitted: 200 } });
    await onTwo.waitFor(() => onTwo.of("close").length === 1, "the close frame on node-2");
    await onOne.waitFor(() => onOne.of("close").length === 1, "the close frame on node-1");
    onOne.close();
    onTwo.close();

    const values = onTwo.of("message").map((frame) => (JSON.parse(frame.data) as { i: number }).i);
    expect(values).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(onTwo.frames.map((frame) => frame.event)).toEqual([
      "open",
      ...Array(200).fill("message"),
      "close",
    ]);
    // The publishing node numbers the frames; every node serves them under the same ids.
    expect(onTwo.frames.map((frame) => frame.id)).toEqual(onOne.frames.map((frame) => frame.id));

    // Reconnecting to another node with the id of frame 100 gets frames 101…200 and the close, nothing else.
    const lastSeen = onTwo.of("message")[99]!.id!;
    const resumed = await SseClient.open(streamUrl(three), { "last-event-id": lastSeen });
    await resumed.waitFor(() => resumed.of("close").length === 1, "the replayed close frame on node-3");
    resumed.close();
    expect(resumed.of("message").map((frame) => (JSON.parse(frame.data) as { i: number }).i)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 101),
    );
    expect(resumed.frames.map((frame) => frame.id)).toEqual(onTwo.frames.slice(101).map((frame) => frame.id));
  });

  it("a board on node-2 sees the issues created through node-1 in order, and plugin changes made on node-1", async () => {
    const [one, two] = nodes as [ClusterNode, ClusterNode];
    const board = await SseClient.open(`${two.url}/api/companies/${companyId}/events/stream`);
    const titles = Array.from({ length: 30 }, (_, i) => `Cross-node issue ${i + 1}`);
    for (const title of titles) {
      const created = await one.api("POST", `/api/companies/${companyId}/issues`, { title });
      expect(created.status).toBe(201);
    }
    const issueEvents = () =>
      board
        .of("message")
        .map((frame) => ({ id: Number(frame.id), event: JSON.parse(frame.data) }))
        .filter(({ event }) => event.type === "issue.created");
    await board.waitFor(() => issueEvents().length === titles.length, "30 issue.created events on node-2");
    expect(issueEvents().map(({ event }) => event.payload.title)).toEqual(titles);
    const ids = issueEvents().map(({ id }) => id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    // A plugin change on node-1 tells the open boards of node-2 to refetch the plugin UI.
    const disabled = await one.api("POST", `/api/plugins/${pluginId}/disable`, {});
    expect(disabled.status).toBe(200);
    const uiUpdates = () =>
      board
        .of("message")
        .map((frame) => JSON.parse(frame.data))
        .filter((event) => event.type === "plugin.ui.updated");
    await board.waitFor(() => uiUpdates().length >= 1, "plugin.ui.updated on node-2");
    expect(uiUpdates()[0]).toMatchObject({ companyId, payload: { pluginId, action: "disabled" } });
    const enabled = await one.api("POST", `/api/plugins/${pluginId}/enable`, {});
    expect(enabled.status).toBe(200);
    await board.waitFor(
      () => uiUpdates().some((event) => event.payload.action === "enabled"),
      "plugin.ui.updated (enabled) on node-2",
    );
    board.close();
  });

  it("10,000 events are each handled across a node kill, none lost (duplicates counted)", async () => {
    await workersEverywhere();
    const total = 10_000;
    // 40 ms per event at 64 in flight: about 6 s of delivery, long enough to kill the holder mid-way.
    const burst = await action(nodes[0]!, "burst", { count: total, delayMs: 40 });
    expect(burst.body).toEqual({ data: { emitted: total } });
    const holder = await until(async () => {
      const rows = await db.query<{ lease_owner: string | null }>(
        "SELECT lease_owner FROM plugin_event_cursors WHERE plugin_id = $1",
        [pluginId],
      );
      return rows.rows[0]?.lease_owner ?? null;
    }, "an event delivery lease holder");
    const victim = nodes.find((node) => node.nodeId === holder)!;
    expect(victim, `lease owner ${holder} is one of the nodes`).toBeDefined();
    await until(() => recordsOfKind([victim], "event").length >= 2_000, "2,000 events handled by the holder");
    await victim.kill();
    const handledBeforeKill = recordsOfKind([victim], "event").length;

    await until(
      () => new Set(recordsOfKind(nodes, "event").map((record) => record.key)).size === total,
      "every event handled",
      60_000,
    ).catch(async (error: Error) => {
      const cursor = await db.query("SELECT * FROM plugin_event_cursors WHERE plugin_id = $1", [pluginId]);
      const dead = await db.query(
        "SELECT count(*)::int AS count, min(error) AS error FROM plugin_event_dead_letters WHERE plugin_id = $1",
        [pluginId],
      );
      const seen = new Set(recordsOfKind(nodes, "event").map((record) => record.key)).size;
      throw new Error(
        `${error.message}: ${seen} handled; cursor ${JSON.stringify(cursor.rows[0])}; dead letters ` +
          JSON.stringify(dead.rows[0]),
      );
    });
    const handled = recordsOfKind(nodes, "event");
    const distinct = new Set(handled.map((record) => record.key));
    const duplicates = handled.length - distinct.size;
    const byNode = Object.fromEntries(
      nodes.map((node) => [node.nodeId, handled.filter((record) => record.node === node.nodeId).length]),
    );
    const { rows } = await db.query<{ lease_owner: string }>(
      "SELECT lease_owner FROM plugin_event_cursors WHERE plugin_id = $1",
      [pluginId],
    );
    console.info(
      `10,000 events across a kill of ${victim.nodeId} (after ${handledBeforeKill} handled there): ` +
        `${handled.length} deliveries, ${duplicates} duplicate(s); by node ${JSON.stringify(byNode)}; ` +
        `lease now held by ${rows[0]?.lease_owner}`,
    );
    expect(distinct.size).toBe(total);
    expect([...distinct].every((key) => Number(key) >= 1 && Number(key) <= total)).toBe(true);
    // Another node took the stream over after the lease expired.
    expect(rows[0]?.lease_owner).not.toBe(victim.nodeId);
    // At least once: duplicates come only from the events in flight on the killed node (64 at most, plus the
    // ones handled since its last cursor write).
    expect(duplicates).toBeLessThan(2_100);
    await victim.start();
  }, 120_000);

  it("webhook deliveries are each processed once across nodes, also when the handling node is killed", async () => {
    await workersEverywhere();
    const post = (node: ClusterNode, body: Record<string, unknown>) =>
      fetch(`${node.url}/api/plugins/${pluginId}/webhooks/work`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const ids = Array.from({ length: 30 }, (_, i) => `hook-${i + 1}`);
    const answers = await Promise.all(ids.map((id, i) => post(nodes[i % nodes.length]!, { id })));
    expect(answers.map((answer) => answer.status)).toEqual(ids.map(() => 200));

    // node-1 is killed while its worker holds a delivery; after its lease expires another node handles it.
    const victim = nodes[0]!;
    const pending = post(victim, { id: "hook-killed", holdMs: 2_500 }).catch((error: Error) => error);
    await until(
      () => recordsOfKind([victim], "webhook-start").some((record) => record.key === "hook-killed"),
      "node-1's worker to start the delivery",
    );
    await victim.kill();
    expect(await pending).toBeInstanceOf(Error);
    await until(
      () => recordsOfKind(nodes, "webhook").some((record) => record.key === "hook-killed"),
      "the killed delivery handled by another node",
      30_000,
    );

    const done = recordsOfKind(nodes, "webhook");
    const counts = new Map<string | number, number>();
    for (const record of done) counts.set(record.key, (counts.get(record.key) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual(
      Object.fromEntries([...ids, "hook-killed"].map((id) => [id, 1])),
    );
    expect(done.find((record) => record.key === "hook-killed")?.node).not.toBe(victim.nodeId);
    // The taking-over node records the outcome once its worker answered.
    const listDeliveries = async () =>
      (
        await nodes[1]!.api<{ status: string }[]>(
          "GET",
          `/api/plugins/${pluginId}/webhooks/deliveries?limit=100`,
        )
      ).body;
    await until(
      async () => (await listDeliveries()).every((delivery) => delivery.status === "success"),
      "every delivery recorded as a success",
      10_000,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify((await listDeliveries()).map((d) => d.status))}`);
    });
    expect(await listDeliveries()).toHaveLength(ids.length + 1);
    await victim.start();
  }, 90_000);

  it("a job every minute runs exactly once per tick while nodes are killed and restarted", async () => {
    await workersEverywhere();
    const [one, two, three] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    // The shortest schedule cron supports is a minute: take the next minute boundary at least 6 s away.
    let tick = Math.ceil(Date.now() / 60_000) * 60_000;
    if (tick - Date.now() < 6_000) tick += 60_000;
    await sleep(tick - Date.now() - 1_500);
    await one.kill();
    await sleep(tick - Date.now() + 300);
    // Whichever node claimed the tick may be killed now; the tick is not run again by the others.
    await two.kill();
    await one.start();
    await until(() => recordsOfKind(nodes, "job").length > 0, "the tick to run", 20_000);
    await two.start();
    await sleep(2_000);

    // Every tick since the install (earlier tests may have spanned one) ran exactly once, this one included.
    const runs = recordsOfKind(nodes, "job");
    const perTick = new Map<string | number, number>();
    for (const run of runs) perTick.set(run.key, (perTick.get(run.key) ?? 0) + 1);
    const scheduledAt = new Date(tick).toISOString();
    expect(perTick.get(scheduledAt)).toBe(1);
    expect([...perTick.values()].every((count) => count === 1)).toBe(true);
    const ranOn = runs.find((run) => run.key === scheduledAt)?.node;
    console.info(`tick ${scheduledAt} ran once, on ${ranOn}; node-1 and node-2 were killed around it`);
    expect(three.running).toBe(true);
  }, 100_000);
});
