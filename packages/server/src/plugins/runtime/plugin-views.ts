// A plugin as the management API and the board show it: the stored record (whose `status` keeps the six stored
// values of reference §12.1), this node's view of its worker beside it, and whether the board may offer a
// config test (the running worker implements validateConfig).
import type { PluginRecord, PluginStatus } from "../registry/index.js";
import type { PluginLiveStatus } from "./health.js";
import type { PluginRuntime } from "./plugin-runtime.js";

export type PluginView = PluginRecord & PluginLiveStatus & { supportsConfigTest: boolean };

type ViewRuntime = Pick<PluginRuntime, "registry" | "liveStatus" | "workers">;

export function supportsConfigTest(runtime: Pick<PluginRuntime, "workers">, pluginId: string): boolean {
  return runtime.workers.supports(pluginId, "validateConfig");
}

export function pluginView(runtime: ViewRuntime, record: PluginRecord): PluginView {
  return {
    ...record,
    ...runtime.liveStatus(record),
    supportsConfigTest: supportsConfigTest(runtime, record.id),
  };
}

/** Every installed plugin (optionally of one status), in install order. */
export async function listPluginViews(runtime: ViewRuntime, status?: PluginStatus): Promise<PluginView[]> {
  const records = await runtime.registry.list({ status });
  return records.map((record) => pluginView(runtime, record));
}
