// Dev mode (issue 13, docs/authoring/dev-loop.md): a local-path plugin whose folder the instance admin trusts as it
// changes, so `paperclip plugin dev <folder>` can rebuild it and reload it into the running host without a tunnel,
// a reinstall or `plugin verify --accept`. A reload, under the plugin's lifecycle lock:
//   1. reads and validates the folder's manifest (a broken one fails the reload; the old worker keeps running);
//   2. stops the old worker gracefully (its process is gone before the next starts: never two at once);
//   3. records the folder's new package digest (reason `dev_mode`) and stores the manifest as it now is; new
//      capabilities are applied, with a warning in the activity log, since the operator turned dev mode on;
//   4. starts the new worker: its setup() registers events, tools and streams afresh (the host clears the old
//      registrations when a process starts), its jobs are synced for the new process, configs are replayed;
//   5. announces `plugin.ui.updated` with action `reloaded`: the digest names the UI build, so open boards load it.
// Paperclip's watch mode restarted the worker alone and silently lost its event subscriptions (reference, host
// internals §4 and §19); here a reload is the same activation an enable is.
import { performance } from "node:perf_hooks";
import type { Logger } from "pino";
import type { DomainServices } from "../../domain/services.js";
import { badRequest } from "../../errors.js";
import type { PluginNamespaces } from "../database/lifecycle-hooks.js";
import type { PluginPatch, PluginRecord, PluginRegistry } from "../registry/index.js";
import type { PluginWorkers } from "../runtime/plugin-workers.js";
import { allCompanyIds, type PluginActivity, writePluginActivity } from "./activity.js";
import type { DevModeRow, DevModeStore } from "./dev-mode-store.js";
import type { OperationContext, PluginLifecycle } from "./lifecycle.js";
import { PackageChangedError, type PackageIntegrity } from "./package-integrity.js";
import { type InstallerSettings, preparePackage } from "./prepare-package.js";
import type { SupplyChainStore } from "./supply-chain-store.js";

export interface PluginDevModeDeps {
  services: DomainServices;
  registry: PluginRegistry;
  workers: PluginWorkers;
  lifecycle: PluginLifecycle;
  integrity: PackageIntegrity;
  supplyChain: SupplyChainStore;
  store: DevModeStore;
  logger: Logger;
  pluginsDir: string;
  hostVersion: string;
  installer?: InstallerSettings;
  namespaces?: PluginNamespaces;
}

/** `GET /api/plugins/:pluginId/dev`: whether the plugin is in dev mode, and whether it could be. */
export interface DevModeStatus {
  pluginId: string;
  pluginKey: string;
  enabled: boolean;
  /** Installed from a local folder: the only kind of install dev mode applies to. */
  localPath: boolean;
  /** The folder being developed (null when not in dev mode). */
  sourceDir: string | null;
  enabledBy: string | null;
  enabledAt: string | null;
  reloadCount: number;
  lastReloadAt: string | null;
}

/** What `POST /api/plugins/:pluginId/dev/reload` answers. */
export interface DevReloadReport {
  plugin: PluginRecord;
  /** Manifest read, old worker stopped, digest recorded, new worker answering: the whole reload, ms. */
  reloadMs: number;
  previousPid: number | null;
  pid: number | null;
  /** The recorded package digest: it names the plugin's UI build (plugins/ui/contributions.ts). */
  digest: string;
  manifestChanged: boolean;
  addedCapabilities: string[];
  removedCapabilities: string[];
  /** What the operator should know (capabilities granted by dev mode). */
  warnings: string[];
  reloadCount: number;
}

/** Statuses a reload starts from: a failed reload (error) is retried by the next one. */
const RELOAD_FROM: readonly PluginRecord["status"][] = ["ready", "error", "installed"];

export class PluginDevMode {
  constructor(private readonly deps: PluginDevModeDeps) {}

  async status(idOrKey: string): Promise<DevModeStatus> {
    const record = await this.deps.registry.require(idOrKey);
    return statusOf(record, await this.deps.store.find(record.id));
  }

  /** Whether the plugin's folder is trusted as it changes. */
  async isEnabled(pluginId: string): Promise<boolean> {
    return (await this.deps.store.find(pluginId)) !== null;
  }

  /** Turn dev mode on: only for a plugin installed from a local folder (400 otherwise). */
  async enable(idOrKey: string, context: OperationContext): Promise<DevModeStatus> {
    return this.deps.lifecycle.locked(idOrKey, async (record) => {
      if (!isLocalInstall(record)) {
        throw badRequest(
          `Dev mode applies to plugins installed from a local folder; ${record.pluginKey} was installed from ` +
            `${record.source === "registry" ? "npm" : "a tarball"} (${record.installSpec.packageName}). Install ` +
            "its source folder instead: paperclip plugin dev <folder>",
          { source: record.source },
        );
      }
      if (record.status === "uninstalled") {
        throw badRequest(`Plugin ${record.pluginKey} is uninstalled: install its folder again first`);
      }
      const existing = await this.deps.store.find(record.id);
      const row = await this.deps.store.enable(record.id, record.packageDir, context.actor.id);
      if (!existing) {
        await this.writeActivity(context, record, {
          action: "plugin.dev_mode.enabled",
          details: { sourceDir: record.packageDir },
        });
        this.deps.logger.warn(
          { pluginId: record.id, pluginKey: record.pluginKey },
          `Plugin ${record.pluginKey} is in dev mode: its folder ${record.packageDir} is trusted as it changes`,
        );
      }
      return statusOf(record, row);
    });
  }

  /** Turn dev mode off: later starts check the folder against its last recorded digest again. */
  async disable(idOrKey: string, context: OperationContext): Promise<DevModeStatus> {
    return this.deps.lifecycle.locked(idOrKey, async (record) => {
      if (await this.deps.store.disable(record.id)) {
        await this.writeActivity(context, record, { action: "plugin.dev_mode.disabled" });
      }
      return statusOf(record, null);
    });
  }

  /**
   * Before every start of a worker (runtime's beforeStart): the integrity check, except that a dev-mode plugin's
   * changed folder is recorded as trusted instead of refused (a crash restart after a rebuild must not fail).
   */
  async checkBeforeStart(record: PluginRecord): Promise<void> {
    try {
      await this.deps.integrity.verifyBeforeStart(record);
    } catch (error) {
      if (!(error instanceof PackageChangedError) || !(await this.isEnabled(record.id))) throw error;
      await this.deps.integrity.record(record, "dev_mode");
      this.deps.logger.info(
        { pluginId: record.id, pluginKey: record.pluginKey },
        `Dev mode: recorded the changed files of ${record.pluginKey} as trusted before starting its worker`,
      );
    }
  }

  /** Reload a dev-mode plugin from its folder (see the file comment). */
  async reload(idOrKey: string, context: OperationContext): Promise<DevReloadReport> {
    const started = performance.now();
    return this.deps.lifecycle.locked(idOrKey, async (record) => {
      const devMode = await this.deps.store.find(record.id);
      if (!devMode) {
        throw badRequest(
          `Plugin ${record.pluginKey} is not in dev mode; turn it on first (POST /api/plugins/${record.pluginKey}/dev ` +
            "with {enabled: true}, or run paperclip plugin dev <folder>)",
        );
      }
      if (!RELOAD_FROM.includes(record.status)) {
        throw badRequest(
          `Cannot reload plugin ${record.pluginKey}: its status is ${record.status} (enable it first)`,
          { status: record.status, allowedFrom: RELOAD_FROM },
        );
      }
      const others = (await this.deps.registry.listAll()).filter(
        (plugin) => plugin.id !== record.id && plugin.status !== "uninstalled",
      );
      // The folder as it now is, validated before the running worker is touched.
      const prepared = await preparePackage({
        spec: record.installSpec,
        pluginsDir: this.deps.pluginsDir,
        hostVersion: this.deps.hostVersion,
        existingPlugins: others.map((plugin) => ({
          pluginKey: plugin.pluginKey,
          manifest: plugin.manifestJson,
        })),
        installer: this.deps.installer,
        onProgress: context.onProgress,
      }).catch((error: Error) => {
        throw badRequest(
          `Reloading ${record.pluginKey} refused, its worker keeps running: ${error.message}`,
          (error as { details?: unknown }).details,
        );
      });
      const manifest = prepared.manifest;
      if (manifest.id !== record.pluginKey) {
        throw badRequest(
          `The folder now holds plugin ${manifest.id}, not ${record.pluginKey}: dev mode cannot change manifest.id ` +
            "(install it as a separate plugin)",
        );
      }
      const approval = await this.deps.supplyChain.findApproval(record.id);
      const approved = new Set(approval?.capabilities ?? record.manifestJson.capabilities);
      const requested: string[] = [...manifest.capabilities];
      const added = requested.filter((capability) => !approved.has(capability));
      const removed = [...approved].filter((capability) => !requested.includes(capability));
      const warnings =
        added.length > 0
          ? [
              `Dev mode granted new capabilities without an approval step: ${added.join(", ")} (turn dev mode ` +
                "off and upgrade to have them approved)",
            ]
          : [];
      const manifestChanged = canonicalJson(manifest) !== canonicalJson(record.manifestJson);
      const previousPid = this.deps.workers.diagnostics(record.id)?.pid ?? null;

      await this.deps.workers.deactivate(record.id);
      const next = {
        ...record,
        version: manifest.version,
        manifestJson: manifest,
        packageDir: prepared.installed.packageDir,
      };
      const digest = await this.deps.integrity.record(next, "dev_mode");
      await this.deps.namespaces?.migrate(next);
      const patch: PluginPatch = {
        version: manifest.version,
        apiVersion: manifest.apiVersion,
        categories: [...manifest.categories],
        manifestJson: manifest,
        packageDir: prepared.installed.packageDir,
        packagePath: prepared.installed.packageDir,
        status: record.status === "ready" ? undefined : "ready",
        lastError: null,
      };
      const updated = await this.change(context, record, patch, {
        action: "plugin.dev.reloaded",
        details: {
          fromVersion: record.version,
          toVersion: manifest.version,
          digest: digest.digest,
          manifestChanged,
          addedCapabilities: added,
          removedCapabilities: removed,
          ...(warnings.length > 0 ? { warning: warnings.join("; ") } : {}),
        },
      });
      for (const warning of warnings) {
        this.deps.logger.warn({ pluginId: record.id, pluginKey: record.pluginKey }, warning);
      }
      try {
        await this.deps.workers.activate(updated);
      } catch (error) {
        const reason = `Activation failed: ${(error as Error).message}`;
        await this.change(
          context,
          updated,
          { status: "error", lastError: reason },
          { action: "plugin.error", details: { reason, operation: "plugin.dev.reloaded" } },
        );
        throw badRequest(`Reloading ${record.pluginKey} failed: ${reason}`, {
          pluginId: record.id,
          status: "error",
        });
      }
      await this.deps.supplyChain.saveApproval(record.id, requested, manifest.version);
      const counted = await this.deps.store.countReload(record.id);
      // Announced once the new worker answers, so a board that refetches finds the plugin ready.
      this.deps.lifecycle.uiEvents.changed(record.id, "plugin.dev.reloaded");
      return {
        plugin: updated,
        reloadMs: Math.round(performance.now() - started),
        previousPid,
        pid: this.deps.workers.diagnostics(record.id)?.pid ?? null,
        digest: digest.digest,
        manifestChanged,
        addedCapabilities: added,
        removedCapabilities: removed,
        warnings,
        reloadCount: counted?.reloadCount ?? devMode.reloadCount + 1,
      };
    });
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  /** One registry write plus its activity rows in one transaction (the UI event is the caller's). */
  private async change(
    context: OperationContext,
    current: PluginRecord,
    patch: PluginPatch,
    activity: PluginActivity,
  ): Promise<PluginRecord> {
    const companyIds = await allCompanyIds(this.deps.services);
    const updated = await this.deps.services.runner.run(context.actor, async (m) => {
      const changed = await this.deps.registry.update(m.tx, current, patch);
      writePluginActivity(m, companyIds, changed, activity);
      return changed;
    });
    if (activity.action === "plugin.error") this.deps.lifecycle.uiEvents.changed(updated.id, activity.action);
    return updated;
  }

  private async writeActivity(
    context: OperationContext,
    record: PluginRecord,
    activity: PluginActivity,
  ): Promise<void> {
    const companyIds = await allCompanyIds(this.deps.services);
    await this.deps.services.runner.run(context.actor, async (m) => {
      writePluginActivity(m, companyIds, record, activity);
    });
  }
}

/** JSON with object keys sorted: the stored manifest (jsonb) does not keep the key order it was written in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

function isLocalInstall(record: PluginRecord): boolean {
  return record.source === "local" && record.installSpec.isLocalPath === true;
}

function statusOf(record: PluginRecord, row: DevModeRow | null): DevModeStatus {
  return {
    pluginId: record.id,
    pluginKey: record.pluginKey,
    enabled: row !== null,
    localPath: isLocalInstall(record),
    sourceDir: row?.sourceDir ?? null,
    enabledBy: row?.enabledBy ?? null,
    enabledAt: row?.enabledAt ?? null,
    reloadCount: row?.reloadCount ?? 0,
    lastReloadAt: row?.lastReloadAt ?? null,
  };
}
