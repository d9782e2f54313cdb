/**
 * Starting the worker: runWorker's main-module check, and startWorkerRpcHost on explicit streams
 * (in this process), including stop(), shutdown and the worker→host call timeout.
 */
import { PassThrough } from "node:stream";
import { definePlugin, type PluginContext, runWorker, startWorkerRpcHost } from "@paperclipai/plugin-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_MANIFEST, WorkerChild } from "./worker-child.js";

describe("runWorker main-module check", () => {
  let child: WorkerChild | undefined;
  afterEach(() => child?.close());

  it("importing a worker module from another entry starts nothing", async () => {
    child = new WorkerChild("worker-import-probe.mjs");
    const report = await child.waitFor(() => true);
    expect(report).toEqual({ hasDefinition: true, before: 0, after: 0 });
    // With no RPC host reading stdin, the process ends by itself although stdin stays open.
    expect(await child.exited).toEqual({ code: 0, signal: null });
  });

  it("returns nothing when the calling module is not the process entry and no streams are given", () => {
    const plugin = definePlugin({ async setup() {} });
    expect(runWorker(plugin, "file:///not/the/entry.mjs")).toBeUndefined();
  });
});

/** An in-process host end: write lines to the worker, read its lines back. */
class StreamHost {
  readonly toWorker = new PassThrough();
  readonly fromWorker = new PassThrough();
  readonly messages: Record<string, any>[] = [];
  private waiters: {
    predicate: (m: Record<string, any>) => boolean;
    resolve: (m: Record<string, any>) => void;
  }[] = [];
  private buffer = "";

  constructor() {
    this.fromWorker.setEncoding("utf8");
    this.fromWorker.on("data", (chunk: string) => {
      this.buffer += chunk;
      const lines = this.buffer.split("\n");
      this.buffer = lines.pop() ?? "";
      for (const line of lines) {
        const message = JSON.parse(line);
        this.messages.push(message);
        const ready = this.waiters.filter((w) => w.predicate(message));
        this.waiters = this.waiters.filter((w) => !ready.includes(w));
        for (const w of ready) w.resolve(message);
      }
    });
  }

  send(message: Record<string, unknown>): void {
    this.toWorker.write(`${JSON.stringify(message)}\n`);
  }

  waitFor(predicate: (m: Record<string, any>) => boolean): Promise<Record<string, any>> {
    const seen = this.messages.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  async request(id: string, method: string, params: unknown): Promise<Record<string, any>> {
    this.send({ jsonrpc: "2.0", id, method, params });
    return this.waitFor((m) => m.id === id && !("method" in m));
  }
}

function capturingPlugin() {
  const captured: { ctx?: PluginContext } = {};
  const plugin = definePlugin({
    async setup(ctx) {
      captured.ctx = ctx;
      ctx.actions.register("read", async () => ctx.state.get({ scopeKind: "instance", stateKey: "k" }));
    },
  });
  return { plugin, captured };
}

const initParams = {
  manifest: TEST_MANIFEST,
  config: {},
  instanceInfo: { instanceId: "i", hostVersion: "0" },
  apiVersion: 1,
};

describe("startWorkerRpcHost on explicit streams", () => {
  it("runWorker with stdin and stdout starts the host regardless of the entry module", async () => {
    const host = new StreamHost();
    const { plugin } = capturingPlugin();
    const worker = runWorker(plugin, "file:///elsewhere.mjs", {
      stdin: host.toWorker,
      stdout: host.fromWorker,
    });
    expect(worker?.running).toBe(true);
    expect((await host.request("1", "initialize", initParams)).result).toEqual({
      ok: true,
      supportedMethods: [],
    });
    worker?.stop();
  });

  it("a worker→host call that gets no answer fails with TIMEOUT after rpcTimeoutMs", async () => {
    const host = new StreamHost();
    const { plugin } = capturingPlugin();
    const worker = startWorkerRpcHost({
      plugin,
      stdin: host.toWorker,
      stdout: host.fromWorker,
      rpcTimeoutMs: 50,
    });
    await host.request("1", "initialize", initParams);
    const response = await host.request("2", "performAction", { key: "read", params: {} });
    expect(response.error).toEqual({
      code: -32003,
      message: 'Worker→host call "state.get" timed out after 50ms',
    });
    worker.stop();
  });

  it("stop() fails calls in flight with WORKER_UNAVAILABLE and refuses new ones", async () => {
    const host = new StreamHost();
    const { plugin, captured } = capturingPlugin();
    const worker = startWorkerRpcHost({ plugin, stdin: host.toWorker, stdout: host.fromWorker });
    await host.request("1", "initialize", initParams);
    const inFlight = captured.ctx!.state.get({ scopeKind: "instance", stateKey: "pending" });
    await host.waitFor((m) => m.method === "state.get");
    worker.stop();
    expect(worker.running).toBe(false);
    await expect(inFlight).rejects.toMatchObject({
      code: -32000,
      message: "Worker RPC host is shutting down",
    });
    await expect(captured.ctx!.state.get({ scopeKind: "instance", stateKey: "late" })).rejects.toThrow(
      'Cannot call "state.get" — worker RPC host is not running',
    );
  });

  it("shutdown answers and stops the host without exiting this process", async () => {
    const host = new StreamHost();
    const { plugin } = capturingPlugin();
    const worker = startWorkerRpcHost({ plugin, stdin: host.toWorker, stdout: host.fromWorker });
    await host.request("1", "initialize", initParams);
    expect((await host.request("2", "shutdown", {})).result).toBeNull();
    await new Promise((resolve) => setImmediate(resolve));
    expect(worker.running).toBe(false);
  });

  it("the end of stdin stops the host", async () => {
    const host = new StreamHost();
    const { plugin } = capturingPlugin();
    const worker = startWorkerRpcHost({ plugin, stdin: host.toWorker, stdout: host.fromWorker });
    await host.request("1", "health", {});
    host.toWorker.end();
    await new Promise((resolve) => host.toWorker.once("end", resolve));
    expect(worker.running).toBe(false);
  });
});
