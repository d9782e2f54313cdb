/**
 * The worker side of the host↔worker conversation: reads host messages from stdin, answers them
 * through the dispatcher, and gives the plugin its ctx for calls the other way. `runWorker` is the
 * one line at the bottom of a worker file; it only starts when that file is the process entry.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PaperclipPlugin } from "../define-plugin.js";
import {
  createErrorResponse,
  type InvalidMessage,
  JSONRPC_ERROR_CODES,
  type JsonRpcResponse,
  PLUGIN_RPC_ERROR_CODES,
  RpcPeer,
} from "../protocol/index.js";
import { buildContext } from "./ctx/index.js";
import { createDispatcher, WorkerState } from "./dispatch.js";
import { errorMessage, isRecord, toWorkerRpcError } from "./errors.js";
import { createHostLink } from "./host-link.js";
import { InvocationTracker, invocationOf } from "./invocation.js";
import { installProcessHooks } from "./process-hooks.js";
import { HandlerRegistry } from "./registry.js";

const DEFAULT_RPC_TIMEOUT_MS = 30_000;

export interface WorkerRpcHostOptions {
  /** The plugin returned by `definePlugin()`. */
  plugin: PaperclipPlugin;
  /** Where host messages arrive. Default: process.stdin. */
  stdin?: NodeJS.ReadableStream;
  /** Where worker messages go. Default: process.stdout. */
  stdout?: NodeJS.WritableStream;
  /** Default timeout for worker→host calls. Default: 30 000 ms. */
  rpcTimeoutMs?: number;
}

export interface WorkerRpcHost {
  /** True until stop(), shutdown, or the end of stdin. */
  readonly running: boolean;
  /** Stop at once: pending worker→host calls fail; the plugin's onShutdown is NOT called. */
  stop(): void;
}

/** Options for running a worker on explicit streams (tests), skipping the main-module check. */
export interface RunWorkerOptions {
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
}

/** Log lines about dropped input go to stderr: stdout belongs to the protocol. */
function logDropped(text: string): void {
  process.stderr.write(`[paperclip-plugin-sdk] ${text}\n`);
}

function realPathOf(filePath: string): string {
  const resolved = path.resolve(filePath);
  try {
    return fs.realpathSync.native(resolved);
  } catch {
    return resolved;
  }
}

/** True when `entry` (usually process.argv[1]) is the file behind `moduleUrl`, symlinks resolved. */
export function isWorkerEntrypoint(entry: string, moduleUrl: string): boolean {
  return realPathOf(fileURLToPath(moduleUrl)) === realPathOf(entry);
}

/**
 * Start the RPC host when the calling module is the process entrypoint (`node dist/worker.js`), or
 * when explicit stdin and stdout are given. Importing a worker module (e.g. in a test) starts nothing.
 */
export function runWorker(
  plugin: PaperclipPlugin,
  moduleUrl: string,
  options?: RunWorkerOptions,
): WorkerRpcHost | undefined {
  if (options?.stdin != null && options?.stdout != null) {
    return startWorkerRpcHost({ plugin, stdin: options.stdin, stdout: options.stdout });
  }
  const entry = process.argv[1];
  if (typeof entry !== "string" || !isWorkerEntrypoint(entry, moduleUrl)) return undefined;
  return startWorkerRpcHost({ plugin });
}

/** Start answering the host. setup() runs later, when `initialize` arrives. */
export function startWorkerRpcHost(options: WorkerRpcHostOptions): WorkerRpcHost {
  // With the process's own streams the worker owns the process: it exits on shutdown or stdin EOF.
  const ownsProcess = !options.stdin && !options.stdout;
  const registry = new HandlerRegistry();
  const state = new WorkerState();
  const invocations = new InvocationTracker();
  let running = true;

  const peer = new RpcPeer({
    input: options.stdin ?? process.stdin,
    output: options.stdout ?? process.stdout,
    defaultTimeoutMs: options.rpcTimeoutMs ?? DEFAULT_RPC_TIMEOUT_MS,
    timeoutMessage: (method, ms) => `Worker→host call "${method}" timed out after ${ms}ms`,
    onRequest: (method, params, message) =>
      invocations.run(invocationOf(message), () => dispatch(method, params)),
    onNotification: (method, params, message) => handleNotification(method, params, message),
    toRpcError: toWorkerRpcError,
    onInvalidMessage: handleInvalidMessage,
    onUnknownResponse: (response: JsonRpcResponse) =>
      logDropped(`Dropped a response to unknown request id ${JSON.stringify(response.id)}`),
    onEnd: () => {
      if (!running) return;
      stop();
      if (ownsProcess) process.exit(0);
    },
  });

  const host = createHostLink(peer, invocations, () => running);
  const ctx = buildContext({ host, registry, state });
  const { dispatch, deliverEvent } = createDispatcher({
    plugin: options.plugin,
    ctx,
    registry,
    state,
    host,
    afterShutdown: () => {
      stop();
      if (ownsProcess) process.exit(0);
    },
  });

  function handleInvalidMessage(problem: InvalidMessage): void {
    if (problem.code === JSONRPC_ERROR_CODES.PARSE_ERROR) {
      // Blank lines are padding, not messages.
      if (problem.message === "Empty message") return;
      peer.send(
        createErrorResponse(null, JSONRPC_ERROR_CODES.PARSE_ERROR, `Parse error: ${problem.message}`),
      );
      return;
    }
    // Valid JSON-RPC 2.0 objects that are no known message kind have no one to answer.
    logDropped(`Dropped an invalid message: ${problem.message}`);
  }

  function handleNotification(method: string, params: unknown, message: object): void {
    const invocation = invocationOf(message);
    if (method === "onEvent") {
      invocations
        .run(invocation, () => deliverEvent(params))
        .catch((error: unknown) => {
          host.notify("log", {
            level: "error",
            message: `Failed to handle event notification: ${errorMessage(error)}`,
          });
        });
      return;
    }
    if (method === "agents.sessions.event") {
      deliverSessionEvent(params);
      return;
    }
    logDropped(`Dropped a notification for unknown method "${method}"`);
  }

  /** Route a streamed agent-session event to the onEvent callback given to sessions.sendMessage. */
  function deliverSessionEvent(params: unknown): void {
    if (!isRecord(params) || typeof params.sessionId !== "string") {
      logDropped("Dropped an agents.sessions.event notification without params.sessionId");
      return;
    }
    const callback = registry.sessionCallbacks.get(params.sessionId);
    if (!callback) return;
    try {
      callback(params as never);
    } catch (error) {
      host.notify("log", {
        level: "error",
        message: `Agent session event callback for "${params.sessionId}" failed: ${errorMessage(error)}`,
      });
    }
  }

  function stop(): void {
    if (!running) return;
    running = false;
    peer.failPending(PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE, "Worker RPC host is shutting down");
    peer.close("Worker RPC host is shutting down");
    registry.sessionCallbacks.clear();
  }

  if (ownsProcess) installProcessHooks(host, () => peer.flush());

  return {
    get running() {
      return running;
    },
    stop,
  };
}
