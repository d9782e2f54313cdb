import type { AgentSessionEvent } from "@paperclipai/plugin-sdk";
import { createTestHarness } from "@paperclipai/plugin-sdk/testing";
import { describe, expect, it } from "vitest";
import { agent, fullManifest } from "./testing-fixtures.js";

function agentsHarness() {
  const harness = createTestHarness({ manifest: fullManifest() });
  harness.seed({
    agents: [
      agent("a1", "acme"),
      agent("a2", "acme", { status: "pending_approval" }),
      agent("a3", "acme", { status: "terminated" }),
      agent("b1", "beta"),
    ],
  });
  return harness;
}

const chunk = (seq: number, message: string): Omit<AgentSessionEvent, "sessionId"> => ({
  runId: "run-1",
  seq,
  eventType: "chunk",
  stream: "stdout",
  message,
  payload: null,
});

describe("ctx.agents", () => {
  it("lists and gets agents within their company only", async () => {
    const { ctx } = agentsHarness();
    await expect(ctx.agents.list({ companyId: "acme" })).resolves.toHaveLength(3);
    await expect(ctx.agents.list({ companyId: "acme", status: "terminated" })).resolves.toMatchObject([
      { id: "a3" },
    ]);
    await expect(ctx.agents.get("a1", "acme")).resolves.toMatchObject({ id: "a1", name: "Agent a1" });
    await expect(ctx.agents.get("b1", "acme")).resolves.toBeNull();
    await expect(ctx.agents.list({ companyId: "acme", status: "sleeping" as "idle" })).rejects.toThrow(
      "ctx.agents.list: status must be one of active, paused, idle, running, error, pending_approval, terminated",
    );
  });

  it("invokes an idle agent and refuses agents the host would not run", async () => {
    const { ctx } = agentsHarness();
    const { runId } = await ctx.agents.invoke("a1", "acme", { prompt: "Summarize" });
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(ctx.agents.invoke("a2", "acme", { prompt: "p" })).rejects.toThrow(
      "Agent is not invokable in its current state: pending_approval",
    );
    await expect(ctx.agents.invoke("b1", "acme", { prompt: "p" })).rejects.toThrow("Agent not found: b1");
    await expect(ctx.agents.invoke("a1", "acme", { prompt: "" })).rejects.toThrow(
      "ctx.agents.invoke: opts.prompt must be a non-empty string",
    );
  });

  it("pauses and resumes, which gates invocation", async () => {
    const { ctx } = agentsHarness();
    await expect(ctx.agents.pause("a1", "acme")).resolves.toMatchObject({ id: "a1", status: "paused" });
    await expect(ctx.agents.invoke("a1", "acme", { prompt: "p" })).rejects.toThrow(
      "Agent is not invokable in its current state: paused",
    );
    await expect(ctx.agents.resume("a1", "acme")).resolves.toMatchObject({ status: "idle" });
    await expect(ctx.agents.invoke("a1", "acme", { prompt: "p" })).resolves.toHaveProperty("runId");
    await expect(ctx.agents.pause("a3", "acme")).rejects.toThrow(
      "Agent is terminated and cannot be paused: a3",
    );
  });

  it("reports declared managed agents as missing and refuses undeclared keys", async () => {
    const harness = createTestHarness({
      manifest: fullManifest({ agents: [{ agentKey: "reviewer", displayName: "Reviewer" }] }),
    });
    await expect(harness.ctx.agents.managed.get("reviewer", "acme")).resolves.toMatchObject({
      pluginKey: "acme.domain",
      resourceKind: "agent",
      resourceKey: "reviewer",
      agentId: null,
      status: "missing",
    });
    await expect(harness.ctx.agents.managed.get("writer", "acme")).rejects.toThrow(
      "ctx.agents.managed.get: no managed agent with agentKey 'writer' is declared in manifest.agents",
    );
    await expect(harness.ctx.agents.managed.reconcile("reviewer", "acme")).rejects.toThrow(
      "ctx.agents.managed.reconcile is not supported by the test harness",
    );
  });
});

describe("ctx.agents.sessions", () => {
  it("creates, lists, streams into and closes a session", async () => {
    const harness = agentsHarness();
    const { ctx } = harness;
    const session = await ctx.agents.sessions.create("a1", "acme", { reason: "chat" });
    expect(session).toMatchObject({ agentId: "a1", companyId: "acme", status: "active" });
    await expect(ctx.agents.sessions.list("a1", "acme")).resolves.toEqual([session]);

    const received: AgentSessionEvent[] = [];
    const sent = await ctx.agents.sessions.sendMessage(session.sessionId, "acme", {
      prompt: "Hello",
      onEvent: (event) => received.push(event),
    });
    expect(typeof sent.runId).toBe("string");
    harness.simulateSessionEvent(session.sessionId, chunk(1, "Hi"));
    harness.simulateSessionEvent(session.sessionId, { ...chunk(2, "done"), eventType: "done", stream: null });
    expect(received).toEqual([
      { ...chunk(1, "Hi"), sessionId: session.sessionId },
      { ...chunk(2, "done"), eventType: "done", stream: null, sessionId: session.sessionId },
    ]);

    await ctx.agents.sessions.close(session.sessionId, "acme");
    await expect(ctx.agents.sessions.list("a1", "acme")).resolves.toEqual([]);
    expect(() => harness.simulateSessionEvent(session.sessionId, chunk(3, "late"))).toThrow(
      `No active session event callback for session: ${session.sessionId}`,
    );
  });

  it("keeps sessions company-scoped and owned by the plugin's task-key prefix", async () => {
    const { ctx } = agentsHarness();
    const session = await ctx.agents.sessions.create("a1", "acme");
    await expect(ctx.agents.sessions.sendMessage(session.sessionId, "beta", { prompt: "p" })).rejects.toThrow(
      `Session not found: ${session.sessionId}`,
    );
    await expect(ctx.agents.sessions.close("missing", "acme")).rejects.toThrow("Session not found: missing");
    const custom = await ctx.agents.sessions.create("a1", "acme", { taskKey: "manual:task" });
    await expect(ctx.agents.sessions.list("a1", "acme")).resolves.toEqual([session]);
    await expect(ctx.agents.sessions.close(custom.sessionId, "acme")).rejects.toThrow(
      `Session not found: ${custom.sessionId}`,
    );
    await expect(ctx.agents.sessions.create("b1", "acme")).rejects.toThrow("Agent not found: b1");
  });

  it("drops the stream callback when a send fails and validates send options", async () => {
    const harness = agentsHarness();
    const { ctx } = harness;
    const session = await ctx.agents.sessions.create("a1", "acme");
    await ctx.agents.sessions.sendMessage(session.sessionId, "acme", { prompt: "p", onEvent: () => {} });
    await ctx.agents.pause("a1", "acme");
    await expect(ctx.agents.sessions.sendMessage(session.sessionId, "acme", { prompt: "p" })).rejects.toThrow(
      "Agent is not invokable in its current state: paused",
    );
    expect(() => harness.simulateSessionEvent(session.sessionId, chunk(1, "x"))).toThrow(
      "No active session event callback",
    );
    await expect(
      ctx.agents.sessions.sendMessage(session.sessionId, "acme", { prompt: "p", onEvent: "log" as never }),
    ).rejects.toThrow("ctx.agents.sessions.sendMessage: opts.onEvent must be a function");
    expect(() =>
      harness.simulateSessionEvent(session.sessionId, { ...chunk(1, "x"), eventType: "progress" as "chunk" }),
    ).toThrow("harness.simulateSessionEvent: event.eventType must be one of chunk, status, done, error");
  });
});
