// The postMessage protocol between the board and a sandboxed plugin UI frame (docs/plugin-ui-sandbox.md).
//
//   frame → board   ready · request {id, method, params} · reply {id} (to the board's requests) · rendered ·
//                   failed {message} · size {height} · escape
//   board → frame   mount {FrameMount} · update {hostContext?, location?, theme?} · reply {id, ok, result | error}
//                   · stream {streamId, event, …} (a proxied EventSource) · request {id, method} (overlay close)
//
// Every frame message carries the token the board put in the frame's URL fragment: the board answers only its
// own iframe's window (`event.source`), and only while the document it loaded is still there. Errors travel as
// PluginBridgeError `{code, message, details?}`, the shape the same-origin hooks produce.
import type { PluginBridgeError } from "@paperclipai/plugin-sdk/ui/types";

export const FRAME_PROTOCOL = "paperclip.plugin-frame/1";

/** The methods a frame may call on the board; anything else is refused (frame-requests.ts checks each). */
export const FRAME_METHODS = [
  "module.source",
  "bridge.call",
  "api.read",
  "stream.open",
  "stream.close",
  "toast.show",
  "navigate",
  "clipboard.write",
  "overlay.requestBounds",
  "overlay.watchClose",
] as const;
export type FrameMethod = (typeof FRAME_METHODS)[number];

/** The board's requests to the frame (an overlay asks the plugin's close handlers). */
export type BoardMethod = "overlay.beforeClose" | "overlay.close";

export type FrameTheme = "light" | "dark";

/** The render environment without its functions; the frame rebuilds them as calls to the board. */
export interface FrameRenderEnvironment {
  environment: string | null;
  launcherId: string | null;
  bounds: string | null;
  canRequestModalBounds: boolean;
  hasCloseLifecycle: boolean;
}

/** PluginHostContext as it crosses postMessage. */
export interface FrameHostContext {
  companyId: string | null;
  companyPrefix: string | null;
  projectId: string | null;
  entityId: string | null;
  entityType: string | null;
  parentEntityId?: string | null;
  userId: string | null;
  renderEnvironment: FrameRenderEnvironment | null;
}

export interface FrameLocation {
  pathname: string;
  search: string;
  hash: string;
  state: unknown;
}

/** What the board tells a frame to render. */
export interface FrameMount {
  pluginId: string;
  pluginKey: string;
  displayName: string;
  /** `?v=` of the bundle's URLs (the contribution's updatedAt, else its version). */
  version: string;
  entryFile: string;
  exportName: string;
  /** `{slot}` or `{launcher}`: the declarations, plain data. */
  props: Record<string, unknown>;
  hostContext: FrameHostContext;
  location: FrameLocation;
  theme: FrameTheme;
}

export type FrameReply = { ok: true; result: unknown } | { ok: false; error: PluginBridgeError };

export type FrameMessage = { protocol: typeof FRAME_PROTOCOL; token: string } & (
  | { type: "ready" }
  | { type: "request"; id: number; method: string; params: unknown }
  | ({ type: "reply"; id: number } & FrameReply)
  | { type: "rendered" }
  | { type: "failed"; message: string }
  | { type: "size"; height: number }
  | { type: "escape" }
);

export type BoardMessage = { protocol: typeof FRAME_PROTOCOL } & (
  | { type: "mount"; mount: FrameMount }
  | { type: "update"; hostContext?: FrameHostContext; location?: FrameLocation; theme?: FrameTheme }
  | ({ type: "reply"; id: number } & FrameReply)
  | {
      type: "stream";
      streamId: string;
      /** The EventSource event: open, message, error, or a named frame (open, close). */
      event: string;
      data?: string;
      lastEventId?: string;
      readyState: number;
    }
  | { type: "request"; id: number; method: BoardMethod; params: unknown }
);

const FRAME_TYPES = new Set(["ready", "request", "reply", "rendered", "failed", "size", "escape"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A frame's message, or null when `data` is not one (other postMessage traffic is ignored). */
export function parseFrameMessage(data: unknown): FrameMessage | null {
  if (!isRecord(data) || data.protocol !== FRAME_PROTOCOL) return null;
  if (typeof data.token !== "string" || typeof data.type !== "string" || !FRAME_TYPES.has(data.type))
    return null;
  switch (data.type) {
    case "request":
      return Number.isSafeInteger(data.id) && typeof data.method === "string" ? (data as FrameMessage) : null;
    case "reply":
      return Number.isSafeInteger(data.id) && typeof data.ok === "boolean" ? (data as FrameMessage) : null;
    case "failed":
      return typeof data.message === "string" ? (data as FrameMessage) : null;
    case "size":
      return typeof data.height === "number" && Number.isFinite(data.height) ? (data as FrameMessage) : null;
    default:
      return data as FrameMessage;
  }
}

/** A board message for the frame, or null. */
export function parseBoardMessage(data: unknown): BoardMessage | null {
  if (!isRecord(data) || data.protocol !== FRAME_PROTOCOL || typeof data.type !== "string") return null;
  return data as BoardMessage;
}

/** A random token for one frame document (also the fragment of its URL). */
export function newFrameToken(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** `/_plugins/<id>/ui-frame?v=<version>#<token>`: the frame document the host serves with its CSP. */
export function frameDocumentUrl(pluginId: string, version: string, token: string): string {
  return `/_plugins/${encodeURIComponent(pluginId)}/ui-frame?v=${encodeURIComponent(version || "0")}#${token}`;
}

/** The sandbox flags of the iframe: never allow-same-origin (the host's CSP sets the same ones). */
export const FRAME_SANDBOX =
  "allow-scripts allow-forms allow-modals allow-popups allow-popups-to-escape-sandbox";
