// Worker streams and board live updates between two nodes' buses on one PostgreSQL (the in-process half of
// test/multinode/work-across-nodes.test.ts): frames keep the publishing node's ids everywhere, resume works on
// the other node, nothing is sent back, each node closes only the channels its own workers opened, and company
// notices and run events reach the other node's hubs. On PGlite nothing is forwarded.
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/agents/run-event-types.js";
import { RunHub } from "../../src/agents/run-hub.js";
import { ClusterBus } from "../../src/cluster/index.js";
import { openDatabase } from "../../src/db/database.js";
import type { CompanyNotice } from "../../src/http/company-event-hub.js";
import { LIVE_RUN_TOPIC, LIVE_UI_TOPIC, relayLiveUpdates } from "../../src/http/live-updates-relay.js";
import { ClusterStreamBus, LocalStreamBus, STREAM_FRAME_TOPIC } from "../../src/plugins/streams/index.js";
import { openTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../support/database.js";

const silent = pino({ level: "silent" });

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function collector() {
  const frames: string[] = [];
  return { frames, deliver: (frame: string) => frames.push(frame) };
}

const idsOf = (frames: readonly string[]) => frames.map((frame) => /^id: (\S+)/.exec(frame)?.[1]);
const ref = { pluginId: "p-1", channel: "progress", companyId: "c-1" };

describe.runIf(TEST_DATABASE_URL)("streams and live updates across two nodes", () => {
  let test: TestDatabase;
  let second: Awaited<ReturnType<typeof openDatabase>>;
  let busA: ClusterBus;
  let busB: ClusterBus;
  const warnings: string[] = [];
  const logger = { warn: (_object: unknown, message?: string) => void warnings.push(message ?? "") };

  beforeAll(async () => {
    test = await openTestDatabase("postgres");
    second = await openDatabase({ kind: "postgres", url: test.url!, poolMax: 3 });
    busA = new ClusterBus(test.db, silent, "node-a");
    busB = new ClusterBus(second, silent, "node-b");
    await busA.start();
    await busB.start();
  });
  afterAll(async () => {
    await busA?.stop();
    await busB?.stop();
    await second?.close();
    await test?.dispose();
  });

  it("a frame published on node a reaches node b's subscribers, under the same id, and resumes there", async () => {
    const localA = new LocalStreamBus();
    const localB = new LocalStreamBus();
    const a = new ClusterStreamBus(localA, busA, logger);
    const b = new ClusterStreamBus(localB, busB, logger);
    const forwardedByB: unknown[] = [];
    const offB = localB.onPublish((_ref, frame) => forwardedByB.push(frame));
    try {
      const atA = collector();
      const atB = collector();
      a.subscribe(ref, atA);
      const subscription = b.subscribe(ref, atB);
      a.publish(ref, "open", {});
      for (let i = 1; i <= 50; i++)
        a.publish(ref, "message", { i, text: "x".repeat(i === 25 ? 20_000 : 10) });
      a.publish(ref, "close", {});
      await until(() => atB.frames.length === 52, "52 frames on node b");
      expect(atB.frames).toEqual(atA.frames);
      expect(atB.frames[0]).toMatch(/^id: [0-9a-f]+-1\nevent: open\n/);
      // Ingested frames are delivered and kept, never published again by node b.
      expect(forwardedByB).toEqual([]);
      subscription.unsubscribe();

      // A client that saw frame 30 on node a reconnects to node b.
      const resumed = b.subscribe(ref, collector(), idsOf(atA.frames)[30]);
      expect(resumed.gap).toBe(false);
      expect(resumed.replay).toEqual(atA.frames.slice(31));
      // An id node b never had (an earlier incarnation): everything kept, and the gap is said.
      const unknown = b.subscribe(ref, collector(), "deadbeef-7");
      expect(unknown.gap).toBe(true);
      expect(unknown.replay).toHaveLength(52);
    } finally {
      offB();
      a.close();
      b.close();
    }
  });

  it("a worker exiting on node b closes only the channels node b's workers opened", async () => {
    const a = new ClusterStreamBus(new LocalStreamBus(), busA, logger);
    const localB = new LocalStreamBus();
    const b = new ClusterStreamBus(localB, busB, logger);
    try {
      const atB = collector();
      b.subscribe(ref, atB);
      a.publish(ref, "open", {});
      await until(() => atB.frames.length === 1, "the open frame on node b");
      expect(b.openChannels(ref.pluginId)).toEqual([]);
      b.workerExited(ref.pluginId, "crashed");
      expect(atB.frames).toHaveLength(1);
      a.workerExited(ref.pluginId, "stopped");
      await until(() => atB.frames.length === 2, "node a's synthetic close on node b");
      expect(atB.frames[1]).toContain('"synthetic":true');
    } finally {
      a.close();
      b.close();
    }
  });

  it("a malformed stream frame message is ignored with a warning naming the sender", async () => {
    const localB = new LocalStreamBus();
    const b = new ClusterStreamBus(localB, busB, logger);
    try {
      await busA.publish(STREAM_FRAME_TOPIC, { p: "p-1", c: "progress" });
      await until(() => warnings.some((w) => w.includes("from node node-a")), "the warning");
      expect(warnings.at(-1)).toBe("Malformed stream.frame message from node node-a: ignored");
      expect(localB.channelCount).toBe(0);
    } finally {
      b.close();
    }
  });

  it("company notices and run events reach the other node's hubs once", async () => {
    const noticesAtB: CompanyNotice[] = [];
    const noticesAtA: CompanyNotice[] = [];
    let relayOfA: ((notice: CompanyNotice) => void) | null = null;
    const hubA = {
      relayNotices: (relay: ((notice: CompanyNotice) => void) | null) => {
        relayOfA = relay;
      },
      deliverNotice: (notice: CompanyNotice) => noticesAtA.push(notice),
    };
    const hubB = {
      relayNotices: () => {},
      deliverNotice: (notice: CompanyNotice) => noticesAtB.push(notice),
    };
    const runsA = new RunHub();
    const runsB = new RunHub();
    const stopA = relayLiveUpdates({ cluster: busA, companyEvents: hubA, runs: runsA, logger });
    const stopB = relayLiveUpdates({ cluster: busB, companyEvents: hubB, runs: runsB, logger });
    try {
      const notice: CompanyNotice = {
        type: "plugin.ui.updated",
        payload: { pluginId: "p-1", action: "disabled" },
        entityType: "plugin",
        entityId: "p-1",
        occurredAt: new Date().toISOString(),
      };
      relayOfA!(notice);
      await until(() => noticesAtB.length === 1, "the notice on node b");
      expect(noticesAtB).toEqual([notice]);

      const seenAtA: RunEvent[] = [];
      const seenAtB: RunEvent[] = [];
      runsA.subscribe("run-1", (event) => seenAtA.push(event));
      runsB.subscribe("run-1", (event) => seenAtB.push(event));
      const event: RunEvent = {
        id: "e-1",
        companyId: "c-1",
        runId: "run-1",
        agentId: "a-1",
        seq: 1,
        eventType: "chunk",
        stream: "stdout",
        level: null,
        message: "hello",
        payload: null,
        createdAt: new Date().toISOString(),
      };
      runsA.publish(event);
      await until(() => seenAtB.length === 1, "the run event on node b");
      expect(seenAtB).toEqual([event]);
      // Nothing comes back to node a.
      await busB.publish("probe", {});
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seenAtA).toEqual([event]);
      expect(noticesAtA).toEqual([]);

      await busA.publish(LIVE_UI_TOPIC, { type: 42 });
      await busA.publish(LIVE_RUN_TOPIC, { runId: "run-1" });
      await until(() => warnings.filter((w) => w.startsWith("Malformed live.")).length === 2, "two warnings");
    } finally {
      stopA();
      stopB();
    }
  });
});

describe("streams on one node (PGlite)", () => {
  it("are not forwarded: there are no other nodes", async () => {
    const single = await openTestDatabase("pglite");
    const cluster = new ClusterBus(single.db, silent, "only-node");
    try {
      await cluster.start();
      const bus = new ClusterStreamBus(new LocalStreamBus(), cluster, silent);
      const frames = collector();
      bus.subscribe(ref, frames);
      bus.publish(ref, "message", { i: 1 });
      expect(frames.frames).toEqual([expect.stringMatching(/^id: [0-9a-f]+-1\ndata: \{"i":1\}\n\n$/)]);
      const [row] = await single.db.query<{ count: number }>(
        "count_cluster_messages",
        "SELECT count(*)::int AS count FROM cluster_messages",
        [],
      );
      expect(row?.count).toBe(0);
    } finally {
      await cluster.stop();
      await single.dispose();
    }
  });
});
