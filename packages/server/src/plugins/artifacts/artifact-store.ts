// The one reader and writer of plugin_artifacts (migration 0720): the packed files of each installed plugin
// version, one row per (plugin, package digest). Per plugin the current and the previous artifact are kept (the
// previous one for a rollback); older ones are deleted when a new one is stored.
import type { Database } from "../../db/database.js";

/** Largest artifact stored (gzipped bytes): plugin packages are far smaller; bytea rows this big stay workable. */
export const DEFAULT_MAX_ARTIFACT_BYTES = 64 * 1024 * 1024;
/** Artifacts kept per plugin: the current and the previous one. */
export const KEPT_ARTIFACTS = 2;

export interface ArtifactInfo {
  id: string;
  pluginId: string;
  version: string;
  packageDigest: string;
  integrity: string;
  sizeBytes: number;
  packedByNode: string;
  createdAt: string;
}

export interface NewArtifact {
  pluginId: string;
  version: string;
  packageDigest: string;
  integrity: string;
  content: Buffer;
  packedByNode: string;
}

interface InfoRow extends Record<string, unknown> {
  id: string;
  plugin_id: string;
  version: string;
  package_digest: string;
  integrity: string;
  size_bytes: string | number;
  packed_by_node: string;
  created_at: Date | string;
}

const INFO_COLUMNS =
  "id, plugin_id, version, package_digest, integrity, size_bytes, packed_by_node, created_at";

export class ArtifactTooLargeError extends Error {
  override readonly name = "ArtifactTooLargeError";
}

export class ArtifactStore {
  constructor(
    private readonly db: Database,
    readonly maxBytes = DEFAULT_MAX_ARTIFACT_BYTES,
  ) {}

  /** Store (or replace, for the same files) a version's artifact, then drop all but the newest KEPT_ARTIFACTS. */
  async save(artifact: NewArtifact): Promise<ArtifactInfo> {
    if (artifact.content.length > this.maxBytes) {
      throw new ArtifactTooLargeError(
        `the packed plugin is ${formatBytes(artifact.content.length)}, above the artifact limit of ` +
          `${formatBytes(this.maxBytes)} that lets other host nodes run it (docs/scale-out.md); make the package ` +
          "smaller (leave build tools and test files out of its dependencies)",
      );
    }
    const [row] = await this.db.query<InfoRow>(
      "plugin_artifacts_save",
      `INSERT INTO plugin_artifacts (plugin_id, version, package_digest, integrity, size_bytes, packed_by_node, content)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ON CONSTRAINT plugin_artifacts_plugin_digest_key DO UPDATE SET version = EXCLUDED.version,
         integrity = EXCLUDED.integrity, size_bytes = EXCLUDED.size_bytes, packed_by_node = EXCLUDED.packed_by_node,
         content = EXCLUDED.content, created_at = now()
       RETURNING ${INFO_COLUMNS}`,
      [
        artifact.pluginId,
        artifact.version,
        artifact.packageDigest,
        artifact.integrity,
        artifact.content.length,
        artifact.packedByNode,
        artifact.content,
      ],
    );
    await this.db.query(
      "plugin_artifacts_prune",
      `DELETE FROM plugin_artifacts WHERE plugin_id = $1 AND id NOT IN (
         SELECT id FROM plugin_artifacts WHERE plugin_id = $1 ORDER BY created_at DESC, id LIMIT $2)`,
      [artifact.pluginId, KEPT_ARTIFACTS],
    );
    return infoOf(row as InfoRow);
  }

  /** Store only when no artifact holds these files yet (a node packing a plugin installed before 0720). */
  async saveIfMissing(artifact: NewArtifact): Promise<void> {
    if (await this.find(artifact.pluginId, artifact.packageDigest)) return;
    await this.save(artifact);
  }

  /** The artifact holding the files with this package digest (without its content). */
  async find(pluginId: string, packageDigest: string): Promise<ArtifactInfo | null> {
    const [row] = await this.db.query<InfoRow>(
      "plugin_artifacts_find",
      `SELECT ${INFO_COLUMNS} FROM plugin_artifacts WHERE plugin_id = $1 AND package_digest = $2`,
      [pluginId, packageDigest],
    );
    return row ? infoOf(row) : null;
  }

  async content(artifactId: string): Promise<Buffer | null> {
    const [row] = await this.db.query<{ content: Uint8Array }>(
      "plugin_artifacts_content",
      "SELECT content FROM plugin_artifacts WHERE id = $1",
      [artifactId],
    );
    return row ? Buffer.from(row.content) : null;
  }

  /** Every artifact of a plugin, newest first (without content). */
  async list(pluginId: string): Promise<ArtifactInfo[]> {
    const rows = await this.db.query<InfoRow>(
      "plugin_artifacts_list",
      `SELECT ${INFO_COLUMNS} FROM plugin_artifacts WHERE plugin_id = $1 ORDER BY created_at DESC, id`,
      [pluginId],
    );
    return rows.map(infoOf);
  }
}

function infoOf(row: InfoRow): ArtifactInfo {
  return {
    id: row.id,
    pluginId: row.plugin_id,
    version: row.version,
    packageDigest: row.package_digest,
    integrity: row.integrity,
    sizeBytes: Number(row.size_bytes),
    packedByNode: row.packed_by_node,
    createdAt: (row.created_at instanceof Date ? row.created_at : new Date(row.created_at)).toISOString(),
  };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
    : `${Math.ceil(bytes / 1024)} KiB`;
}
