import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { PassThrough, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import {
  type InvalidMessage,
  JsonRpcCallError,
  type JsonRpcResponse,
  RpcPeer,
  type RpcPeerOptions,
} from "@paperclipai/plugin-sdk/protocol";
import { afterEach, describe, expect, it } from "vitest";

/** A peer wired to in-process streams, with helpers to play the other side line by line. */
function harness(options: Partial<RpcPeerOptions> = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  const written: unknown[] = [];
  let buffer = "";
  const waiters: Array<() => void> = [];
  output.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    let index = buffer.indexOf("\n");
    while (index !== -1) {
      written.push(JSON.parse(buffer.slice(0, index)));
      buffer = buffer.slice(index + 1);
      index = buffer.indexOf("\n");
    }
    for (const wake of waiters.splice(0)) wake();
  });
  const peer = new RpcPeer({ input, output, onRequest: () => null, ...options });
  const sendLine = (line: string) => input.write(`${line}\n`);
  const send = (message: object) => sendLine(JSON.stringify(message));
  const waitFor = async (count: number) => {
    while (written.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    return written;
  };
  return { peer, input, output, written, send, sendLine, waitFor };
}

describe("RpcPeer", () => {
  it("resolves a call with the matching response's result", async () => {
    const h = harness();
    const result = h.peer.call(
      "state.get",
      { stateKey: "k" },
      { envelope: { paperclipInvocationId: "inv-1" } },
    );
    const [request] = (await h.waitFor(1)) as Array<{ id: number }>;
    expect(request).toEqual({
      jsonrpc: "2.0",
      id: 1,
      method: "state.get",
      params: { stateKey: "k" },
      paperclipInvocationId: "inv-1",
    });
    h.send({ jsonrpc: "2.0", id: request?.id, result: { v: 1 } });
    await expect(result).resolves.toEqual({ v: 1 });
    expect(h.peer.pendingCount).toBe(0);
  });

  it("rejects a call with a JsonRpcCallError carrying code, message and data", async () => {
    const h = harness();
    const result = h.peer.call("issues.create", {});
    await h.waitFor(1);
    h.send({
      jsonrpc: "2.0",
      id: 1,
      error: { code: -32001, message: "missing capability", data: { cap: "x" } },
    });
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsonRpcCallError);
    expect(error).toMatchObject({ code: -32001, message: "missing capability", data: { cap: "x" } });
  });

  it("matches out-of-order responses to their calls", async () => {
    const h = harness();
    const calls = [h.peer.call("a", 1), h.peer.call("b", 2), h.peer.call("c", 3)];
    await h.waitFor(3);
    h.send({ jsonrpc: "2.0", id: 3, result: "c" });
    h.send({ jsonrpc: "2.0", id: 1, result: "a" });
    h.send({ jsonrpc: "2.0", id: 2, result: "b" });
    await expect(Promise.all(calls)).resolves.toEqual(["a", "b", "c"]);
  });

  it("times a call out with TIMEOUT and reports the late response as unknown", async () => {
    const late: JsonRpcResponse[] = [];
    const h = harness({
      onUnknownResponse: (m) => late.push(m),
      timeoutMessage: (m, ms) => `${m} took over ${ms}ms`,
    });
    const error = await h.peer.call("slow", {}, { timeoutMs: 20 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: -32003, message: "slow took over 20ms" });
    h.send({ jsonrpc: "2.0", id: 1, result: "too late" });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(late).toEqual([{ jsonrpc: "2.0", id: 1, result: "too late" }]);
  });

  it("answers requests from sync, async and throwing handlers", async () => {
    const h = harness({
      onRequest(method, params) {
        if (method === "sync") return { got: params };
        if (method === "async") return Promise.resolve("later");
        if (method === "void") return undefined;
        if (method === "coded") throw Object.assign(new Error("nope"), { code: -32004, data: { hook: "x" } });
        throw new Error("plain failure");
      },
    });
    h.send({ jsonrpc: "2.0", id: 1, method: "sync", params: { a: 1 } });
    h.send({ jsonrpc: "2.0", id: "two", method: "async", params: {} });
    h.send({ jsonrpc: "2.0", id: 3, method: "void" });
    h.send({ jsonrpc: "2.0", id: 4, method: "coded" });
    h.send({ jsonrpc: "2.0", id: 5, method: "plain" });
    const written = await h.waitFor(5);
    const byId = new Map(written.map((m) => [(m as { id: unknown }).id, m]));
    expect(byId.get(1)).toEqual({ jsonrpc: "2.0", id: 1, result: { got: { a: 1 } } });
    expect(byId.get("two")).toEqual({ jsonrpc: "2.0", id: "two", result: "later" });
    expect(byId.get(3)).toEqual({ jsonrpc: "2.0", id: 3, result: null });
    expect(byId.get(4)).toEqual({
      jsonrpc: "2.0",
      id: 4,
      error: { code: -32004, message: "nope", data: { hook: "x" } },
    });
    expect(byId.get(5)).toEqual({ jsonrpc: "2.0", id: 5, error: { code: -32603, message: "plain failure" } });
  });

  it("uses the owner's error mapping for thrown errors", async () => {
    const h = harness({
      onRequest() {
        throw new Error("boom");
      },
      toRpcError: (error, method) => ({ code: -32002, message: `${method}: ${(error as Error).message}` }),
    });
    h.send({ jsonrpc: "2.0", id: 9, method: "getData" });
    const [reply] = await h.waitFor(1);
    expect(reply).toEqual({ jsonrpc: "2.0", id: 9, error: { code: -32002, message: "getData: boom" } });
  });

  it("delivers notifications with their envelope and sends its own", async () => {
    const seen: unknown[] = [];
    const h = harness({
      onNotification: (method, params, message) => seen.push({ method, params, message }),
    });
    const invocation = { id: "inv", scope: { companyId: "c1" } };
    h.send({ jsonrpc: "2.0", method: "onEvent", params: { event: 1 }, paperclipInvocation: invocation });
    h.peer.notify("log", { level: "info", message: "hi" }, { paperclipInvocationId: "inv" });
    await h.waitFor(1);
    expect(seen).toEqual([
      {
        method: "onEvent",
        params: { event: 1 },
        message: { jsonrpc: "2.0", method: "onEvent", params: { event: 1 }, paperclipInvocation: invocation },
      },
    ]);
    expect(h.written[0]).toEqual({
      jsonrpc: "2.0",
      method: "log",
      params: { level: "info", message: "hi" },
      paperclipInvocationId: "inv",
    });
  });

  it("reports each kind of malformed line and keeps serving", async () => {
    const problems: InvalidMessage[] = [];
    const h = harness({
      onInvalidMessage: (p) => problems.push(p),
      onRequest: () => "still here",
      maxLineBytes: 1024,
    });
    h.sendLine("not json");
    h.sendLine("[1,2]");
    h.sendLine('"text"');
    h.sendLine('{"jsonrpc":"1.0","id":1,"method":"x"}');
    h.sendLine('{"jsonrpc":"2.0","id":{"x":1},"method":"x"}');
    h.sendLine('{"jsonrpc":"2.0","id":5}');
    h.sendLine("");
    h.sendLine("x".repeat(5000));
    h.send({ jsonrpc: "2.0", id: 1, method: "alive" });
    await h.waitFor(1);
    expect(problems.map((p) => [p.code, p.id])).toEqual([
      [-32700, null],
      [-32700, null],
      [-32700, null],
      [-32700, null],
      [-32600, null],
      [-32600, 5],
      [-32700, null],
      [-32700, null],
    ]);
    expect(problems[0]?.message).toBe("Invalid JSON: not json");
    expect(problems[1]?.message).toContain("Invalid or missing jsonrpc version");
    expect(problems[2]?.message).toBe("Message must be a JSON object");
    expect(problems[4]?.message).toContain("must be a string or a number");
    expect(problems[6]?.message).toBe("Empty message");
    expect(problems[7]?.message).toContain("5000 bytes exceeds the 1024-byte limit");
    expect(h.written).toEqual([{ jsonrpc: "2.0", id: 1, result: "still here" }]);
  });

  it("fails calls in flight with WORKER_UNAVAILABLE when the input ends", async () => {
    let ended = 0;
    const h = harness({ onEnd: () => ended++ });
    const inFlight = h.peer.call("health", {});
    h.input.end();
    await expect(inFlight).rejects.toMatchObject({ code: -32000 });
    expect(ended).toBe(1);
    await expect(h.peer.call("health", {})).rejects.toMatchObject({ code: -32000 });
  });

  it("closes on an output error and fails calls in flight", async () => {
    const errors: Error[] = [];
    const input = new PassThrough();
    const output = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      },
    });
    const peer = new RpcPeer({ input, output, onRequest: () => null, onOutputError: (e) => errors.push(e) });
    const call = peer.call("x", {});
    await expect(call).rejects.toMatchObject({ code: -32000 });
    expect(errors[0]?.message).toBe("write EPIPE");
    expect(peer.isClosed).toBe(true);
  });

  it("writes the first message at once and batches the rest sent in the same job into one write", async () => {
    const input = new PassThrough();
    const writes: string[] = [];
    const output = new Writable({
      write(chunk, _encoding, callback) {
        writes.push(chunk.toString());
        callback();
      },
    });
    const peer = new RpcPeer({ input, output, onRequest: () => null });
    for (let i = 0; i < 100; i++) peer.notify("n", i);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(2);
    expect(JSON.parse(writes[0] ?? "")).toEqual({ jsonrpc: "2.0", method: "n", params: 0 });
    expect(
      writes[1]
        ?.trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line).params),
    ).toEqual(Array.from({ length: 99 }, (_, i) => i + 1));
  });

  it("stops reading input while the output is backed up, and resumes on drain", async () => {
    const input = new PassThrough();
    let release: (() => void) | undefined;
    let repliesWritten = 0;
    const output = new Writable({
      highWaterMark: 1,
      write(chunk, _encoding, callback) {
        repliesWritten += chunk.toString().split("\n").length - 1;
        release = callback;
      },
    });
    let handled = 0;
    new RpcPeer({
      input,
      output,
      maxBufferedOutputBytes: 100,
      onRequest: () => {
        handled++;
        return "x".repeat(50);
      },
    });
    const line = `${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "m" })}\n`;
    input.write(line);
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (let i = 0; i < 10; i++) input.write(line);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The pipe never drained: the peer must have stopped taking requests before handling all of them.
    expect(input.isPaused()).toBe(true);
    expect(handled).toBeLessThan(11);
    for (let round = 0; round < 50 && repliesWritten < 11; round++) {
      const next = release;
      release = undefined;
      next?.();
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(handled).toBe(11);
    expect(repliesWritten).toBe(11);
  });
});

describe("RpcPeer across a real child process", () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  afterEach(() => {
    child?.kill();
    child = undefined;
  });

  it("carries a thousand concurrent calls, nested calls back and notifications", async () => {
    const script = fileURLToPath(new URL("./fixtures/echo-peer.mjs", import.meta.url));
    child = spawn(process.execPath, [script], { stdio: "pipe" });
    const pongs: unknown[] = [];
    const peer = new RpcPeer({
      input: child.stdout,
      output: child.stdin,
      onRequest(method, params) {
        if (method === "host.add") {
          const { a, b } = params as { a: number; b: number };
          return a + b;
        }
        throw Object.assign(new Error(`Host does not handle method "${method}"`), { code: -32601 });
      },
      onNotification: (method, params) => {
        if (method === "pong") pongs.push(params);
      },
    });
    const calls = Array.from({ length: 1000 }, (_, i) => peer.call(i % 2 ? "echo" : "slowEcho", { i }));
    const results = await Promise.all(calls);
    expect(results).toEqual(Array.from({ length: 1000 }, (_, i) => ({ i })));
    await expect(peer.call("callBack", { a: 2, b: 3 })).resolves.toBe(5);
    await expect(peer.call("missing", {})).rejects.toMatchObject({
      code: -32601,
      message: "Unknown method: missing",
    });
    peer.notify("ping", { n: 1 });
    while (pongs.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(pongs).toEqual([{ n: 1 }]);
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child.stdin.end();
    await expect(exited).resolves.toBe(0);
  });

  it("fails calls in flight at once when the process dies", async () => {
    child = spawn(process.execPath, ["-e", "process.stdin.resume(); setTimeout(() => process.exit(3), 50)"], {
      stdio: "pipe",
    });
    const peer = new RpcPeer({ input: child.stdout, output: child.stdin, onRequest: () => null });
    const error = await peer.call("never", {}, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: -32000 });
  });
});
