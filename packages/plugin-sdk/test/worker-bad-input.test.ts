/**
 * Bad input on the worker's stdin: each line gets the documented JSON-RPC error or is dropped with
 * a line on stderr, and the worker keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WireMessage, WorkerChild } from "./worker-child.js";

describe("bad input", () => {
  let worker: WorkerChild;
  beforeAll(async () => {
    worker = new WorkerChild("worker-full.mjs")
      .handle("events.subscribe", () => ({ result: null }))
      .handle("state.get", () => ({ result: null }));
    await worker.initialize();
  });
  afterAll(() => worker.close());

  /** Write `line`, then a health request; return what the worker sent before the health answer. */
  async function answersTo(line: string): Promise<WireMessage[]> {
    const mark = worker.received.length;
    worker.writeLine(line);
    const health = await worker.request("health", {});
    expect(health.result).toEqual({ status: "degraded", message: "slow upstream" });
    return worker.since(mark).filter((m) => m !== health);
  }

  const parseError = (message: string) => [{ jsonrpc: "2.0", id: null, error: { code: -32700, message } }];

  it("a line that is not JSON gets PARSE_ERROR quoting the line", async () => {
    expect(await answersTo("{oops")).toEqual(parseError("Parse error: Invalid JSON: {oops"));
  });

  it.each([
    ["42", "Parse error: Message must be a JSON object"],
    ['"text"', "Parse error: Message must be a JSON object"],
    ["null", "Parse error: Message must be a JSON object"],
    ["[1,2]", 'Parse error: Invalid or missing jsonrpc version (expected "2.0", got undefined)'],
  ])("non-object JSON %s gets PARSE_ERROR", async (line, message) => {
    expect(await answersTo(line)).toEqual(parseError(message));
  });

  it("a wrong or missing jsonrpc version gets PARSE_ERROR naming the version", async () => {
    expect(await answersTo('{"jsonrpc":"1.0","id":5,"method":"health"}')).toEqual(
      parseError('Parse error: Invalid or missing jsonrpc version (expected "2.0", got "1.0")'),
    );
    expect(await answersTo('{"id":5,"method":"health"}')).toEqual(
      parseError('Parse error: Invalid or missing jsonrpc version (expected "2.0", got undefined)'),
    );
  });

  it("blank lines are ignored", async () => {
    expect(await answersTo("")).toEqual([]);
    expect(await answersTo("   \t ")).toEqual([]);
  });

  it("an unknown method gets METHOD_NOT_FOUND", async () => {
    const response = await worker.request("rm -rf", {});
    expect(response.error).toEqual({ code: -32601, message: "Unknown method: rm -rf" });
  });

  it("a response to an id the worker never used is dropped with a stderr line", async () => {
    expect(await answersTo('{"jsonrpc":"2.0","id":987654,"result":{"x":1}}')).toEqual([]);
    await worker.waitForStderr("Dropped a response to unknown request id 987654");
  });

  it("a message that is neither request, notification nor response is dropped with a stderr line", async () => {
    expect(await answersTo('{"jsonrpc":"2.0","params":{}}')).toEqual([]);
    await worker.waitForStderr(
      "Dropped an invalid message: Message is neither a request, a notification nor a response",
    );
  });

  it("a notification for an unknown method is dropped with a stderr line", async () => {
    expect(await answersTo('{"jsonrpc":"2.0","method":"surprise","params":{}}')).toEqual([]);
    await worker.waitForStderr('Dropped a notification for unknown method "surprise"');
  });

  it("params that are not an object get INVALID_PARAMS naming the method", async () => {
    expect((await worker.request("getData", "key")).error).toEqual({
      code: -32602,
      message: "getData: params must be an object",
    });
    expect((await worker.request("onEvent", { event: 7 })).error).toEqual({
      code: -32602,
      message: "onEvent: params.event must be an object",
    });
    expect((await worker.request("runJob", {})).error).toEqual({
      code: -32602,
      message: "runJob: params.job must be an object",
    });
  });

  it("an onEvent notification without an event is logged as an error", async () => {
    worker.notify("onEvent", {});
    const log = await worker.waitFor(
      (m) => m.method === "log" && String(m.params.message).startsWith("Failed to handle event notification"),
    );
    expect(log.params).toEqual({
      level: "error",
      message: "Failed to handle event notification: onEvent: params.event must be an object",
    });
  });

  it("a line of many megabytes is read whole and answered", async () => {
    const blob = "x".repeat(24 * 1024 * 1024);
    const response = await worker.request("getData", { key: "echo", params: { blob } });
    expect(response.result.blob.length).toBe(blob.length);
    expect((await worker.request("health", {})).result).toMatchObject({ status: "degraded" });
  });

  it("stdout carries nothing but JSON-RPC", () => {
    expect(worker.strayLines).toEqual([]);
  });
});

describe("calls before initialize", () => {
  let worker: WorkerChild;
  beforeAll(() => {
    worker = new WorkerChild("worker-minimal.mjs");
  });
  afterAll(() => worker.close());

  it("are dispatched like the published worker: health answers, handlers are not registered yet", async () => {
    expect((await worker.request("health", {})).result).toEqual({ status: "ok" });
    expect((await worker.request("getData", { key: "manifest-id", params: {} })).error).toEqual({
      code: -32002,
      message: 'No data handler registered for key "manifest-id"',
    });
    expect((await worker.request("validateConfig", { config: {} })).error.code).toBe(-32004);
    expect((await worker.initialize()).result).toEqual({ ok: true, supportedMethods: [] });
    expect((await worker.request("getData", { key: "manifest-id", params: {} })).result).toBe(
      "acme.test-worker",
    );
  });
});
