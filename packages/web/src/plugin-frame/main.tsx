// The runtime of a sandboxed plugin UI frame (docs/plugin-ui-sandbox.md), built by the board's Vite build as its
// second entry, `plugin-frame/runtime.js`, and loaded by the document `GET /_plugins/:pluginId/ui-frame` serves.
// The frame is opaque-origin and may connect nowhere: this runtime installs the bridge global (React, ReactDOM,
// the SDK UI) and a transport that carries every host call to the board over postMessage, tells the board it is
// ready, and renders the export the board's mount names. It reports its content height and forwards Escape, so
// the board can size the iframe and close an overlay around it.
import { createRoot } from "react-dom/client";
import stylesheet from "../index.css?url";
import { PluginModuleLoader } from "../plugin-ui/module-loader.js";
import type { FrameTheme } from "../plugin-ui/sandbox/protocol.js";
import { installPluginUiTransport } from "../plugin-ui/transport.js";
import { FrameApp } from "./FrameApp.js";
import { FrameLink } from "./frame-link.js";
import { installFrameBridge } from "./frame-sdk.js";
import { frameTransport } from "./frame-transport.js";

function applyTheme(theme: FrameTheme): void {
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
}

function boot(): void {
  // The board's stylesheet (design tokens, Tailwind utilities, dark mode), on a transparent page: the iframe
  // shows the board's card behind it.
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = stylesheet;
  document.head.append(link);
  document.documentElement.style.background = "transparent";
  document.body.style.background = "transparent";

  // The board put this document's token in its URL fragment; every message carries it back.
  const token = globalThis.location.hash.slice(1);
  const board = new FrameLink(token, globalThis.parent);
  installFrameBridge(board);
  installPluginUiTransport(frameTransport(board));
  // The frame is opaque-origin (location.origin is "null"): module URLs are built on the host's address.
  const hostOrigin = new URL(globalThis.location.href).origin;
  const loader = new PluginModuleLoader({
    bridge: () => globalThis.__paperclipPluginBridge__,
    fetchText: (url) => board.request<string>("module.source", { url }),
    createModuleUrl: (source) => URL.createObjectURL(new Blob([source], { type: "text/javascript" })),
    importModule: (url) => import(/* @vite-ignore */ url) as Promise<Record<string, unknown>>,
    origin: () => hostOrigin,
  });

  const container = document.getElementById("plugin-root");
  if (!container) throw new Error("The frame document has no #plugin-root element");
  const root = createRoot(container);
  let mounted = false;
  board.onMount((mount) => {
    if (mounted) return;
    mounted = true;
    applyTheme(mount.theme);
    root.render(<FrameApp link={board} mount={mount} loader={loader} />);
  });
  board.onUpdate((update) => {
    if (update.theme) applyTheme(update.theme);
  });

  let lastHeight = -1;
  new ResizeObserver(() => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === lastHeight) return;
    lastHeight = height;
    board.send({ type: "size", height });
  }).observe(document.body);
  globalThis.addEventListener("keydown", (event) => {
    if (event.key === "Escape") board.send({ type: "escape" });
  });

  board.send({ type: "ready" });
}

boot();
