// The Agent Chat worker in the SDK's in-memory harness: the manifest, the `agents` and `conversation` data, the
// session actions, and the relay — each session event goes to the session's stream channel unchanged and in
// order, and the channel closes on `done` or `error`. A second plugin on the same harness plays a restarted
// worker: it finds the conversation again through ctx.agents.sessions.list and its transcript in plugin state.
import type { Agent, AgentSessionEvent, PaperclipPlugin } from "@paperclipai/plugin-sdk";
import { createTestHarness, type TestHarness } from "@paperclipai/plugin-sdk/testing";
import { getRequiredManifestCapabilities, validateManifest } from "@paperclipai/plugin-sdk/types";
import { pluginManifestV1Schema as publishedManifestSchema } from "@paperclipai/shared/validators/plugin";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type ChatMessage,
  CLOSED,
  type Conversation,
  INTERRUPTED,
  MAX_PROMPT_LENGTH,
  sessionChannel,
  transcriptKey,
} from "../src/conversations.js";
import manifest from "../src/manifest.js";
import * as wire from "../src/ui/wire.js";
import { createAgentChatPlugin } from "../src/worker.js";

const COMPANY = "company-acme";
const OTHER = "company-globex";

function agent(id: string, name: string, overrides: Partial<Agent> = {}): Agent {
  const at = new Date("2026-01-01T00:00:00.000Z");
  return {
    id,
    companyId: COMPANY,
    name,
    urlKey: name.toLowerCase(),
    role: "general",
    title: null,
    icon: null,
    status: "idle",
    reportsTo: null,
    capabilities: null,
    adapterType: "echo",
    adapterConfig: {},
    runtimeConfig: {},
    budgetMonthlyCents: 0,
    spentMonthlyCents: 0,
    pauseReason: null,
    pausedAt: null,
    permissions: {},
    lastHeartbeatAt: null,
    metadata: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  } as Agent;
}

const AGENTS = [
  agent("agent-zed", "Zed"),
  agent("agent-ada", "Ada", { title: "Researcher" }),
  agent("agent-paused", "Paula", { status: "paused" }),
  agent("agent-other", "Otto", { companyId: OTHER }),
];

const started: PaperclipPlugin[] = [];

/** A fresh plugin set up in `harness` (a new harness by default), as the host does right after initialize. */
async function startPlugin(existing?: TestHarness) {
  const harness = existing ?? createTestHarness({ manifest });
  if (!existing) harness.seed({ agents: AGENTS });
  const plugin = createAgentChatPlugin();
  await plugin.definition.setup(harness.ctx);
  started.push(plugin);
  return { harness, plugin };
}

afterEach(async () => {
  for (const plugin of started.splice(0)) await plugin.definition.onShutdown?.();
  vi.restoreAllMocks();
});

type StreamCall = ["open", string, string] | ["emit", string, unknown] | ["close", string];

/** Every ctx.streams call, in order. */
function recordStreams(harness: TestHarness): StreamCall[] {
  const calls: StreamCall[] = [];
  const { streams } = harness.ctx;
  vi.spyOn(streams, "open").mockImplementation((channel, companyId) => {
    calls.push(["open", channel, companyId]);
  });
  vi.spyOn(streams, "emit").mockImplementation((channel, event) => {
    calls.push(["emit", channel, event]);
  });
  vi.spyOn(streams, "close").mockImplementation((channel) => {
    calls.push(["close", channel]);
  });
  return calls;
}

const asCompany = { companyId: COMPANY, actor: { type: "user" as const, userId: "user-1" } };

async function open(harness: TestHarness, agentId = "agent-ada"): Promise<Conversation> {
  const { conversation } = await harness.performAction<{ conversation: Conversation }>(
    "open-session",
    { agentId },
    asCompany,
  );
  return conversation;
}

async function send(harness: TestHarness, conversation: Conversation, text: string) {
  return harness.performAction<{
    sessionId: string;
    runId: string;
    channel: string;
    replyId: string;
    messageId: string;
  }>("send-message", { agentId: conversation.agentId, sessionId: conversation.sessionId, text }, asCompany);
}

async function conversationOf(harness: TestHarness, agentId = "agent-ada") {
  const { conversation } = await harness.getData<{ conversation: Conversation | null }>("conversation", {
    companyId: COMPANY,
    agentId,
  });
  return conversation;
}

/** The events an echo run of `prompt` streams: a chunk per line, a status, then done with the prompt. */
function echoRun(sessionId: string, runId: string, prompt: string): AgentSessionEvent[] {
  const lines = prompt.split("\n");
  return [
    {
      sessionId,
      runId,
      seq: 1,
      eventType: "status",
      stream: "system",
      message: "running",
      payload: { status: "running" },
    },
    ...lines.map((line, index) => ({
      sessionId,
      runId,
      seq: index + 2,
      eventType: "chunk" as const,
      stream: "stdout" as const,
      message: `echo: ${line}`,
      payload: null,
    })),
    {
      sessionId,
      runId,
      seq: lines.length + 2,
      eventType: "done",
      stream: null,
      message: prompt,
      payload: { status: "succeeded" },
    },
  ];
}

function deliver(harness: TestHarness, events: AgentSessionEvent[]) {
  for (const { sessionId, ...event } of events) harness.simulateSessionEvent(sessionId, event);
}

describe("agent-chat manifest", () => {
  it("passes our validator and the published schema, needing no capability it does not declare", () => {
    const result = validateManifest(manifest);
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(getRequiredManifestCapabilities(manifest)).toEqual([]);
    const parsed = publishedManifestSchema.safeParse(manifest);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it("declares exactly the capabilities the worker and the slots use", () => {
    expect([...manifest.capabilities].sort()).toEqual(
      [
        "agents.read",
        "agent.sessions.create",
        "agent.sessions.list",
        "agent.sessions.send",
        "agent.sessions.close",
        "plugin.state.read",
        "plugin.state.write",
        "ui.page.register",
        "ui.sidebar.register",
      ].sort(),
    );
    expect(manifest.ui?.slots?.map((slot) => [slot.type, slot.exportName, slot.routePath])).toEqual([
      ["page", "AgentChatPage", "agent-chat"],
      ["sidebar", "AgentChatSidebar", undefined],
    ]);
    expect(manifest.entrypoints).toEqual({ worker: "./dist/worker.js", ui: "./dist/ui" });
  });

  it("gives the UI the same channel names as the worker", () => {
    expect(wire.sessionChannel("s-1")).toBe(sessionChannel("s-1"));
    expect(wire.PLUGIN_ID).toBe(manifest.id);
    expect(wire.MAX_PROMPT_LENGTH).toBe(MAX_PROMPT_LENGTH);
  });
});

describe("data", () => {
  it("lists the company's agents by name, marking the ones that cannot chat", async () => {
    const { harness } = await startPlugin();
    const { agents } = await harness.getData<{ agents: Array<Record<string, unknown>> }>("agents", {
      companyId: COMPANY,
    });
    expect(agents.map((entry) => [entry.name, entry.canChat])).toEqual([
      ["Ada", true],
      ["Paula", false],
      ["Zed", true],
    ]);
    expect(agents[0]).toEqual({
      id: "agent-ada",
      name: "Ada",
      title: "Researcher",
      role: "general",
      icon: null,
      status: "idle",
      adapterType: "echo",
      canChat: true,
    });
    await expect(harness.getData("agents", { companyId: "company-empty" })).resolves.toEqual({
      companyId: "company-empty",
      agents: [],
    });
    await expect(harness.getData("agents", {})).rejects.toThrow("agents needs a companyId");
  });

  it("has no conversation with an agent until one is opened, and then always the same one", async () => {
    const { harness } = await startPlugin();
    await expect(conversationOf(harness)).resolves.toBeNull();
    const opened = await open(harness);
    expect(opened).toMatchObject({
      agentId: "agent-ada",
      companyId: COMPANY,
      channel: `agent-chat:${opened.sessionId}`,
      replying: false,
      messages: [],
    });
    await expect(conversationOf(harness)).resolves.toEqual(opened);
    await expect(open(harness)).resolves.toEqual(opened);
    // Another agent: another session.
    const other = await open(harness, "agent-zed");
    expect(other.sessionId).not.toBe(opened.sessionId);
    await expect(harness.getData("conversation", { companyId: COMPANY })).rejects.toThrow(
      "conversation needs 'agentId'",
    );
  });

  it("does not open a conversation with another company's agent", async () => {
    const { harness } = await startPlugin();
    await expect(open(harness, "agent-other")).rejects.toThrow("Agent not found");
    await expect(open(harness, "agent-nobody")).rejects.toThrow("Agent not found");
  });
});

describe("send-message and the relay", () => {
  it("returns once queued, then forwards every event in order on the session channel and closes it on done", async () => {
    const { harness } = await startPlugin();
    const conversation = await open(harness);
    const calls = recordStreams(harness);
    const channel = sessionChannel(conversation.sessionId);

    const sent = await send(harness, conversation, "  hello\nworld  ");
    expect(sent).toMatchObject({ sessionId: conversation.sessionId, channel });
    expect(calls).toEqual([["open", channel, COMPANY]]);
    const queued = await conversationOf(harness);
    expect(queued?.replying).toBe(true);
    expect(queued?.messages.map((entry) => [entry.role, entry.text, entry.status])).toEqual([
      ["user", "hello\nworld", "sent"],
      ["agent", "", "streaming"],
    ]);

    const events = echoRun(conversation.sessionId, sent.runId, "hello\nworld");
    deliver(harness, events);
    expect(calls).toEqual([
      ["open", channel, COMPANY],
      ...events.map((event) => ["emit", channel, event]),
      ["close", channel],
    ]);

    const finished = await conversationOf(harness);
    expect(finished?.replying).toBe(false);
    const reply = finished?.messages[1];
    expect(reply).toMatchObject({
      id: sent.replyId,
      role: "agent",
      text: "hello\nworld",
      output: ["echo: hello", "echo: world"],
      status: "done",
      error: null,
      runId: sent.runId,
    });
    // The transcript is in company-scoped state.
    await vi.waitFor(() =>
      expect(
        (harness.getState(transcriptKey(COMPANY, conversation.sessionId)) as ChatMessage[])[1]?.status,
      ).toBe("done"),
    );
    // Nothing is forwarded after the reply ended.
    harness.simulateSessionEvent(conversation.sessionId, { ...events[1]!, seq: 99 });
    expect(calls).toHaveLength(events.length + 2);
  });

  it("closes the channel on an error event and records the error", async () => {
    const { harness } = await startPlugin();
    const conversation = await open(harness);
    const calls = recordStreams(harness);
    const channel = sessionChannel(conversation.sessionId);
    const { runId } = await send(harness, conversation, "fail please");
    const events: AgentSessionEvent[] = [
      {
        sessionId: conversation.sessionId,
        runId,
        seq: 1,
        eventType: "chunk",
        stream: "stderr",
        message: "boom\n",
        payload: null,
      },
      {
        sessionId: conversation.sessionId,
        runId,
        seq: 2,
        eventType: "error",
        stream: null,
        message: "Run failed",
        payload: { status: "failed" },
      },
    ];
    deliver(harness, events);
    expect(calls).toEqual([
      ["open", channel, COMPANY],
      ["emit", channel, events[0]],
      ["emit", channel, events[1]],
      ["close", channel],
    ]);
    const reply = (await conversationOf(harness))?.messages[1];
    expect(reply).toMatchObject({ status: "error", error: "Run failed", output: ["boom"], text: "" });
  });

  it("keeps conversations apart: two sessions stream on their own channels", async () => {
    const { harness } = await startPlugin();
    const ada = await open(harness, "agent-ada");
    const zed = await open(harness, "agent-zed");
    const calls = recordStreams(harness);
    const first = await send(harness, ada, "one");
    const second = await send(harness, zed, "two");
    const adaEvents = echoRun(ada.sessionId, first.runId, "one");
    const zedEvents = echoRun(zed.sessionId, second.runId, "two");
    // Interleaved delivery.
    for (let index = 0; index < adaEvents.length; index++) {
      deliver(harness, [adaEvents[index]!, zedEvents[index]!]);
    }
    const on = (channel: string) =>
      calls.filter((call) => call[1] === channel).map((call) => (call[0] === "emit" ? call[2] : call[0]));
    expect(on(ada.channel)).toEqual(["open", ...adaEvents, "close"]);
    expect(on(zed.channel)).toEqual(["open", ...zedEvents, "close"]);
  });

  it("ignores events of another run of the session", async () => {
    const { harness } = await startPlugin();
    const conversation = await open(harness);
    const calls = recordStreams(harness);
    const { runId } = await send(harness, conversation, "hi");
    deliver(harness, echoRun(conversation.sessionId, "some-other-run", "stale"));
    expect(calls.filter((call) => call[0] !== "open")).toEqual([]);
    deliver(harness, echoRun(conversation.sessionId, runId, "hi"));
    expect(calls.at(-1)).toEqual(["close", conversation.channel]);
  });

  it("refuses a second message while the agent replies, empty and oversized messages, and unknown sessions", async () => {
    const { harness } = await startPlugin();
    const conversation = await open(harness);
    await expect(send(harness, conversation, "   ")).rejects.toThrow("non-empty 'text'");
    await expect(send(harness, conversation, "x".repeat(MAX_PROMPT_LENGTH + 1))).rejects.toThrow(
      `at most ${MAX_PROMPT_LENGTH} characters`,
    );
    const { runId } = await send(harness, conversation, "first");
    await expect(send(harness, conversation, "second")).rejects.toThrow("still replying");
    deliver(harness, echoRun(conversation.sessionId, runId, "first"));
    await expect(send(harness, conversation, "second")).resolves.toMatchObject({
      sessionId: conversation.sessionId,
    });
    await expect(
      harness.performAction(
        "send-message",
        { agentId: "agent-ada", sessionId: "no-such-session", text: "hi" },
        asCompany,
      ),
    ).rejects.toThrow("Conversation no-such-session not found");
    // The company comes from the bridge, not from the params.
    await expect(
      harness.performAction(
        "send-message",
        { agentId: "agent-ada", sessionId: conversation.sessionId, text: "hi", companyId: COMPANY },
        { companyId: OTHER },
      ),
    ).rejects.toThrow("not found");
  });

  it("fails the reply and closes the channel when the host refuses the message", async () => {
    const { harness } = await startPlugin();
    const conversation = await open(harness, "agent-zed");
    const calls = recordStreams(harness);
    // The agent gets paused after the conversation was opened.
    harness.seed({ agents: [agent("agent-zed", "Zed", { status: "paused" })] });
    await expect(send(harness, conversation, "hello?")).rejects.toThrow("not invokable");
    expect(calls).toEqual([
      ["open", conversation.channel, COMPANY],
      ["close", conversation.channel],
    ]);
    const after = await conversationOf(harness, "agent-zed");
    expect(after?.replying).toBe(false);
    expect(after?.messages.map((entry) => [entry.role, entry.status])).toEqual([
      ["user", "sent"],
      ["agent", "error"],
    ]);
    expect(after?.messages[1]?.error).toMatch(/not invokable/);
  });

  it("keep-alive reports whether a reply is streaming", async () => {
    const { harness } = await startPlugin();
    const conversation = await open(harness);
    const params = { agentId: conversation.agentId, sessionId: conversation.sessionId };
    await expect(harness.performAction("keep-alive", params, asCompany)).resolves.toEqual({
      sessionId: conversation.sessionId,
      replying: false,
      runId: null,
    });
    const { runId } = await send(harness, conversation, "hi");
    await expect(harness.performAction("keep-alive", params, asCompany)).resolves.toEqual({
      sessionId: conversation.sessionId,
      replying: true,
      runId,
    });
  });
});

describe("close-session", () => {
  it("closes the host session, ends a streaming reply and forgets the transcript", async () => {
    const { harness } = await startPlugin();
    const conversation = await open(harness);
    await send(harness, conversation, "hi");
    const calls = recordStreams(harness);
    await expect(
      harness.performAction(
        "close-session",
        { agentId: conversation.agentId, sessionId: conversation.sessionId },
        asCompany,
      ),
    ).resolves.toEqual({ sessionId: conversation.sessionId, closed: true });
    expect(calls).toEqual([["close", conversation.channel]]);
    await expect(harness.ctx.agents.sessions.list("agent-ada", COMPANY)).resolves.toEqual([]);
    expect(harness.getState(transcriptKey(COMPANY, conversation.sessionId))).toBeUndefined();
    await expect(conversationOf(harness)).resolves.toBeNull();
    // A new conversation starts empty.
    const fresh = await open(harness);
    expect(fresh.sessionId).not.toBe(conversation.sessionId);
    expect(fresh.messages).toEqual([]);
    expect(CLOSED).toMatch(/closed/);
  });
});

describe("after a worker restart", () => {
  it("finds the conversation through ctx.agents.sessions.list, with its transcript from state", async () => {
    const { harness } = await startPlugin();
    const conversation = await open(harness);
    const { runId } = await send(harness, conversation, "remember me");
    deliver(harness, echoRun(conversation.sessionId, runId, "remember me"));
    await send(harness, conversation, "still there?"); // streaming when the worker "stops"
    await vi.waitFor(() =>
      expect(harness.getState(transcriptKey(COMPANY, conversation.sessionId))).toHaveLength(4),
    );

    await startPlugin(harness); // a new worker: nothing in memory
    const restored = await conversationOf(harness);
    expect(restored?.sessionId).toBe(conversation.sessionId);
    expect(restored?.replying).toBe(false);
    expect(restored?.messages.map((entry) => [entry.role, entry.text, entry.status, entry.error])).toEqual([
      ["user", "remember me", "sent", null],
      ["agent", "remember me", "done", null],
      ["user", "still there?", "sent", null],
      ["agent", "", "error", INTERRUPTED],
    ]);
    // It can carry on in the same session.
    const calls = recordStreams(harness);
    const next = await send(harness, restored!, "yes");
    expect(next.sessionId).toBe(conversation.sessionId);
    expect(calls).toEqual([["open", conversation.channel, COMPANY]]);
  });

  it("sends into a session it has not seen since the restart", async () => {
    const { harness } = await startPlugin();
    const conversation = await open(harness);
    await startPlugin(harness);
    await expect(send(harness, conversation, "hello again")).resolves.toMatchObject({
      sessionId: conversation.sessionId,
    });
  });

  it("reports live sessions in its health", async () => {
    const { plugin, harness } = await startPlugin();
    const conversation = await open(harness);
    await send(harness, conversation, "hi");
    await expect(plugin.definition.onHealth?.()).resolves.toMatchObject({
      status: "ok",
      details: { sessions: 1, replying: 1 },
    });
  });
});
