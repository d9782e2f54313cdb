import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import manifest from "../src/manifest.js";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));

type Message = Record<string, unknown> & { id?: number | string | null; method?: string };

/**
 * The host side of one worker process: NDJSON over the child's stdin/stdout, answering the
 * worker's own requests (events.subscribe, …) with `null` and recording everything it sent.
 */
class WorkerConversation {
  readonly fromWorker: Message[] = [];
  private readonly waiting = new Map<number, (message: Message) => void>();
  private readonly watchers: Array<{
    matches: (message: Message) => boolean;
    resolve: (message: Message) => void;
  }> = [];
  private buffered = "";
  private nextId = 1;
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => this.receive(chunk));
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  private receive(chunk: string) {
    this.buffered += chunk;
    let newline = this.buffered.indexOf("\n");
    while (newline >= 0) {
      const line = this.buffered.slice(0, newline).trim();
      this.buffered = this.buffered.slice(newline + 1);
      newline = this.buffered.indexOf("\n");
      if (!line) continue;
      const message = JSON.parse(line) as Message;
      this.fromWorker.push(message);
      for (const watcher of this.watchers.filter((w) => w.matches(message))) {
        this.watchers.splice(this.watchers.indexOf(watcher), 1);
        watcher.resolve(message);
      }
      if (typeof message.method === "string" && message.id !== undefined && message.id !== null) {
        this.send({ jsonrpc: "2.0", id: message.id, result: null });
      } else if (message.method === undefined && typeof message.id === "number") {
        this.waiting.get(message.id)?.(message);
        this.waiting.delete(message.id);
      }
    }
  }

  /** Resolves with the first worker message (already received or still to come) that matches. */
  nextFromWorker(matches: (message: Message) => boolean): Promise<Message> {
    const seen = this.fromWorker.find(matches);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.watchers.push({ matches, resolve }));
  }

  send(message: Message) {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  request(method: string, params: unknown): Promise<Message> {
    const id = this.nextId++;
    const reply = new Promise<Message>((resolve) => this.waiting.set(id, resolve));
    this.send({ jsonrpc: "2.0", id, method, params });
    return reply;
  }
}

let worker: ChildProcessWithoutNullStreams | undefined;

afterEach(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) {
    const gone = new Promise((resolve) => worker!.once("exit", resolve));
    worker.kill("SIGKILL");
    await gone;
  }
  worker = undefined;
});

function startWorker(): WorkerConversation {
  worker = spawn(process.execPath, ["dist/worker.js"], { cwd: packageRoot, stdio: ["pipe", "pipe", "pipe"] });
  return new WorkerConversation(worker);
}

const runContext = { agentId: "agent-1", runId: "run-1", companyId: "acme", projectId: "proj-1" };

describe("hello-world as a real worker process (node dist/worker.js)", () => {
  it("initializes, serves executeTool over stdio, and shuts down cleanly", async () => {
    const conversation = startWorker();

    const initialized = await conversation.request("initialize", {
      manifest,
      config: {},
      instanceInfo: { instanceId: "test-instance", hostVersion: "0.0.0-test" },
      apiVersion: 1,
    });
    expect(initialized).toMatchObject({ jsonrpc: "2.0", result: { ok: true } });
    expect((initialized.result as { supportedMethods: string[] }).supportedMethods).toContain("health");
    // setup() subscribed to issue.created through the host, before answering initialize.
    expect(conversation.fromWorker).toContainEqual(
      expect.objectContaining({
        method: "events.subscribe",
        params: { eventPattern: "issue.created", filter: null },
      }),
    );

    const sum = await conversation.request("executeTool", {
      toolName: "calculator",
      parameters: { a: 2, b: 3 },
      runContext,
    });
    expect(sum).toMatchObject({ result: { content: "Result: 5", data: { result: 5 } } });

    const badParams = await conversation.request("executeTool", {
      toolName: "calculator",
      parameters: { a: "two", b: 3 },
      runContext,
    });
    expect(badParams).toMatchObject({
      result: { error: "calculator needs finite numbers in both 'a' and 'b'" },
    });

    const unknownTool = await conversation.request("executeTool", {
      toolName: "shell",
      parameters: {},
      runContext,
    });
    expect(unknownTool).toMatchObject({ error: { code: -32002 } });
    expect((unknownTool.error as { message: string }).message).toContain("shell");

    const shutdown = await conversation.request("shutdown", {});
    expect(shutdown).toMatchObject({ result: null });
    await expect(conversation.exited).resolves.toBe(0);
  });

  it("handles an issue.created notification by calling state and activity on the host", async () => {
    const conversation = startWorker();
    await conversation.request("initialize", {
      manifest,
      config: {},
      instanceInfo: { instanceId: "test-instance", hostVersion: "0.0.0-test" },
      apiVersion: 1,
    });
    const invocationId = "5f0c5c3e-8d1e-4a57-9d7e-2b1f0f6a0c11";
    conversation.send({
      jsonrpc: "2.0",
      method: "onEvent",
      params: {
        event: {
          eventId: "evt-1",
          eventType: "issue.created",
          occurredAt: new Date().toISOString(),
          companyId: "acme",
          entityType: "issue",
          entityId: "iss-7",
          payload: { title: "Broken build" },
        },
      },
      paperclipInvocation: { id: invocationId, scope: { companyId: "acme" } },
    });

    const activity = await conversation.nextFromWorker((message) => message.method === "activity.log");
    expect(activity).toMatchObject({
      params: {
        companyId: "acme",
        message: "Hello World saw issue iss-7",
        entityType: "issue",
        entityId: "iss-7",
      },
      paperclipInvocationId: invocationId,
    });
    const stateWrites = conversation.fromWorker.filter((message) => message.method === "state.set");
    expect(stateWrites.map((message) => message.params)).toEqual([
      expect.objectContaining({ scopeKind: "instance", stateKey: "issues-seen", value: 1 }),
      expect.objectContaining({ scopeKind: "issue", scopeId: "iss-7", stateKey: "seen", value: true }),
    ]);
    for (const write of stateWrites) expect(write.paperclipInvocationId).toBe(invocationId);
  });
});
