// The transport the frame runtime installs (plugin-ui/transport.ts): the board's own hooks and shared components
// run unchanged in the frame, and their bridge calls, API reads and plugin streams go to the board over the
// frame link instead of fetch and EventSource (which the frame's CSP forbids anyway).
import { isPluginBridgeError } from "../plugin-ui/bridge-errors.js";
import type { EventSourceLike, MessageEventLike } from "../plugin-ui/stream-client.js";
import type { PluginUiTransport } from "../plugin-ui/transport.js";
import type { FrameLink } from "./frame-link.js";
import { parseStreamUrl } from "./stream-url.js";

const CONNECTING = 0;
const CLOSED = 2;
let streamCounter = 0;

/**
 * An EventSource whose connection lives in the board: the board opens the real one (after checking the plugin and
 * company) and relays its open, message, error and named close events here, with its readyState.
 */
export class FrameEventSource implements EventSourceLike {
  readyState = CONNECTING;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: MessageEventLike) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  private readonly listeners = new Map<string, Set<(event: MessageEventLike) => void>>();
  private readonly streamId = `s${++streamCounter}`;
  private closed = false;

  constructor(
    private readonly link: FrameLink,
    url: string,
  ) {
    const target = parseStreamUrl(url);
    link.onStream(this.streamId, (relayed) => {
      this.readyState = relayed.readyState;
      this.dispatch(relayed.event, {
        ...(relayed.data !== undefined ? { data: relayed.data } : {}),
        lastEventId: relayed.lastEventId ?? "",
      });
    });
    link.request("stream.open", { streamId: this.streamId, ...target }).catch(() => {
      // Refused (another plugin or company) or the board could not open it: a closed stream, as a failed connection.
      if (this.closed) return;
      this.readyState = CLOSED;
      link.stopStream(this.streamId);
      this.dispatch("error", {});
    });
  }

  addEventListener(type: string, listener: (event: MessageEventLike) => void): void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener);
    this.listeners.set(type, set);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.readyState = CLOSED;
    this.listeners.clear();
    this.link.stopStream(this.streamId);
    this.link.request("stream.close", { streamId: this.streamId }).catch(() => undefined);
  }

  private dispatch(type: string, event: MessageEventLike): void {
    // As a native EventSource does: the on<type> handler, then the listeners of <type>.
    if (type === "open") this.onopen?.(event);
    else if (type === "message") this.onmessage?.(event);
    else if (type === "error") this.onerror?.(event);
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
  }
}

export function frameTransport(link: FrameLink): PluginUiTransport {
  return {
    callBridge: (pluginId, kind, key, body, signal) =>
      link.request("bridge.call", { pluginId, kind, key, body }, signal),
    getJson: async (path, signal) => {
      try {
        return await link.request("api.read", { path }, signal);
      } catch (error) {
        if (signal?.aborted) throw error;
        // getJson's contract: an Error naming the problem.
        throw new Error(isPluginBridgeError(error) ? error.message : String(error));
      }
    },
    openEventSource: (url) => new FrameEventSource(link, url),
  };
}
