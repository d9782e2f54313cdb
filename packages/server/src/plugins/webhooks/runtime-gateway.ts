// The webhook intake's view of this node's plugin runtime: which workers are up, and the handleWebhook call.
import type { PluginRuntime } from "../runtime/index.js";
import type { WebhookInput, WebhookPluginDirectory, WebhookWorkerGateway } from "./webhook-service.js";

type RuntimeLike = Pick<PluginRuntime, "workers" | "callPlugin" | "access">;

/** A worker counts as running only while its supervisor says so (not while it restarts after a crash). */
export function webhookGatewayFromRuntime(runtime: RuntimeLike): WebhookWorkerGateway {
  const isRunning = (pluginId: string) => runtime.workers.diagnostics(pluginId)?.status === "running";
  return {
    runningPluginIds: () => runtime.workers.runningIds().filter(isRunning),
    isRunning,
    async handleWebhook(pluginId: string, input: WebhookInput, options: { timeoutMs?: number }) {
      await runtime.callPlugin(pluginId, "handleWebhook", input, null, { timeoutMs: options.timeoutMs });
    },
  };
}

export function webhookDirectoryFromRuntime(runtime: RuntimeLike): WebhookPluginDirectory {
  return { findPlugin: (idOrKey) => runtime.access.findPlugin(idOrKey) };
}
