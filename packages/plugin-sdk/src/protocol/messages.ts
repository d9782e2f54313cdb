import { JSONRPC_VERSION } from "./codes.js";

export type JsonRpcId = string | number;

/** Company scope attached by the host to one invocation. */
export interface JsonRpcInvocationScope {
  companyId?: string | null;
}

/** The `paperclipInvocation` envelope field on host→worker messages. */
export interface JsonRpcInvocationContext {
  id: string;
  scope: JsonRpcInvocationScope;
  traceparent?: string;
}

export interface JsonRpcRequest<TMethod extends string = string, TParams = unknown> {
  jsonrpc: typeof JSONRPC_VERSION;
  id: JsonRpcId;
  method: TMethod;
  params: TParams;
  paperclipInvocation?: JsonRpcInvocationContext;
  paperclipInvocationId?: string;
}

export interface JsonRpcSuccessResponse<TResult = unknown> {
  jsonrpc: typeof JSONRPC_VERSION;
  id: JsonRpcId;
  result: TResult;
}

export interface JsonRpcError<TData = unknown> {
  code: number;
  message: string;
  data?: TData;
}

export interface JsonRpcErrorResponse<TData = unknown> {
  jsonrpc: typeof JSONRPC_VERSION;
  id: JsonRpcId | null;
  error: JsonRpcError<TData>;
}

export type JsonRpcResponse<TResult = unknown, TData = unknown> =
  | JsonRpcSuccessResponse<TResult>
  | JsonRpcErrorResponse<TData>;

export interface JsonRpcNotification<TMethod extends string = string, TParams = unknown> {
  jsonrpc: typeof JSONRPC_VERSION;
  method: TMethod;
  params: TParams;
  paperclipInvocation?: JsonRpcInvocationContext;
  paperclipInvocationId?: string;
}

export type JsonRpcMessage = JsonRpcRequest | JsonRpcResponse | JsonRpcNotification;

/** Messages are newline-delimited JSON: one message per line. */
export const MESSAGE_DELIMITER = "\n" as const;

/** Ids wrap before they could lose precision as doubles. */
export const MAX_RPC_ID = Number.MAX_SAFE_INTEGER - 1;

let sharedNextId = 1;

/** Build a request; without an explicit id a process-wide counter supplies one. */
export function createRequest<TMethod extends string>(
  method: TMethod,
  params: unknown,
  id?: JsonRpcId,
): JsonRpcRequest<TMethod> {
  if (id === undefined) {
    if (sharedNextId >= MAX_RPC_ID) sharedNextId = 1;
    id = sharedNextId++;
  }
  return { jsonrpc: JSONRPC_VERSION, id, method, params };
}

/** Reset the counter behind `createRequest`. For tests only. */
export function _resetIdCounter(): void {
  sharedNextId = 1;
}

export function createSuccessResponse<TResult>(
  id: JsonRpcId,
  result: TResult,
): JsonRpcSuccessResponse<TResult> {
  return { jsonrpc: JSONRPC_VERSION, id, result };
}

export function createErrorResponse<TData = unknown>(
  id: JsonRpcId | null,
  code: number,
  message: string,
  data?: TData,
): JsonRpcErrorResponse<TData> {
  const error: JsonRpcError<TData> = data === undefined ? { code, message } : { code, message, data };
  return { jsonrpc: JSONRPC_VERSION, id, error };
}

export function createNotification<TMethod extends string>(
  method: TMethod,
  params: unknown,
): JsonRpcNotification<TMethod> {
  return { jsonrpc: JSONRPC_VERSION, method, params };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** A request has a string `method` and a non-null `id`. */
export function isJsonRpcRequest(value: unknown): value is JsonRpcRequest {
  return (
    isObject(value) &&
    value.jsonrpc === JSONRPC_VERSION &&
    typeof value.method === "string" &&
    "id" in value &&
    value.id !== undefined &&
    value.id !== null
  );
}

/** A notification has a string `method` and no `id` key at all. */
export function isJsonRpcNotification(value: unknown): value is JsonRpcNotification {
  return (
    isObject(value) &&
    value.jsonrpc === JSONRPC_VERSION &&
    typeof value.method === "string" &&
    !("id" in value)
  );
}

/** A response has an `id` and a `result` or an `error`. */
export function isJsonRpcResponse(value: unknown): value is JsonRpcResponse {
  return (
    isObject(value) &&
    value.jsonrpc === JSONRPC_VERSION &&
    "id" in value &&
    ("result" in value || "error" in value)
  );
}

export function isJsonRpcSuccessResponse(response: JsonRpcResponse): response is JsonRpcSuccessResponse {
  return "result" in response && !("error" in response);
}

export function isJsonRpcErrorResponse(response: JsonRpcResponse): response is JsonRpcErrorResponse {
  return "error" in response;
}

/** One message as one NDJSON line. */
export function serializeMessage(message: JsonRpcMessage): string {
  return JSON.stringify(message) + MESSAGE_DELIMITER;
}

/** Thrown when a line is not JSON, or not a JSON-RPC 2.0 object. */
export class JsonRpcParseError extends Error {
  override readonly name = "JsonRpcParseError";
}

/** Thrown by a call that the other side answered with an error (or that timed out / lost its peer). */
export class JsonRpcCallError extends Error {
  override readonly name = "JsonRpcCallError";
  readonly code: number;
  readonly data: unknown;
  constructor(error: JsonRpcError) {
    super(error.message);
    this.code = error.code;
    this.data = error.data;
  }
}

/** Parse one line into a JSON-RPC 2.0 envelope, or throw JsonRpcParseError saying why not. */
export function parseMessage(line: string): JsonRpcMessage {
  const trimmed = line.trim();
  if (trimmed.length === 0) throw new JsonRpcParseError("Empty message");
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new JsonRpcParseError(`Invalid JSON: ${trimmed.slice(0, 200)}`);
  }
  return checkEnvelope(parsed);
}

/** Validate an already-parsed value as a JSON-RPC 2.0 envelope. */
export function checkEnvelope(parsed: unknown): JsonRpcMessage {
  if (!isObject(parsed)) throw new JsonRpcParseError("Message must be a JSON object");
  if (parsed.jsonrpc !== JSONRPC_VERSION) {
    throw new JsonRpcParseError(
      `Invalid or missing jsonrpc version (expected "${JSONRPC_VERSION}", got ${JSON.stringify(parsed.jsonrpc)})`,
    );
  }
  return parsed as unknown as JsonRpcMessage;
}

/** Host→worker methods every worker must answer. */
export const HOST_TO_WORKER_REQUIRED_METHODS = ["initialize", "health", "shutdown"] as const;

/** Host→worker methods a worker may implement. */
export const HOST_TO_WORKER_OPTIONAL_METHODS = [
  "validateConfig",
  "configChanged",
  "onEvent",
  "runJob",
  "handleWebhook",
  "handleApiRequest",
  "getData",
  "performAction",
  "executeTool",
  "detectExternalObjects",
  "resolveExternalObject",
  "refreshExternalObjects",
  "environmentValidateConfig",
  "environmentProbe",
  "environmentAcquireLease",
  "environmentResumeLease",
  "environmentReleaseLease",
  "environmentDestroyLease",
  "environmentRealizeWorkspace",
  "environmentExecute",
  "environmentRunnerIngressEndpoint",
  "environmentSyncIn",
  "environmentSyncOut",
  "environmentStartInteractiveSetup",
  "environmentGetInteractiveSetup",
  "environmentCaptureTemplate",
  "environmentCancelInteractiveSetup",
  "environmentDeleteTemplate",
  "loginPtyOpen",
  "loginPtyInput",
  "loginPtyStop",
  "loginPtyClose",
  "duplexChannelOpen",
  "duplexChannelWrite",
  "duplexChannelStop",
  "duplexChannelClose",
] as const;

export const LOGIN_PTY_OUTPUT_NOTIFICATION = "loginPty.output" as const;
export const LOGIN_PTY_EXIT_NOTIFICATION = "loginPty.exit" as const;
export const DUPLEX_CHANNEL_DATA_NOTIFICATION = "duplexChannel.data" as const;
export const DUPLEX_CHANNEL_EXIT_NOTIFICATION = "duplexChannel.exit" as const;

/** Duplex channel bytes travel as base64 strings. */
export type ChannelBytesWireValue = string;

export function encodeChannelBytes(bytes: Uint8Array): ChannelBytesWireValue {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decode a base64 wire value; null for anything that is not well-formed base64. */
export function decodeChannelBytes(value: unknown): Uint8Array | null {
  if (typeof value !== "string" || !BASE64.test(value)) return null;
  return new Uint8Array(Buffer.from(value, "base64"));
}
