// One WorkerSupervisor per running plugin, wired to that plugin's host services. Activation = host services for
// the plugin + a supervised worker that answered `initialize` + every stored company config replayed. Nothing
// here touches the database: status changes belong to the lifecycle, which calls activate/deactivate.
import { stat } from "node:fs/promises";
import path from "node:path";
import {
  type HostToWorkerNotificationName,
  type HostToWorkerNotifications,
  JsonRpcCallError,
  PLUGIN_RPC_ERROR_CODES,
} from "@paperclipai/plugin-sdk/protocol";
import type { Logger } from "pino";
import { databaseNamespaceOf } from "../database/namespace.js";
import { effectivePluginLimits, type PluginLimits } from "../lifecycle/limits.js";
import type { PluginRecord } from "../registry/index.js";
import type { WorkerSandboxSettings } from "../sandbox/types.js";
import {
  type CrashPolicy,
  type FloodLimits,
  type SupervisorTimeouts,
  type WorkerCrashInfo,
  type WorkerDiagnostics,
  type WorkerEnvironmentOptions,
  type WorkerGaveUpInfo,
  type WorkerInstanceInfo,
  type WorkerManifest,
  WorkerSupervisor,
} from "../supervisor/index.js";
import type { PluginConfigLister, PluginHostServices, PluginHostServicesFactory } from "./contract.js";
import type { NodeWorkerReport } from "./node-workers.js";
import { OneAtATime } from "./one-at-a-time.js";

/** Supervisor settings every plugin gets (per-plugin method timeouts come from its record). */
export interface WorkerDefaults {
  timeouts?: Partial<SupervisorTimeouts>;
  crashPolicy?: Partial<CrashPolicy>;
  limits?: Partial<FloodLimits>;
  methodTimeouts?: Record<string, number>;
  /** Heap cap of every worker (MB); a plugin's `limits.memoryLimitMb` overrides it. Default: `limits`' (512). */
  memoryLimitMb?: number;
  execArgv?: string[];
  environment?: WorkerEnvironmentOptions;
}

export interface PluginWorkersOptions {
  hostServices: PluginHostServicesFactory;
  /** Stored company configs, replayed with `configChanged` after every start. */
  configs?: PluginConfigLister;
  logger: Logger;
  instanceInfo: WorkerInstanceInfo;
  defaults?: WorkerDefaults;
  /** The host's resource limits (each plugin's `limits` override them); defaults in lifecycle/limits.ts. */
  limits?: Partial<PluginLimits>;
  /** Called when a plugin is activated, with the limits that apply to it (the log caps are set from it). */
  onLimits?(pluginId: string, limits: PluginLimits): void;
  /** Failed start attempts after which activation gives up (the supervisor keeps retrying otherwise). Default 3. */
  startupCrashLimit?: number;
  /** Each stderr line of a worker, e.g. to persist it into the plugin's logs. */
  onStderrLine?(pluginId: string, line: string): void;
  /** A worker that was running crashed too often and the supervisor stopped restarting it. */
  onGaveUp?(pluginId: string, message: string): void;
  /**
   * Awaited before every spawn of a plugin's worker, restarts included; throwing refuses the start for good with
   * that message (the package integrity check, lifecycle/package-integrity.ts).
   */
  beforeStart?(record: PluginRecord): Promise<void>;
  /**
   * The sandbox a plugin's worker starts in (plugins/sandbox), read before every deliberate start so changed grants
   * apply on the next one. Default: sandbox on, nothing granted, a temporary data folder.
   */
  sandboxFor?(record: PluginRecord): Promise<WorkerSandboxSettings>;
  /** A running (activated) plugin's worker crashed; the supervisor restarts it per its crash policy. */
  onWorkerCrash?(pluginId: string, info: WorkerCrashInfo): void;
  /**
   * The record as this node runs it: another node's install points at this node's copy from the artifact store
   * (plugins/artifacts/node-packages.ts). Throwing refuses the activation with that message.
   */
  localRecord?(record: PluginRecord): Promise<PluginRecord>;
  /** This node's worker for a plugin changed state (recorded in plugin_node_workers). */
  onState?(pluginId: string, report: NodeWorkerReport): void;
  /** The host's metrics and traces of worker calls and restarts (src/observability); none when absent. */
  observer?: PluginWorkerObserver;
}

/** What the host's metrics and traces see of this node's workers (docs/observability.md). */
export interface PluginWorkerObserver {
  /** Wraps one host→worker call; a `traceparent` it passes goes into the call's `paperclipInvocation`. */
  call<T>(
    pluginKey: string,
    method: string,
    invocationId: string,
    send: (traceparent?: string) => Promise<T>,
  ): Promise<T>;
  /** An activated plugin's worker is running again after a crash or a restart. */
  workerRestarted(pluginKey: string): void;
}

export interface CallPluginOptions {
  timeoutMs?: number;
}

interface RunningPlugin {
  readonly record: PluginRecord;
  readonly supervisor: WorkerSupervisor;
  readonly services: PluginHostServices;
  /** Set once activation finished; before that, failures belong to the activation. */
  active: boolean;
  /** The config replay after the latest (re)start. */
  replay: Promise<void>;
  /** Queue for workers that do not echo invocation ids: one host→worker call at a time. */
  readonly oneAtATime: OneAtATime;
}

export const DEFAULT_STARTUP_CRASH_LIMIT = 3;

export class ActivationError extends Error {
  override readonly name = "ActivationError";
}

/**
 * This node cannot get the plugin's package (its copy from the artifact store): the other nodes may run it, so
 * the plugin's status is not this node's to change.
 */
export class NodeLocalActivationError extends ActivationError {}

export class PluginWorkers {
  private readonly running = new Map<string, RunningPlugin>();
  private readonly logger: Logger;

  constructor(private readonly options: PluginWorkersOptions) {
    this.logger = options.logger;
  }

  isRunning(pluginId: string): boolean {
    return this.running.has(pluginId);
  }

  runningIds(): string[] {
    return [...this.running.keys()];
  }

  /** The record the plugin's worker runs with on this node (its package folder this node's own), or null. */
  runningRecord(pluginId: string): PluginRecord | null {
    return this.running.get(pluginId)?.record ?? null;
  }

  diagnostics(pluginId: string): WorkerDiagnostics | null {
    return this.running.get(pluginId)?.supervisor.diagnostics() ?? null;
  }

  /** The limits that apply to a plugin: its record's overrides over the host's. */
  limitsFor(record: Pick<PluginRecord, "limits">): PluginLimits {
    const memory = this.options.defaults?.memoryLimitMb;
    return effectivePluginLimits(
      { ...this.options.limits, ...(memory === undefined ? {} : { memoryLimitMb: memory }) },
      record.limits,
    );
  }

  /** Only the plugin's own overrides (its record's `limits`), when it is activated on this node. */
  ownLimits(pluginId: string): PluginRecord["limits"] | null {
    return this.running.get(pluginId)?.record.limits ?? null;
  }

  supports(pluginId: string, method: string): boolean {
    return this.running.get(pluginId)?.supervisor.supports(method) ?? false;
  }

  /**
   * Start the plugin's worker and wait until it answered `initialize` and got its configs. Throws
   * ActivationError with the reason (and the worker's last stderr lines) when it cannot be started.
   */
  async activate(record: PluginRecord): Promise<void> {
    // Never two workers for one plugin, never a zombie handle from an earlier failure.
    await this.deactivate(record.id);
    const report = (state: NodeWorkerReport) =>
      this.options.onState?.(record.id, { version: record.version, ...state });
    report({ status: "starting" });
    try {
      await this.start(await this.localRecord(record));
    } catch (error) {
      report({ status: "error", lastError: (error as Error).message });
      throw error;
    }
    report({ status: "ready", pid: this.diagnostics(record.id)?.pid ?? null });
  }

  /** The record as this node runs it (its own folder, or its copy from the artifact store). */
  async localRecord(record: PluginRecord): Promise<PluginRecord> {
    if (!this.options.localRecord) return record;
    try {
      return await this.options.localRecord(record);
    } catch (error) {
      throw new NodeLocalActivationError((error as Error).message);
    }
  }

  private async start(record: PluginRecord): Promise<void> {
    const entrypoint = await resolveWorkerEntrypoint(record);
    this.options.onLimits?.(record.id, this.limitsFor(record));
    const services = this.options.hostServices.forPlugin(
      { pluginId: record.id, pluginKey: record.pluginKey, manifest: record.manifestJson },
      {},
    );
    const supervisor = this.createSupervisor(record, entrypoint, services, (info) =>
      this.onGaveUp(entry, info),
    );
    const entry: RunningPlugin = {
      record,
      supervisor,
      services,
      active: false,
      replay: Promise.resolve(),
      oneAtATime: new OneAtATime(),
    };
    this.running.set(record.id, entry);
    supervisor.on("crash", (info) => {
      if (!entry.active) return;
      this.options.onWorkerCrash?.(record.id, info);
      this.options.onState?.(record.id, {
        status: "crashed",
        version: record.version,
        lastError: info.reason,
      });
    });
    try {
      await this.startWithinCrashLimit(supervisor);
      entry.replay = this.replayConfigs(entry);
      await entry.replay;
    } catch (error) {
      if (this.running.get(record.id) === entry) this.running.delete(record.id);
      await supervisor.stop().catch(() => undefined);
      await services.dispose().catch(() => undefined);
      throw error instanceof ActivationError ? error : new ActivationError((error as Error).message);
    }
    entry.active = true;
    // Restarts after a crash come back with an empty bootstrap config: give them their configs again.
    supervisor.on("statusChange", (change) => {
      if (change.to !== "running" || !entry.active) return;
      entry.replay = this.replayConfigs(entry);
      this.options.observer?.workerRestarted(record.pluginKey);
      this.options.onState?.(record.id, {
        status: "ready",
        version: record.version,
        pid: supervisor.diagnostics().pid,
      });
    });
  }

  /** Stop the plugin's worker gracefully (no-op when it is not running). */
  async deactivate(pluginId: string): Promise<void> {
    const entry = this.running.get(pluginId);
    if (!entry) return;
    this.running.delete(pluginId);
    entry.active = false;
    await entry.supervisor.stop();
    this.options.onState?.(pluginId, { status: "stopped", version: entry.record.version });
    await entry.services.dispose().catch((error: Error) => {
      this.logger.warn(
        { pluginId, err: error },
        `Disposing the host services of plugin ${entry.record.pluginKey} failed`,
      );
    });
  }

  /** Restart the worker process (new setup(), configs replayed). */
  async restart(pluginId: string): Promise<void> {
    const entry = this.running.get(pluginId);
    if (!entry) throw notRunning(pluginId);
    await entry.supervisor.restart();
    await entry.replay;
  }

  /**
   * Restart to apply a changed config, giving up after `startupCrashLimit` failed starts instead of letting the
   * crash policy run on (whose end is status `error` for every company). On failure the worker is left stopped
   * and the reason (with its last stderr lines) returned: the caller decides what runs next.
   */
  async tryRestart(pluginId: string): Promise<{ ok: true } | { ok: false; reason: string }> {
    const entry = this.running.get(pluginId);
    if (!entry) throw notRunning(pluginId);
    // A give-up during this attempt is reported to the caller, not as a crash loop (onGaveUp checks this).
    entry.active = false;
    const version = entry.record.version;
    this.options.onState?.(pluginId, { status: "restarting", version });
    try {
      await this.startWithinCrashLimit(entry.supervisor, () => entry.supervisor.restart());
      entry.replay = this.replayConfigs(entry);
      await entry.replay;
      this.options.onState?.(pluginId, { status: "ready", version, pid: entry.supervisor.diagnostics().pid });
      return { ok: true };
    } catch (error) {
      await entry.supervisor.stop().catch(() => undefined);
      this.options.onState?.(pluginId, { status: "error", version, lastError: (error as Error).message });
      return { ok: false, reason: (error as Error).message };
    } finally {
      if (this.running.get(pluginId) === entry) entry.active = true;
    }
  }

  /** Host→worker request with an invocation scoped to `companyId` (null: instance scope). */
  async call<T = unknown>(
    pluginId: string,
    method: string,
    params: unknown,
    companyId: string | null,
    options: CallPluginOptions = {},
  ): Promise<T> {
    const entry = this.running.get(pluginId);
    if (!entry) throw notRunning(pluginId);
    return this.callEntry<T>(entry, method, params, companyId, options);
  }

  /**
   * Host→worker notification (no answer; e.g. `agents.sessions.event`). Queued on the worker's pipe in order, so a
   * busy worker reads it later. Throws WORKER_UNAVAILABLE unless the plugin's worker is running.
   */
  notify<N extends HostToWorkerNotificationName>(
    pluginId: string,
    method: N,
    params: HostToWorkerNotifications[N],
  ): void {
    const entry = this.running.get(pluginId);
    if (!entry) throw notRunning(pluginId);
    entry.supervisor.notify(method, params);
  }

  /** Stop every worker (host shutdown), all at once. */
  async stopAll(): Promise<void> {
    await Promise.allSettled(this.runningIds().map((id) => this.deactivate(id)));
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  private createSupervisor(
    record: PluginRecord,
    entrypoint: string,
    services: PluginHostServices,
    onGaveUp: (info: WorkerGaveUpInfo) => void,
  ): WorkerSupervisor {
    const defaults = this.options.defaults ?? {};
    const logger = this.logger.child({ pluginId: record.id });
    const beforeStart = this.options.beforeStart;
    const sandboxFor = this.options.sandboxFor;
    return new WorkerSupervisor({
      pluginId: record.id,
      manifest: record.manifestJson as unknown as WorkerManifest,
      entrypoint,
      packageDir: record.packageDir,
      instanceInfo: this.options.instanceInfo,
      databaseNamespace: databaseNamespaceOf(record.manifestJson),
      execArgv: defaults.execArgv,
      memoryLimitMb: this.limitsFor(record).memoryLimitMb,
      environment: defaults.environment,
      timeouts: defaults.timeouts,
      crashPolicy: defaults.crashPolicy,
      limits: defaults.limits,
      methodTimeouts: { ...defaults.methodTimeouts, ...record.methodTimeouts },
      logger,
      handleWorkerRequest: (method, params, message) => services.handleRequest(method, params, message),
      handleWorkerNotification: (method, params, message) =>
        services.handleNotification(method, params, message),
      // Before each initialize: the new process's setup() registers its subscriptions afresh.
      onWorkerStarted: () => services.resetWorkerRegistrations(),
      beginSetupInvocation: () => {
        const invocation = services.beginInvocation(null);
        return { envelope: { id: invocation.id, scope: { companyId: null } }, end: () => invocation.end() };
      },
      beforeSpawn: beforeStart ? () => beforeStart(record) : undefined,
      sandbox: sandboxFor ? () => sandboxFor(record) : undefined,
      onCrash: (info) => services.workerExited?.(info.reason),
      // Persisted (and mirrored to the host log, within the plugin's log caps) by the host services' log writer.
      logStderr: services.appendStderr === undefined,
      onStderrLine: (line) => {
        services.appendStderr?.(line);
        this.options.onStderrLine?.(record.id, line);
      },
      onGaveUp,
    });
  }

  /**
   * The supervisor retries a failing start with backoff until its crash policy gives up; activation waits
   * for at most `startupCrashLimit` attempts so an operator's enable answers in seconds, not minutes.
   */
  private async startWithinCrashLimit(
    supervisor: WorkerSupervisor,
    start: () => Promise<void> = () => supervisor.start(),
  ): Promise<void> {
    const limit = this.options.startupCrashLimit ?? DEFAULT_STARTUP_CRASH_LIMIT;
    let onCrash: ((info: WorkerCrashInfo) => void) | undefined;
    const tooManyCrashes = new Promise<never>((_, reject) => {
      onCrash = (info) => {
        if (info.consecutiveCrashes >= limit)
          reject(new ActivationError(startFailureMessage(supervisor, info)));
      };
      supervisor.on("crash", onCrash);
    });
    tooManyCrashes.catch(() => undefined);
    try {
      await Promise.race([start(), tooManyCrashes]);
    } finally {
      if (onCrash) supervisor.off("crash", onCrash);
    }
  }

  private async replayConfigs(entry: RunningPlugin): Promise<void> {
    const { record, supervisor } = entry;
    if (!this.options.configs || !supervisor.supports("configChanged")) return;
    let configs: Awaited<ReturnType<PluginConfigLister["list"]>>;
    try {
      configs = await this.options.configs.list(record.id);
    } catch (error) {
      this.logger.warn(
        { pluginId: record.id, err: error },
        `Could not read the configs of plugin ${record.pluginKey}`,
      );
      return;
    }
    for (const { companyId, configJson } of configs) {
      try {
        await this.callEntry(entry, "configChanged", { config: configJson, companyId }, companyId);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        const crossTenant = code === PLUGIN_RPC_ERROR_CODES.CROSS_TENANT_CONFIG;
        this.logger.warn(
          { pluginId: record.id, companyId, code },
          crossTenant
            ? `Plugin ${record.pluginKey} refused the config of company ${companyId} (CROSS_TENANT_CONFIG): it ` +
                "serves one company's config only"
            : `Replaying the config of company ${companyId} to plugin ${record.pluginKey} failed: ${(error as Error).message}`,
        );
        if (code === PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE) return;
      }
    }
  }

  private async callEntry<T>(
    entry: RunningPlugin,
    method: string,
    params: unknown,
    companyId: string | null,
    options: CallPluginOptions = {},
  ): Promise<T> {
    const invoke = async (): Promise<T> => {
      const invocation = entry.services.beginInvocation(companyId);
      const send = (traceparent?: string) =>
        entry.supervisor.call<T>(method, params, {
          timeoutMs: options.timeoutMs,
          invocation: { id: invocation.id, scope: { companyId }, ...(traceparent ? { traceparent } : {}) },
        });
      const observer = this.options.observer;
      try {
        return await (observer ? observer.call(entry.record.pluginKey, method, invocation.id, send) : send());
      } finally {
        invocation.end();
      }
    };
    // Until the worker shows it tags its calls with invocation ids, the only exact attribution is one call at a time.
    if (entry.services.echoesInvocationIds()) return invoke();
    const waitLimitMs = options.timeoutMs ?? entry.supervisor.callTimeoutMs(method);
    return entry.oneAtATime.run(invoke, waitLimitMs, entry.record.pluginKey);
  }

  private onGaveUp(entry: RunningPlugin, info: WorkerGaveUpInfo): void {
    // During activation the failure is reported by activate() itself.
    if (!entry.active) return;
    entry.active = false;
    if (this.running.get(entry.record.id) === entry) this.running.delete(entry.record.id);
    void entry.services.dispose().catch(() => undefined);
    this.options.onState?.(entry.record.id, {
      status: "error",
      version: entry.record.version,
      lastError: info.message,
    });
    this.options.onGaveUp?.(entry.record.id, info.message);
  }
}

function notRunning(pluginId: string): JsonRpcCallError {
  return new JsonRpcCallError({
    code: PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE,
    message: `Plugin ${pluginId} is not running`,
  });
}

function startFailureMessage(supervisor: WorkerSupervisor, info: WorkerCrashInfo): string {
  const tail = info.stderrTail.slice(-10);
  return (
    `Worker for plugin "${supervisor.pluginKey}" failed to start ${info.consecutiveCrashes} times in a row; ` +
    `last failure: ${info.reason}` +
    (tail.length > 0 ? `\nLast stderr lines:\n${tail.join("\n")}` : "")
  );
}

/** The worker file the manifest names, which must exist inside the package folder. */
export async function resolveWorkerEntrypoint(record: PluginRecord): Promise<string> {
  const declared = record.manifestJson.entrypoints?.worker;
  if (typeof declared !== "string" || declared.trim() === "") {
    throw new ActivationError(`Plugin ${record.pluginKey} declares no entrypoints.worker`);
  }
  const packageDir = path.resolve(record.packageDir);
  const entrypoint = path.resolve(packageDir, declared);
  const relative = path.relative(packageDir, entrypoint);
  if (relative.startsWith("..") || path.isAbsolute(relative)) {
    throw new ActivationError(
      `Plugin ${record.pluginKey}: entrypoints.worker "${declared}" leaves the package folder`,
    );
  }
  const info = await stat(entrypoint).catch(() => null);
  if (!info?.isFile()) {
    throw new ActivationError(
      `Plugin ${record.pluginKey}: the worker ${entrypoint} (entrypoints.worker) is missing; is the package ` +
        `folder ${packageDir} still there and built?`,
    );
  }
  return entrypoint;
}
