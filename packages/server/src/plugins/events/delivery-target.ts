// The narrow interfaces event delivery depends on — which plugins run on this node, their workers' state, the
// onEvent request, the recorded subscriptions — and their adapters over the real plugin runtime.
import type { DomainEvent } from "../../domain/event-types.js";
import type { SubscriptionRule } from "./subscription-matcher.js";

export interface WorkerReadiness {
  /** The worker answered `initialize` and takes calls. */
  ready: boolean;
  /** Changes with every new worker process (its subscriptions are recorded afresh by its setup()). */
  generation: string;
  /** Worker→host requests the host is still handling (e.g. setup()'s events.subscribe calls). */
  pendingHostCalls: number;
  /** This plugin's own `onEvent` concurrency (its limits' eventMaxInFlight); absent: the delivery default. */
  maxInFlight?: number;
}

export interface DeliveryTarget {
  /** Plugins activated on this node (their worker may still be starting or restarting). */
  runningPlugins(): string[];
  /** Null when the plugin is not activated on this node. */
  workerState(pluginId: string): WorkerReadiness | null;
  /** `onEvent` as a request with an invocation scoped to event.companyId; resolves on the worker's ack. */
  deliver(pluginId: string, event: DomainEvent, timeoutMs: number): Promise<unknown>;
}

export interface SubscriptionSource {
  list(pluginId: string): Promise<SubscriptionRule[]>;
}

/** The part of the plugin runtime delivery uses (PluginRuntime satisfies it). */
export interface RuntimeForDelivery {
  workers: {
    runningIds(): string[];
    diagnostics(pluginId: string): {
      status: string;
      pid: number | null;
      startedAt: number | null;
      pendingWorkerRequests: number;
    } | null;
    /**
     * The plugin's own resource-limit overrides, when it runs on this node: its `eventMaxInFlight` wins over the
     * delivery's `maxInFlight` (which carries the host-wide default).
     */
    ownLimits?(pluginId: string): { eventMaxInFlight?: number } | null;
  };
  callPlugin(
    pluginId: string,
    method: string,
    params: unknown,
    companyId: string | null,
    options?: { timeoutMs?: number },
  ): Promise<unknown>;
}

export function runtimeDeliveryTarget(runtime: RuntimeForDelivery): DeliveryTarget {
  return {
    runningPlugins: () => runtime.workers.runningIds(),
    workerState(pluginId) {
      const diagnostics = runtime.workers.diagnostics(pluginId);
      if (!diagnostics) return null;
      const maxInFlight = runtime.workers.ownLimits?.(pluginId)?.eventMaxInFlight;
      return {
        ready: diagnostics.status === "running",
        generation: `${diagnostics.pid ?? "-"}:${diagnostics.startedAt ?? "-"}`,
        pendingHostCalls: diagnostics.pendingWorkerRequests,
        ...(maxInFlight === undefined ? {} : { maxInFlight }),
      };
    },
    deliver: (pluginId, event, timeoutMs) =>
      runtime.callPlugin(pluginId, "onEvent", { event }, event.companyId, { timeoutMs }),
  };
}
