// The contract between the runtime (this folder) and what is built beside it: the host services (declared once in
// src/plugins/host-services and re-exported here, so the dependency points one way: runtime → host-services), the
// config store and the routes. The host wires the real implementations in one place (src/composition).
import type { PaperclipPluginManifestV1 } from "@paperclipai/plugin-sdk/types";

export type {
  InvocationHandle,
  PluginHostServices,
  PluginHostServicesFactory,
  PluginIdentity,
} from "../host-services/index.js";

/** The part of the config store the runtime needs: replay every company's config after a start. */
export interface PluginConfigLister {
  list(pluginId: string): Promise<Array<{ companyId: string; configJson: Record<string, unknown> }>>;
}

/** A running worker's call(), bound to one plugin. */
export type WorkerCall = (method: string, params: unknown, companyId: string | null) => Promise<unknown>;

/** What the config and log routes need from the runtime. */
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
  findPlugin(idOrKey: string): Promise<PluginRecordView | null>;
}

/** The fields of a plugin record the routes beside the runtime read. */
export interface PluginRecordView {
  id: string;
  pluginKey: string;
  status: string;
  manifestJson: PaperclipPluginManifestV1;
}
