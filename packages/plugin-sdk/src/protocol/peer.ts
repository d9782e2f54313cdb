/**
 * One JSON-RPC 2.0 endpoint over a pair of byte streams (NDJSON). The worker runtime and the host's
 * supervisor both use it: framing, outgoing calls with per-call timeouts, incoming requests and
 * notifications, id handling, write batching and back-pressure live here and nowhere else.
 */
import { JSONRPC_ERROR_CODES, JSONRPC_VERSION, PLUGIN_RPC_ERROR_CODES } from "./codes.js";
import type { OversizeEnvelope } from "./envelope-scan.js";
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from "./framing.js";
import {
  checkEnvelope,
  JsonRpcCallError,
  type JsonRpcError,
  type JsonRpcId,
  type JsonRpcNotification,
  JsonRpcParseError,
  type JsonRpcRequest,
  type JsonRpcResponse,
  MAX_RPC_ID,
} from "./messages.js";

/** A line that could not be accepted as a JSON-RPC message. */
export interface InvalidMessage {
  /** -32700 when the line is not a JSON-RPC 2.0 object, -32600 when it is but fits no message kind. */
  code: number;
  /** Why, e.g. `Invalid JSON: {oops` or `Line of 200000000 bytes exceeds the 134217728-byte limit`. */
  message: string;
  /** The request id when one could be read, else null. */
  id: JsonRpcId | null;
}

export interface RpcPeerOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Answers a request: return the result (or a promise of it); throw to send an error response. */
  onRequest(method: string, params: unknown, message: JsonRpcRequest): unknown;
  onNotification?(method: string, params: unknown, message: JsonRpcNotification): void;
  /** How a thrown error becomes the error object sent back. Default: numeric `code` kept, else INTERNAL_ERROR. */
  toRpcError?(error: unknown, method: string): JsonRpcError;
  onInvalidMessage?(problem: InvalidMessage): void;
  /** A response whose id matches no call in flight (late after a timeout, or bogus). */
  onUnknownResponse?(message: JsonRpcResponse): void;
  /** The input ended or closed; calls in flight have already failed with WORKER_UNAVAILABLE. */
  onEnd?(): void;
  /** The output failed (e.g. EPIPE); the peer is closed. */
  onOutputError?(error: Error): void;
  defaultTimeoutMs?: number;
  timeoutMessage?(method: string, timeoutMs: number): string;
  maxLineBytes?: number;
  /** Above this much unwritten output the peer stops reading input until the pipe drains. */
  maxBufferedOutputBytes?: number;
}

export interface CallOptions {
  timeoutMs?: number;
  /** Extra top-level fields for the request, e.g. `paperclipInvocationId`. */
  envelope?: Record<string, unknown>;
}

interface PendingCall {
  method: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timeoutMs: number;
  /** performance.now() past which the call times out; Infinity for none. */
  deadline: number;
}

export const DEFAULT_RPC_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BUFFERED_OUTPUT = 16 * 1024 * 1024;
/** Flush at once past this much batched output instead of waiting for the end of the tick. */
const EAGER_FLUSH_BYTES = 64 * 1024;
/** setTimeout's ceiling; longer timeouts are clamped. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function defaultToRpcError(error: unknown): JsonRpcError {
  const err = error as { code?: unknown; message?: unknown; data?: unknown } | null;
  const code = typeof err?.code === "number" ? err.code : JSONRPC_ERROR_CODES.INTERNAL_ERROR;
  const message = typeof err?.message === "string" ? err.message : String(error);
  return err?.data === undefined ? { code, message } : { code, message, data: err.data };
}

/** `16 MiB (16777216 bytes)`, or just the bytes for limits that are not whole MiB. */
export function describeBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB (${bytes} bytes)` : `${bytes}-byte`;
}

function isValidId(id: unknown): id is JsonRpcId {
  return typeof id === "string" || (typeof id === "number" && Number.isFinite(id));
}

export class RpcPeer {
  private readonly options: RpcPeerOptions;
  private readonly splitter: LineSplitter;
  private readonly pending = new Map<JsonRpcId, PendingCall>();
  private readonly defaultTimeoutMs: number;
  private readonly maxBufferedOutput: number;
  private readonly maxLineBytes: number;
  private nextId = 1;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private outQueue: string[] = [];
  private outQueuedBytes = 0;
  /** True from an immediate write until the microtask queue drains. */
  private batchOpen = false;
  private outputBlocked = false;
  private inputPaused = false;
  private closed = false;
  private ended = false;

  constructor(options: RpcPeerOptions) {
    this.options = options;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_RPC_TIMEOUT_MS;
    this.maxBufferedOutput = options.maxBufferedOutputBytes ?? DEFAULT_MAX_BUFFERED_OUTPUT;
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.splitter = new LineSplitter({
      maxLineBytes: this.maxLineBytes,
      onLine: (line) => this.handleLine(line),
      onOversizeMessage: (envelope) => this.oversizeMessage(envelope),
      onOversizeLine: (bytes) =>
        this.reportInvalid({
          code: JSONRPC_ERROR_CODES.PARSE_ERROR,
          message: `Line of ${bytes} bytes exceeds the ${this.maxLineBytes}-byte limit`,
          id: null,
        }),
    });
    options.input.on("data", this.onData);
    options.input.on("end", this.onInputEnd);
    options.input.on("close", this.onInputEnd);
    options.output.on("error", this.onOutputError);
  }

  /** Calls in flight. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Bytes queued for the output that the pipe has not accepted yet. */
  get bufferedOutputBytes(): number {
    return this.outQueuedBytes;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Send a request and wait for its response. Rejects with JsonRpcCallError. */
  call<TResult = unknown>(method: string, params: unknown, options: CallOptions = {}): Promise<TResult> {
    if (this.closed || this.ended) {
      return Promise.reject(
        new JsonRpcCallError({
          code: PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE,
          message: `Cannot call "${method}": the connection is closed`,
        }),
      );
    }
    const id = this.takeId();
    const timeoutMs = Math.min(options.timeoutMs ?? this.defaultTimeoutMs, MAX_TIMER_MS);
    return new Promise<TResult>((resolve, reject) => {
      const deadline = timeoutMs > 0 ? performance.now() + timeoutMs : Number.POSITIVE_INFINITY;
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timeoutMs, deadline });
      if (deadline < this.timerAt) this.armTimer(deadline);
      const message = { jsonrpc: JSONRPC_VERSION, id, method, params, ...options.envelope };
      this.enqueue(JSON.stringify(message));
    });
  }

  /** Send a notification (no response expected). */
  notify(method: string, params: unknown, envelope?: Record<string, unknown>): void {
    if (this.closed) return;
    const message =
      envelope === undefined
        ? { jsonrpc: JSONRPC_VERSION, method, params }
        : { jsonrpc: JSONRPC_VERSION, method, params, ...envelope };
    this.enqueue(JSON.stringify(message));
  }

  /** Send any message object as one line. */
  send(message: object): void {
    if (this.closed) return;
    this.enqueue(JSON.stringify(message));
  }

  /** Fail every call in flight with the given error. */
  failPending(code: number, message: string): void {
    if (this.pending.size === 0) return;
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) call.reject(new JsonRpcCallError({ code, message }));
  }

  /** Stop reading and writing; calls in flight fail with WORKER_UNAVAILABLE. Queued output is flushed first. */
  close(reason = "The RPC connection was closed"): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.options.input.off("data", this.onData);
    this.options.input.off("end", this.onInputEnd);
    this.options.input.off("close", this.onInputEnd);
    this.failPending(PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE, reason);
    if (this.timer) clearTimeout(this.timer);
  }

  private takeId(): number {
    if (this.nextId >= MAX_RPC_ID) this.nextId = 1;
    return this.nextId++;
  }

  /**
   * One timer for all calls, armed for the earliest deadline. A timer per call costs more than the rest
   * of a round trip's bookkeeping; this one fires about once per timeout period, however many calls pass.
   */
  private armTimer(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    // Unref'd: an open input keeps the process alive while calls are in flight; the timer must not.
    this.timer = setTimeout(this.sweep, Math.max(0, at - performance.now())).unref();
  }

  private readonly sweep = (): void => {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [id, call] of this.pending) {
      if (call.deadline <= now) {
        this.pending.delete(id);
        const message = this.options.timeoutMessage
          ? this.options.timeoutMessage(call.method, call.timeoutMs)
          : `RPC call "${call.method}" timed out after ${call.timeoutMs}ms`;
        call.reject(new JsonRpcCallError({ code: PLUGIN_RPC_ERROR_CODES.TIMEOUT, message }));
      } else if (call.deadline < next) {
        next = call.deadline;
      }
    }
    if (next !== Number.POSITIVE_INFINITY) this.armTimer(next);
  };

  private readonly onData = (chunk: Buffer | string): void => {
    this.splitter.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  };

  private readonly onInputEnd = (): void => {
    if (this.ended) return;
    this.ended = true;
    this.failPending(
      PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE,
      "The other side of the RPC connection closed",
    );
    this.options.onEnd?.();
  };

  private readonly onOutputError = (error: Error): void => {
    this.outQueue = [];
    this.outQueuedBytes = 0;
    this.close(`The RPC output failed: ${error.message}`);
    this.options.onOutputError?.(error);
  };

  private handleLine(line: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      const trimmed = line.trim();
      const message = trimmed.length === 0 ? "Empty message" : `Invalid JSON: ${trimmed.slice(0, 200)}`;
      this.reportInvalid({ code: JSONRPC_ERROR_CODES.PARSE_ERROR, message, id: null });
      return;
    }
    let envelope: Record<string, unknown>;
    try {
      envelope = checkEnvelope(parsed) as unknown as Record<string, unknown>;
    } catch (error) {
      const message = error instanceof JsonRpcParseError ? error.message : String(error);
      this.reportInvalid({ code: JSONRPC_ERROR_CODES.PARSE_ERROR, message, id: null });
      return;
    }
    const method = envelope.method;
    if (typeof method === "string") {
      if (!("id" in envelope)) {
        this.dispatchNotification(method, envelope as unknown as JsonRpcNotification);
      } else if (isValidId(envelope.id)) {
        this.dispatchRequest(method, envelope as unknown as JsonRpcRequest);
      } else {
        this.reportInvalid({
          code: JSONRPC_ERROR_CODES.INVALID_REQUEST,
          message: `Invalid request id for method "${method}": must be a string or a number`,
          id: null,
        });
      }
      return;
    }
    if ("id" in envelope && ("result" in envelope || "error" in envelope)) {
      this.settle(envelope as unknown as JsonRpcResponse);
      return;
    }
    this.reportInvalid({
      code: JSONRPC_ERROR_CODES.INVALID_REQUEST,
      message: "Message is neither a request, a notification nor a response",
      id: isValidId(envelope.id) ? envelope.id : null,
    });
  }

  private dispatchRequest(method: string, message: JsonRpcRequest): void {
    const id = message.id;
    let outcome: unknown;
    try {
      outcome = this.options.onRequest(method, message.params, message);
    } catch (error) {
      this.replyError(id, error, method);
      return;
    }
    if (outcome !== null && typeof (outcome as PromiseLike<unknown>)?.then === "function") {
      (outcome as PromiseLike<unknown>).then(
        (result) => this.replyResult(id, result),
        (error: unknown) => this.replyError(id, error, method),
      );
    } else {
      this.replyResult(id, outcome);
    }
  }

  private replyResult(id: JsonRpcId, result: unknown): void {
    // `undefined` is not JSON: void results travel as null.
    this.send({ jsonrpc: JSONRPC_VERSION, id, result: result ?? null });
  }

  private replyError(id: JsonRpcId, error: unknown, method: string): void {
    const rpcError = this.options.toRpcError
      ? this.options.toRpcError(error, method)
      : defaultToRpcError(error);
    this.send({ jsonrpc: JSONRPC_VERSION, id, error: rpcError });
  }

  private dispatchNotification(method: string, message: JsonRpcNotification): void {
    try {
      this.options.onNotification?.(method, message.params, message);
    } catch {
      // A notification has nobody to answer; the owner's handler is responsible for its own logging.
    }
  }

  private settle(response: JsonRpcResponse): void {
    const call = response.id === null ? undefined : this.pending.get(response.id);
    if (!call) {
      this.options.onUnknownResponse?.(response);
      return;
    }
    this.pending.delete(response.id as JsonRpcId);
    if ("error" in response && response.error) {
      const error = response.error as Partial<JsonRpcError>;
      call.reject(
        new JsonRpcCallError({
          code: typeof error.code === "number" ? error.code : PLUGIN_RPC_ERROR_CODES.UNKNOWN,
          message: typeof error.message === "string" ? error.message : "Unknown error",
          data: error.data,
        }),
      );
    } else {
      call.resolve((response as { result?: unknown }).result);
    }
  }

  /**
   * A line over the limit is never parsed, but its envelope is read from its bytes (envelope-scan.ts): a
   * response fails the one call it answered at once, a request gets an error response naming the limit. Only
   * that call is affected; a line whose id cannot be read (not a JSON-RPC object) is only reported.
   */
  private oversizeMessage(envelope: OversizeEnvelope): void {
    const limit = describeBytes(this.maxLineBytes);
    if (envelope.kind === "response" && envelope.id !== null) {
      const call = this.pending.get(envelope.id);
      if (!call) return;
      this.pending.delete(envelope.id);
      call.reject(
        new JsonRpcCallError({
          code: PLUGIN_RPC_ERROR_CODES.MESSAGE_TOO_LARGE,
          message:
            `The response to "${call.method}" exceeded the ${limit} message limit and was dropped; ` +
            "return less data (or page it) from the handler",
          data: { limitBytes: this.maxLineBytes, method: call.method },
        }),
      );
      return;
    }
    if (envelope.kind === "request" && envelope.id !== null && !this.closed) {
      const method = envelope.method ?? "(unknown method)";
      this.send({
        jsonrpc: JSONRPC_VERSION,
        id: envelope.id,
        error: {
          code: PLUGIN_RPC_ERROR_CODES.MESSAGE_TOO_LARGE,
          message: `The request "${method}" exceeded the ${limit} message limit and was dropped; send less data`,
          data: { limitBytes: this.maxLineBytes, method },
        },
      });
    }
  }

  private reportInvalid(problem: InvalidMessage): void {
    this.options.onInvalidMessage?.(problem);
  }

  /**
   * The first message is written at once (no added latency for a lone call); anything else sent before
   * the current job's microtasks drain is batched into one write (fewer syscalls and wake-ups under load).
   * A microtask, not setImmediate, closes the batch: it costs no extra turn of the event loop.
   */
  private enqueue(json: string): void {
    if (this.outputBlocked) {
      this.queue(json);
      this.applyBackPressure();
      return;
    }
    if (!this.batchOpen) {
      this.batchOpen = true;
      queueMicrotask(this.closeBatch);
      this.write(`${json}\n`);
      return;
    }
    this.queue(json);
    if (this.outQueuedBytes >= EAGER_FLUSH_BYTES) this.flush();
  }

  private queue(json: string): void {
    this.outQueue.push(json);
    this.outQueuedBytes += json.length + 1;
  }

  private readonly closeBatch = (): void => {
    this.batchOpen = false;
    this.flush();
  };

  private write(data: string): void {
    const accepted = this.options.output.write(data);
    if (!accepted && !this.outputBlocked) {
      this.outputBlocked = true;
      this.options.output.once("drain", this.onDrain);
    }
  }

  /** Write everything queued now (e.g. right before the process exits). */
  readonly flush = (): void => {
    if (this.outQueue.length === 0 || this.outputBlocked || this.closed) return;
    const data = this.outQueue.length === 1 ? `${this.outQueue[0]}\n` : `${this.outQueue.join("\n")}\n`;
    this.outQueue = [];
    this.outQueuedBytes = 0;
    this.write(data);
  };

  private readonly onDrain = (): void => {
    this.outputBlocked = false;
    if (this.inputPaused) {
      this.inputPaused = false;
      this.options.input.resume();
    }
    this.flush();
  };

  /** While the pipe is full and our backlog is large, stop taking new work from the input. */
  private applyBackPressure(): void {
    if (!this.inputPaused && this.outQueuedBytes > this.maxBufferedOutput) {
      this.inputPaused = true;
      this.options.input.pause();
    }
  }
}
