/**
 * `@paperclipai/plugin-sdk/dev-server` — a local server for a plugin's built UI that tells the board when a
 * rebuild lands (server-sent `reload` events), so a UI change shows without a page refresh. The bin
 * `paperclip-plugin-dev-server --root . --ui-dir dist/ui --port 4177` starts the same server.
 */
export {
  type PluginDevReloadEvent,
  type PluginDevServer,
  type PluginDevServerOptions,
  startPluginDevServer,
} from "./server.js";
export { getUiBuildSnapshot, type UiBuildFile } from "./snapshot.js";
export { SNAPSHOT_POLL_INTERVAL_MS } from "./watcher.js";
