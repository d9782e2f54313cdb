// How the plugin UI runtime reaches the host. In the board nothing is installed and the hooks and shared
// components use fetch and EventSource with the user's session (http.ts, hooks/plugin-stream.ts). Inside a
// sandboxed plugin frame (src/plugin-frame, docs/plugin-ui-sandbox.md) the frame cannot connect anywhere: its
// runtime installs a transport that carries the same calls to the board over postMessage, where they are checked.
import type { EventSourceLike } from "./stream-client.js";

export interface PluginUiTransport {
  /** `callPluginBridge`: resolves with the answer's `data`, rejects with a PluginBridgeError. */
  callBridge(
    pluginId: string,
    kind: "data" | "actions",
    key: string,
    body: {
      companyId: string | null;
      params: Record<string, unknown>;
      renderEnvironment: Record<string, unknown> | null;
    },
    signal?: AbortSignal,
  ): Promise<unknown>;
  /** `getJson` of the shared components (issues list, pickers): rejects with an Error naming the problem. */
  getJson(path: string, signal?: AbortSignal): Promise<unknown>;
  /** The EventSource of a plugin stream URL (`pluginStreamUrl`). */
  openEventSource(url: string): EventSourceLike;
}

let installed: PluginUiTransport | null = null;

/** Route every host call of this realm through `transport` (the sandboxed frame's runtime does, once). */
export function installPluginUiTransport(transport: PluginUiTransport): void {
  installed = transport;
}

/** The installed transport, or null: then the board's own fetch and EventSource are used. */
export function pluginUiTransport(): PluginUiTransport | null {
  return installed;
}
