// The job scheduler's view of this node's plugin runtime: which workers are up, and the runJob call.
import type { PluginJobContext } from "@paperclipai/plugin-sdk/types";
import type { PluginRuntime } from "../runtime/index.js";
import type { JobPluginDirectory, JobWorkerGateway } from "./scheduler.js";

type RuntimeLike = Pick<PluginRuntime, "workers" | "callPlugin" | "access">;

/** A worker counts as running only while its supervisor says so (not while it restarts after a crash). */
export function jobGatewayFromRuntime(runtime: RuntimeLike): JobWorkerGateway {
  const isRunning = (pluginId: string) => runtime.workers.diagnostics(pluginId)?.status === "running";
  return {
    runningPluginIds: () => runtime.workers.runningIds().filter(isRunning),
    isRunning,
    workerGeneration: (pluginId: string) => runtime.workers.diagnostics(pluginId)?.readyAt ?? null,
    async runJob(pluginId: string, job: PluginJobContext, options: { timeoutMs?: number }) {
      await runtime.callPlugin(pluginId, "runJob", { job }, null, { timeoutMs: options.timeoutMs });
    },
  };
}

export function jobDirectoryFromRuntime(runtime: RuntimeLike): JobPluginDirectory {
  return { findPlugin: (idOrKey) => runtime.access.findPlugin(idOrKey) };
}
