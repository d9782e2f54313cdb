// The host-drawn overlays launchers open (modal, drawer, popover), kept outside React so a launcher in a menu
// that closes can still open one. Each overlay owns its close lifecycle (reference §10.3
// `renderEnvironment.closeLifecycle`): closing asks every `onBeforeClose` handler first and stays open when one
// answers `false`; `onClose` handlers hear the close. `requestModalBounds` resizes it live.
import type { PluginLauncherDeclaration } from "@paperclipai/plugin-sdk/types";
import type {
  PluginHostContext,
  PluginLauncherBounds,
  PluginModalBoundsRequest,
  PluginRenderCloseEvent,
  PluginRenderCloseHandler,
  PluginRenderCloseLifecycle,
} from "@paperclipai/plugin-sdk/ui/types";
import type { PluginUiContribution } from "@/plugin-ui";

export type OverlayKind = "modal" | "drawer" | "popover";
export type CloseReason = PluginRenderCloseEvent["reason"];

export interface PluginOverlay {
  id: number;
  kind: OverlayKind;
  contribution: PluginUiContribution;
  launcher: PluginLauncherDeclaration;
  /** `hostOverlay`, `hostInline` (popovers) or `iframe`. */
  environment: "hostOverlay" | "hostInline" | "iframe";
  bounds: PluginLauncherBounds;
  /** Explicit sizes from the last `requestModalBounds` (px), if any. */
  size: Omit<PluginModalBoundsRequest, "bounds"> | null;
  /** The context of the surface the launcher sat in (renderEnvironment is added by the overlay). */
  context: PluginHostContext;
  /** What a popover points at (the launcher button, or the trigger of the menu it was in). */
  anchor: HTMLElement | null;
  closeLifecycle: PluginRenderCloseLifecycle;
  requestModalBounds?: (request: PluginModalBoundsRequest) => Promise<void>;
}

type Listener = () => void;
const BOUNDS: readonly PluginLauncherBounds[] = ["inline", "compact", "default", "wide", "full"];

let overlays: readonly PluginOverlay[] = [];
let nextId = 1;
const listeners = new Set<Listener>();
const handlers = new Map<
  number,
  { before: Set<PluginRenderCloseHandler>; close: Set<PluginRenderCloseHandler> }
>();
const closing = new Set<number>();

function emit(): void {
  for (const listener of [...listeners]) listener();
}

function set(next: readonly PluginOverlay[]): void {
  overlays = next;
  emit();
}

export const overlayStore = {
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  snapshot(): readonly PluginOverlay[] {
    return overlays;
  },

  open(input: Omit<PluginOverlay, "id" | "closeLifecycle" | "requestModalBounds" | "size">): number {
    const id = nextId++;
    const own = { before: new Set<PluginRenderCloseHandler>(), close: new Set<PluginRenderCloseHandler>() };
    handlers.set(id, own);
    const closeLifecycle: PluginRenderCloseLifecycle = {
      onBeforeClose(handler) {
        own.before.add(handler);
        return () => own.before.delete(handler);
      },
      onClose(handler) {
        own.close.add(handler);
        return () => own.close.delete(handler);
      },
    };
    const overlay: PluginOverlay = { ...input, id, size: null, closeLifecycle };
    if (input.kind !== "popover") {
      overlay.requestModalBounds = async (request) => {
        if (!request || !BOUNDS.includes(request.bounds)) {
          throw new Error(`bounds must be one of ${BOUNDS.join(", ")}`);
        }
        if (!overlays.some((item) => item.id === id)) throw new Error("the overlay is closed");
        const { bounds, ...size } = request;
        set(
          overlays.map((item) =>
            item.id === id ? { ...item, bounds, size: Object.keys(size).length > 0 ? size : null } : item,
          ),
        );
      };
    }
    set([...overlays, overlay]);
    return id;
  },

  /**
   * Close `id` unless an `onBeforeClose` handler answers false (or throws). Resolves true when it closed.
   * `force` skips the handlers (the plugin was disabled, the overlay cannot stay).
   */
  async requestClose(id: number, reason: CloseReason, force = false): Promise<boolean> {
    const own = handlers.get(id);
    if (!own || closing.has(id)) return false;
    const event: PluginRenderCloseEvent = { reason };
    if (!force) {
      closing.add(id);
      try {
        for (const handler of [...own.before]) {
          let answer: unknown;
          try {
            answer = await (handler as (event: PluginRenderCloseEvent) => unknown)(event);
          } catch {
            answer = false;
          }
          if (answer === false) return false;
        }
      } finally {
        closing.delete(id);
      }
    }
    if (!handlers.has(id)) return false;
    handlers.delete(id);
    set(overlays.filter((item) => item.id !== id));
    for (const handler of [...own.close]) {
      try {
        void Promise.resolve(handler(event)).catch(() => undefined);
      } catch {
        // A failing onClose handler does not keep the overlay.
      }
    }
    return true;
  },

  /** Close every overlay (each may refuse), e.g. on navigation. */
  closeAll(reason: CloseReason): void {
    for (const overlay of overlays) void overlayStore.requestClose(overlay.id, reason);
  },

  /** Drop the overlays of plugins that no longer contribute UI (disabled, uninstalled). */
  retain(pluginIds: ReadonlySet<string>): void {
    for (const overlay of overlays) {
      if (!pluginIds.has(overlay.contribution.pluginId))
        void overlayStore.requestClose(overlay.id, "programmatic", true);
    }
  },
};
