// The built worker (node dist/worker.js) over stdio, talking JSON-RPC as the host does: a getData call for the
// widget makes the worker page through issues.list on the host, and the answer counts what the host returned.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import manifest from "../src/manifest.js";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));

type Message = Record<string, unknown> & { id?: number | string | null; method?: string; params?: any };

/** NDJSON conversation with one worker process; `answer` replies to the worker's own requests. */
class WorkerConversation {
  readonly fromWorker: Message[] = [];
  private readonly waiting = new Map<number, (message: Message) => void>();
  private buffered = "";
  private nextId = 1;

  constructor(
    readonly child: ChildProcessWithoutNullStreams,
    private readonly answer: (message: Message) => unknown,
  ) {
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => this.receive(chunk));
  }

  private receive(chunk: string) {
    this.buffered += chunk;
    for (let newline = this.buffered.indexOf("\n"); newline >= 0; newline = this.buffered.indexOf("\n")) {
      const line = this.buffered.slice(0, newline).trim();
      this.buffered = this.buffered.slice(newline + 1);
      if (!line) continue;
      const message = JSON.parse(line) as Message;
      this.fromWorker.push(message);
      if (typeof message.method === "string" && message.id !== undefined && message.id !== null) {
        this.send({ jsonrpc: "2.0", id: message.id, result: this.answer(message) ?? null });
      } else if (message.method === undefined && typeof message.id === "number") {
        this.waiting.get(message.id)?.(message);
        this.waiting.delete(message.id);
      }
    }
  }

  send(message: Message) {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  request(method: string, params: unknown, companyId?: string): Promise<Message> {
    const id = this.nextId++;
    const reply = new Promise<Message>((resolve) => this.waiting.set(id, resolve));
    const invocation = companyId ? { paperclipInvocation: { id: `inv-${id}`, scope: { companyId } } } : {};
    this.send({ jsonrpc: "2.0", id, method, params, ...invocation });
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

async function startWorker(answer: (message: Message) => unknown): Promise<WorkerConversation> {
  worker = spawn(process.execPath, ["dist/worker.js"], { cwd: packageRoot, stdio: ["pipe", "pipe", "pipe"] });
  const conversation = new WorkerConversation(worker, answer);
  const initialized = await conversation.request("initialize", {
    manifest,
    config: {},
    instanceInfo: { instanceId: "test-instance", hostVersion: "0.0.0-test" },
    apiVersion: 1,
  });
  expect(initialized).toMatchObject({ result: { ok: true } });
  return conversation;
}

const now = new Date();
const iso = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString();
/** 500 issues created today (a full first page), then two on the second page, one of them closed yesterday. */
const hostIssues = [
  ...Array.from({ length: 500 }, (_, index) => ({ id: `i-${index}`, status: "todo", createdAt: iso(0) })),
  { id: "i-500", status: "todo", createdAt: iso(2) },
  { id: "i-501", status: "done", createdAt: iso(3), completedAt: iso(1), updatedAt: iso(1) },
].map((issue) => ({
  companyId: "acme",
  title: issue.id,
  cancelledAt: null,
  completedAt: null,
  updatedAt: issue.createdAt,
  ...issue,
}));

describe("company-pulse as a real worker process (node dist/worker.js)", () => {
  it("answers getData by paging through issues.list in the caller's company", async () => {
    const conversation = await startWorker((message) => {
      if (message.method !== "issues.list") return null;
      const { offset = 0, limit } = message.params as { offset?: number; limit: number };
      return hostIssues.slice(offset, offset + limit);
    });

    const reply = await conversation.request(
      "getData",
      { key: "issue-activity", companyId: "acme", params: { timeZone: "UTC" }, renderEnvironment: null },
      "acme",
    );

    const lists = conversation.fromWorker.filter((message) => message.method === "issues.list");
    expect(lists.map((message) => message.params)).toEqual([
      { companyId: "acme", limit: 500, offset: 0 },
      { companyId: "acme", limit: 500, offset: 500 },
    ]);
    for (const list of lists) expect(list.paperclipInvocationId).toBe("inv-2");
    const result = reply.result as {
      days: Array<{ created: number; closed: number }>;
      totals: object;
      open: number;
    };
    expect(result.days).toHaveLength(14);
    expect(result.days.at(-1)).toMatchObject({ created: 500, closed: 0 });
    expect(result.days.at(-2)).toMatchObject({ created: 0, closed: 1 });
    expect(result.totals).toEqual({ created: 502, closed: 1 });
    expect(result.open).toBe(501);
  });

  it("answers a getData without a company with a worker error naming the problem", async () => {
    const conversation = await startWorker(() => null);
    const reply = await conversation.request("getData", {
      key: "issue-activity",
      params: {},
      renderEnvironment: null,
    });
    expect(reply).toMatchObject({ error: { code: -32002 } });
    expect((reply.error as { message: string }).message).toContain("issue-activity needs a companyId");
  });
});
