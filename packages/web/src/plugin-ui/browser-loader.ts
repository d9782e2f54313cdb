// The board's one plugin module loader, wired to the browser: fetch with the session, blob URLs for rewritten
// modules, native dynamic import, the bridge global.
import type { PaperclipPluginBridge } from "./install-bridge.js";
import { PluginModuleLoader } from "./module-loader.js";

export const pluginModuleLoader = new PluginModuleLoader({
  bridge: () =>
    (globalThis as { __paperclipPluginBridge__?: PaperclipPluginBridge }).__paperclipPluginBridge__,
  fetchText: async (url) => {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`Loading ${new URL(url).pathname} failed with HTTP ${response.status}`);
    return response.text();
  },
  createModuleUrl: (source) => URL.createObjectURL(new Blob([source], { type: "text/javascript" })),
  importModule: (url) => import(/* @vite-ignore */ url) as Promise<Record<string, unknown>>,
  origin: () => globalThis.location.origin,
});
