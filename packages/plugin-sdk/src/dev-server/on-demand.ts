// The dev server for the root entry point, loaded on first call: every worker imports the root, and a worker
// never starts a dev server, so node:http and the watcher stay unloaded there.
import type { PluginDevServer, PluginDevServerOptions } from "./server.js";
import type { UiBuildFile } from "./snapshot.js";

/** See `@paperclipai/plugin-sdk/dev-server`. */
export async function startPluginDevServer(options?: PluginDevServerOptions): Promise<PluginDevServer> {
  return (await import("./server.js")).startPluginDevServer(options);
}

/** See `@paperclipai/plugin-sdk/dev-server`. */
export async function getUiBuildSnapshot(rootDir: string, uiDir?: string): Promise<UiBuildFile[]> {
  return (await import("./snapshot.js")).getUiBuildSnapshot(rootDir, uiDir);
}
