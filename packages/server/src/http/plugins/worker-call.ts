// One host→worker call on behalf of an HTTP request: the plugin must be `ready`, and when the call finds no
// worker the record is read again, so a plugin disabled a moment ago answers "not ready (current status:
// disabled)" rather than a bare "not running" (the catalog may still have held the `ready` copy).
import { type PluginBridgeError, toBridge } from "../../errors.js";
import { inHostServiceSpan } from "../../observability/tracing.js";
import type { PluginRecord } from "../../plugins/registry/index.js";
import { isWorkerUnavailable, notReadyError } from "./bridge-errors.js";
import type { PluginHttpContext } from "./context.js";

export type WorkerCallOutcome =
  | { ok: true; result: unknown }
  | { ok: false; error: PluginBridgeError; rpcError?: unknown };

export async function callReadyPlugin(
  ctx: PluginHttpContext,
  plugin: PluginRecord,
  method: string,
  params: unknown,
  companyId: string | null,
  options?: { timeoutMs?: number },
): Promise<WorkerCallOutcome> {
  if (plugin.status !== "ready") return { ok: false, error: notReadyError(plugin.status) };
  try {
    // Under the request's trace (when tracing is on): the host-service span the worker call hangs from.
    const result = await inHostServiceSpan(
      `plugin bridge ${method}`,
      { "paperclip.plugin": plugin.pluginKey, "paperclip.bridge.method": method },
      () => ctx.workers.call(plugin.id, method, params, companyId, options),
    );
    return { ok: true, result };
  } catch (error) {
    if (isWorkerUnavailable(error)) {
      const current = await ctx.catalog.refresh(plugin.id).catch(() => null);
      if (current && current.status !== "ready") return { ok: false, error: notReadyError(current.status) };
    }
    return { ok: false, error: toBridge(error), rpcError: error };
  }
}
