// The plugin runtime of one host node: the registry, the lifecycle and the running workers, wired together.
// The host creates it after migrations, calls start() to activate installed plugins, registers the routes on
// it, and calls stop() on shutdown (every worker stopped gracefully).
import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import type { ClusterBus } from "../../cluster/bus.js";
import { nodeIdOf } from "../../cluster/node-id.js";
import type { Database } from "../../db/database.js";
import { type Actor, SYSTEM_ACTOR } from "../../domain/actor.js";
import type { DomainServices } from "../../domain/services.js";
import { ArtifactStore, NodePackages } from "../artifacts/index.js";
import type { PluginNamespaces } from "../database/lifecycle-hooks.js";
import { PluginDevMode } from "../lifecycle/dev-mode.js";
import { DevModeStore } from "../lifecycle/dev-mode-store.js";
import { PluginLifecycle } from "../lifecycle/lifecycle.js";
import type { PluginLimits } from "../lifecycle/limits.js";
import { PackageIntegrity } from "../lifecycle/package-integrity.js";
import type { InstallerSettings } from "../lifecycle/prepare-package.js";
import { SupplyChainStore } from "../lifecycle/supply-chain-store.js";
import { type PluginRecord, PluginRegistry } from "../registry/index.js";
import { type PluginSandboxOptions, PluginSandboxService, WorkerIncidents } from "../sandbox/index.js";
import { PluginClusterSync } from "./cluster-sync.js";
import type {
  PluginConfigLister,
  PluginHostServicesFactory,
  RunningPluginAccess,
  WorkerCall,
} from "./contract.js";
import { ExampleCatalog, type ExamplePlugin } from "./examples.js";
import {
  type HealthOptions,
  type PluginDashboard,
  type PluginHealthReport,
  type PluginLiveStatus,
  pluginDashboard,
  pluginHealth,
  pluginLiveStatus,
} from "./health.js";
import { NodeWorkerStates } from "./node-workers.js";
import { PluginChanges } from "./plugin-changes.js";
import {
  type CallPluginOptions,
  type PluginWorkerObserver,
  PluginWorkers,
  type WorkerDefaults,
} from "./plugin-workers.js";

/** examples/ of this repository, seen from packages/server/dist/plugins/runtime/. */
export const BUNDLED_EXAMPLES_DIR = fileURLToPath(new URL("../../../../../examples/", import.meta.url));

const INSTANCE_ID_KEY = "instance_id";
const EXAMPLES_INSTALLED_KEY = "examples_installed";

export interface PluginRuntimeOptions {
  db: Database;
  services: DomainServices;
  logger: Logger;
  hostServices: PluginHostServicesFactory;
  /** Stored company configs, replayed to each worker after it starts. */
  configs?: PluginConfigLister;
  /** Where npm-installed plugins go (`<data dir>/plugins`). */
  pluginsDir: string;
  hostVersion: string;
  deploymentMode: string;
  deploymentExposure?: string;
  /** Folder of bundled example plugins; null for none. Default: this repository's examples/. */
  examplesDir?: string | null;
  workerDefaults?: WorkerDefaults;
  /** The host's resource limits for plugins (each plugin's `limits` override them). */
  pluginLimits?: Partial<PluginLimits>;
  /** A plugin was activated with these limits (the host sets its log caps from them). */
  onLimits?(pluginId: string, limits: PluginLimits): void;
  startupCrashLimit?: number;
  installer?: InstallerSettings;
  /** manifest.database migrations and purge (src/plugins/database). */
  namespaces?: PluginNamespaces;
  health?: HealthOptions;
  /** Each worker stderr line (the plugin logs store persists them). */
  onStderrLine?(pluginId: string, line: string): void;
  /** The worker sandbox: on by default; the host's data folder holds each plugin's data folder (docs/sandbox.md). */
  sandbox?: PluginSandboxOptions;
  /**
   * The other host nodes on this database (docs/scale-out.md): with a distributed bus, installed versions are
   * packed into the artifact store and every change is applied on every node (cluster-sync.ts). Its node id
   * names this node's worker rows. Default: one node.
   */
  cluster?: Pick<ClusterBus, "subscribe" | "publish" | "onResync" | "nodeId" | "distributed">;
  /** Largest artifact stored for the other nodes (bytes; default 64 MiB, artifacts/artifact-store.ts). */
  maxArtifactBytes?: number;
  /** Metrics and traces of worker calls and restarts (src/observability). */
  workerObserver?: PluginWorkerObserver;
}

export interface PluginBootReport {
  ready: string[];
  failed: Array<{ pluginKey: string; error: string }>;
}

export interface PluginRuntime {
  readonly registry: PluginRegistry;
  readonly lifecycle: PluginLifecycle;
  readonly workers: PluginWorkers;
  /** For the config and log routes. */
  readonly access: RunningPluginAccess;
  /** Each plugin's worker sandbox: grants, its view, the host's isolation status (plugins/sandbox). */
  readonly sandbox: PluginSandboxService;
  /** Dev mode of local-path plugins: reload from the folder as it changes (lifecycle/dev-mode.ts). */
  readonly devMode: PluginDevMode;
  /** Each node's worker per plugin (plugin_node_workers): GET /api/plugins/:id/nodes reads it. */
  readonly nodeWorkers: NodeWorkerStates;
  /** Committed plugin changes, announced for the other nodes (plugin-changes.ts). */
  readonly changes: PluginChanges;
  readonly pluginsDir: string;
  /** Host→worker call with an invocation scoped to `companyId` (bridge, jobs, webhooks, tools). */
  callPlugin<T = unknown>(
    pluginId: string,
    method: string,
    params: unknown,
    companyId: string | null,
    options?: CallPluginOptions,
  ): Promise<T>;
  health(record: PluginRecord): Promise<PluginHealthReport>;
  /** The worker-derived status fields the plugin list and record carry (no ping; this node's view). */
  liveStatus(record: PluginRecord): PluginLiveStatus;
  dashboard(record: PluginRecord): Promise<PluginDashboard>;
  examples(): Promise<ExamplePlugin[]>;
  /** Activate every ready plugin (host start). */
  start(actor?: Actor): Promise<PluginBootReport>;
  /** First start of an instance: install the built examples by local path. Later calls do nothing. */
  installExamplesOnce(actor?: Actor): Promise<string[]>;
  /** Stop every worker gracefully (host shutdown). */
  stop(): Promise<void>;
}

export async function createPluginRuntime(options: PluginRuntimeOptions): Promise<PluginRuntime> {
  const { logger } = options;
  const registry = new PluginRegistry(options.db);
  const instanceId = await instanceIdOf(registry);
  const supplyChain = new SupplyChainStore(options.db);
  const nodeId = options.cluster?.nodeId ?? nodeIdOf(null, 0);
  const nodeWorkers = new NodeWorkerStates(options.db, nodeId, logger);
  const changes = new PluginChanges();
  // Installed files are packed for the other nodes as they are recorded; other nodes run verified copies.
  const packages: NodePackages = new NodePackages({
    store: new ArtifactStore(options.db, options.maxArtifactBytes),
    supplyChain,
    integrity: () => integrity,
    pluginsDir: options.pluginsDir,
    nodeId,
    distributed: options.cluster?.distributed === true,
    logger,
  });
  const integrity = new PackageIntegrity(supplyChain, logger, (record, digest) =>
    packages.packRecorded(record, digest),
  );
  let lifecycle: PluginLifecycle | null = null;
  let devMode: PluginDevMode | null = null;
  let sandbox: PluginSandboxService | null = null;
  const incidents = new WorkerIncidents({
    services: options.services,
    findPlugin: (pluginId) => registry.find(pluginId),
    logger,
  });
  const workers = new PluginWorkers({
    hostServices: options.hostServices,
    configs: options.configs,
    logger,
    instanceInfo: {
      instanceId,
      hostVersion: options.hostVersion,
      deploymentMode: options.deploymentMode,
      deploymentExposure: options.deploymentExposure ?? "private",
    },
    defaults: options.workerDefaults,
    limits: options.pluginLimits,
    onLimits: options.onLimits,
    startupCrashLimit: options.startupCrashLimit,
    onStderrLine: options.onStderrLine,
    // Every spawn, restarts included: the package's files must still be the installed ones (a dev-mode
    // plugin's folder is trusted as it changes).
    beforeStart: (record) => (devMode as PluginDevMode).checkBeforeStart(record),
    // Read before every start: grants changed in the meantime apply to the new process.
    sandboxFor: (record) => (sandbox as PluginSandboxService).settingsFor(record),
    // A blocked event loop, a memory cap reached, an exit: the activity log tells the operator.
    onWorkerCrash: (pluginId, info) => void incidents.crashed(pluginId, info),
    // Another node's install runs from this node's verified copy of its artifact.
    localRecord: (record) => packages.localRecord(record),
    onState: (pluginId, report) => nodeWorkers.report(pluginId, report),
    observer: options.workerObserver,
    // A crash loop ends in status `error` with the reason and the last stderr lines.
    onGaveUp: (pluginId, message) => {
      void lifecycle?.markError(pluginId, message, SYSTEM_ACTOR).catch((error: Error) => {
        logger.error({ pluginId, err: error }, `Could not record the crash loop of plugin ${pluginId}`);
      });
    },
  });
  lifecycle = new PluginLifecycle({
    services: options.services,
    registry,
    workers,
    logger,
    pluginsDir: options.pluginsDir,
    hostVersion: options.hostVersion,
    installer: options.installer,
    namespaces: options.namespaces,
    supplyChain: { store: supplyChain, integrity },
    changes,
  });
  const catalog = new ExampleCatalog(
    options.examplesDir === undefined ? BUNDLED_EXAMPLES_DIR : options.examplesDir,
  );
  const readyLifecycle = lifecycle;
  devMode = new PluginDevMode({
    services: options.services,
    registry,
    workers,
    lifecycle,
    integrity,
    supplyChain,
    store: new DevModeStore(options.db),
    logger,
    pluginsDir: options.pluginsDir,
    hostVersion: options.hostVersion,
    installer: options.installer,
    namespaces: options.namespaces,
  });
  sandbox = new PluginSandboxService(
    {
      db: options.db,
      services: options.services,
      runtime: {
        registry,
        workers,
        markError: (pluginId, reason, actor) => readyLifecycle.markError(pluginId, reason, actor),
        grantsChanged: (record) =>
          changes.announce({ pluginId: record.id, pluginKey: record.pluginKey, action: "sandbox" }),
      },
    },
    options.sandbox,
  );

  const access: RunningPluginAccess = {
    callWorker(pluginId): WorkerCall | null {
      if (!workers.isRunning(pluginId)) return null;
      return (method, params, companyId) => workers.call(pluginId, method, params, companyId);
    },
    supportsMethod: (pluginId, method) => workers.supports(pluginId, method),
    restartWorker: (pluginId) => workers.restart(pluginId),
    tryRestartWorker: (pluginId) => workers.tryRestart(pluginId),
    findPlugin: (idOrKey) => registry.find(idOrKey),
    configChanged: (plugin, companyId) =>
      changes.announce({ pluginId: plugin.id, pluginKey: plugin.pluginKey, action: "config", companyId }),
  };
  const cluster = options.cluster;
  const sync = cluster?.distributed
    ? new PluginClusterSync({
        bus: cluster,
        changes,
        registry,
        lifecycle: readyLifecycle,
        workers,
        packages,
        configs: options.configs,
        logger,
      })
    : null;

  return {
    registry,
    lifecycle: readyLifecycle,
    workers,
    access,
    sandbox,
    devMode,
    nodeWorkers,
    changes,
    pluginsDir: options.pluginsDir,
    callPlugin: (pluginId, method, params, companyId, callOptions) =>
      workers.call(pluginId, method, params, companyId, callOptions),
    health: (record) => pluginHealth(record, workers, options.db, options.health),
    liveStatus: (record) =>
      pluginLiveStatus(record, workers.diagnostics(record.id), options.health?.logStats?.(record.id) ?? null),
    dashboard: (record) => pluginDashboard(record, workers, options.db, options.health),
    examples: () => catalog.list(),
    async start(actor = SYSTEM_ACTOR) {
      // With other nodes, the bus's first connection also reconciles every plugin (cluster-sync.ts).
      const report = await readyLifecycle.activateAll(actor);
      for (const key of report.ready) logger.info({ pluginKey: key }, `Plugin ${key} is ready`);
      for (const failure of report.failed) {
        logger.error(
          { pluginKey: failure.pluginKey },
          `Plugin ${failure.pluginKey} failed to start: ${failure.error}`,
        );
      }
      return report;
    },
    async installExamplesOnce(actor = SYSTEM_ACTOR) {
      if ((await registry.getMeta(EXAMPLES_INSTALLED_KEY)) !== null) return [];
      // Claimed first: two nodes starting together must not both install them.
      if (!(await registry.claimMeta(EXAMPLES_INSTALLED_KEY, new Date().toISOString()))) return [];
      const installed: string[] = [];
      for (const example of await catalog.list()) {
        if (!example.hasBuiltEntrypoints) {
          logger.warn(
            `First start: example plugin ${example.packageName} is not built (run npx tsc -b); skipped`,
          );
          continue;
        }
        if (await registry.findByKey(example.pluginKey)) continue;
        try {
          const record = await readyLifecycle.install(
            { packageName: example.localPath, isLocalPath: true },
            { actor },
          );
          installed.push(record.pluginKey);
          logger.info(
            { pluginKey: record.pluginKey, status: record.status },
            `First start: installed example plugin ${record.pluginKey} from ${example.localPath} (status ${record.status})`,
          );
        } catch (error) {
          logger.error(
            `First start: installing example plugin ${example.packageName} failed: ${(error as Error).message}`,
          );
        }
      }
      return installed;
    },
    async stop() {
      await sync?.stop();
      await workers.stopAll();
      await nodeWorkers.markAllStopped().catch((error: Error) => {
        logger.warn({ err: error }, "Could not mark this node's workers stopped");
      });
    },
  };
}

async function instanceIdOf(registry: PluginRegistry): Promise<string> {
  const stored = await registry.getMeta(INSTANCE_ID_KEY);
  if (typeof stored === "string") return stored;
  await registry.claimMeta(INSTANCE_ID_KEY, randomUUID());
  const claimed = await registry.getMeta(INSTANCE_ID_KEY);
  if (typeof claimed !== "string")
    throw new Error("Could not record this instance's id in plugin_runtime_meta");
  return claimed;
}

/** `<data dir>/plugins`: where npm-installed plugin folders go. */
export function pluginsDirOf(dataDir: string): string {
  return path.join(dataDir, "plugins");
}
