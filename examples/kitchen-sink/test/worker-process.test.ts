// The built worker (node dist/worker.js) over stdio, talking JSON-RPC like the host: the counter stream's
// notifications carry the company and the invocation id of that company's latest counter.start request.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import manifest from "../src/manifest.js";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));

type Message = Record<string, unknown> & { id?: number | string | null; method?: string };

/** NDJSON conversation with one worker process; the worker's own requests are answered with `null`. */
class WorkerConversation {
  readonly fromWorker: Message[] = [];
  private readonly waiting = new Map<number, (message: Message) => void>();
  private readonly watchers: Array<{
    matches: (message: Message) => boolean;
    resolve: (m: Message) => void;
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

  /** The first worker message after `from` (an index into fromWorker) that matches, now or later. */
  next(matches: (message: Message) => boolean, from = 0): Promise<Message> {
    const seen = this.fromWorker.slice(from).find(matches);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.watchers.push({ matches, resolve }));
  }

  send(message: Message) {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  request(method: string, params: unknown, invocation?: { id: string; companyId: string | null }) {
    const id = this.nextId++;
    const reply = new Promise<Message>((resolve) => this.waiting.set(id, resolve));
    this.send({
      jsonrpc: "2.0",
      id,
      method,
      params,
      ...(invocation
        ? { paperclipInvocation: { id: invocation.id, scope: { companyId: invocation.companyId } } }
        : {}),
    });
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

async function startWorker(): Promise<WorkerConversation> {
  worker = spawn(process.execPath, ["dist/worker.js"], { cwd: packageRoot, stdio: ["pipe", "pipe", "pipe"] });
  const conversation = new WorkerConversation(worker);
  const initialized = await conversation.request("initialize", {
    manifest,
    config: {},
    instanceInfo: { instanceId: "test-instance", hostVersion: "0.0.0-test" },
    apiVersion: 1,
  });
  expect(initialized).toMatchObject({ result: { ok: true } });
  return conversation;
}

const user = { type: "user", userId: "user-1", agentId: null, runId: null };

function counterStart(conversation: WorkerConversation, companyId: string, invocationId: string) {
  return conversation.request(
    "performAction",
    { key: "counter.start", params: {}, companyId, actorContext: { ...user, companyId } },
    { id: invocationId, companyId },
  );
}

const isStream = (method: string) => (message: Message) => message.method === method;
const emitOf = (value: number) => (message: Message) =>
  message.method === "streams.emit" && (message.params as { event: { value: number } }).event.value === value;

describe("kitchen-sink as a real worker process (node dist/worker.js)", () => {
  it("subscribes to issue.created and reports its health", async () => {
    const conversation = await startWorker();
    expect(conversation.fromWorker).toContainEqual(
      expect.objectContaining({
        method: "events.subscribe",
        params: { eventPattern: "issue.created", filter: null },
      }),
    );
    await expect(conversation.request("health", {})).resolves.toMatchObject({
      result: { status: "ok", details: { streamingCompanies: 0 } },
    });
  });

  it("streams the counter every second, stamped with the company's latest request, then closes it", async () => {
    const conversation = await startWorker();
    const first = "0b8f3a52-58c7-4c1e-9d0a-7d1f5f0b0001";
    const reply = await counterStart(conversation, "acme", first);
    expect(reply).toMatchObject({ result: { companyId: "acme", value: 0 } });

    const opened = await conversation.next(isStream("streams.open"));
    expect(opened).toMatchObject({
      params: { channel: "counter", companyId: "acme" },
      paperclipInvocationId: first,
    });
    const zero = await conversation.next(emitOf(0));
    expect(zero).toMatchObject({
      params: { channel: "counter", companyId: "acme", event: { companyId: "acme", value: 0 } },
      paperclipInvocationId: first,
    });
    // Emitted by the timer after the request ended, still in its scope.
    const one = await conversation.next(emitOf(1));
    expect(one).toMatchObject({ params: { companyId: "acme" }, paperclipInvocationId: first });

    // A renewal moves later emissions to the new request's scope.
    const second = "0b8f3a52-58c7-4c1e-9d0a-7d1f5f0b0002";
    const renewed = await counterStart(conversation, "acme", second);
    const value = (renewed.result as { value: number }).value;
    expect(value).toBeGreaterThanOrEqual(1);
    const later = await conversation.next(emitOf(value + 1));
    expect(later).toMatchObject({ params: { companyId: "acme" }, paperclipInvocationId: second });

    const stop = "0b8f3a52-58c7-4c1e-9d0a-7d1f5f0b0003";
    const stopped = await conversation.request(
      "performAction",
      { key: "counter.stop", params: {}, companyId: "acme", actorContext: { ...user, companyId: "acme" } },
      { id: stop, companyId: "acme" },
    );
    expect(stopped).toMatchObject({ result: { companyId: "acme", stopped: true } });
    const closed = await conversation.next(isStream("streams.close"));
    expect(closed).toMatchObject({
      params: { channel: "counter", companyId: "acme" },
      paperclipInvocationId: stop,
    });

    const shutdown = await conversation.request("shutdown", {});
    expect(shutdown).toMatchObject({ result: null });
    await expect(conversation.exited).resolves.toBe(0);
  });

  it("re-opens the channel for each company it emits to", async () => {
    const conversation = await startWorker();
    await counterStart(conversation, "acme", "0b8f3a52-58c7-4c1e-9d0a-7d1f5f0b0011");
    await counterStart(conversation, "globex", "0b8f3a52-58c7-4c1e-9d0a-7d1f5f0b0012");
    const mark = conversation.fromWorker.length;
    // Wait for a full tick after both started: one emission per company, each right after its open.
    await conversation.next(
      (message) =>
        message.method === "streams.emit" && (message.params as { companyId: string }).companyId === "globex",
      mark,
    );
    const stream = conversation.fromWorker
      .slice(mark)
      .filter((message) => message.method?.startsWith("streams."))
      .map((message) => {
        const params = message.params as { companyId: string; event?: { companyId: string } };
        return [
          message.method,
          params.companyId,
          params.event?.companyId ?? null,
          message.paperclipInvocationId,
        ];
      });
    expect(stream).toEqual([
      ["streams.open", "acme", null, "0b8f3a52-58c7-4c1e-9d0a-7d1f5f0b0011"],
      ["streams.emit", "acme", "acme", "0b8f3a52-58c7-4c1e-9d0a-7d1f5f0b0011"],
      ["streams.open", "globex", null, "0b8f3a52-58c7-4c1e-9d0a-7d1f5f0b0012"],
      ["streams.emit", "globex", "globex", "0b8f3a52-58c7-4c1e-9d0a-7d1f5f0b0012"],
    ]);
  });
});
