// The frame's end of the postMessage protocol (plugin-ui/sandbox/protocol.ts): requests to the board with ids
// and their replies, the board's mount and updates, relayed stream events, and the board's own requests (an
// overlay asking the plugin's close handlers). Only messages from the parent window are read; every message
// sent carries the token of this document (its URL fragment), which the board checks.
import type { PluginBridgeError } from "@paperclipai/plugin-sdk/ui/types";
import {
  type BoardMessage,
  type BoardMethod,
  FRAME_PROTOCOL,
  type FrameMessage,
  type FrameMethod,
  type FrameMount,
  parseBoardMessage,
} from "../plugin-ui/sandbox/protocol.js";

type Update = Extract<BoardMessage, { type: "update" }>;
type StreamEvent = Extract<BoardMessage, { type: "stream" }>;
/** What FrameMessage adds to every message (the link fills it in). */
type Outgoing = FrameMessage extends infer M
  ? M extends unknown
    ? Omit<M, "protocol" | "token">
    : never
  : never;

interface Pending {
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

export class FrameLink {
  private readonly pending = new Map<number, Pending>();
  private readonly streams = new Map<string, (event: StreamEvent) => void>();
  private readonly updateListeners = new Set<(update: Update) => void>();
  private mountListener: ((mount: FrameMount) => void) | null = null;
  private boardRequestHandler: ((method: BoardMethod, params: unknown) => Promise<unknown>) | null = null;
  private nextId = 1;

  constructor(
    private readonly token: string,
    private readonly board: Window,
  ) {
    globalThis.addEventListener("message", (event) => this.receive(event));
  }

  send(message: Outgoing): void {
    this.board.postMessage({ ...message, protocol: FRAME_PROTOCOL, token: this.token }, "*");
  }

  /** Call the board; resolves with the result, rejects with the board's PluginBridgeError (or the abort reason). */
  request<T = unknown>(method: FrameMethod, params: unknown, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.pending.set(id, {
        resolve: (result) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(result as T);
        },
        reject: (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      });
      try {
        this.send({ type: "request", id, method, params });
      } catch (error) {
        // Params that cannot be cloned (functions, DOM nodes) fail here, as a bridge error.
        this.pending.delete(id);
        const failure: PluginBridgeError = {
          code: "UNKNOWN",
          message: `The request could not be sent to the board: ${(error as Error).message}`,
        };
        reject(failure);
      }
    });
  }

  onMount(listener: (mount: FrameMount) => void): void {
    this.mountListener = listener;
  }

  onUpdate(listener: (update: Update) => void): () => void {
    this.updateListeners.add(listener);
    return () => this.updateListeners.delete(listener);
  }

  onBoardRequest(handler: (method: BoardMethod, params: unknown) => Promise<unknown>): void {
    this.boardRequestHandler = handler;
  }

  /** Receive the relayed events of stream `streamId` until `stopStream`. */
  onStream(streamId: string, listener: (event: StreamEvent) => void): void {
    this.streams.set(streamId, listener);
  }

  stopStream(streamId: string): void {
    this.streams.delete(streamId);
  }

  private receive(event: MessageEvent): void {
    if (event.source !== this.board) return;
    const message = parseBoardMessage(event.data);
    if (!message) return;
    switch (message.type) {
      case "mount":
        this.mountListener?.(message.mount);
        return;
      case "update":
        for (const listener of [...this.updateListeners]) listener(message);
        return;
      case "reply": {
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (!pending) return;
        if (message.ok) pending.resolve(message.result);
        else pending.reject(message.error);
        return;
      }
      case "stream":
        this.streams.get(message.streamId)?.(message);
        return;
      case "request":
        void this.answer(message.id, message.method, message.params);
        return;
    }
  }

  private async answer(id: number, method: BoardMethod, params: unknown): Promise<void> {
    try {
      const result = this.boardRequestHandler ? await this.boardRequestHandler(method, params) : true;
      this.send({ type: "reply", id, ok: true, result });
    } catch (error) {
      this.send({
        type: "reply",
        id,
        ok: false,
        error: { code: "UNKNOWN", message: error instanceof Error ? error.message : String(error) },
      });
    }
  }
}
