// How a plugin's stream batches `onEvent` requests under a steady flow of commits: events committed while earlier
// ones are in flight leave together at the next acknowledgement, still in order and each exactly once, and an idle
// stream sends a new event at once. The stream runs on a real outbox and cursor table; the worker is a stand-in
// whose acknowledgements the test releases, so the batching is observed without any timing.
import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredDomainEvent } from "../../src/domain/event-types.js";
import { EventNotifier } from "../../src/domain/notifier.js";
import type { DeliveryTarget } from "../../src/plugins/events/delivery-target.js";
import { EventDispatcher } from "../../src/plugins/events/dispatcher.js";
import { OutboxAppender } from "../../src/plugins/events/plugin-event-writer.js";
import { ENGINES, openTestDatabase, type TestDatabase } from "../support/database.js";

const COMPANY = "2b6f6f4e-8d3c-4c59-9d7e-6d1c7f0f5b01";

/** A worker stand-in: records every onEvent with how many were in flight when it arrived; acks on release. */
class HeldWorker {
  readonly received: { eventType: string; inFlight: number }[] = [];
  private readonly waiting: (() => void)[] = [];
  private arrivals: (() => void)[] = [];

  deliver(event: { eventType: string }): Promise<void> {
    this.received.push({ eventType: event.eventType, inFlight: this.waiting.length + 1 });
    for (const arrived of this.arrivals.splice(0)) arrived();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Resolves once `count` requests have arrived in all. */
  async receivedCount(count: number): Promise<void> {
    while (this.received.length < count) await new Promise<void>((resolve) => this.arrivals.push(resolve));
  }

  /** Acknowledge everything in flight. */
  release(): void {
    for (const ack of this.waiting.splice(0)) ack();
  }
}

describe.each(ENGINES)("onEvent batching on %s", (engine) => {
  let database: TestDatabase;
  let dispatcher: EventDispatcher;
  let appender: OutboxAppender;
  let pluginId: string;
  const worker = new HeldWorker();
  const status = () => {
    const current = dispatcher.streamStatus(pluginId);
    if (!current) throw new Error("the plugin's stream is not running");
    return current;
  };

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    const [row] = await database.db.query<{ id: string }>(
      "coalescing_test_plugin",
      `INSERT INTO plugins (plugin_key, package_name, version, manifest_json, status, package_dir, source, install_spec)
       VALUES ('test.batching', 'batching', '1.0.0', '{}'::jsonb, 'ready', '/nowhere', 'local', '{}'::jsonb)
       RETURNING id`,
      [],
    );
    pluginId = String(row?.id);
    const notifier = new EventNotifier();
    appender = new OutboxAppender(database.db, notifier);
    const target: DeliveryTarget = {
      runningPlugins: () => [pluginId],
      workerState: () => ({ ready: true, generation: "one", pendingHostCalls: 0 }),
      deliver: (_pluginId, event) => worker.deliver(event),
    };
    dispatcher = new EventDispatcher({
      db: database.db,
      notifier,
      target,
      subscriptions: { list: async () => [{ eventPattern: "plugin.test.*", filter: null }] },
      logger: pino({ level: "silent" }),
      // Long enough that only an acknowledgement (never the time) lets held events go.
      options: { coalesceMs: 60_000, syncIntervalMs: 10 },
    });
    await dispatcher.start();
    while (!dispatcher.streamStatus(pluginId)?.leaseHeld)
      await new Promise((resolve) => setTimeout(resolve, 5));
  });
  afterAll(async () => {
    worker.release();
    await dispatcher?.stop();
    await database?.dispose();
  });

  const commit = (name: string) =>
    appender.append({
      eventId: randomUUID(),
      eventType: `plugin.test.${name}`,
      occurredAt: new Date().toISOString(),
      actorType: "plugin",
      actorId: "test",
      companyId: COMPANY,
      payload: { name },
    } satisfies Omit<StoredDomainEvent, "seq">);

  it("sends the first event of an idle stream at once, and what commits meanwhile together at its ack", async () => {
    await commit("first");
    await worker.receivedCount(1);
    const readAfterFirst = status().readSeq;
    // Five commits, one by one, while "first" is in flight: none is sent yet.
    for (let i = 0; i < 5; i++) await commit(`next-${i}`);
    // The stream has looked at all five (they are in its hands, not just in the outbox)...
    while (status().readSeq < readAfterFirst + 5) await new Promise((resolve) => setTimeout(resolve, 5));
    // ...and sent none of them.
    expect(worker.received.map((r) => r.eventType)).toEqual(["plugin.test.first"]);
    worker.release();
    await worker.receivedCount(6);
    // All five left together: the last arrived with the other four still in flight, in commit order.
    expect(worker.received.slice(1).map((r) => r.eventType)).toEqual(
      [0, 1, 2, 3, 4].map((i) => `plugin.test.next-${i}`),
    );
    expect(worker.received.at(-1)?.inFlight).toBe(5);
    worker.release();
  });
});
