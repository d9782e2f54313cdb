// The host nodes sharing this instance's database (docs/scale-out.md): GET /api/instance/nodes, polled every 5 s
// while the Nodes page is open, and POST /api/instance/nodes/:nodeId/drain. Routes:
// packages/server/src/http/routes/nodes.ts.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, seg } from "./client";
import { queryKeys } from "./keys";
import { type MutationHookOptions, mutationMeta } from "./mutations";
import type { Iso } from "./types";

export type NodeStatus = "active" | "draining" | "stopped" | "unreachable";

export interface ClusterNode {
  nodeId: string;
  /** The node that answered this request. */
  self: boolean;
  hostName: string;
  pid: number;
  version: string;
  url: string | null;
  status: NodeStatus;
  heartbeatIntervalMs: number;
  startedAt: Iso;
  lastHeartbeatAt: Iso;
  stoppedAt: Iso | null;
  /** Milliseconds since the last heartbeat when the list was read (the database's clock). */
  heartbeatAgeMs: number;
  /** null once stopped or unreachable. */
  uptimeMs: number | null;
  workers: Array<{
    pluginId: string;
    pluginKey: string;
    status: string;
    pid: number | null;
    version: string | null;
  }>;
  leases: {
    events: Array<{ pluginId: string; pluginKey: string; expiresAt: Iso }>;
    webhookDeliveries: number;
    jobRuns: number;
  };
}

export interface NodeList {
  /** The node that answered. */
  nodeId: string;
  nodes: ClusterNode[];
}

/** How often the page reads the list again (heartbeats are every 5 s by default). */
export const NODES_REFRESH_MS = 5_000;

export function useNodes() {
  return useQuery({
    queryKey: queryKeys.nodes.list(),
    queryFn: ({ signal }) => api.get<NodeList>("/instance/nodes", undefined, signal),
    refetchInterval: NODES_REFRESH_MS,
  });
}

export function useDrainNode(options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta({ errorTitle: "Could not drain the node", ...options }),
    mutationFn: (nodeId: string) => api.post<ClusterNode>(`/instance/nodes/${seg(nodeId)}/drain`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.nodes.all }),
  });
}
