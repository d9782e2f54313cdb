// Draws the launcher overlays of overlay-store.ts on Radix Dialog (modal, drawer: focus trap, Escape, return
// focus) and Popover (anchored to the launcher). Escape, a click outside and ✕ all go through the overlay's
// close lifecycle, so `onBeforeClose` can keep it open. Later overlays stack above earlier ones. Mount once,
// inside the router (AppShell); overlays close on navigation and when their plugin stops contributing UI.
import type { PluginHostContext, PluginRenderEnvironmentContext } from "@paperclipai/plugin-sdk/ui/types";
import { X } from "lucide-react";
import { Dialog as DialogPrimitive, Popover as PopoverPrimitive } from "radix-ui";
import { type CSSProperties, useEffect, useMemo, useSyncExternalStore } from "react";
import { useLocation } from "react-router";
import { cn } from "@/lib/cn";
import { PluginComponent, usePluginContributions } from "@/plugin-ui";
import { pluginUiFileUrl } from "./launch";
import { type CloseReason, overlayStore, type PluginOverlay } from "./overlay-store";

/** Widths per bounds (rem); `full` fills the viewport less a margin. */
const MODAL_WIDTH = { inline: 24, compact: 28, default: 40, wide: 64, full: 0 } as const;
const DRAWER_WIDTH = { inline: 20, compact: 22, default: 28, wide: 44, full: 0 } as const;
const POPOVER_WIDTH = { inline: 18, compact: 22, default: 26, wide: 34, full: 40 } as const;

export function PluginOverlayHost() {
  const overlays = useSyncExternalStore(overlayStore.subscribe, overlayStore.snapshot, overlayStore.snapshot);
  const location = useLocation();
  const contributions = usePluginContributions();

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation on purpose
  useEffect(() => overlayStore.closeAll("hostNavigation"), [location.pathname]);
  useEffect(() => {
    if (contributions.data) overlayStore.retain(new Set(contributions.data.map((item) => item.pluginId)));
  }, [contributions.data]);

  return (
    <>
      {overlays.map((overlay, index) => (
        <OverlayView key={overlay.id} overlay={overlay} zIndex={60 + index * 2} />
      ))}
    </>
  );
}

function sizeStyle(overlay: PluginOverlay, widths: Record<string, number>): CSSProperties {
  const style: CSSProperties = {};
  const rem = widths[overlay.bounds] ?? widths.default ?? 32;
  if (rem > 0) style.width = `min(${rem}rem, calc(100vw - 2rem))`;
  const size = overlay.size;
  if (size) {
    if (size.width) style.width = `min(${size.width}px, calc(100vw - 2rem))`;
    if (size.height) style.height = `min(${size.height}px, calc(100dvh - 2rem))`;
    if (size.minWidth) style.minWidth = `${size.minWidth}px`;
    if (size.minHeight) style.minHeight = `${size.minHeight}px`;
    if (size.maxWidth) style.maxWidth = `${size.maxWidth}px`;
    if (size.maxHeight) style.maxHeight = `${size.maxHeight}px`;
  }
  return style;
}

function OverlayView({ overlay, zIndex }: { overlay: PluginOverlay; zIndex: number }) {
  const { environment, launcher, bounds, requestModalBounds, closeLifecycle } = overlay;
  const renderEnvironment = useMemo<PluginRenderEnvironmentContext>(
    () => ({
      environment,
      launcherId: launcher.id,
      bounds,
      ...(requestModalBounds ? { requestModalBounds } : {}),
      closeLifecycle,
    }),
    [environment, launcher.id, bounds, requestModalBounds, closeLifecycle],
  );
  const context = useMemo<PluginHostContext>(
    () => ({ ...overlay.context, renderEnvironment }),
    [overlay.context, renderEnvironment],
  );
  const close = (reason: CloseReason) => void overlayStore.requestClose(overlay.id, reason);
  if (overlay.kind === "popover") {
    return <PopoverView overlay={overlay} context={context} zIndex={zIndex} close={close} />;
  }
  return <DialogView overlay={overlay} context={context} zIndex={zIndex} close={close} />;
}

interface ViewProps {
  overlay: PluginOverlay;
  context: PluginHostContext;
  zIndex: number;
  close: (reason: CloseReason) => void;
}

function DialogView({ overlay, context, zIndex, close }: ViewProps) {
  const drawer = overlay.kind === "drawer";
  const full = overlay.bounds === "full" && !overlay.size;
  const style = sizeStyle(overlay, drawer ? DRAWER_WIDTH : MODAL_WIDTH);
  return (
    <DialogPrimitive.Root
      open
      onOpenChange={(open) => {
        if (!open) close("unknown");
      }}
    >
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay
          className="fixed inset-0 bg-black/40 backdrop-blur-[1px] animate-fade-in"
          style={{ zIndex }}
        />
        <DialogPrimitive.Content
          aria-describedby={undefined}
          data-plugin-overlay={overlay.kind}
          data-plugin-launcher-surface={overlay.launcher.id}
          data-bounds={overlay.bounds}
          onEscapeKeyDown={(event) => {
            event.preventDefault();
            close("escapeKey");
          }}
          onPointerDownOutside={(event) => {
            event.preventDefault();
            close("backdrop");
          }}
          onInteractOutside={(event) => event.preventDefault()}
          style={{ ...style, zIndex: zIndex + 1 }}
          className={cn(
            "fixed flex flex-col overflow-hidden border bg-popover text-popover-foreground shadow-xl focus:outline-none",
            drawer
              ? cn("inset-y-0 right-0 h-dvh border-y-0 border-r-0 animate-fade-in", full && "w-screen")
              : full
                ? "inset-4 rounded-xl animate-pop-in"
                : "top-[8vh] left-1/2 max-h-[84vh] -translate-x-1/2 rounded-xl animate-pop-in",
          )}
        >
          <header className="flex shrink-0 items-center gap-2 border-b px-4 py-2.5">
            <DialogPrimitive.Title className="min-w-0 truncate text-sm font-semibold">
              {overlay.launcher.displayName}
            </DialogPrimitive.Title>
            <span className="min-w-0 flex-1 truncate text-xs text-muted-foreground">
              {overlay.contribution.displayName}
            </span>
            <button
              type="button"
              aria-label={`Close ${overlay.launcher.displayName}`}
              onClick={() => close("unknown")}
              className="inline-flex size-7 shrink-0 cursor-pointer items-center justify-center rounded-md text-muted-foreground hover:bg-accent hover:text-foreground"
            >
              <X aria-hidden className="size-4" />
            </button>
          </header>
          <div
            className={cn("min-h-0 flex-1 overflow-auto", overlay.environment === "iframe" ? "p-0" : "p-4")}
          >
            <LauncherSurface overlay={overlay} context={context} />
          </div>
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}

/** A stand-in anchor at the top centre when the launcher's element is gone (its menu closed). */
function fallbackAnchor() {
  return {
    getBoundingClientRect: () => {
      const x = (globalThis.innerWidth ?? 800) / 2;
      return DOMRect.fromRect({ x, y: 64, width: 0, height: 0 });
    },
  };
}

function PopoverView({ overlay, context, zIndex, close }: ViewProps) {
  const anchor = overlay.anchor?.isConnected ? overlay.anchor : null;
  const virtualRef = useMemo(() => ({ current: anchor ?? fallbackAnchor() }), [anchor]);
  return (
    <PopoverPrimitive.Root
      open
      modal={overlay.environment === "hostOverlay"}
      onOpenChange={(open) => {
        if (!open) close("unknown");
      }}
    >
      <PopoverPrimitive.Anchor virtualRef={virtualRef} />
      <PopoverPrimitive.Portal>
        <PopoverPrimitive.Content
          aria-label={overlay.launcher.displayName}
          data-plugin-overlay="popover"
          data-plugin-launcher-surface={overlay.launcher.id}
          data-bounds={overlay.bounds}
          side="bottom"
          align="end"
          sideOffset={6}
          collisionPadding={8}
          onEscapeKeyDown={(event) => {
            event.preventDefault();
            close("escapeKey");
          }}
          onPointerDownOutside={(event) => {
            event.preventDefault();
            close("backdrop");
          }}
          onFocusOutside={(event) => event.preventDefault()}
          style={{ ...sizeStyle(overlay, POPOVER_WIDTH), zIndex: zIndex + 1 }}
          className="max-h-(--radix-popover-content-available-height) overflow-auto rounded-lg border bg-popover p-3 text-popover-foreground shadow-lg animate-pop-in focus:outline-none"
        >
          <div className="mb-2 flex items-center gap-2">
            <span className="min-w-0 flex-1 truncate text-xs font-medium text-muted-foreground">
              {overlay.launcher.displayName}
            </span>
            <button
              type="button"
              aria-label={`Close ${overlay.launcher.displayName}`}
              onClick={() => close("unknown")}
              className="inline-flex size-6 shrink-0 cursor-pointer items-center justify-center rounded-md text-muted-foreground hover:bg-accent hover:text-foreground"
            >
              <X aria-hidden className="size-3.5" />
            </button>
          </div>
          <LauncherSurface overlay={overlay} context={context} />
        </PopoverPrimitive.Content>
      </PopoverPrimitive.Portal>
    </PopoverPrimitive.Root>
  );
}

/** The launcher's target: its export as a component, or (iframe, a file name) the plugin's UI file framed. */
function LauncherSurface({ overlay, context }: { overlay: PluginOverlay; context: PluginHostContext }) {
  const target = overlay.launcher.action.target;
  if (overlay.environment === "iframe" && /[./]/.test(target)) {
    return (
      <iframe
        title={overlay.launcher.displayName}
        src={pluginUiFileUrl(overlay.contribution.pluginId, target)}
        sandbox="allow-scripts allow-forms allow-popups"
        referrerPolicy="no-referrer"
        data-plugin-iframe={overlay.launcher.id}
        className="block h-full min-h-[60vh] w-full border-0 bg-background"
      />
    );
  }
  return (
    <PluginComponent
      contribution={overlay.contribution}
      exportName={target}
      props={{ launcher: overlay.launcher }}
      hostContext={context}
    />
  );
}
