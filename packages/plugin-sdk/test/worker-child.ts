/**
 * A scripted host for tests: spawns a fixture worker as a real child process and talks JSON-RPC
 * to it over its real stdin/stdout. Worker→host requests are answered by per-method handlers.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export type WireMessage = Record<string, any>;

/** Answer to a worker→host request: a result, or an error object. */
export type HostAnswer = { result: unknown } | { error: { code: number; message: string } };
export type HostHandler = (params: any, message: WireMessage) => HostAnswer | Promise<HostAnswer>;

export const fixturePath = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

export const TEST_MANIFEST = {
  id: "acme.test-worker",
  apiVersion: 1,
  version: "1.0.0",
  displayName: "Test worker",
  description: "Fixture",
  author: "Tests",
  categories: ["automation"],
  capabilities: ["plugin.state.read"],
  entrypoints: { worker: "./worker.mjs" },
};

interface Waiter {
  predicate(message: WireMessage): boolean;
  resolve(message: WireMessage): void;
}

export class WorkerChild {
  readonly process: ChildProcessWithoutNullStreams;
  /** Every message the worker wrote, in order. */
  readonly received: WireMessage[] = [];
  /** Lines on stdout that were not JSON (a protocol violation, kept for assertions). */
  readonly strayLines: string[] = [];
  stderr = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly handlers = new Map<string, HostHandler>();
  private waiters: Waiter[] = [];
  private stderrWaiters: { text: string; resolve(): void }[] = [];
  private buffer = "";
  private nextId = 1;

  constructor(fixture: string, env: Record<string, string> = {}) {
    this.process = spawn(process.execPath, [fixturePath(fixture)], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, ...env },
    });
    this.process.stdout.setEncoding("utf8");
    this.process.stdout.on("data", (chunk: string) => this.onStdout(chunk));
    this.process.stderr.setEncoding("utf8");
    this.process.stderr.on("data", (chunk: string) => {
      this.stderr += chunk;
      const ready = this.stderrWaiters.filter((w) => this.stderr.includes(w.text));
      this.stderrWaiters = this.stderrWaiters.filter((w) => !ready.includes(w));
      for (const waiter of ready) waiter.resolve();
    });
    this.exited = new Promise((resolve) => {
      this.process.on("exit", (code, signal) => resolve({ code, signal }));
    });
    // A closed pipe after the worker exits must not crash the test process.
    this.process.stdin.on("error", () => {});
  }

  /** Answer worker→host requests for `method` with `handler`. Unhandled methods get -32601. */
  handle(method: string, handler: HostHandler): this {
    this.handlers.set(method, handler);
    return this;
  }

  /** Write one raw line (a newline is appended). */
  writeLine(line: string): void {
    this.process.stdin.write(`${line}\n`);
  }

  send(message: WireMessage): void {
    this.writeLine(JSON.stringify(message));
  }

  /** Send a host→worker request and wait for its response. */
  async request(method: string, params?: unknown, envelope: WireMessage = {}): Promise<WireMessage> {
    const id = `h${this.nextId++}`;
    const response = this.waitFor((m) => m.id === id && !("method" in m));
    this.send({ jsonrpc: "2.0", id, method, params, ...envelope });
    return response;
  }

  notify(method: string, params?: unknown, envelope: WireMessage = {}): void {
    this.send({ jsonrpc: "2.0", method, params, ...envelope });
  }

  async initialize(extra: WireMessage = {}): Promise<WireMessage> {
    return this.request("initialize", {
      manifest: TEST_MANIFEST,
      config: {},
      instanceInfo: { instanceId: "i-1", hostVersion: "0.0.0-test" },
      apiVersion: 1,
      ...extra,
    });
  }

  /** The first message (already received or future) that matches. */
  waitFor(predicate: (message: WireMessage) => boolean): Promise<WireMessage> {
    const seen = this.received.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  /** Resolves once stderr contains `text` (stderr and stdout are separate pipes: no ordering between them). */
  waitForStderr(text: string): Promise<void> {
    if (this.stderr.includes(text)) return Promise.resolve();
    return new Promise((resolve) => this.stderrWaiters.push({ text, resolve }));
  }

  /** Worker messages received after the given index (use `received.length` as a mark). */
  since(mark: number): WireMessage[] {
    return this.received.slice(mark);
  }

  /** Worker→host requests and notifications of one method. */
  outgoing(method: string): WireMessage[] {
    return this.received.filter((m) => m.method === method);
  }

  async close(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill("SIGKILL");
    await this.exited;
  }

  private onStdout(chunk: string): void {
    this.buffer += chunk;
    let newline = this.buffer.indexOf("\n");
    while (newline !== -1) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      if (line.trim()) this.onLine(line);
      newline = this.buffer.indexOf("\n");
    }
  }

  private onLine(line: string): void {
    let message: WireMessage;
    try {
      message = JSON.parse(line);
    } catch {
      this.strayLines.push(line);
      return;
    }
    this.received.push(message);
    if (typeof message.method === "string" && message.id !== undefined) void this.answer(message);
    const ready = this.waiters.filter((w) => w.predicate(message));
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) waiter.resolve(message);
  }

  private async answer(message: WireMessage): Promise<void> {
    const handler = this.handlers.get(message.method);
    const answer: HostAnswer = handler
      ? await handler(message.params, message)
      : { error: { code: -32601, message: `Host does not handle method "${message.method}"` } };
    if (this.process.stdin.writable) this.send({ jsonrpc: "2.0", id: message.id, ...answer });
  }
}
