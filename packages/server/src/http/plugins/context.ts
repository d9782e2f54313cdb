// What the delivery routes (bridge, streams, UI files, tools, scoped API) share: cached plugin records, the
// workers of this node, company access rules and the domain services. Built once per host from the plugin
// runtime; tests build it the same way, around a real runtime.
import { PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import type { DomainServices } from "../../domain/services.js";
import { findJsonProblem, jsonProblemMessage } from "../../json-values.js";
import { CompanyAccess, type CompanyAccessOptions } from "../../plugins/bridge/company-access.js";
import { PluginCatalog, type PluginCatalogOptions } from "../../plugins/bridge/plugin-catalog.js";
import type { PluginRecord } from "../../plugins/registry/index.js";

/** Host→worker calls of this node (the plugin runtime's callPlugin and worker table). */
export interface WorkerCalls {
  /** Request with an invocation scoped to `companyId` (null: instance scope). */
  call(
    pluginId: string,
    method: string,
    params: unknown,
    companyId: string | null,
    options?: { timeoutMs?: number },
  ): Promise<unknown>;
  isRunning(pluginId: string): boolean;
  /** Whether the running worker listed `method` in its initialize answer. */
  supports(pluginId: string, method: string): boolean;
}

/** The part of the plugin runtime the delivery routes use. */
export interface DeliveryRuntime {
  registry: {
    find(idOrKey: string): Promise<PluginRecord | null>;
    list(filter?: { status?: PluginRecord["status"] }): Promise<PluginRecord[]>;
  };
  workers: {
    isRunning(pluginId: string): boolean;
    runningIds(): string[];
    supports(pluginId: string, method: string): boolean;
  };
  callPlugin(
    pluginId: string,
    method: string,
    params: unknown,
    companyId: string | null,
    options?: { timeoutMs?: number },
  ): Promise<unknown>;
}

export interface PluginHttpContext {
  readonly catalog: PluginCatalog;
  readonly workers: WorkerCalls;
  readonly companies: CompanyAccess;
  readonly services: DomainServices;
}

export interface PluginHttpContextOptions {
  runtime: DeliveryRuntime;
  services: DomainServices;
  catalog?: PluginCatalogOptions;
  companies?: CompanyAccessOptions;
}

export function createPluginHttpContext(options: PluginHttpContextOptions): PluginHttpContext {
  const { runtime } = options;
  return {
    catalog: new PluginCatalog(
      { find: (idOrKey) => runtime.registry.find(idOrKey), list: () => runtime.registry.list() },
      {
        isServed: (pluginId) => runtime.workers.isRunning(pluginId),
        servedIds: () => runtime.workers.runningIds(),
        ...options.catalog,
      },
    ),
    workers: {
      call: async (pluginId, method, params, companyId, callOptions) =>
        checkedResult(method, await runtime.callPlugin(pluginId, method, params, companyId, callOptions)),
      isRunning: (pluginId) => runtime.workers.isRunning(pluginId),
      supports: (pluginId, method) => runtime.workers.supports(pluginId, method),
    },
    companies: new CompanyAccess(options.services, options.companies),
    services: options.services,
  };
}

/** How deep a worker's answer to an HTTP-delivered call may nest: deeper ones cannot be serialized safely. */
export const MAX_RESULT_DEPTH = 256;

/**
 * A worker result nested past MAX_RESULT_DEPTH is the worker's failure (WORKER_ERROR, a 502 on the bridge), not a
 * 500 from the serializer overflowing the stack ("Maximum call stack size exceeded").
 */
function checkedResult(method: string, result: unknown): unknown {
  const problem = findJsonProblem(result, { maxDepth: MAX_RESULT_DEPTH, checkStrings: false });
  if (!problem) return result;
  const error = new Error(
    `The worker's ${method} result is ${jsonProblemMessage(problem, "$", MAX_RESULT_DEPTH)}; the host cannot send it`,
  ) as Error & { code: number };
  error.code = PLUGIN_RPC_ERROR_CODES.WORKER_ERROR;
  throw error;
}
