// Lines over the peer's line limit: the envelope (id, kind) is read from the raw bytes, so the call such a
// response answered fails at once with MESSAGE_TOO_LARGE, and such a request gets an error response, instead of
// both sides waiting for a timeout.
import { PassThrough } from "node:stream";
import {
  EnvelopeScanner,
  type InvalidMessage,
  LineSplitter,
  type OversizeEnvelope,
  PLUGIN_RPC_ERROR_CODES,
  RpcPeer,
  scanEnvelope,
} from "@paperclipai/plugin-sdk/protocol";
import { describe, expect, it } from "vitest";

const bytes = (text: string) => Buffer.from(text);

describe("envelope scanner", () => {
  it("reads id and kind of each message kind, whatever the key order", () => {
    expect(scanEnvelope(bytes('{"jsonrpc":"2.0","id":7,"result":{"a":[1,2,{"id":9}]}}'))).toEqual({
      id: 7,
      kind: "response",
      method: null,
    });
    expect(scanEnvelope(bytes('{"result":{"id":3,"x":"}\\"{"},"jsonrpc":"2.0","id":12}'))).toEqual({
      id: 12,
      kind: "response",
      method: null,
    });
    expect(scanEnvelope(bytes('{"jsonrpc":"2.0","error":{"code":1},"id":"a\\"b"}'))).toEqual({
      id: 'a"b',
      kind: "response",
      method: null,
    });
    expect(scanEnvelope(bytes('{"jsonrpc":"2.0","id":4,"method":"state.set","params":{}}'))).toEqual({
      id: 4,
      kind: "request",
      method: "state.set",
    });
    expect(scanEnvelope(bytes('{"jsonrpc":"2.0","method":"log","params":{"id":1}}'))).toEqual({
      id: null,
      kind: "notification",
      method: "log",
    });
    expect(scanEnvelope(bytes("xxxxxxxx")).kind).toBe("unknown");
    expect(scanEnvelope(bytes("[1,2,3]")).kind).toBe("unknown");
  });

  it("decides from the head of a response without reading its result", () => {
    const scanner = new EnvelopeScanner();
    expect(scanner.push(bytes('{"jsonrpc":"2.0","id":42,"result":"'))).toBe(true);
    expect(scanner.result(false)).toEqual({ id: 42, kind: "response", method: null });
  });

  it("reads an id split across chunks, byte by byte", () => {
    const scanner = new EnvelopeScanner();
    for (const byte of bytes('{"jsonrpc":"2.0","id":1234,"result":[')) scanner.push(Buffer.from([byte]));
    expect(scanner.decided).toBe(true);
    expect(scanner.result(false).id).toBe(1234);
  });
});

describe("line splitter: oversize envelopes", () => {
  it("reports the envelope when the limit is crossed, before the line ends", () => {
    const envelopes: Array<[OversizeEnvelope, number]> = [];
    const oversize: number[] = [];
    const lines: string[] = [];
    const splitter = new LineSplitter({
      maxLineBytes: 64,
      onLine: (line) => lines.push(line),
      onOversizeLine: (n) => oversize.push(n),
      onOversizeMessage: (envelope, soFar) => envelopes.push([envelope, soFar]),
    });
    splitter.push(bytes('{"jsonrpc":"2.0","id":5,"result":"'));
    splitter.push(bytes("x".repeat(100)));
    expect(envelopes).toEqual([[{ id: 5, kind: "response", method: null }, 134]]);
    expect(oversize).toEqual([]);
    splitter.push(bytes(`${"y".repeat(50)}"}\n{"ok":1}\n`));
    expect(envelopes).toHaveLength(1);
    expect(oversize).toEqual([186]);
    expect(lines).toEqual(['{"ok":1}']);
  });

  it("finds an id written after the huge value at the end of the line", () => {
    const envelopes: OversizeEnvelope[] = [];
    const splitter = new LineSplitter({
      maxLineBytes: 32,
      onLine: () => {},
      onOversizeMessage: (envelope) => envelopes.push(envelope),
    });
    splitter.push(bytes(`{"jsonrpc":"2.0","result":"${"z".repeat(100)}`));
    expect(envelopes).toEqual([]);
    splitter.push(bytes('","id":77}\n'));
    expect(envelopes).toEqual([{ id: 77, kind: "response", method: null }]);
  });

  it("scans an oversize line that arrived whole in one chunk", () => {
    const envelopes: OversizeEnvelope[] = [];
    const splitter = new LineSplitter({
      maxLineBytes: 16,
      onLine: () => {},
      onOversizeMessage: (envelope) => envelopes.push(envelope),
    });
    splitter.push(bytes(`{"jsonrpc":"2.0","id":3,"method":"big","params":"${"p".repeat(40)}"}\n`));
    expect(envelopes).toEqual([{ id: 3, kind: "request", method: "big" }]);
  });
});

function peerHarness(maxLineBytes: number) {
  const input = new PassThrough();
  const output = new PassThrough();
  const written: Array<Record<string, unknown>> = [];
  let buffer = "";
  output.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    let index = buffer.indexOf("\n");
    while (index !== -1) {
      written.push(JSON.parse(buffer.slice(0, index)));
      buffer = buffer.slice(index + 1);
      index = buffer.indexOf("\n");
    }
  });
  const problems: InvalidMessage[] = [];
  const peer = new RpcPeer({
    input,
    output,
    maxLineBytes,
    onRequest: () => "fine",
    onInvalidMessage: (problem) => problems.push(problem),
  });
  return { peer, input, written, problems };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("RpcPeer: oversize messages", () => {
  it("fails the one call an oversize response answered, at once, naming the limit", async () => {
    const h = peerHarness(1024 * 1024);
    const big = h.peer.call("performAction", {}, { timeoutMs: 60_000 });
    const other = h.peer.call("getData", {}, { timeoutMs: 60_000 });
    const started = Date.now();
    // Only the head of the response and enough bytes to cross the limit: the rest never arrives.
    h.input.write('{"jsonrpc":"2.0","id":1,"result":"');
    h.input.write("x".repeat(1024 * 1024 + 10));
    const error = await big.catch((e: unknown) => e as { code: number; message: string; data: unknown });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toMatchObject({
      code: PLUGIN_RPC_ERROR_CODES.MESSAGE_TOO_LARGE,
      data: { limitBytes: 1024 * 1024, method: "performAction" },
    });
    expect((error as { message: string }).message).toBe(
      'The response to "performAction" exceeded the 1 MiB (1048576 bytes) message limit and was dropped; ' +
        "return less data (or page it) from the handler",
    );
    // The other call is untouched and still answered after the oversize line ends.
    expect(h.peer.pendingCount).toBe(1);
    h.input.write('"}\n{"jsonrpc":"2.0","id":2,"result":{"ok":true}}\n');
    await expect(other).resolves.toEqual({ ok: true });
    await tick();
    expect(h.problems).toHaveLength(1);
    expect(h.problems[0]?.message).toContain("exceeds the 1048576-byte limit");
  });

  it("answers an oversize request with an error instead of leaving the sender waiting", async () => {
    const h = peerHarness(256);
    h.input.write(`{"jsonrpc":"2.0","id":9,"method":"state.set","params":{"v":"${"v".repeat(1_000)}"}}\n`);
    h.input.write('{"jsonrpc":"2.0","id":10,"method":"ping"}\n');
    for (let i = 0; i < 20 && h.written.length < 2; i++) await tick();
    expect(h.written).toEqual([
      {
        jsonrpc: "2.0",
        id: 9,
        error: {
          code: -32007,
          message:
            'The request "state.set" exceeded the 256-byte message limit and was dropped; send less data',
          data: { limitBytes: 256, method: "state.set" },
        },
      },
      { jsonrpc: "2.0", id: 10, result: "fine" },
    ]);
  });

  it("an oversize line that is not JSON-RPC fails nothing", async () => {
    const h = peerHarness(64);
    const call = h.peer.call("health", {}, { timeoutMs: 60_000 });
    h.input.write(`${"n".repeat(500)}\n`);
    await tick();
    expect(h.peer.pendingCount).toBe(1);
    h.input.write('{"jsonrpc":"2.0","id":1,"result":"ok"}\n');
    await expect(call).resolves.toBe("ok");
  });
});
