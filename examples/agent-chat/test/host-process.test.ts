// Agent Chat in a real host: `paperclip start` as a child process on a scratch instance (PGlite), which seeds the
// demo company and installs the bundled examples — this one included — on its first start; the plugin's worker
// is a real process too. The test talks to the host over HTTP only, as the board does: it creates an `echo`
// agent, opens a conversation through the bridge, subscribes to the session's stream over Server-Sent Events,
// sends a message, and checks the reply streams in order and ends with the channel's close. Then a failing
// agent, and a restart of the host: the conversation is found again with its transcript.
// Needs the build (`npx tsc -b` and `npm run build:ui -w examples/agent-chat`), as `npm test` does first.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const repoRoot = path.resolve(packageRoot, "../..");
const CLI = path.join(repoRoot, "packages/server/dist/cli/main.js");
const KEY = "paperclip.agent-chat";

interface SessionEvent {
  sessionId: string;
  runId: string;
  seq: number;
  eventType: "chunk" | "status" | "done" | "error";
  stream: string | null;
  message: string | null;
  payload: Record<string, unknown> | null;
}

interface ChatMessage {
  id: string;
  role: "user" | "agent";
  text: string;
  output: string[];
  status: string;
  error: string | null;
  runId: string | null;
}

interface Conversation {
  sessionId: string;
  agentId: string;
  channel: string;
  replying: boolean;
  messages: ChatMessage[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
    server.on("error", reject);
  });
}

/** A host environment without inherited Paperclip settings (the test names its folder and port). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith("PAPERCLIP_") && key !== "DATABASE_URL" && key !== "PORT",
    ),
  );
}

/** Polls until `check` returns a truthy value (no time limit of its own: the test's timeout bounds it). */
async function eventually<T>(check: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
  let last: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
      if ((error as { fatal?: boolean }).fatal) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (process.env.AGENT_CHAT_TEST_DEBUG) console.log(`waiting for ${what}`, last);
  }
}

class Host {
  private child: ChildProcess | null = null;
  private output = "";
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  log() {
    return this.output;
  }

  async start() {
    const child = spawn(
      process.execPath,
      [CLI, "start", "--data-dir", this.dataDir, "--port", String(this.port), "--log-level", "info"],
      { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child = child;
    child.stdout!.on("data", (chunk) => (this.output += chunk));
    child.stderr!.on("data", (chunk) => (this.output += chunk));
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    await eventually(async () => {
      if (child.exitCode !== null) {
        throw Object.assign(new Error(`paperclip start exited early:\n${this.output}`), { fatal: true });
      }
      return (await fetch(`${this.url}/api/health`)).ok;
    }, "the host to answer /api/health");
  }

  async stop() {
    if (this.child && this.child.exitCode === null) this.child.kill("SIGTERM");
    await this.exited;
    this.child = null;
  }

  async api<T = any>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route} → ${response.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** A bridge call, as usePluginData / usePluginAction make it. */
  async bridge<T = any>(
    kind: "data" | "actions",
    key: string,
    companyId: string,
    params: object,
  ): Promise<T> {
    const reply = await this.api<{ data: T }>("POST", `/api/plugins/${KEY}/${kind}/${key}`, {
      companyId,
      params,
    });
    return reply.data;
  }
}

/** One SSE subscription, as usePluginStream opens it: message frames until the `close` frame. */
interface Subscription {
  /** Resolves once the host has subscribed us (its `:ok` comment arrived). */
  ready: Promise<void>;
  /** Resolves with the message frames, in order, when the `close` frame arrives. */
  closed: Promise<SessionEvent[]>;
}

function subscribe(host: Host, pluginId: string, channel: string, companyId: string): Subscription {
  const url = `${host.url}/api/plugins/${pluginId}/bridge/stream/${encodeURIComponent(channel)}?companyId=${companyId}`;
  let onReady: () => void = () => {};
  let onError: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onError = reject;
  });
  const closed = new Promise<SessionEvent[]>((resolve, reject) => {
    const request = http.get(url, { headers: { accept: "text/event-stream" } });
    request.on("error", (error) => {
      onError(error);
      reject(error);
    });
    request.on("response", (response) => {
      if (response.statusCode !== 200) {
        const error = new Error(`stream answered ${response.statusCode}`);
        onError(error);
        reject(error);
        return;
      }
      const events: SessionEvent[] = [];
      let pending = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        pending += chunk;
        let end = pending.indexOf("\n\n");
        while (end !== -1) {
          const frame = pending.slice(0, end);
          pending = pending.slice(end + 2);
          end = pending.indexOf("\n\n");
          if (frame.startsWith(":ok")) onReady();
          if (frame.startsWith(":")) continue;
          const fields = new Map<string, string>();
          for (const line of frame.split("\n")) {
            const colon = line.indexOf(": ");
            if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 2));
          }
          const type = fields.get("event") ?? "message";
          if (type === "close") {
            request.destroy();
            resolve(events);
            return;
          }
          if (type === "message") events.push(JSON.parse(fields.get("data") ?? "null") as SessionEvent);
        }
      });
    });
  });
  return { ready, closed };
}

const temp = mkdtempSync(path.join(tmpdir(), "agent-chat-host-"));
let host: Host;
let companyId: string;
let pluginId: string;

beforeAll(async () => {
  for (const built of ["dist/worker.js", "dist/manifest.js", "dist/ui/index.js"]) {
    if (!existsSync(path.join(packageRoot, built)))
      throw new Error(`examples/agent-chat/${built} is missing: run npx tsc -b and npm run build:ui first`);
  }
  if (!existsSync(CLI)) throw new Error("packages/server is not built: run npx tsc -b first");
  host = new Host(path.join(temp, "instance"), await freePort());
  await host.start();
  // First start: the bundled examples are installed, this plugin among them.
  const plugin = await eventually(async () => {
    const record = await host.api<{ id: string; status: string }>("GET", `/api/plugins/${KEY}`);
    return record.status === "ready" ? record : null;
  }, "the bundled agent-chat example to be ready");
  pluginId = plugin.id;
  const companies = await host.api<Array<{ id: string }>>("GET", "/api/companies");
  companyId = companies[0]!.id;
}, 120_000);

afterAll(async () => {
  await host?.stop();
  rmSync(temp, { recursive: true, force: true });
});

async function createAgent(name: string, adapterType: string, adapterConfig: object = {}) {
  return host.api<{ id: string }>("POST", `/api/companies/${companyId}/agents`, {
    name,
    adapterType,
    adapterConfig,
  });
}

/** One turn as the page takes it: subscribe, send once subscribed, read the reply until the channel closes. */
async function turn(conversation: Conversation, text: string) {
  const stream = subscribe(host, pluginId, conversation.channel, companyId);
  await stream.ready;
  const sent = await host.bridge<{ runId: string; channel: string }>("actions", "send-message", companyId, {
    agentId: conversation.agentId,
    sessionId: conversation.sessionId,
    text,
  });
  expect(sent.channel).toBe(conversation.channel);
  return { runId: sent.runId, events: await stream.closed };
}

async function conversationWith(agentId: string) {
  const { conversation } = await host.bridge<{ conversation: Conversation | null }>(
    "data",
    "conversation",
    companyId,
    { agentId },
  );
  return conversation;
}

describe("agent-chat in a real host (paperclip start)", () => {
  let echo: { id: string };
  let conversation: Conversation;

  it("lists the company's agents, an echo agent among them", async () => {
    echo = await createAgent("Echo", "echo");
    const { agents } = await host.bridge<{
      agents: Array<{ id: string; adapterType: string; canChat: boolean }>;
    }>("data", "agents", companyId, {});
    expect(agents).toContainEqual(
      expect.objectContaining({ id: echo.id, adapterType: "echo", canChat: true }),
    );
  });

  it("streams an echo agent's reply over SSE in order, then closes the channel", {
    timeout: 60_000,
  }, async () => {
    await expect(conversationWith(echo.id)).resolves.toBeNull();
    ({ conversation } = await host.bridge<{ conversation: Conversation }>(
      "actions",
      "open-session",
      companyId,
      {
        agentId: echo.id,
      },
    ));
    expect(conversation.channel).toBe(`agent-chat:${conversation.sessionId}`);

    const prompt = "hello\nstreaming\nworld";
    const { runId, events } = await turn(conversation, prompt);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event).toMatchObject({ sessionId: conversation.sessionId, runId });
    const seqs = events.map((event) => event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const lines = events
      .filter((event) => event.eventType === "chunk" && event.stream === "stdout")
      .map((event) => event.message);
    expect(lines).toEqual(["echo: hello", "echo: streaming", "echo: world"]);
    expect(events.at(-1)).toMatchObject({ eventType: "done", message: prompt });
    expect(events.filter((event) => event.eventType === "done" || event.eventType === "error")).toHaveLength(
      1,
    );

    const after = await eventually(async () => {
      const current = await conversationWith(echo.id);
      return current && !current.replying ? current : null;
    }, "the reply to be recorded");
    expect(after.messages.map((entry) => [entry.role, entry.text, entry.status])).toEqual([
      ["user", prompt, "sent"],
      ["agent", prompt, "done"],
    ]);
    expect(after.messages[1]).toMatchObject({ runId, output: expect.arrayContaining(lines) });
  });

  it("streams a second turn on the same session (the channel reopens)", { timeout: 60_000 }, async () => {
    const { runId, events } = await turn(conversation, "again");
    expect(events.filter((event) => event.stream === "stdout").map((event) => event.message)).toEqual([
      "echo: again",
    ]);
    expect(events.at(-1)).toMatchObject({ eventType: "done", message: "again", runId });
  });

  it("ends a failing agent's reply with an error event and closes the channel", {
    timeout: 60_000,
  }, async () => {
    // A process agent without a command fails at once.
    const broken = await createAgent("Broken", "process", {});
    const { conversation: failing } = await host.bridge<{ conversation: Conversation }>(
      "actions",
      "open-session",
      companyId,
      { agentId: broken.id },
    );
    const { runId, events } = await turn(failing, "anyone there?");
    expect(events.at(-1)).toMatchObject({ eventType: "error", runId });
    expect(events.at(-1)?.message).toMatch(/^Run /);
    const after = await eventually(async () => {
      const current = await conversationWith(broken.id);
      return current && !current.replying ? current : null;
    }, "the failure to be recorded");
    expect(after.messages[1]).toMatchObject({ role: "agent", status: "error" });
  });

  it("finds the conversation and its transcript again after the host restarts", {
    timeout: 120_000,
  }, async () => {
    await host.stop();
    await host.start();
    await eventually(async () => {
      const record = await host.api<{ status: string }>("GET", `/api/plugins/${KEY}`);
      return record.status === "ready";
    }, "the plugin to be ready again");
    const restored = await eventually(() => conversationWith(echo.id), "the conversation");
    expect(restored.sessionId).toBe(conversation.sessionId);
    expect(restored.messages.map((entry) => [entry.role, entry.text, entry.status])).toEqual([
      ["user", "hello\nstreaming\nworld", "sent"],
      ["agent", "hello\nstreaming\nworld", "done"],
      ["user", "again", "sent"],
      ["agent", "again", "done"],
    ]);
    // And the conversation goes on in the same session.
    const { events } = await turn(restored, "still here");
    expect(events.at(-1)).toMatchObject({ eventType: "done", message: "still here" });
  });
});
