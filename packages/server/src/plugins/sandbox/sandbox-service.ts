// The operator's side of the worker sandbox: each plugin's grants (read before every start of its worker), the
// Sandbox view (host isolation, what the running worker has, memory cap) and changing grants: validated, saved
// with an activity row in every company, then the worker restarted so they apply.
import path from "node:path";
import type { Database } from "../../db/database.js";
import type { Actor } from "../../domain/actor.js";
import type { DomainServices } from "../../domain/services.js";
import { badRequest } from "../../errors.js";
import { allCompanyIds, writePluginActivity } from "../lifecycle/activity.js";
import type { PluginLimits } from "../lifecycle/limits.js";
import type { PluginRecord } from "../registry/index.js";
import { residentLimitMbFor } from "../supervisor/memory-watch.js";
import type { WorkerDiagnostics } from "../supervisor/types.js";
import {
  GRANT_RISKS,
  SANDBOX_GRANTS,
  type SandboxGrant,
  type SandboxGrants,
  validateGrants,
} from "./grants.js";
import { type HostSandboxStatus, hostSandboxStatus } from "./host-status.js";
import { SandboxStore } from "./store.js";
import type { WorkerSandboxReport, WorkerSandboxSettings } from "./types.js";
import { temporaryDataDir } from "./worker-sandbox.js";

export interface PluginSandboxOptions {
  /** false: no worker is sandboxed (PAPERCLIP_PLUGIN_SANDBOX=off, for debugging only). Default true. */
  enabled?: boolean;
  /** How it was switched off, shown wherever the sandbox status is. */
  disabledBy?: string | null;
  /**
   * The host's data folder: each plugin writes in `<dataDir>/plugin-data/<pluginKey>`, and no worker may read the
   * folder itself (database, secrets key). Missing: a temporary folder per plugin.
   */
  hostDataDir?: string | null;
  /**
   * Where a plugin's data folder is, instead of `<hostDataDir>/plugin-data/<pluginKey>` (e.g. test beds whose fixture
   * plugins report through files in their own package folder).
   */
  dataDirOf?(record: PluginRecord): string;
}

/** What the service uses of the plugin runtime. */
export interface SandboxRuntime {
  registry: { require(idOrKey: string): Promise<PluginRecord> };
  workers: {
    isRunning(pluginId: string): boolean;
    diagnostics(pluginId: string): WorkerDiagnostics | null;
    tryRestart(pluginId: string): Promise<{ ok: true } | { ok: false; reason: string }>;
    limitsFor(record: Pick<PluginRecord, "limits">): PluginLimits;
  };
  /** Grants changed and committed: the other host nodes restart their workers with them too. */
  grantsChanged?(record: Pick<PluginRecord, "id" | "pluginKey">): void;
  /** ready → error with the reason (the lifecycle's markError). */
  markError(pluginId: string, reason: string, actor: Actor): Promise<unknown>;
}

export interface PluginSandboxView {
  pluginId: string;
  pluginKey: string;
  pluginStatus: PluginRecord["status"];
  host: HostSandboxStatus;
  grants: SandboxGrants;
  /** Why each grant is a risk. */
  risks: Record<SandboxGrant, string>;
  updatedBy: string | null;
  updatedAt: string | null;
  /** The plugin's own writable folder (PAPERCLIP_PLUGIN_DATA_DIR). */
  dataDir: string;
  memory: {
    /** The worker's heap cap in MB (0: none). */
    limitMb: number;
    /** The cap on its whole process's resident memory in MB (null: none): twice the heap cap plus 128 MB. */
    residentLimitMb: number | null;
    /** "plugin": its own setting (PATCH …/settings {limits}); "host": the host-wide default. */
    source: "plugin" | "host";
  };
  /** What the running worker on this node has; null when none runs here. */
  worker: WorkerSandboxReport | null;
}

export interface SandboxUpdate {
  grants: unknown;
  /** Must be true when the update turns a grant on: each widens what the worker can do. */
  acknowledgeRisks?: boolean;
}

export interface SandboxUpdateResult extends PluginSandboxView {
  /** The running worker was restarted with the new grants (false: it was not running, or nothing changed). */
  restarted: boolean;
  /** Why the restart failed (the plugin is then in status error with this reason). */
  restartError: string | null;
}

export class PluginSandboxService {
  private readonly store: SandboxStore;
  private readonly enabled: boolean;

  constructor(
    private readonly deps: { db: Database; services: DomainServices; runtime: SandboxRuntime },
    private readonly options: PluginSandboxOptions = {},
  ) {
    this.store = new SandboxStore(deps.db);
    this.enabled = options.enabled !== false;
  }

  /** The settings a worker of `record` starts with (called before every deliberate start). */
  async settingsFor(record: PluginRecord): Promise<WorkerSandboxSettings> {
    const { grants } = await this.store.get(record.id);
    const hostDataDir = this.options.hostDataDir;
    return {
      enabled: this.enabled,
      disabledReason: this.enabled ? undefined : (this.options.disabledBy ?? "host setting"),
      grants,
      dataDir: this.dataDirOf(record),
      protectedPaths: hostDataDir ? [hostDataDir] : [],
    };
  }

  hostStatus(): Promise<HostSandboxStatus> {
    return hostSandboxStatus({ enabled: this.enabled, disabledBy: this.options.disabledBy });
  }

  async view(idOrKey: string): Promise<PluginSandboxView> {
    return this.viewOf(await this.deps.runtime.registry.require(idOrKey));
  }

  async update(idOrKey: string, update: SandboxUpdate, actor: Actor): Promise<SandboxUpdateResult> {
    const patch = validateGrants(update.grants);
    const record = await this.deps.runtime.registry.require(idOrKey);
    const stored = await this.store.get(record.id);
    const next: SandboxGrants = { ...stored.grants, ...patch };
    const granted = SANDBOX_GRANTS.filter((name) => next[name] && !stored.grants[name]);
    const revoked = SANDBOX_GRANTS.filter((name) => !next[name] && stored.grants[name]);
    if (granted.length > 0 && update.acknowledgeRisks !== true) {
      throw badRequest(
        `acknowledgeRisks must be true to grant ${granted.join(", ")}: ` +
          granted.map((name) => `${name}: ${GRANT_RISKS[name]}`).join(" "),
        { field: "acknowledgeRisks", granted },
      );
    }
    if (granted.length === 0 && revoked.length === 0) {
      return { ...(await this.viewOf(record)), restarted: false, restartError: null };
    }
    const companyIds = await allCompanyIds(this.deps.services);
    await this.deps.services.runner.run(actor, async (m) => {
      await this.store.put(m.tx, record.id, next, actor.id);
      writePluginActivity(m, companyIds, record, {
        action: "plugin.sandbox.updated",
        details: { grants: next, granted, revoked },
      });
    });
    const restart = await this.restartToApply(record, actor);
    this.deps.runtime.grantsChanged?.(record);
    const current = await this.deps.runtime.registry.require(record.id);
    return { ...(await this.viewOf(current)), ...restart };
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  private async restartToApply(
    record: PluginRecord,
    actor: Actor,
  ): Promise<{ restarted: boolean; restartError: string | null }> {
    const { workers } = this.deps.runtime;
    if (!workers.isRunning(record.id)) return { restarted: false, restartError: null };
    const result = await workers.tryRestart(record.id);
    if (result.ok) return { restarted: true, restartError: null };
    const reason = `Restart with the changed sandbox failed: ${result.reason}`;
    await this.deps.runtime.markError(record.id, reason, actor);
    return { restarted: false, restartError: reason };
  }

  private async viewOf(record: PluginRecord): Promise<PluginSandboxView> {
    const [stored, host] = await Promise.all([this.store.get(record.id), this.hostStatus()]);
    const { workers } = this.deps.runtime;
    return {
      pluginId: record.id,
      pluginKey: record.pluginKey,
      pluginStatus: record.status,
      host,
      grants: stored.grants,
      risks: { ...GRANT_RISKS },
      updatedBy: stored.updatedBy,
      updatedAt: stored.updatedAt,
      dataDir: this.dataDirOf(record),
      memory: {
        limitMb: workers.limitsFor(record).memoryLimitMb,
        residentLimitMb: residentLimitMbFor(workers.limitsFor(record).memoryLimitMb),
        source: record.limits?.memoryLimitMb === undefined ? "host" : "plugin",
      },
      worker: workers.diagnostics(record.id)?.sandbox ?? null,
    };
  }

  private dataDirOf(record: PluginRecord): string {
    if (this.options.dataDirOf) return path.resolve(this.options.dataDirOf(record));
    const hostDataDir = this.options.hostDataDir;
    if (!hostDataDir) return temporaryDataDir(record.id);
    // Manifest ids are already path-safe; this keeps any other key inside plugin-data/.
    const folder = record.pluginKey.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_");
    return path.join(path.resolve(hostDataDir), "plugin-data", folder);
  }
}
