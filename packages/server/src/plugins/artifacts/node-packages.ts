// Where this host node runs each plugin version from (docs/scale-out.md). The node that installed (or upgraded)
// a plugin runs it from the folder it installed, as a single node always did, and packs that folder into the
// artifact store; so does a node that sees that same folder. Every node without it materializes the artifact into
// its own plugins folder
// (`<pluginsDir>/.node-copies/<plugin id>/<digest>/`): the artifact's sha512 is checked before anything is
// unpacked, and the unpacked files must match the recorded package digest (path by path, relative to the digest
// root) before a worker starts from them. On PGlite there is one node and nothing is packed.
import { createHash, randomBytes } from "node:crypto";
import { readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { computePackageDigest, digestRootOf, type PackageDigest } from "../installer/index.js";
import type { PackageIntegrity } from "../lifecycle/package-integrity.js";
import type { StoredPackageDigest, SupplyChainStore } from "../lifecycle/supply-chain-store.js";
import type { PluginRecord } from "../registry/index.js";
import type { ArtifactInfo, ArtifactStore } from "./artifact-store.js";
import { type ArtifactLayout, layoutOf, packInstalledPlugin, sha512Of } from "./pack.js";
import { readTar, writeEntries } from "./tar.js";

/** Folder (inside the plugins folder) of the copies this node materialized. */
export const NODE_COPIES_FOLDER = ".node-copies";

/** This node cannot run the plugin from the artifact store: the message says why and what to do. */
export class ArtifactUnavailableError extends Error {
  override readonly name = "ArtifactUnavailableError";
}

export interface NodePackagesOptions {
  store: ArtifactStore;
  supplyChain: SupplyChainStore;
  /** Set after construction (the integrity check calls back into this module when it records files). */
  integrity: () => PackageIntegrity;
  pluginsDir: string;
  nodeId: string;
  /** False on PGlite: no other node can share the database, so nothing is packed or materialized. */
  distributed: boolean;
  logger: Logger;
}

type PackedRecord = Pick<
  PluginRecord,
  "id" | "pluginKey" | "version" | "packageDir" | "source" | "tarballPath"
>;

export class NodePackages {
  /** Per plugin, the package digest of the files this node last started its worker from. */
  private readonly inUse = new Map<string, string>();

  constructor(private readonly options: NodePackagesOptions) {}

  /** True when the plugin's recorded files are no longer the ones this node's worker was started from. */
  async filesChanged(record: Pick<PluginRecord, "id">): Promise<boolean> {
    const started = this.inUse.get(record.id);
    if (started === undefined) return false;
    const recorded = await this.options.supplyChain.findDigest(record.id);
    return recorded?.digest !== started;
  }

  /** After this node recorded a version's files as trusted: pack and store them for the other nodes. */
  async packRecorded(record: PackedRecord, digest: PackageDigest): Promise<void> {
    if (!this.options.distributed) return;
    const packed = await packInstalledPlugin(record);
    await this.options.store.save({
      pluginId: record.id,
      version: record.version,
      packageDigest: digest.digest,
      integrity: packed.integrity,
      content: packed.content,
      packedByNode: this.options.nodeId,
    });
    this.options.logger.info(
      {
        pluginId: record.id,
        pluginKey: record.pluginKey,
        bytes: packed.sizeBytes,
        integrity: packed.integrity,
      },
      `Stored the artifact of ${record.pluginKey} ${record.version} (${packed.sizeBytes} bytes) for the other nodes`,
    );
  }

  /**
   * The record as this node runs it: unchanged on the node that packed it (and on PGlite), else pointing at this
   * node's verified copy, materialized first when needed. Throws ArtifactUnavailableError when it cannot be.
   */
  async localRecord(record: PluginRecord): Promise<PluginRecord> {
    if (!this.options.distributed) return record;
    const recorded = await this.options.supplyChain.findDigest(record.id);
    // Nothing recorded for this package yet: it runs from its folder, trusted on first use as before.
    if (!recorded || recorded.packageDir !== record.packageDir) return record;
    this.inUse.set(record.id, recorded.digest);
    const artifact = await this.options.store.find(record.id, recorded.digest);
    if (!artifact) {
      await this.packIfInstalledHere(record, recorded);
      return record;
    }
    // The installing node, or one that sees the same folder (a shared disk, a restart under a new node id): the
    // folder runs, checked against its digest as on a single node. Only a node without it needs a copy.
    if (artifact.packedByNode === this.options.nodeId || (await exists(digestRootOf(record)))) return record;
    return this.materialize(record, artifact, recorded);
  }

  /** Remove this node's copies of a plugin (uninstalled, or stopped for good on this node). */
  async removeCopies(pluginId: string): Promise<void> {
    this.inUse.delete(pluginId);
    this.options.integrity().forgetCopy(pluginId);
    await rm(this.copiesOf(pluginId), { recursive: true, force: true });
  }

  /** Folder of this node's copies of one plugin. */
  copiesOf(pluginId: string): string {
    if (!/^[0-9a-f-]{36}$/i.test(pluginId)) throw new Error(`not a plugin id: ${pluginId}`);
    return path.join(this.options.pluginsDir, NODE_COPIES_FOLDER, pluginId);
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  /**
   * A plugin installed before artifacts existed: the node whose folder still holds exactly the recorded files
   * packs them, so nodes started later can run it too.
   */
  private async packIfInstalledHere(record: PluginRecord, recorded: StoredPackageDigest): Promise<void> {
    const current = await computePackageDigest(digestRootOf(record)).catch(() => null);
    if (current?.digest !== recorded.digest) return;
    try {
      const packed = await packInstalledPlugin(record);
      await this.options.store.saveIfMissing({
        pluginId: record.id,
        version: record.version,
        packageDigest: recorded.digest,
        integrity: packed.integrity,
        content: packed.content,
        packedByNode: this.options.nodeId,
      });
    } catch (error) {
      this.options.logger.warn(
        { pluginId: record.id, err: error },
        `Could not store the artifact of ${record.pluginKey}: ${(error as Error).message}`,
      );
    }
  }

  private async materialize(
    record: PluginRecord,
    artifact: ArtifactInfo,
    recorded: StoredPackageDigest,
  ): Promise<PluginRecord> {
    const folder = path.join(this.copiesOf(record.id), shortName(artifact.packageDigest));
    const layout = layoutOf(record);
    const local = copyRecord(record, folder, layout);
    const integrity = this.options.integrity();
    if (await exists(folder)) {
      const current = await computePackageDigest(digestRootOf(local)).catch(() => null);
      if (current?.digest === recorded.digest) {
        integrity.trustCopy(record.id, local.packageDir);
        return local;
      }
      // Changed or half-written: start again from the artifact.
      await rm(folder, { recursive: true, force: true });
    }
    const content = await this.options.store.content(artifact.id);
    if (!content) {
      throw new ArtifactUnavailableError(
        `the artifact of ${record.pluginKey} ${artifact.version} was deleted from the artifact store; ` +
          "reinstall or upgrade the plugin",
      );
    }
    const actual = sha512Of(content);
    if (actual !== artifact.integrity) {
      throw new ArtifactUnavailableError(
        `the stored artifact of ${record.pluginKey} ${artifact.version} failed its integrity check (sha512 ` +
          `${actual.slice(0, 24)}…, expected ${artifact.integrity.slice(0, 24)}…): refused; reinstall or upgrade ` +
          "the plugin on a node that has its files",
      );
    }
    const partial = `${folder}.partial-${randomBytes(4).toString("hex")}`;
    try {
      await writeEntries(partial, readTar(content));
      await rename(partial, folder);
    } catch (error) {
      await rm(partial, { recursive: true, force: true });
      throw new ArtifactUnavailableError(
        `could not unpack the artifact of ${record.pluginKey} ${artifact.version}: ${(error as Error).message}`,
      );
    }
    const unpacked = await computePackageDigest(digestRootOf(local)).catch(() => null);
    if (unpacked?.digest !== recorded.digest) {
      await rm(folder, { recursive: true, force: true });
      throw new ArtifactUnavailableError(
        `the unpacked artifact of ${record.pluginKey} ${artifact.version} does not match its recorded package ` +
          "digest: refused; reinstall or upgrade the plugin",
      );
    }
    integrity.trustCopy(record.id, local.packageDir);
    await this.removeOtherCopies(record.id, path.basename(folder));
    this.options.logger.info(
      { pluginId: record.id, pluginKey: record.pluginKey, folder },
      `Materialized ${record.pluginKey} ${artifact.version} from the artifact store (${artifact.sizeBytes} bytes)`,
    );
    return local;
  }

  private async removeOtherCopies(pluginId: string, keep: string): Promise<void> {
    const root = this.copiesOf(pluginId);
    for (const name of await readdir(root).catch(() => [] as string[])) {
      if (name !== keep) await rm(path.join(root, name), { recursive: true, force: true });
    }
  }
}

/** The record with its package folder (and digest root) moved to the copy in `folder`. */
function copyRecord(record: PluginRecord, folder: string, layout: ArtifactLayout): PluginRecord {
  if (layout === "package") return { ...record, packageDir: path.join(folder, "package"), tarballPath: null };
  const inside = path.relative(digestRootOf(record), record.packageDir);
  return {
    ...record,
    packageDir: path.join(folder, "node_modules", inside),
    tarballPath: path.join(folder, path.basename(record.tarballPath ?? "package.tgz")),
  };
}

function shortName(packageDigest: string): string {
  return createHash("sha256").update(packageDigest).digest("hex").slice(0, 16);
}

async function exists(folder: string): Promise<boolean> {
  return (await stat(folder).catch(() => null))?.isDirectory() === true;
}
