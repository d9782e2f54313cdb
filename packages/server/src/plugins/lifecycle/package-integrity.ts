// Integrity of installed plugin packages (docs/supply-chain.md): the digest of a plugin's files is recorded when it
// is installed or upgraded, and recomputed before every start of its worker (enable, host start, restart, restart
// after a crash). A difference refuses the start with the first changed file. A plugin with no recorded digest
// (installed before this check existed) has its current files recorded at its next start: trust on first use.
// Starts reuse the hashes of files whose inode/size/mtime/ctime stamps did not change since this process last
// hashed them (installer/package-digest.ts says why that is sound); an operator's verify always hashes everything.
import { performance } from "node:perf_hooks";
import type { Logger } from "pino";
import { badRequest } from "../../errors.js";
import {
  computePackageDigest,
  diffPackageFiles,
  digestRootOf,
  type PackageDigest,
  type PackageFileChange,
} from "../installer/index.js";
import type { PluginRecord } from "../registry/index.js";
import type { DigestReason, StoredPackageDigest, SupplyChainStore } from "./supply-chain-store.js";

/** Changes listed in a report (the count says how many there are in all). */
const LISTED_CHANGES = 50;

type PackageRecord = Pick<
  PluginRecord,
  "id" | "pluginKey" | "version" | "packageDir" | "source" | "tarballPath"
>;

/**
 * Called after a package's files were recorded as trusted (install, upgrade, accept, dev mode, first use): the
 * artifact store packs them for the other host nodes (plugins/artifacts). Throwing fails the recording.
 */
export type DigestRecordedHook = (record: PackageRecord, digest: PackageDigest) => Promise<void>;

export interface IntegrityReport {
  pluginId: string;
  pluginKey: string;
  /** intact: the files match the record; changed: they do not; unrecorded: nothing recorded yet. */
  state: "intact" | "changed" | "unrecorded";
  rootDir: string;
  digest: string | null;
  recordedDigest: string | null;
  recordedReason: DigestReason | null;
  recordedAt: string | null;
  fileCount: number;
  totalBytes: number;
  changeCount: number;
  /** The first changes, in path order. */
  changes: PackageFileChange[];
  /** Why the files could not be read (e.g. the folder is gone), when that is the change. */
  problem: string | null;
  /** How long the check took, in ms. */
  checkedMs: number;
  /** Files read and hashed (the rest had unchanged stamps since they were last hashed). */
  hashedCount: number;
}

/** The worker must not start: its package's files are not the ones that were installed. */
export class PackageChangedError extends Error {
  override readonly name = "PackageChangedError";
  constructor(
    message: string,
    readonly report: IntegrityReport,
  ) {
    super(message);
  }
}

export class PackageIntegrity {
  /** Per plugin, the last computation that matched its record: the stamps a start may reuse hashes by. */
  private readonly lastMatched = new Map<string, PackageDigest>();
  /**
   * Per plugin, the folder of this node's copy materialized from the artifact store (plugins/artifacts): the
   * recorded digest describes the installing node's folder, and a copy is checked against it file by file (paths
   * relative to the digest root), never recorded over it.
   */
  private readonly copies = new Map<string, string>();

  constructor(
    private readonly store: SupplyChainStore,
    private readonly logger: Logger,
    private readonly onRecorded?: DigestRecordedHook,
  ) {}

  /** Record the package's current files as the trusted state (install, upgrade, an operator's accept). */
  async record(
    record: PackageRecord & Pick<PluginRecord, "version">,
    reason: DigestReason,
  ): Promise<PackageDigest> {
    if (this.isCopy(record)) {
      throw new Error(
        `${record.packageDir} is this node's copy of ${record.pluginKey} from the artifact store: only the node ` +
          "that installed it records its files (reinstall or upgrade it there)",
      );
    }
    const digest = await computePackageDigest(digestRootOf(record));
    await this.store.saveDigest(record.id, record.packageDir, digest, reason);
    this.lastMatched.set(record.id, digest);
    await this.onRecorded?.(record, digest);
    return digest;
  }

  /** `packageDir` holds this node's materialized copy of the plugin: check it against the recorded digest. */
  trustCopy(pluginId: string, packageDir: string): void {
    this.copies.set(pluginId, packageDir);
  }

  /** The plugin's copy is gone (uninstalled, or replaced by a newer one). */
  forgetCopy(pluginId: string): void {
    this.copies.delete(pluginId);
    this.lastMatched.delete(pluginId);
  }

  private isCopy(record: Pick<PackageRecord, "id" | "packageDir">): boolean {
    return this.copies.get(record.id) === record.packageDir;
  }

  /** Compare the files with the record; writes nothing. */
  async inspect(record: PackageRecord): Promise<IntegrityReport> {
    const stored = await this.recordFor(record);
    return this.compare(record, stored);
  }

  /**
   * Before a worker starts: throws PackageChangedError when the files differ from the record. With no record for
   * this package, the current files are recorded (trust on first use) and the start goes ahead.
   */
  async verifyBeforeStart(record: PackageRecord): Promise<void> {
    const stored = await this.recordFor(record);
    if (!stored && this.isCopy(record)) {
      throw new PackageChangedError(
        `no recorded package digest describes this node's copy of ${record.pluginKey} (${record.packageDir}); ` +
          "its version changed meanwhile: this node materializes the current one at its next start",
        await this.compare(record, null),
      );
    }
    if (!stored) {
      const digest = await this.record(record, "first_use");
      this.logger.warn(
        { pluginId: record.id, pluginKey: record.pluginKey, digest: digest.digest, files: digest.fileCount },
        `Plugin ${record.pluginKey} had no recorded package digest: recorded its current ${digest.fileCount} ` +
          "file(s) as trusted (first use); later starts are checked against them",
      );
      return;
    }
    const report = await this.compare(record, stored, this.lastMatched.get(record.id));
    this.logger.debug(
      {
        pluginId: record.id,
        pluginKey: record.pluginKey,
        ms: report.checkedMs,
        files: report.fileCount,
        hashed: report.hashedCount,
      },
      `Package digest of ${record.pluginKey} checked (${report.state})`,
    );
    if (report.state === "changed") throw new PackageChangedError(changedMessage(record, report), report);
  }

  /** An operator's `paperclip plugin verify --accept`: the current files become the trusted state. */
  async accept(record: PackageRecord): Promise<IntegrityReport> {
    const before = await this.inspect(record);
    if (before.problem) {
      throw badRequest(
        `Cannot accept the files of ${record.pluginKey}: ${before.problem}; reinstall the plugin instead`,
      );
    }
    await this.record(record, "accepted");
    const after = await this.inspect(record);
    return { ...after, changeCount: before.changeCount, changes: before.changes };
  }

  /** The stored digest, when it describes the package this record points at. */
  private async recordFor(record: PackageRecord): Promise<StoredPackageDigest | null> {
    const stored = await this.store.findDigest(record.id);
    return stored && (stored.packageDir === record.packageDir || this.isCopy(record)) ? stored : null;
  }

  private async compare(
    record: PackageRecord,
    stored: StoredPackageDigest | null,
    previous?: PackageDigest,
  ): Promise<IntegrityReport> {
    const started = performance.now();
    const rootDir = digestRootOf(record);
    const base = {
      pluginId: record.id,
      pluginKey: record.pluginKey,
      rootDir,
      recordedDigest: stored?.digest ?? null,
      recordedReason: stored?.recordedReason ?? null,
      recordedAt: stored?.recordedAt ?? null,
    };
    let current: PackageDigest;
    try {
      current = await computePackageDigest(rootDir, previous);
    } catch (error) {
      this.lastMatched.delete(record.id);
      return {
        ...base,
        state: stored ? "changed" : "unrecorded",
        digest: null,
        fileCount: 0,
        totalBytes: 0,
        changeCount: stored?.fileCount ?? 0,
        changes: [],
        problem: (error as Error).message,
        checkedMs: performance.now() - started,
        hashedCount: 0,
      };
    }
    if (stored?.digest === current.digest) this.lastMatched.set(record.id, current);
    else this.lastMatched.delete(record.id);
    const changes =
      stored && stored.digest !== current.digest ? diffPackageFiles(stored.files, current.files) : [];
    return {
      ...base,
      state: !stored ? "unrecorded" : stored.digest === current.digest ? "intact" : "changed",
      digest: current.digest,
      fileCount: current.fileCount,
      totalBytes: current.totalBytes,
      changeCount: changes.length,
      changes: changes.slice(0, LISTED_CHANGES),
      problem: null,
      checkedMs: performance.now() - started,
      hashedCount: current.hashedCount,
    };
  }
}

function changedMessage(record: Pick<PluginRecord, "pluginKey">, report: IntegrityReport): string {
  const first = report.changes[0];
  const what = first
    ? `${first.path} (${first.change}${report.changeCount > 1 ? `, and ${report.changeCount - 1} more` : ""})`
    : (report.problem ?? "the package digest differs");
  return (
    `package files changed since install: ${what}; reinstall or run \`paperclip plugin verify ` +
    `${record.pluginKey}\``
  );
}
