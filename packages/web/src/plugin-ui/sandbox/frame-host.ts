// The board's side of one sandboxed plugin frame (docs/plugin-ui-sandbox.md): runs the requests that passed
// frame-requests.ts with the user's session — bridge calls, the shared components' reads, the plugin's own UI
// files, plugin streams (a real EventSource here, its events relayed to the frame), toasts, router navigation,
// clipboard writes and the overlay's bounds and close handlers — and answers with the result or a
// PluginBridgeError. Framework-free (the deps are injected), so the unit tests drive it without a browser.
import type {
  PluginBridgeError,
  PluginRenderCloseEvent,
  PluginRenderCloseHandler,
  PluginRenderEnvironmentContext,
  PluginToastInput,
} from "@paperclipai/plugin-sdk/ui/types";
import { toPluginBridgeError } from "../bridge-errors.js";
import { pluginStreamUrl } from "../stream-client.js";
import {
  type CheckedRequest,
  checkFrameRequest,
  FrameRequestRefused,
  type FrameScope,
} from "./frame-requests.js";
import { type BoardMessage, type BoardMethod, FRAME_PROTOCOL, type FrameReply } from "./protocol.js";

/** The part of a browser EventSource the relay uses. */
export interface RelayedEventSource {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: { data?: unknown; lastEventId?: string }) => void): void;
  close(): void;
}

export interface FrameHostDeps {
  /** Who the frame is now (the company follows the mount's host context). */
  scope(): FrameScope;
  /** The real render environment of the mount (overlay bounds and close lifecycle), if any. */
  renderEnvironment(): PluginRenderEnvironmentContext | null | undefined;
  post(message: BoardMessage): void;
  fetchText(url: string): Promise<string>;
  callBridge(
    pluginId: string,
    kind: "data" | "actions",
    key: string,
    body: Extract<CheckedRequest, { method: "bridge.call" }>["body"],
  ): Promise<unknown>;
  getJson(path: string): Promise<unknown>;
  openEventSource(url: string): RelayedEventSource;
  showToast(input: PluginToastInput, pluginId: string): string | null;
  navigate(href: string, options: { replace: boolean; state: unknown }): void;
  copyText(text: string): Promise<void>;
  /** How long the board waits for the frame's close handlers; default 5 s (then the overlay closes). */
  closeAnswerTimeoutMs?: number;
}

/** Requests of one frame running at once; more are refused (a frame cannot flood the host through the board). */
export const MAX_IN_FLIGHT = 64;
/** Plugin streams one frame may hold open. */
export const MAX_STREAMS = 8;

const RELAYED_EVENTS = ["open", "message", "error", "close"] as const;

export class FrameHost {
  private readonly streams = new Map<string, RelayedEventSource>();
  private readonly pendingAnswers = new Map<number, (reply: FrameReply) => void>();
  private readonly closeWatch: { before: (() => void) | null; close: (() => void) | null } = {
    before: null,
    close: null,
  };
  private inFlight = 0;
  private nextId = 1;
  private disposed = false;

  constructor(private readonly deps: FrameHostDeps) {}

  /** Run one frame request and post its reply (a refusal or failure is a reply too). */
  async handleRequest(id: number, method: string, params: unknown): Promise<void> {
    if (this.disposed) return;
    let reply: FrameReply;
    if (this.inFlight >= MAX_IN_FLIGHT) {
      reply = {
        ok: false,
        error: { code: "UNKNOWN", message: `More than ${MAX_IN_FLIGHT} requests of this frame are running` },
      };
    } else {
      this.inFlight++;
      try {
        reply = { ok: true, result: await this.run(checkFrameRequest(this.deps.scope(), method, params)) };
      } catch (error) {
        reply = {
          ok: false,
          error: error instanceof FrameRequestRefused ? error.error : toPluginBridgeError(error),
        };
      } finally {
        this.inFlight--;
      }
    }
    if (!this.disposed) this.deps.post({ protocol: FRAME_PROTOCOL, type: "reply", id, ...reply });
  }

  /** The frame's answer to one of the board's requests. */
  handleReply(id: number, reply: FrameReply): void {
    const resolve = this.pendingAnswers.get(id);
    this.pendingAnswers.delete(id);
    resolve?.(reply);
  }

  /** The frame is gone (unmounted, reloaded or navigated away): close its streams and handlers. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const source of this.streams.values()) source.close();
    this.streams.clear();
    this.closeWatch.before?.();
    this.closeWatch.close?.();
    for (const resolve of this.pendingAnswers.values()) resolve({ ok: true, result: true });
    this.pendingAnswers.clear();
  }

  private async run(request: CheckedRequest): Promise<unknown> {
    const { pluginId } = this.deps.scope();
    switch (request.method) {
      case "module.source":
        return this.deps.fetchText(request.url);
      case "bridge.call":
        return this.deps.callBridge(pluginId, request.kind, request.key, request.body);
      case "api.read":
        try {
          return await this.deps.getJson(request.path);
        } catch (error) {
          throw { code: "UNKNOWN", message: toPluginBridgeError(error).message } satisfies PluginBridgeError;
        }
      case "stream.open":
        return this.openStream(pluginId, request);
      case "stream.close":
        this.streams.get(request.streamId)?.close();
        this.streams.delete(request.streamId);
        return null;
      case "toast.show":
        return this.deps.showToast(request.input, pluginId);
      case "navigate":
        this.deps.navigate(request.href, { replace: request.replace, state: request.state });
        return null;
      case "clipboard.write":
        await this.deps.copyText(request.text);
        return null;
      case "overlay.requestBounds": {
        const requestBounds = this.deps.renderEnvironment()?.requestModalBounds;
        if (!requestBounds) throw new Error("This mount is not in a host modal or drawer: it has no bounds");
        await requestBounds(request.request as never);
        return null;
      }
      case "overlay.watchClose":
        this.watchClose(request.before, request.close);
        return null;
    }
  }

  private openStream(pluginId: string, request: Extract<CheckedRequest, { method: "stream.open" }>): null {
    if (this.streams.has(request.streamId)) throw new Error(`Stream ${request.streamId} is already open`);
    if (this.streams.size >= MAX_STREAMS)
      throw new Error(`A frame may hold at most ${MAX_STREAMS} streams open`);
    const source = this.deps.openEventSource(
      pluginStreamUrl(pluginId, request.channel, request.companyId, request.lastEventId),
    );
    this.streams.set(request.streamId, source);
    for (const event of RELAYED_EVENTS) {
      source.addEventListener(event, (received) => {
        if (this.streams.get(request.streamId) !== source) return;
        this.deps.post({
          protocol: FRAME_PROTOCOL,
          type: "stream",
          streamId: request.streamId,
          event,
          readyState: source.readyState,
          ...(typeof received?.data === "string" ? { data: received.data } : {}),
          ...(received?.lastEventId ? { lastEventId: received.lastEventId } : {}),
        });
      });
    }
    return null;
  }

  /** Proxy the frame's onBeforeClose / onClose handlers onto the overlay's real close lifecycle. */
  private watchClose(before: boolean, close: boolean): void {
    const lifecycle = this.deps.renderEnvironment()?.closeLifecycle;
    if (!lifecycle) throw new Error("This mount is not in a host overlay: it has no close lifecycle");
    if (before && !this.closeWatch.before && lifecycle.onBeforeClose) {
      // The plugin keeps its overlay open by answering false; a failure or no answer lets it close. (The
      // published type says void, but the board's overlay reads a `false` answer, as Paperclip's does.)
      const askFrame = async (event: PluginRenderCloseEvent) => {
        const reply = await this.ask("overlay.beforeClose", { reason: event.reason });
        return reply.ok && reply.result === false ? false : undefined;
      };
      this.closeWatch.before = lifecycle.onBeforeClose(
        askFrame as unknown as PluginRenderCloseHandler,
      ) as () => void;
    } else if (!before && this.closeWatch.before) {
      this.closeWatch.before();
      this.closeWatch.before = null;
    }
    if (close && !this.closeWatch.close && lifecycle.onClose) {
      this.closeWatch.close = lifecycle.onClose((event: PluginRenderCloseEvent) => {
        void this.ask("overlay.close", { reason: event.reason });
      }) as () => void;
    } else if (!close && this.closeWatch.close) {
      this.closeWatch.close();
      this.closeWatch.close = null;
    }
  }

  /** A request to the frame; resolves with its reply, or `{ok: true, result: true}` after the timeout. */
  private ask(method: BoardMethod, params: unknown): Promise<FrameReply> {
    if (this.disposed) return Promise.resolve({ ok: true, result: true });
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => this.handleReply(id, { ok: true, result: true }),
        this.deps.closeAnswerTimeoutMs ?? 5_000,
      );
      this.pendingAnswers.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.deps.post({ protocol: FRAME_PROTOCOL, type: "request", id, method, params });
    });
  }
}
