// ctx.agents from a real worker against a host whose agent runtime really runs agents (reference §14.1–14.2):
// sessions stream their run back as agents.sessions.event notifications — chunk per output line, status, then done
// (finalText) or error ("Run <status>") — in seq order, with nothing lost while the worker is busy; relays end with
// the run and with the worker; capabilities, ownership (task-key prefix) and company scope hold; invoke, pause and
// resume work.

import { PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import type { AgentSessionEvent } from "@paperclipai/plugin-sdk/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_BOARD_ACTOR } from "../../src/domain/actor.js";
import { ENGINES } from "../support/database.js";
import {
  type AgentHost,
  copyAgentKit,
  eventually,
  SESSION_CAPABILITIES,
  seedCompany,
  startAgentHost,
  tempFolders,
} from "./fixtures/agent-host.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());

type Received = AgentSessionEvent & { receivedAt: number };

describe.each(ENGINES)("agent sessions over a real worker (%s)", (engine) => {
  let host: AgentHost;
  let acme: Awaited<ReturnType<typeof seedCompany>>;
  let globex: Awaited<ReturnType<typeof seedCompany>>;
  let kit: string;
  let other: string;
  let bare: string;

  beforeAll(async () => {
    host = await startAgentHost(engine);
    acme = await seedCompany(host.services, "Acme");
    globex = await seedCompany(host.services, "Globex");
    kit = (await host.install(copyAgentKit(temp.make("kit"), "agent.kit", SESSION_CAPABILITIES))).id;
    other = (await host.install(copyAgentKit(temp.make("other"), "agent.other", SESSION_CAPABILITIES))).id;
    bare = (await host.install(copyAgentKit(temp.make("bare"), "agent.bare", ["agents.read"]))).id;
  }, 60_000);
  afterAll(async () => {
    await host?.close();
  });

  /** ctx.<path>(...args) inside an action of `pluginId` for `companyId`: {result} or {caught: {code, message}}. */
  const ctx = (pluginId: string, path: string, args: unknown[], companyId = acme.company.id) =>
    host.action<{ result?: any; caught?: { code: number | null; message: string } }>(
      pluginId,
      "ctx",
      { path, args },
      companyId,
    );
  const ok = async (pluginId: string, path: string, args: unknown[], companyId = acme.company.id) => {
    const outcome = await ctx(pluginId, path, args, companyId);
    if (outcome.caught) throw new Error(`ctx.${path}: ${outcome.caught.code} ${outcome.caught.message}`);
    return outcome.result;
  };
  const send = async (
    pluginId: string,
    sessionId: string,
    prompt: string,
    extra: Record<string, unknown> = {},
  ) => {
    const outcome = await host.action(
      pluginId,
      "send",
      { sessionId, companyId: acme.company.id, prompt, ...extra },
      acme.company.id,
    );
    if (outcome.caught) throw new Error(`sendMessage: ${outcome.caught.message}`);
    return outcome.result as { runId: string };
  };
  const received = async (pluginId: string, sessionId: string): Promise<Received[]> =>
    (await host.action(pluginId, "events", { sessionId }, acme.company.id)).events;
  const untilFinal = (pluginId: string, sessionId: string, runId: string) =>
    eventually(async () => {
      const events = (await received(pluginId, sessionId)).filter((e) => e.runId === runId);
      return events.some((e) => e.eventType === "done" || e.eventType === "error") ? events : null;
    }, `the final session event of run ${runId}`);

  it("streams an echo run in order: chunks per line, statuses, then done with the final text", async () => {
    const session = await ok(kit, "agents.sessions.create", [
      acme.echo.id,
      acme.company.id,
      { reason: "chat" },
    ]);
    const prompt = "first line\nsecond line\nthird line";
    const { runId } = await send(kit, session.sessionId, prompt);
    const events = await untilFinal(kit, session.sessionId, runId);

    expect(events.every((e) => e.sessionId === session.sessionId && e.runId === runId)).toBe(true);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(events.filter((e) => e.eventType === "chunk").map((e) => [e.stream, e.message])).toEqual([
      ["stdout", "echo: first line"],
      ["stdout", "echo: second line"],
      ["stdout", "echo: third line"],
    ]);
    expect(events.filter((e) => e.eventType === "status").map((e) => e.message)).toContain("running");
    const last = events.at(-1)!;
    expect(last).toMatchObject({ eventType: "done", message: prompt });
    expect(last.payload).toMatchObject({ status: "succeeded" });

    // Every run event a session carries arrived once, with the run's own seq.
    const stored = (await host.runEvents(runId)).filter((e) => e.eventType !== "tool_call");
    expect(seqs).toEqual(stored.map((e) => e.seq));
    expect((await host.services.runs.get(runId)).contextSnapshot).toMatchObject({
      paperclipAgentMessage: {
        text: prompt,
        source: "plugin_session",
        pluginKey: "agent.kit",
        sessionId: session.sessionId,
      },
    });
    await eventually(
      () => host.plugins.sessionRelay?.activeCount(kit) === 0,
      "the relay to end with the run",
    );
  });

  it("loses nothing while the worker is busy: every line arrives later, in order", async () => {
    const session = await ok(kit, "agents.sessions.create", [acme.echo.id, acme.company.id]);
    const lines = Array.from({ length: 60 }, (_, n) => `line ${n}`);
    const { runId } = await send(kit, session.sessionId, lines.join("\n"), { busyMs: 1_500 });
    const events = await untilFinal(kit, session.sessionId, runId);
    expect(events.filter((e) => e.eventType === "chunk").map((e) => e.message)).toEqual(
      lines.map((line) => `echo: ${line}`),
    );
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(events.at(-1)?.eventType).toBe("done");
  });

  it("ends with an error event when the run fails (an agent whose adapter this host does not have)", async () => {
    const session = await ok(kit, "agents.sessions.create", [acme.broken.id, acme.company.id]);
    const { runId } = await send(kit, session.sessionId, "anything");
    const events = await untilFinal(kit, session.sessionId, runId);
    const last = events.at(-1)!;
    expect(last).toMatchObject({ eventType: "error", message: "Run failed", stream: "system" });
    expect(String(last.payload?.error)).toMatch(/Unknown adapter type "no-such-adapter"/);
    expect(events.filter((e) => e.eventType === "done")).toEqual([]);
  });

  it("denies plugins without the capabilities", async () => {
    for (const [path, args] of [
      ["agents.sessions.create", [acme.echo.id, acme.company.id]],
      ["agents.sessions.list", [acme.echo.id, acme.company.id]],
      ["agents.invoke", [acme.echo.id, acme.company.id, { prompt: "hi" }]],
      ["agents.pause", [acme.echo.id, acme.company.id]],
    ] as const) {
      const outcome = await ctx(bare, path, [...args]);
      expect(outcome.caught?.code, path).toBe(PLUGIN_RPC_ERROR_CODES.CAPABILITY_DENIED);
      expect(outcome.caught?.message).toMatch(/agent/);
    }
    const send = await host.action(
      bare,
      "send",
      { sessionId: "00000000-0000-4000-8000-000000000001", companyId: acme.company.id, prompt: "x" },
      acme.company.id,
    );
    expect(send.caught?.code).toBe(PLUGIN_RPC_ERROR_CODES.CAPABILITY_DENIED);
    // agents.read is declared: reading works.
    expect((await ok(bare, "agents.get", [acme.echo.id, acme.company.id])).id).toBe(acme.echo.id);
  });

  it("keeps sessions to the plugin that created them, in their company", async () => {
    const mine = await ok(kit, "agents.sessions.create", [acme.echo.id, acme.company.id]);
    const theirs = await ctx(other, "agents.sessions.sendMessage", [
      mine.sessionId,
      acme.company.id,
      { prompt: "hijack" },
    ]);
    expect(theirs.caught?.message).toMatch(
      new RegExp(`session "${mine.sessionId}" not found for this plugin`),
    );
    const closeTheirs = await ctx(other, "agents.sessions.close", [mine.sessionId, acme.company.id]);
    expect(closeTheirs.caught?.message).toMatch(/not found for this plugin/);
    const listed = await ok(other, "agents.sessions.list", [acme.echo.id, acme.company.id]);
    expect(listed.map((s: { sessionId: string }) => s.sessionId)).not.toContain(mine.sessionId);
    expect(
      (await ok(kit, "agents.sessions.list", [acme.echo.id, acme.company.id])).map(
        (s: { sessionId: string }) => s.sessionId,
      ),
    ).toContain(mine.sessionId);

    // A task key under another plugin's prefix is refused; the plugin's own prefix and free keys are fine.
    const forged = await ctx(other, "agents.sessions.create", [
      acme.echo.id,
      acme.company.id,
      { taskKey: "plugin:agent.kit:session:x" },
    ]);
    expect(forged.caught?.code).toBe(-32602);
    expect(forged.caught?.message).toMatch(/params\.taskKey .* another plugin's prefix/);
    expect(
      (
        await ok(other, "agents.sessions.create", [
          acme.echo.id,
          acme.company.id,
          { taskKey: "plugin:agent.other:session:mine" },
        ])
      ).agentId,
    ).toBe(acme.echo.id);

    // Company scope: another company's session id or agent, or a company outside the call's scope.
    const wrongCompany = await ctx(kit, "agents.sessions.sendMessage", [
      mine.sessionId,
      globex.company.id,
      { prompt: "x" },
    ]);
    expect(wrongCompany.caught?.code).toBe(PLUGIN_RPC_ERROR_CODES.INVOCATION_SCOPE_DENIED);
    const foreignAgent = await ctx(kit, "agents.sessions.create", [globex.echo.id, acme.company.id]);
    expect(foreignAgent.caught?.message).toMatch(/not found/);
    const foreignInvoke = await ctx(kit, "agents.invoke", [globex.echo.id, acme.company.id, { prompt: "x" }]);
    expect(foreignInvoke.caught?.message).toMatch(/not found/);

    await ok(kit, "agents.sessions.close", [mine.sessionId, acme.company.id]);
    const gone = await ctx(kit, "agents.sessions.sendMessage", [
      mine.sessionId,
      acme.company.id,
      { prompt: "x" },
    ]);
    expect(gone.caught?.message).toMatch(/not found for this plugin/);
  });

  it("invokes an agent ({runId}, the run carries the prompt), pauses and resumes it", async () => {
    const { runId } = await ok(kit, "agents.invoke", [
      acme.echo.id,
      acme.company.id,
      { prompt: "do the thing", reason: "test" },
    ]);
    const run = await host.finished(runId);
    expect(run).toMatchObject({ agentId: acme.echo.id, status: "succeeded" });
    expect(run.contextSnapshot).toMatchObject({
      paperclipAgentMessage: { text: "do the thing", source: "plugin_invoke", pluginKey: "agent.kit" },
    });
    expect((await ok(kit, "agents.pause", [acme.echo.id, acme.company.id])).status).toBe("paused");
    const paused = await ctx(kit, "agents.invoke", [acme.echo.id, acme.company.id, { prompt: "x" }]);
    expect(paused.caught?.message).toMatch(/not invokable|paused/i);
    expect((await ok(kit, "agents.resume", [acme.echo.id, acme.company.id])).status).toBe("idle");
  });

  it("ends a plugin's relays when its worker restarts, and the run goes on", async () => {
    const slow = await host.services.agents.create(LOCAL_BOARD_ACTOR, acme.company.id, {
      name: "Slow echo",
      role: "engineer",
      adapterType: "echo",
      adapterConfig: { delayMs: 150 },
    });
    const session = await ok(kit, "agents.sessions.create", [slow.id, acme.company.id]);
    const { runId } = await send(
      kit,
      session.sessionId,
      Array.from({ length: 40 }, (_, n) => `n${n}`).join("\n"),
    );
    await eventually(
      async () => (await received(kit, session.sessionId)).some((e) => e.eventType === "chunk"),
      "a first chunk",
    );
    expect(host.plugins.sessionRelay?.activeCount(kit)).toBe(1);

    await host.plugins.runtime.workers.restart(kit);
    expect(host.plugins.sessionRelay?.activeCount(kit)).toBe(0);
    // The new process never hears of the old process's session.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await received(kit, session.sessionId)).toEqual([]);
    expect((await host.services.runs.get(runId)).status).toBe("running");
    await host.services.runs.cancel(LOCAL_BOARD_ACTOR, runId);
    await host.finished(runId);
  });
});
