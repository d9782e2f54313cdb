// A plugin's metrics on this node (GET /api/plugins/:id/metrics; host side: packages/server/src/http/
// observability-routes.ts, docs/observability.md): counts since the host started and one sample per interval for the
// last 30 minutes. Polled while the Metrics tab is open. The key lives under ["plugins", …] so a plugin's
// invalidation covers it.
import { useQuery } from "@tanstack/react-query";
import { api, seg } from "./client";

export interface PluginMetricsSample {
  /** End of the interval (epoch ms). */
  at: number;
  callsPerSecond: number;
  /** Failed calls (errors and timeouts) in the interval. */
  errors: number;
  p50Ms: number | null;
  p95Ms: number | null;
  /** Worker restarts since the host started. */
  restarts: number;
  workerUp: boolean;
  rssBytes: number | null;
  cpuSeconds: number | null;
  eventBacklog: number;
  eventLagSeconds: number;
  deadLetters: number;
  streamSubscribers: number;
}

export interface PluginMetricsCurrent extends PluginMetricsSample {
  calls: number;
  timeouts: number;
  jobRuns: { succeeded: number; failed: number };
  webhookDeliveries: { success: number; failed: number; worker_unavailable: number };
  methods: Array<{ method: string; calls: number; errors: number; timeouts: number }>;
}

export type PluginMetrics =
  | {
      pluginId: string;
      pluginKey: string;
      enabled: true;
      sampleIntervalMs: number;
      /** How far back the history reaches when full. */
      historyMs: number;
      current: PluginMetricsCurrent;
      history: PluginMetricsSample[];
    }
  | { pluginId: string; pluginKey: string; enabled: false; current: null; history: [] };

/** How often the tab reads the numbers again. */
export const PLUGIN_METRICS_REFRESH_MS = 10_000;

export function usePluginMetrics(ref: string) {
  return useQuery({
    queryKey: ["plugins", "metrics", ref] as const,
    queryFn: ({ signal }) => api.get<PluginMetrics>(`/plugins/${seg(ref)}/metrics`, undefined, signal),
    refetchInterval: PLUGIN_METRICS_REFRESH_MS,
  });
}
