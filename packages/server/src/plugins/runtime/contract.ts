// The contract between the runtime (this folder) and the host services, config store and routes built beside it
// (src/plugins/host-services, src/plugins/config). Declared here structurally so the runtime depends on the
// shapes, not on those modules; the host wires the real implementations in one place (src/host.ts).
import type { PaperclipPluginManifestV1 } from "@paperclipai/plugin-sdk/types";

export interface PluginIdentity {
  /** the plugin's database id (uuid) */
  pluginId: string;
  pluginKey: string;
  manifest: PaperclipPluginManifestV1;
}

export interface InvocationHandle {
  id: string;
  companyId: string | null;
  end(): void;
}

/** One plugin's worker→host side: capability and company-scope gate, then the services. */
export interface PluginHostServices {
  /** Call before each host→worker call: returns the invocation the envelope carries. */
  beginInvocation(companyId: string | null): InvocationHandle;
  /** True once the worker tagged a call with an invocation id: its calls attribute themselves exactly. */
  echoesInvocationIds(): boolean;
  handleRequest(
    method: string,
    params: unknown,
    message: { paperclipInvocationId?: string },
  ): Promise<unknown>;
  handleNotification(method: string, params: unknown, message: { paperclipInvocationId?: string }): void;
  /** The worker (re)started: forget per-process registrations such as event subscriptions. */
  resetWorkerRegistrations(): void | Promise<void>;
  /** The worker process died (crash, kill, hang); a restart may follow. Streams it left open get closed. */
  workerExited?(reason: string): void;
  /** One line of the worker's stderr, kept in the plugin's logs. */
  appendStderr?(line: string): void;
  /** Flush batched logs; stop timers. */
  dispose(): Promise<void>;
}

export interface PluginHostServicesFactory {
  forPlugin(
    plugin: PluginIdentity,
    hooks: {
      onStreamNotification?(method: "streams.open" | "streams.emit" | "streams.close", params: unknown): void;
    },
  ): PluginHostServices;
}

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
