// Where a plugin's workers run (GET /api/plugins/:id/nodes; host side: packages/server/src/http/plugins/
// node-routes.ts, docs/scale-out.md): each host node's worker of the plugin, as that node last recorded it, with the
// node's liveness. Polled while the Nodes tab is open. The key lives under ["plugins", …] so a plugin's
// invalidation covers it.
import { useQuery } from "@tanstack/react-query";
import { api, seg } from "./client";
import type { Iso, PluginStatus } from "./types";

export type NodeWorkerStatus = "starting" | "ready" | "error" | "stopped" | "crashed" | "restarting";

export interface PluginNodeWorker {
  nodeId: string;
  /** The node that answered this request. */
  self: boolean;
  status: NodeWorkerStatus;
  pid: number | null;
  version: string | null;
  /** When the running worker started (null unless ready). */
  startedAt: Iso | null;
  lastError: string | null;
  updatedAt: Iso;
  /** The node's liveness: active, draining, stopped, unreachable; null when the node has no heartbeat row. */
  nodeStatus: string | null;
  lastSeenAt: Iso;
}

export interface PluginNodes {
  pluginId: string;
  pluginKey: string;
  status: PluginStatus;
  version: string;
  /** The node that answered. */
  nodeId: string;
  nodes: PluginNodeWorker[];
}

/** How often the tab reads the list again. */
export const PLUGIN_NODES_REFRESH_MS = 5_000;

export function usePluginNodes(ref: string) {
  return useQuery({
    queryKey: ["plugins", "nodes", ref] as const,
    queryFn: ({ signal }) => api.get<PluginNodes>(`/plugins/${seg(ref)}/nodes`, undefined, signal),
    refetchInterval: PLUGIN_NODES_REFRESH_MS,
  });
}
