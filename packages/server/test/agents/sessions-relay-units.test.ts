// The session relay on its own, over a fake run event feed: what a run wrote before the relay subscribed, live
// events out of order or missing from the hub (another node), duplicates, the terminal event, the lifetime cap,
// a worker that is gone, and a worker replaced between the request and the follow.
import type { AgentSessionEvent } from "@paperclipai/plugin-sdk/types";
import { afterEach, describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/agents/index.js";
import {
  type RunEventFeed,
  SessionRelay,
  toSessionEvent,
} from "../../src/plugins/host-services/session-relay.js";
import { eventually } from "./fixtures/agent-host.js";

const RUN = "11111111-1111-4111-8111-111111111111";
const plugin = { pluginId: "p1", pluginKey: "fixture.relay", manifest: {} as never };

class FakeFeed implements RunEventFeed {
  readonly stored: RunEvent[] = [];
  private readonly listeners = new Set<(event: RunEvent) => void>();
  reads = 0;

  event(seq: number, eventType: RunEvent["eventType"], extra: Partial<RunEvent> = {}): RunEvent {
    return {
      id: `e${seq}`,
      companyId: "c",
      runId: RUN,
      agentId: "a",
      seq,
      eventType,
      stream: eventType === "chunk" ? "stdout" : null,
      level: null,
      message: eventType === "chunk" ? `line ${seq}` : null,
      payload: null,
      createdAt: new Date().toISOString(),
      ...extra,
    };
  }
  /** Commit to the store; `live` also publishes on this node's hub. */
  commit(event: RunEvent, live = true): void {
    this.stored.push(event);
    if (live) for (const listener of this.listeners) listener(event);
  }
  subscribe(_runId: string, listener: (event: RunEvent) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  get subscribers(): number {
    return this.listeners.size;
  }
  async list(_runId: string, options: { afterSeq?: number; limit?: number }) {
    this.reads++;
    return this.stored.filter((e) => e.seq > (options.afterSeq ?? 0)).slice(0, options.limit ?? 200);
  }
}

const silent = { warn() {}, debug() {} };
const relays: SessionRelay[] = [];
afterEach(() => {
  for (const relay of relays.splice(0)) relay.dispose();
});

function setUp(options: { maxLifetimeMs?: number; pollIntervalMs?: number } = {}) {
  const feed = new FakeFeed();
  const sent: AgentSessionEvent[] = [];
  const relay = new SessionRelay({ feed, logger: silent, pollIntervalMs: 50, ...options });
  relay.bind((_pluginId, event) => sent.push(event));
  relays.push(relay);
  const follow = () =>
    relay.follow({ plugin, sessionId: "s1", runId: RUN, epoch: relay.epochOf(plugin.pluginId) });
  return { feed, sent, relay, follow };
}

describe("session relay", () => {
  it("maps run events: chunks and system notes, non-terminal statuses, done with finalText, error, no tool calls", () => {
    const feed = new FakeFeed();
    expect(toSessionEvent("s", feed.event(1, "chunk"))).toMatchObject({
      eventType: "chunk",
      stream: "stdout",
      message: "line 1",
    });
    expect(toSessionEvent("s", feed.event(2, "system", { message: "note" }))).toMatchObject({
      eventType: "chunk",
      stream: "system",
      message: "note",
    });
    expect(toSessionEvent("s", feed.event(3, "status", { payload: { status: "running" } }))).toMatchObject({
      eventType: "status",
      message: "running",
    });
    expect(toSessionEvent("s", feed.event(4, "tool_call", { payload: { tool: "x" } }))).toBeNull();
    expect(
      toSessionEvent("s", feed.event(5, "status", { payload: { status: "succeeded", finalText: "hi" } })),
    ).toMatchObject({
      sessionId: "s",
      runId: RUN,
      seq: 5,
      eventType: "done",
      message: "hi",
    });
    for (const status of ["failed", "cancelled", "timed_out", "interrupted"]) {
      expect(toSessionEvent("s", feed.event(6, "status", { payload: { status } }))).toMatchObject({
        eventType: "error",
        message: `Run ${status}`,
      });
    }
  });

  it("delivers what the run wrote before the follow, then live events, each once and in seq order", async () => {
    const { feed, sent, relay, follow } = setUp();
    feed.commit(feed.event(1, "status", { payload: { status: "running" } }));
    feed.commit(feed.event(2, "chunk"));
    follow();
    feed.commit(feed.event(3, "chunk"));
    // seq 4 never reaches this node's hub (written by another node); 5 does, and 4 is read from the store first.
    feed.commit(feed.event(4, "chunk"), false);
    feed.commit(feed.event(5, "chunk"));
    feed.commit(feed.event(5, "chunk")); // a duplicate publish
    feed.commit(feed.event(6, "status", { payload: { status: "succeeded", finalText: "ok" } }));
    await eventually(() => sent.at(-1)?.eventType === "done", "done");
    expect(sent.map((e) => [e.seq, e.eventType])).toEqual([
      [1, "status"],
      [2, "chunk"],
      [3, "chunk"],
      [4, "chunk"],
      [5, "chunk"],
      [6, "done"],
    ]);
    expect(relay.activeCount()).toBe(0);
    expect(feed.subscribers).toBe(0);
  });

  it("reads the store when nothing arrives live (a run on another node) and ends at the terminal event", async () => {
    const { feed, sent, relay, follow } = setUp({ pollIntervalMs: 30 });
    follow();
    feed.commit(feed.event(1, "chunk"), false);
    feed.commit(feed.event(2, "status", { payload: { status: "failed", error: "boom" } }), false);
    await eventually(() => sent.length === 2, "both events");
    expect(sent.map((e) => e.eventType)).toEqual(["chunk", "error"]);
    expect(relay.activeCount()).toBe(0);
  });

  it("closes after its lifetime with an error event saying the run goes on", async () => {
    const { feed, sent, relay, follow } = setUp({ maxLifetimeMs: 80 });
    follow();
    feed.commit(feed.event(1, "chunk"));
    await eventually(() => relay.activeCount() === 0, "the relay to expire");
    expect(sent.at(-1)).toMatchObject({ eventType: "error", seq: 2, payload: { reason: "relay_timeout" } });
    expect(sent.at(-1)?.message).toMatch(/stopped after .* the run goes on/);
    expect(feed.subscribers).toBe(0);
  });

  it("ends when the worker cannot take a notification, when the session closes, and with the worker", async () => {
    const gone = setUp();
    gone.relay.bind(() => {
      throw new Error("Plugin p1 is not running");
    });
    gone.follow();
    gone.feed.commit(gone.feed.event(1, "chunk"));
    await eventually(() => gone.relay.activeCount() === 0, "the relay to close");

    const closed = setUp();
    closed.follow();
    expect(closed.relay.activeCount("p1")).toBe(1);
    closed.relay.closeSession("p1", "s1");
    expect(closed.relay.activeCount()).toBe(0);

    const exited = setUp();
    const epoch = exited.relay.epochOf("p1");
    exited.follow();
    exited.relay.sinks.onWorkerExit?.(plugin, "crashed");
    expect(exited.relay.activeCount()).toBe(0);
    // A follow asked for by the worker that is gone is ignored.
    exited.relay.follow({ plugin, sessionId: "s1", runId: RUN, epoch });
    expect(exited.relay.activeCount()).toBe(0);
    expect(exited.feed.subscribers).toBe(0);
  });
});
