/**
 * paperclipInvocationId propagation: every worker→host message made while handling an invocation
 * carries its id, across awaits, timers and promise chains, and never a scope of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkerChild } from "./worker-child.js";

const invocation = (id: string, companyId = "company-1") => ({
  paperclipInvocation: { id, scope: { companyId } },
});

describe("invocation id propagation", () => {
  let worker: WorkerChild;
  beforeAll(async () => {
    worker = new WorkerChild("worker-full.mjs")
      .handle("events.subscribe", () => ({ result: null }))
      .handle("state.get", (params) => ({ result: params.stateKey }));
    await worker.initialize();
  });
  afterAll(() => worker.close());

  it("setup's calls during an unscoped initialize carry no invocation id", () => {
    const setupCalls = worker.received.filter(
      (m) => m.method === "state.get" || m.method === "events.subscribe",
    );
    expect(setupCalls.length).toBeGreaterThan(0);
    expect(setupCalls.every((m) => !("paperclipInvocationId" in m))).toBe(true);
  });

  it("requests and notifications across await, setTimeout and Promise.all carry the id", async () => {
    const mark = worker.received.length;
    const response = await worker.request(
      "performAction",
      { key: "async-chain", params: {} },
      invocation("inv-1"),
    );
    expect(response.result).toEqual(["a", "b", "c", "d"]);
    const outgoing = worker.since(mark).filter((m) => typeof m.method === "string");
    expect(outgoing.map((m) => [m.method, m.params.stateKey ?? m.params.message])).toEqual([
      ["state.get", "a"],
      ["state.get", "b"],
      ["state.get", "c"],
      ["state.get", "d"],
      ["log", "chain done"],
    ]);
    for (const message of outgoing) {
      expect(message.paperclipInvocationId).toBe("inv-1");
      expect(message).not.toHaveProperty("paperclipInvocation");
    }
  });

  it("keeps two interleaved invocations apart", async () => {
    const mark = worker.received.length;
    const [first, second] = await Promise.all([
      worker.request("performAction", { key: "async-chain", params: {} }, invocation("inv-A", "company-A")),
      worker.request("performAction", { key: "async-chain", params: {} }, invocation("inv-B", "company-B")),
    ]);
    expect(first.result).toEqual(["a", "b", "c", "d"]);
    expect(second.result).toEqual(["a", "b", "c", "d"]);
    const outgoing = worker.since(mark).filter((m) => typeof m.method === "string");
    expect(outgoing).toHaveLength(10);
    const byId = (id: string) =>
      outgoing.filter((m) => m.paperclipInvocationId === id).map((m) => m.params.stateKey);
    expect(byId("inv-A")).toEqual(["a", "b", "c", "d", undefined]);
    expect(byId("inv-B")).toEqual(["a", "b", "c", "d", undefined]);
  });

  it("a call without an invocation sends no invocation id", async () => {
    const mark = worker.received.length;
    await worker.request("performAction", { key: "async-chain", params: {} });
    const outgoing = worker.since(mark).filter((m) => typeof m.method === "string");
    expect(outgoing).toHaveLength(5);
    expect(outgoing.every((m) => !("paperclipInvocationId" in m))).toBe(true);
  });

  it("an onEvent notification's invocation reaches the calls its handlers make", async () => {
    const mark = worker.received.length;
    worker.notify(
      "onEvent",
      {
        event: {
          eventId: "e-2",
          eventType: "plugin.acme.ping",
          occurredAt: "2026-01-01T00:00:00.000Z",
          companyId: "company-1",
          payload: {},
        },
      },
      invocation("inv-event"),
    );
    await worker.waitFor((m) => m.method === "log" && m.params.message === "ping handled");
    const outgoing = worker.since(mark).filter((m) => typeof m.method === "string");
    expect(outgoing.map((m) => [m.method, m.paperclipInvocationId])).toEqual([
      ["state.get", "inv-event"],
      ["log", "inv-event"],
    ]);
  });

  it("stream notifications carry the id too", async () => {
    const mark = worker.received.length;
    await worker.request(
      "performAction",
      { key: "streams", params: { channel: "c", companyId: "company-1" } },
      invocation("inv-s"),
    );
    const streamed = worker.since(mark).filter((m) => String(m.method).startsWith("streams."));
    expect(streamed).toHaveLength(5);
    expect(streamed.every((m) => m.paperclipInvocationId === "inv-s")).toBe(true);
  });
});
