// The plugin lifecycle (reference §12.1): install, enable, disable, upgrade, uninstall, reinstall, and the error
// state. Each operation holds the plugin's lock in this process, writes through the registry with the row
// version it read (so a concurrent writer elsewhere gets a 409), records an activity row in the same
// transaction, and starts or stops the worker through PluginWorkers.
import { rmdir } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import type { Actor } from "../../domain/actor.js";
import type { DomainServices } from "../../domain/services.js";
import { badRequest, conflict } from "../../errors.js";
import { asMigrationFailure, type PluginNamespaces } from "../database/lifecycle-hooks.js";
import { type ExistingPlugin, type InstalledPluginPackage, sanitisePackageName } from "../installer/index.js";
import {
  assertTransition,
  type PluginInstallSpec,
  type PluginPatch,
  type PluginRecord,
  type PluginRegistry,
  type PluginStatus,
} from "../registry/index.js";
import type { PluginChangeAction, PluginChanges } from "../runtime/plugin-changes.js";
import { NodeLocalActivationError, type PluginWorkers } from "../runtime/plugin-workers.js";
import { allCompanyIds, type PluginActivity, writePluginActivity } from "./activity.js";
import { KeyedLock } from "./keyed-lock.js";
import { validatePluginLimits } from "./limits.js";
import { validateMethodTimeouts } from "./method-timeouts.js";
import type { IntegrityReport, PackageIntegrity } from "./package-integrity.js";
import {
  type InstallerSettings,
  type PreparedPackage,
  preparePackage,
  removeInside,
} from "./prepare-package.js";
import type { SupplyChainStore } from "./supply-chain-store.js";
import { PluginUiEvents } from "./ui-events.js";

export interface PluginLifecycleDeps {
  services: DomainServices;
  registry: PluginRegistry;
  workers: PluginWorkers;
  logger: Logger;
  /** Root of npm-installed plugin folders. */
  pluginsDir: string;
  hostVersion: string;
  installer?: InstallerSettings;
  /** manifest.database: migrations before a version runs, the schema dropped on purge. */
  namespaces?: PluginNamespaces;
  /** Package digests and approved capabilities (docs/supply-chain.md). */
  supplyChain: { store: SupplyChainStore; integrity: PackageIntegrity };
  /** Announces each finished operation, for the other host nodes (runtime/cluster-sync.ts). */
  changes?: PluginChanges;
}

/** What an upgrade changes in a plugin's capabilities, against the ones approved for it. */
export interface CapabilityChange {
  pluginId: string;
  pluginKey: string;
  status: PluginStatus;
  /** The version the record holds (the one waiting for approval when status is upgrade_pending). */
  version: string;
  /** The version whose capabilities were approved last (null: none recorded). */
  approvedVersion: string | null;
  approved: string[];
  requested: string[];
  /** Requested but not approved: what enabling approves. */
  added: string[];
  /** Approved but no longer requested. */
  removed: string[];
  awaitingApproval: boolean;
}

export interface OperationContext {
  actor: Actor;
  /** Install and upgrade progress lines (npm output and the installer's steps). */
  onProgress?: (line: string) => void;
}

const ENABLE_FROM: readonly PluginStatus[] = ["disabled", "error", "upgrade_pending"];
const UPGRADE_FROM: readonly PluginStatus[] = ["ready", "upgrade_pending"];

export class PluginLifecycle {
  private readonly lock = new KeyedLock();
  private readonly registry: PluginRegistry;
  private readonly workers: PluginWorkers;
  private readonly logger: Logger;
  /** `plugin.ui.updated`: committed changes that add or remove UI contributions (ui-events.ts). */
  readonly uiEvents = new PluginUiEvents();

  constructor(private readonly deps: PluginLifecycleDeps) {
    this.registry = deps.registry;
    this.workers = deps.workers;
    this.logger = deps.logger;
  }

  /** installer → validate → register → activate → ready; a reinstall revives an uninstalled row (same id). */
  async install(spec: PluginInstallSpec, context: OperationContext): Promise<PluginRecord> {
    const existing = await this.existingPlugins();
    const prepared = await preparePackage({
      spec,
      pluginsDir: this.deps.pluginsDir,
      hostVersion: this.deps.hostVersion,
      existingPlugins: existing,
      installer: this.deps.installer,
      onProgress: context.onProgress,
    });
    const pluginKey = prepared.manifest.id;
    return this.lock.run(pluginKey, async () => {
      let registered: PluginRecord;
      try {
        registered = await this.register(prepared, context);
      } catch (error) {
        await prepared.discard();
        throw error;
      }
      // The files as installed: every later start of its worker is checked against them.
      try {
        await this.deps.supplyChain.integrity.record(registered, "install");
      } catch (error) {
        await this.unregister(registered, context.actor);
        await prepared.discard();
        throw badRequest(`Could not record the installed files of ${pluginKey}: ${(error as Error).message}`);
      }
      // A failing migration fails the install: its transaction rolled back, the registration is undone.
      try {
        await this.deps.namespaces?.migrate(registered);
      } catch (error) {
        await this.unregister(registered, context.actor);
        await prepared.discard();
        throw asMigrationFailure(error);
      }
      context.onProgress?.(`Registered ${pluginKey} (${registered.id}); starting its worker`);
      const record = await this.activateOrFail(registered, context.actor, "plugin.installed", {
        source: registered.source,
      });
      context.onProgress?.(
        record.status === "ready"
          ? `Plugin ${pluginKey} is ready`
          : `Plugin ${pluginKey} failed: ${record.lastError}`,
      );
      this.announce(record, "installed");
      return record;
    });
  }

  /**
   * disabled | error | upgrade_pending → ready, then start the worker. A worker that does not start leaves the
   * plugin in error (recorded) and the call fails with 400 and the activation error, as on Paperclip.
   */
  async enable(idOrKey: string, context: OperationContext): Promise<PluginRecord> {
    return this.withPlugin(idOrKey, "enabled", async (record) => {
      if (!ENABLE_FROM.includes(record.status)) {
        throw badRequest(
          `Cannot enable plugin ${record.pluginKey}: its status is ${record.status} (enable applies to ` +
            `${ENABLE_FROM.join(", ")} plugins)`,
          { status: record.status, allowedFrom: ENABLE_FROM },
        );
      }
      const claimed = await this.change(context.actor, record, { status: "ready", lastError: null }, null);
      // Enabling is the operator's approval of what this version asks for, whether or not its worker starts.
      await this.approveCapabilities(claimed);
      const enabled = await this.activateOrFail(claimed, context.actor, "plugin.enabled", {
        approvedUpgrade: record.status === "upgrade_pending",
      });
      if (enabled.status !== "ready") {
        throw badRequest(enabled.lastError ?? `Plugin ${record.pluginKey} did not become ready`, {
          pluginId: enabled.id,
          status: enabled.status,
        });
      }
      return enabled;
    });
  }

  /** ready → disabled (the reason is kept in lastError), then stop the worker gracefully. */
  async disable(idOrKey: string, reason: string | null, context: OperationContext): Promise<PluginRecord> {
    return this.withPlugin(idOrKey, "disabled", async (record) => {
      const updated = await this.change(
        context.actor,
        record,
        { status: "disabled", lastError: reason },
        { action: "plugin.disabled", details: { reason } },
      );
      await this.workers.deactivate(record.id);
      return updated;
    });
  }

  /**
   * Fetch a new version (the install spec again, with `version` or the latest), validate it, swap it in.
   * New capabilities → upgrade_pending with the worker stopped until an operator enables (approves) it.
   */
  async upgrade(
    idOrKey: string,
    version: string | undefined,
    context: OperationContext,
  ): Promise<PluginRecord> {
    return this.withPlugin(idOrKey, "upgraded", async (record) => {
      if (!UPGRADE_FROM.includes(record.status)) {
        throw badRequest(
          `Cannot upgrade plugin ${record.pluginKey}: its status is ${record.status} (upgrade applies to ` +
            `${UPGRADE_FROM.join(", ")} plugins)`,
          { status: record.status, allowedFrom: UPGRADE_FROM },
        );
      }
      const spec = upgradeSpec(record, version);
      const others = (await this.existingPlugins()).filter((plugin) => plugin.pluginKey !== record.pluginKey);
      const prepared = await preparePackage({
        spec,
        pluginsDir: this.deps.pluginsDir,
        hostVersion: this.deps.hostVersion,
        existingPlugins: others,
        installer: this.deps.installer,
        onProgress: context.onProgress,
      });
      if (prepared.manifest.id !== record.pluginKey) {
        await prepared.discard();
        throw badRequest(
          `The new package is plugin ${prepared.manifest.id}, not ${record.pluginKey}: an upgrade cannot change ` +
            "manifest.id (install it as a separate plugin instead)",
        );
      }
      // Compared with what was approved, not with a version still waiting for approval.
      const before = new Set(await this.approvedCapabilities(record));
      const added = prepared.manifest.capabilities.filter((capability) => !before.has(capability));
      const next: PluginStatus = added.length > 0 ? "upgrade_pending" : "ready";
      await this.workers.deactivate(record.id);
      // The new version's migrations run before it is stored (upgrade_pending: when it is approved). A failure
      // keeps the old version, running again, and fails the upgrade.
      if (next === "ready") {
        try {
          await this.deps.namespaces?.migrate({
            ...record,
            manifestJson: prepared.manifest,
            packageDir: prepared.installed.packageDir,
          });
        } catch (error) {
          await prepared.discard();
          // A local-path install has no copy of the old version: its folder, which the operator just asked to
          // upgrade from, is what runs again, so it is re-trusted as an upgrade's files are.
          if (record.installSpec.isLocalPath) await this.deps.supplyChain.integrity.record(record, "upgrade");
          // The old version's migrations are applied already: start its worker again as it was.
          await this.workers
            .activate(record)
            .catch((reason: Error) =>
              this.change(
                context.actor,
                record,
                { status: "error", lastError: `Activation failed: ${reason.message}` },
                null,
              ),
            );
          throw asMigrationFailure(error);
        }
      }
      const activity: PluginActivity = {
        action: "plugin.upgraded",
        details: {
          fromVersion: record.version,
          toVersion: prepared.manifest.version,
          addedCapabilities: added,
        },
      };
      const patch: PluginPatch = {
        ...packageColumns(prepared),
        // upgrade_pending → upgrade_pending is no transition: the row just holds the newer package.
        status: next === record.status && next === "upgrade_pending" ? undefined : next,
        lastError:
          added.length > 0
            ? `Upgrade to ${prepared.manifest.version} adds capabilities: ${added.join(", ")}. Enable the plugin to ` +
              "approve them"
            : null,
      };
      const updated = await this.change(context.actor, record, patch, next === "ready" ? null : activity);
      await this.deps.supplyChain.integrity.record(updated, "upgrade").catch((error: Error) => {
        throw badRequest(`Could not record the installed files of ${record.pluginKey}: ${error.message}`);
      });
      if (next === "upgrade_pending") {
        context.onProgress?.(`Plugin ${record.pluginKey} awaits approval: ${updated.lastError}`);
        return updated;
      }
      return this.activateOrFail(updated, context.actor, activity.action, activity.details);
    });
  }

  /**
   * Soft uninstall: status uninstalled, data and files kept (install again to revive it). With purge: the row
   * is deleted (its data goes by cascade) and its npm-installed folder is removed; allowed from any status.
   */
  async uninstall(idOrKey: string, purge: boolean, context: OperationContext): Promise<PluginRecord> {
    return this.withPlugin(idOrKey, "uninstalled", async (record) => {
      if (!purge) {
        assertTransition(record.status, "uninstalled", record.pluginKey);
        const updated = await this.change(
          context.actor,
          record,
          { status: "uninstalled" },
          { action: "plugin.uninstalled", details: { purge: false } },
        );
        await this.workers.deactivate(record.id);
        return updated;
      }
      await this.workers.deactivate(record.id);
      await this.deps.namespaces?.drop(record);
      const companyIds = await allCompanyIds(this.deps.services);
      await this.deps.services.runner.run(context.actor, async (m) => {
        await this.registry.delete(m.tx, record);
        writePluginActivity(
          m,
          companyIds,
          { ...record, status: "uninstalled" },
          {
            action: "plugin.uninstalled",
            details: { purge: true },
          },
        );
      });
      this.uiEvents.changed(record.id, "plugin.uninstalled");
      await this.removeInstalledFiles(record);
      return { ...record, status: "uninstalled" };
    });
  }

  /** The worker cannot run (crash loop, failed activation at boot): ready → error with the reason. */
  async markError(pluginId: string, reason: string, actor: Actor): Promise<PluginRecord | null> {
    const found = await this.registry.find(pluginId);
    if (!found) return null;
    return this.lock.run(found.pluginKey, async () => {
      const record = await this.registry.find(pluginId);
      if (!record || (record.status !== "ready" && record.status !== "installed")) return record;
      await this.workers.deactivate(record.id);
      const updated = await this.change(
        actor,
        record,
        { status: "error", lastError: reason },
        {
          action: "plugin.error",
          details: { reason },
        },
      );
      this.announce(updated, "error");
      return updated;
    });
  }

  /** Per-method host→worker timeouts; a running worker is restarted so they apply. */
  async setMethodTimeouts(
    idOrKey: string,
    methodTimeouts: Record<string, number>,
    context: OperationContext,
  ): Promise<PluginRecord> {
    return this.updateSettings(idOrKey, { methodTimeouts }, context);
  }

  /**
   * Per-plugin settings: method timeouts and resource-limit overrides (each replaces the stored value when
   * given; `{}` restores the defaults). A running worker is restarted so they apply.
   */
  async updateSettings(
    idOrKey: string,
    settings: { methodTimeouts?: unknown; limits?: unknown },
    context: OperationContext,
  ): Promise<PluginRecord> {
    const patch: PluginPatch = {};
    if (settings.methodTimeouts !== undefined)
      patch.methodTimeouts = validateMethodTimeouts(settings.methodTimeouts);
    if (settings.limits !== undefined)
      patch.limits = validatePluginLimits(settings.limits) as Record<string, number>;
    if (patch.methodTimeouts === undefined && patch.limits === undefined)
      throw badRequest("settings: give methodTimeouts, limits or both");
    return this.withPlugin(idOrKey, "settings", async (record) => {
      const updated = await this.change(context.actor, record, patch, {
        action: "plugin.settings.updated",
        details: { ...patch },
      });
      if (!this.workers.isRunning(record.id)) return updated;
      return this.activateOrFail(updated, context.actor, null);
    });
  }

  /** The operator's npm scope allow-list (null: any package). */
  get allowedScopes(): readonly string[] | null {
    return this.deps.installer?.allowedScopes ?? null;
  }

  /** The plugin's requested capabilities against the approved ones (the board shows it before approval). */
  async capabilityChange(idOrKey: string): Promise<CapabilityChange> {
    const record = await this.registry.require(idOrKey);
    const approvedRow = await this.deps.supplyChain.store.findApproval(record.id);
    const approved = approvedRow?.capabilities ?? (await this.approvedCapabilities(record));
    const requested: string[] = [...record.manifestJson.capabilities];
    const added = requested.filter((capability) => !approved.includes(capability));
    return {
      pluginId: record.id,
      pluginKey: record.pluginKey,
      status: record.status,
      version: record.version,
      approvedVersion: approvedRow?.version ?? (record.status === "upgrade_pending" ? null : record.version),
      approved: [...approved],
      requested,
      added,
      removed: approved.filter((capability) => !requested.includes(capability)),
      awaitingApproval: record.status === "upgrade_pending",
    };
  }

  /**
   * Compare the plugin's files with the recorded digest; with `accept`, record the current files as trusted (an
   * operator's `paperclip plugin verify --accept`, e.g. after rebuilding a local folder), with an activity row.
   */
  async verifyPackage(idOrKey: string, accept: boolean, context: OperationContext): Promise<IntegrityReport> {
    return this.withPlugin(idOrKey, accept ? "package" : null, async (record) => {
      const { integrity } = this.deps.supplyChain;
      if (!accept) return integrity.inspect(record);
      const report = await integrity.accept(record);
      const companyIds = await allCompanyIds(this.deps.services);
      await this.deps.services.runner.run(context.actor, async (m) => {
        writePluginActivity(m, companyIds, record, {
          action: "plugin.package.accepted",
          details: {
            digest: report.digest,
            fileCount: report.fileCount,
            changeCount: report.changeCount,
            changes: report.changes.slice(0, 10),
          },
        });
      });
      return report;
    });
  }

  /**
   * Host start: activate every `ready` plugin (and `installed` ones whose install was interrupted), in
   * parallel. One that fails goes to `error` with its reason; the others are not held up.
   */
  async activateAll(
    actor: Actor,
  ): Promise<{ ready: string[]; failed: Array<{ pluginKey: string; error: string }> }> {
    const candidates = [
      ...(await this.registry.list({ status: "ready" })),
      ...(await this.registry.list({ status: "installed" })),
    ];
    const ready: string[] = [];
    const failed: Array<{ pluginKey: string; error: string }> = [];
    // One worker at a time (a host upgrade restarts them all: never every worker at once), and a plugin that fails
    // to start is recorded without stopping the ones after it.
    for (const candidate of candidates) {
      await this.lock.run(candidate.pluginKey, async () => {
        const record = await this.registry.find(candidate.id);
        if (!record || (record.status !== "ready" && record.status !== "installed")) return;
        if (this.workers.isRunning(record.id)) return;
        const result = await this.activateOrFail(record, actor, null).catch((error: Error) => {
          failed.push({ pluginKey: record.pluginKey, error: error.message });
          return null;
        });
        if (result?.status === "ready") ready.push(record.pluginKey);
        else if (result)
          failed.push({ pluginKey: record.pluginKey, error: result.lastError ?? "unknown error" });
      });
    }
    return { ready, failed };
  }

  /**
   * Run `operation` under the plugin's lock on a fresh read of its row, for operations kept in their own module
   * (dev mode's reload, dev-mode.ts), so they never interleave with an enable, disable or upgrade of the plugin.
   */
  locked<T>(idOrKey: string, operation: (record: PluginRecord) => Promise<T>): Promise<T> {
    return this.withPlugin(idOrKey, "reloaded", operation);
  }

  /**
   * Run `operation` under the plugin's lock, announcing nothing: the cluster sync (runtime/cluster-sync.ts) brings
   * this node's worker in line with a change another node made, never interleaved with a local operation.
   */
  exclusive<T>(pluginKey: string, operation: () => Promise<T>): Promise<T> {
    return this.lock.run(pluginKey, operation);
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  /**
   * Resolve `:pluginId`, then run `operation` under that plugin's lock on a fresh read of its row. Whatever it
   * committed, failed or not, is announced as `action` to the other nodes afterwards (null: it changes nothing).
   */
  private async withPlugin<T>(
    idOrKey: string,
    action: PluginChangeAction | null,
    operation: (record: PluginRecord) => Promise<T>,
  ): Promise<T> {
    const found = await this.registry.require(idOrKey);
    return this.lock.run(found.pluginKey, async () => {
      try {
        return await operation(await this.registry.require(found.id));
      } finally {
        if (action) this.announce(found, action);
      }
    });
  }

  private announce(record: Pick<PluginRecord, "id" | "pluginKey">, action: PluginChangeAction): void {
    this.deps.changes?.announce({ pluginId: record.id, pluginKey: record.pluginKey, action });
  }

  private async existingPlugins(): Promise<ExistingPlugin[]> {
    const all = await this.registry.listAll();
    return all
      .filter((plugin) => plugin.status !== "uninstalled")
      .map((plugin) => ({ pluginKey: plugin.pluginKey, manifest: plugin.manifestJson }));
  }

  /** Undo register() after a failed migration: a new row is deleted, a revived one is uninstalled again. */
  private async unregister(registered: PluginRecord, actor: Actor): Promise<void> {
    try {
      if (registered.rowVersion === 1) {
        await this.deps.services.runner.run(actor, (m) => this.registry.delete(m.tx, registered));
      } else {
        await this.change(actor, registered, { status: "uninstalled" }, null);
      }
    } catch (error) {
      this.logger.warn(
        { pluginKey: registered.pluginKey, err: error },
        "Could not undo a failed registration",
      );
    }
  }

  /** A new row in status `installed`, or an uninstalled row revived with the new package. */
  private async register(prepared: PreparedPackage, context: OperationContext): Promise<PluginRecord> {
    const pluginKey = prepared.manifest.id;
    const current = await this.registry.findByKey(pluginKey);
    if (current && current.status !== "uninstalled") {
      throw conflict(
        `Plugin ${pluginKey} is already installed (status ${current.status}, version ${current.version}); use ` +
          "upgrade to change its version",
        { pluginId: current.id, status: current.status },
      );
    }
    if (current) {
      return this.change(
        context.actor,
        current,
        { ...packageColumns(prepared), status: "installed", lastError: null },
        null,
      );
    }
    const columns = packageColumns(prepared);
    return this.deps.services.runner.run(context.actor, (m) =>
      this.registry.insert(m.tx, {
        pluginKey,
        packageName: prepared.installed.packageName,
        version: columns.version,
        apiVersion: columns.apiVersion,
        categories: columns.categories,
        manifestJson: columns.manifestJson,
        status: "installed",
        packagePath: columns.packagePath,
        packageDir: columns.packageDir,
        source: columns.source,
        installSpec: columns.installSpec,
        integrity: columns.integrity,
        tarballPath: columns.tarballPath,
      }),
    );
  }

  /**
   * Start the worker. Success: status ready (from installed/ready) with the given activity. Failure: status
   * error with `Activation failed: <reason>`; the record is returned either way.
   */
  private async activateOrFail(
    record: PluginRecord,
    actor: Actor,
    action: PluginActivity["action"] | null,
    details: Record<string, unknown> = {},
  ): Promise<PluginRecord> {
    try {
      // Another node's install: its migrations are read from this node's copy of the package.
      await this.deps.namespaces?.migrate(await this.workers.localRecord(record));
      await this.workers.activate(record);
    } catch (error) {
      if (error instanceof NodeLocalActivationError) {
        // Only this node lacks the package; the others run it, and this node's worker row says why it does not.
        this.logger.error(
          { pluginId: record.id, pluginKey: record.pluginKey },
          `Plugin ${record.pluginKey} cannot start on this node: ${error.message}`,
        );
        return record;
      }
      const reason = `Activation failed: ${(error as Error).message}`;
      this.logger.error({ pluginId: record.id, pluginKey: record.pluginKey }, reason);
      return this.change(
        actor,
        record,
        { status: "error", lastError: reason },
        {
          action: "plugin.error",
          details: { ...details, reason, operation: action },
        },
      );
    }
    // Running: what this version asks for is what is approved (the lifecycle only gets here through approval).
    await this.approveCapabilities(record);
    if (record.status === "ready" && action === null) return record;
    return this.change(
      actor,
      record,
      { status: "ready", lastError: null },
      action ? { action, details } : null,
    );
  }

  /** The capabilities approved for the plugin (see CapabilityChange). */
  private async approvedCapabilities(record: PluginRecord): Promise<string[]> {
    const approval = await this.deps.supplyChain.store.findApproval(record.id);
    if (approval) return approval.capabilities;
    // Recorded before approvals were kept: a running version's were approved; a pending one's are not known, so
    // nothing counts as approved and every capability waits for the operator.
    return record.status === "upgrade_pending" ? [] : [...record.manifestJson.capabilities];
  }

  private approveCapabilities(record: PluginRecord): Promise<void> {
    return this.deps.supplyChain.store.saveApproval(
      record.id,
      record.manifestJson.capabilities,
      record.version,
    );
  }

  /** One registry write plus its activity rows (one per company) in one transaction. */
  private async change(
    actor: Actor,
    current: PluginRecord,
    patch: PluginPatch,
    activity: PluginActivity | null,
  ): Promise<PluginRecord> {
    if (patch.status) assertTransition(current.status, patch.status, current.pluginKey);
    const companyIds = activity ? await allCompanyIds(this.deps.services) : [];
    const changed = await this.deps.services.runner.run(actor, async (m) => {
      const updated = await this.registry.update(m.tx, current, patch);
      if (activity) writePluginActivity(m, companyIds, updated, activity);
      return updated;
    });
    this.uiEvents.changed(changed.id, activity?.action);
    return changed;
  }

  /** Purge: the npm-installed folders of this package (never a local path, never outside pluginsDir). */
  private async removeInstalledFiles(record: PluginRecord): Promise<void> {
    if (record.source === "local") return;
    const packageRoot = path.join(this.deps.pluginsDir, sanitisePackageName(record.packageName));
    const sharedWith = (await this.registry.listAll()).filter(
      (other) =>
        other.id !== record.id && other.source !== "local" && other.packageName === record.packageName,
    );
    try {
      if (sharedWith.length === 0) {
        await removeInside(this.deps.pluginsDir, packageRoot);
      } else if (record.tarballPath) {
        await removeInside(packageRoot, path.dirname(record.tarballPath));
        await rmdir(packageRoot).catch(() => undefined);
      }
    } catch (error) {
      this.logger.warn(
        { pluginId: record.id, err: error },
        `Could not remove the files of ${record.pluginKey}`,
      );
    }
  }
}

/** The registry columns that describe the installed package. */
function packageColumns(prepared: PreparedPackage) {
  const installed: InstalledPluginPackage = prepared.installed;
  const { manifest } = prepared;
  return {
    version: manifest.version,
    apiVersion: manifest.apiVersion,
    categories: [...manifest.categories],
    manifestJson: manifest,
    packagePath: installed.source === "local" ? installed.packageDir : null,
    packageDir: installed.packageDir,
    source: installed.source,
    installSpec: storedSpec(prepared),
    integrity: installed.integrity ?? null,
    tarballPath: installed.tarballPath ?? null,
  };
}

/** The spec upgrade will replay: paths made absolute, registry names without a pinned version. */
function storedSpec({ parsed, spec }: PreparedPackage): PluginInstallSpec {
  if (parsed.kind === "local") return { packageName: parsed.path, isLocalPath: true };
  if (parsed.kind === "tarball") return { packageName: parsed.path };
  return spec.version
    ? { packageName: spec.packageName, version: spec.version }
    : { packageName: spec.packageName };
}

function upgradeSpec(record: PluginRecord, version: string | undefined): PluginInstallSpec {
  const spec = record.installSpec;
  if (record.source !== "registry") {
    if (version) {
      throw badRequest(
        `version does not apply to plugin ${record.pluginKey}: it was installed from ${record.source === "local" ? "a local folder" : "a tarball"} ` +
          `(${spec.packageName}); update that and upgrade without a version, or install the new package`,
      );
    }
    return spec;
  }
  // A registry name is stored without its version; `name@1.2.3` specs keep the name part only.
  const name = registryName(spec.packageName);
  return version ? { packageName: name, version } : { packageName: name };
}

function registryName(packageName: string): string {
  const at = packageName.lastIndexOf("@");
  return at > 0 ? packageName.slice(0, at) : packageName;
}
