// The cluster bus between host nodes on one PostgreSQL: messages reach the other nodes (not the sender), in
// publish order, small and large payloads mixed; a payload too large for NOTIFY goes through cluster_messages; a
// node that (re)connects is told to resynchronize. On PGlite there are no other nodes and publishing is a no-op.
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterBus } from "../../src/cluster/index.js";
import { openDatabase } from "../../src/db/database.js";
import { openTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../support/database.js";

const logger = pino({ level: "silent" });

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.runIf(TEST_DATABASE_URL)("cluster bus on PostgreSQL", () => {
  let test: TestDatabase;
  let second: Awaited<ReturnType<typeof openDatabase>>;
  let a: ClusterBus;
  let b: ClusterBus;

  beforeAll(async () => {
    test = await openTestDatabase("postgres");
    second = await openDatabase({ kind: "postgres", url: test.url!, poolMax: 3 });
    a = new ClusterBus(test.db, logger, "node-a");
    b = new ClusterBus(second, logger, "node-b");
    await a.start();
    await b.start();
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await second?.close();
    await test?.dispose();
  });

  it("delivers to the other node only, in publish order, with large payloads through the table", async () => {
    const atB: { n: number; size: number; from: string }[] = [];
    const atA: unknown[] = [];
    const offB = b.subscribe<{ n: number; text: string }>("order", (payload, from) => {
      atB.push({ n: payload.n, size: payload.text.length, from });
    });
    const offA = a.subscribe("order", (payload) => atA.push(payload));
    const sends: Promise<void>[] = [];
    for (let n = 0; n < 200; n++) {
      // Every tenth message is 20 kB: too large for a NOTIFY payload.
      sends.push(a.publish("order", { n, text: "x".repeat(n % 10 === 0 ? 20_000 : 10) }));
    }
    await Promise.all(sends);
    await until(() => atB.length === 200, "200 messages at node b");
    expect(atB.map((message) => message.n)).toEqual([...Array(200).keys()]);
    expect(atB.filter((message) => message.size === 20_000)).toHaveLength(20);
    expect(new Set(atB.map((message) => message.from))).toEqual(new Set(["node-a"]));
    expect(atA).toEqual([]);
    const [row] = await test.db.query<{ count: number }>(
      "count_cluster_messages",
      "SELECT count(*)::int AS count FROM cluster_messages",
      [],
    );
    expect(row?.count).toBe(20);
    offA();
    offB();
  });

  it("asks a node that reconnects to resynchronize", async () => {
    const c = new ClusterBus(second, logger, "node-c");
    let resyncs = 0;
    c.onResync(() => {
      resyncs++;
    });
    await c.start();
    expect(resyncs).toBe(1);
    const got: unknown[] = [];
    c.subscribe("hello", (payload) => got.push(payload));
    await a.publish("hello", { to: "everyone" });
    await until(() => got.length === 1, "the message at node c");
    expect(got).toEqual([{ to: "everyone" }]);
    await c.stop();
  });
});

describe("cluster bus on PGlite", () => {
  it("has no other nodes: publishing resolves and reaches nobody", async () => {
    const test = await openTestDatabase("pglite");
    const bus = new ClusterBus(test.db, logger, "solo");
    await bus.start();
    expect(bus.distributed).toBe(false);
    const got: unknown[] = [];
    bus.subscribe("topic", (payload) => got.push(payload));
    await bus.publish("topic", { n: 1 });
    expect(got).toEqual([]);
    await bus.stop();
    await test.dispose();
  });
});
