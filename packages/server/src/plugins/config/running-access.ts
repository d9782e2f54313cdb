// What the config service and the log routes need from the plugin runtime (PluginRuntime.access provides it).
import type { PaperclipPluginManifestV1 } from "@paperclipai/plugin-sdk/types";

/** A running worker's call(), bound to one plugin; `companyId` scopes the invocation (null: instance). */
export type WorkerCall = (method: string, params: unknown, companyId: string | null) => Promise<unknown>;

export interface RunningPluginAccess {
  /** The running worker's call(), or null when the plugin is not running. */
  callWorker(pluginId: string): WorkerCall | null;
  supportsMethod(pluginId: string, method: string): boolean;
  restartWorker(pluginId: string): Promise<void>;
  /** Restart with a bounded number of start attempts; on failure the worker is stopped and the reason returned. */
  tryRestartWorker(pluginId: string): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** A company's config was saved or deleted: the other host nodes apply it to their workers too. */
  configChanged?(plugin: { id: string; pluginKey: string }, companyId: string): void;
  /** Resolve `:pluginId` (uuid or plugin key) to the record, or null. */
  findPlugin(idOrKey: string): Promise<{
    id: string;
    pluginKey: string;
    status: string;
    manifestJson: PaperclipPluginManifestV1;
  } | null>;
}
