import {
  createErrorResponse,
  createNotification,
  createRequest,
  createSuccessResponse,
  decodeChannelBytes,
  encodeChannelBytes,
  isJsonRpcErrorResponse,
  isJsonRpcNotification,
  isJsonRpcRequest,
  isJsonRpcResponse,
  JSONRPC_ERROR_CODES,
  JsonRpcParseError,
  PLUGIN_RPC_ERROR_CODES,
  parseMessage,
  serializeMessage,
} from "@paperclipai/plugin-sdk/protocol";
import { describe, expect, it } from "vitest";

describe("protocol messages", () => {
  it("keeps the documented error codes", () => {
    expect(JSONRPC_ERROR_CODES).toEqual({
      PARSE_ERROR: -32700,
      INVALID_REQUEST: -32600,
      METHOD_NOT_FOUND: -32601,
      INVALID_PARAMS: -32602,
      INTERNAL_ERROR: -32603,
    });
    expect(PLUGIN_RPC_ERROR_CODES).toEqual({
      WORKER_UNAVAILABLE: -32000,
      CAPABILITY_DENIED: -32001,
      WORKER_ERROR: -32002,
      TIMEOUT: -32003,
      METHOD_NOT_IMPLEMENTED: -32004,
      INVOCATION_SCOPE_DENIED: -32005,
      CROSS_TENANT_CONFIG: -32006,
      MESSAGE_TOO_LARGE: -32007,
      UNKNOWN: -32099,
    });
  });

  it("builds and classifies each message kind", () => {
    const request = createRequest("getData", { key: "k" }, 7);
    const notification = createNotification("onEvent", { event: {} });
    const ok = createSuccessResponse(7, { a: 1 });
    const failed = createErrorResponse(null, -32700, "Parse error", { line: 1 });
    expect(isJsonRpcRequest(request)).toBe(true);
    expect(isJsonRpcNotification(request)).toBe(false);
    expect(isJsonRpcNotification(notification)).toBe(true);
    expect(isJsonRpcRequest(notification)).toBe(false);
    expect(isJsonRpcResponse(ok)).toBe(true);
    expect(isJsonRpcErrorResponse(failed)).toBe(true);
    expect(failed.error).toEqual({ code: -32700, message: "Parse error", data: { line: 1 } });
    expect(createErrorResponse(1, -32601, "x").error).toEqual({ code: -32601, message: "x" });
    expect(isJsonRpcRequest({ jsonrpc: "2.0", id: null, method: "m" })).toBe(false);
  });

  it("numbers requests from a shared counter when no id is given", () => {
    const a = createRequest("health", {});
    const b = createRequest("health", {});
    expect(typeof a.id).toBe("number");
    expect(b.id).toBe((a.id as number) + 1);
  });

  it("serializes one message per line and parses it back", () => {
    const line = serializeMessage(createRequest("x", { s: "a\nb" }, 1));
    expect(line.endsWith("\n")).toBe(true);
    expect(line.indexOf("\n")).toBe(line.length - 1);
    expect(parseMessage(line)).toEqual({ jsonrpc: "2.0", id: 1, method: "x", params: { s: "a\nb" } });
  });

  it.each([
    ["", "Empty message"],
    ["   ", "Empty message"],
    ["{oops", "Invalid JSON: {oops"],
    ["42", "Message must be a JSON object"],
    ["null", "Message must be a JSON object"],
    ['{"id":1,"method":"x"}', 'Invalid or missing jsonrpc version (expected "2.0", got undefined)'],
    [
      '{"jsonrpc":"1.0","id":1,"method":"x"}',
      'Invalid or missing jsonrpc version (expected "2.0", got "1.0")',
    ],
  ])("rejects %j with a message naming the problem", (line, message) => {
    expect(() => parseMessage(line)).toThrow(JsonRpcParseError);
    expect(() => parseMessage(line)).toThrow(message);
  });

  it("round-trips duplex channel bytes and rejects malformed base64", () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    expect(decodeChannelBytes(encodeChannelBytes(bytes))).toEqual(bytes);
    expect(decodeChannelBytes("not base64!")).toBeNull();
    expect(decodeChannelBytes(12)).toBeNull();
  });
});
