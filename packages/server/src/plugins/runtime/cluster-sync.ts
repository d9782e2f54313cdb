// Plugin changes across host nodes (docs/scale-out.md). The node where an operator installs, upgrades, enables,
// disables, uninstalls, configures or re-grants a plugin does it exactly as a single node does, then announces it
// (PluginChanges); this module publishes that on the cluster bus as `plugin.lifecycle.changed {pluginId,
// pluginKey, action, companyId?}`. Every other node reconciles the plugin: it reads the plugin's row and makes its
// own worker match (start it from its copy of the package, stop it, restart it with the new version or settings,
// or hand it a company's new config through configChanged), without any install side effect (migrations,
// activity rows, examples). At start and on every resync, every plugin is reconciled, so a node that missed
// messages catches up. A worker that cannot start on this node is this node's problem: its plugin_node_workers row
// says why, and the plugin's status (the cluster's) is left alone.
import { JSONRPC_ERROR_CODES, PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import type { Logger } from "pino";
import type { ClusterBus } from "../../cluster/bus.js";
import { errorMessage, rpcCodeOf } from "../../errors.js";
import type { NodePackages } from "../artifacts/node-packages.js";
import type { PluginLifecycle } from "../lifecycle/lifecycle.js";
import type { PluginRecord, PluginRegistry } from "../registry/index.js";
import type { PluginConfigLister } from "./contract.js";
import type { PluginChange, PluginChanges } from "./plugin-changes.js";
import type { PluginWorkers } from "./plugin-workers.js";

export const PLUGIN_CHANGED_TOPIC = "plugin.lifecycle.changed";

/** Changes after which a running worker restarts even when its row did not change (files, grants). */
const RESTART_ACTIONS: ReadonlySet<PluginChange["action"]> = new Set(["sandbox", "package", "reloaded"]);

export interface PluginClusterSyncDeps {
  bus: Pick<ClusterBus, "subscribe" | "publish" | "onResync" | "nodeId">;
  changes: PluginChanges;
  registry: PluginRegistry;
  lifecycle: PluginLifecycle;
  workers: PluginWorkers;
  packages: NodePackages;
  configs?: PluginConfigLister;
  logger: Logger;
}

export interface ReconcileReport {
  ready: string[];
  failed: Array<{ pluginKey: string; error: string }>;
}

export class PluginClusterSync {
  private readonly unsubscribe: Array<() => unknown> = [];
  /** Per plugin, the reconcile in progress: changes to one plugin apply in the order they arrived. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private stopped = false;

  constructor(private readonly deps: PluginClusterSyncDeps) {
    const { bus, changes, logger } = deps;
    this.unsubscribe.push(
      changes.subscribe((change) => {
        // This node's own change: its worker already matches. Only copies it no longer needs go.
        if (change.action === "uninstalled") void this.forget(change.pluginId);
        bus.publish(PLUGIN_CHANGED_TOPIC, change).catch((error: Error) => {
          logger.warn(
            { pluginId: change.pluginId, err: error },
            `Could not tell the other nodes that ${change.pluginKey} changed (${change.action}); they catch up at ` +
              "their next resync",
          );
        });
      }),
      // Not awaited: the bus handles messages one at a time, and a worker start must not hold up other topics.
      bus.subscribe<PluginChange>(PLUGIN_CHANGED_TOPIC, (change, from) => {
        if (!isChange(change)) {
          logger.warn({ from }, `Malformed ${PLUGIN_CHANGED_TOPIC} message from node ${from}: ignored`);
          return;
        }
        void this.enqueue(change.pluginId, () => this.reconcile(change.pluginId, change));
      }),
      bus.onResync(() => void this.reconcileAll()),
    );
  }

  /** Make this node's worker of every plugin match its row (start, and every resync). */
  async reconcileAll(): Promise<ReconcileReport> {
    const report: ReconcileReport = { ready: [], failed: [] };
    const records = await this.deps.registry.listAll();
    const ids = new Set([...records.map((record) => record.id), ...this.deps.workers.runningIds()]);
    // One plugin at a time: a node (re)starting, after an upgrade too, never starts every worker at once.
    for (const pluginId of ids) {
      await this.enqueue(pluginId, async () => {
        const outcome = await this.reconcile(pluginId, null);
        if (outcome?.started) report.ready.push(outcome.pluginKey);
        if (outcome?.error) report.failed.push({ pluginKey: outcome.pluginKey, error: outcome.error });
      });
    }
    return report;
  }

  /** Stop listening (host shutdown; the workers are stopped by the runtime). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    await Promise.allSettled([...this.queues.values()]);
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  private enqueue(pluginId: string, task: () => Promise<unknown>): Promise<unknown> {
    const previous = this.queues.get(pluginId) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (this.stopped) return;
      await task().catch((error: Error) => {
        this.deps.logger.error(
          { pluginId, err: error },
          `Could not reconcile plugin ${pluginId} on this node`,
        );
      });
    });
    this.queues.set(pluginId, next);
    void next.finally(() => {
      if (this.queues.get(pluginId) === next) this.queues.delete(pluginId);
    });
    return next;
  }

  /**
   * Bring this node's worker in line with the plugin's row, under the plugin's lifecycle lock. `change` is the
   * message that asked for it (null: a resync or the start).
   */
  private async reconcile(
    pluginId: string,
    change: PluginChange | null,
  ): Promise<{ pluginKey: string; started: boolean; error: string | null } | null> {
    const { registry, workers, lifecycle } = this.deps;
    const found = await registry.find(pluginId);
    const pluginKey = found?.pluginKey ?? change?.pluginKey ?? pluginId;
    return lifecycle.exclusive(pluginKey, async () => {
      const record = await registry.find(pluginId);
      if (!record || record.status === "uninstalled") {
        await workers.deactivate(pluginId);
        await this.forget(pluginId);
        return null;
      }
      // Being installed by another node (or an install that was interrupted there): left to that node.
      if (record.status === "installed") return null;
      if (record.status !== "ready") {
        await workers.deactivate(pluginId);
        return null;
      }
      const running = workers.runningRecord(pluginId);
      const restart =
        running === null ||
        (change !== null && RESTART_ACTIONS.has(change.action)) ||
        running.version !== record.version ||
        !sameJson(running.methodTimeouts, record.methodTimeouts) ||
        !sameJson(running.limits, record.limits) ||
        (await this.deps.packages.filesChanged(record));
      if (!restart) {
        if (change?.action === "config" && change.companyId) await this.applyConfig(record, change.companyId);
        return null;
      }
      try {
        // New files, version, settings or grants: a fresh worker (its configs are replayed as it starts).
        await workers.activate(record);
        return { pluginKey, started: true, error: null };
      } catch (error) {
        const message = (error as Error).message;
        this.deps.logger.error(
          { pluginId, pluginKey },
          `Plugin ${pluginKey} could not start on node ${this.deps.bus.nodeId}: ${message}`,
        );
        return { pluginKey, started: false, error: message };
      }
    });
  }

  /** A company's config changed on another node: hand it to this node's worker as that node did to its own. */
  private async applyConfig(record: PluginRecord, companyId: string): Promise<void> {
    const { workers, configs, logger } = this.deps;
    if (!configs || !workers.isRunning(record.id)) return;
    const stored = (await configs.list(record.id)).find((entry) => entry.companyId === companyId);
    const config = stored?.configJson ?? {};
    if (workers.supports(record.id, "configChanged")) {
      try {
        await workers.call(record.id, "configChanged", { config, companyId }, companyId);
        return;
      } catch (error) {
        const code = rpcCodeOf(error);
        if (
          code !== PLUGIN_RPC_ERROR_CODES.METHOD_NOT_IMPLEMENTED &&
          code !== JSONRPC_ERROR_CODES.METHOD_NOT_FOUND
        ) {
          logger.warn(
            { pluginId: record.id, companyId },
            `Plugin ${record.pluginKey} did not apply the config of company ${companyId}: ${errorMessage(error)}`,
          );
          return;
        }
      }
    }
    const outcome = await workers.tryRestart(record.id);
    if (!outcome.ok) {
      logger.warn(
        { pluginId: record.id, companyId },
        `Plugin ${record.pluginKey} did not restart with the config of company ${companyId}: ${outcome.reason}`,
      );
    }
  }

  private async forget(pluginId: string): Promise<void> {
    await this.deps.packages.removeCopies(pluginId).catch((error: Error) => {
      this.deps.logger.warn({ pluginId, err: error }, "Could not remove this node's copy of a plugin");
    });
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function isChange(value: unknown): value is PluginChange {
  const change = value as Partial<PluginChange> | null;
  return (
    typeof change?.pluginId === "string" &&
    typeof change.pluginKey === "string" &&
    typeof change.action === "string"
  );
}
