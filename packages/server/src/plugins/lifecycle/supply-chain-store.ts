// The one writer of the supply-chain tables (migration 0630): each plugin's recorded package digest and the
// capabilities an operator approved for it. Rows go with their plugin (ON DELETE CASCADE).
import type { Database } from "../../db/database.js";
import type { PackageDigest, PackageFileEntries } from "../installer/index.js";

/** `dev_mode`: a dev-mode plugin's folder, trusted as it changes (dev-mode.ts, migration 0740). */
export type DigestReason = "install" | "upgrade" | "first_use" | "accepted" | "dev_mode";

export interface StoredPackageDigest {
  pluginId: string;
  packageDir: string;
  rootDir: string;
  digest: string;
  files: PackageFileEntries;
  fileCount: number;
  totalBytes: number;
  recordedReason: DigestReason;
  recordedAt: string;
}

export interface CapabilityApproval {
  pluginId: string;
  capabilities: string[];
  version: string;
  approvedAt: string;
}

interface DigestRow extends Record<string, unknown> {
  plugin_id: string;
  package_dir: string;
  root_dir: string;
  digest: string;
  files: PackageFileEntries;
  file_count: number;
  total_bytes: string | number;
  recorded_reason: DigestReason;
  recorded_at: Date | string;
}

interface ApprovalRow extends Record<string, unknown> {
  plugin_id: string;
  capabilities: string[];
  version: string;
  approved_at: Date | string;
}

const iso = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();

export class SupplyChainStore {
  constructor(private readonly db: Database) {}

  async findDigest(pluginId: string): Promise<StoredPackageDigest | null> {
    const [row] = await this.db.query<DigestRow>(
      "supply_chain_digest_find",
      "SELECT * FROM plugin_package_digests WHERE plugin_id = $1",
      [pluginId],
    );
    if (!row) return null;
    return {
      pluginId: row.plugin_id,
      packageDir: row.package_dir,
      rootDir: row.root_dir,
      digest: row.digest,
      files: row.files,
      fileCount: row.file_count,
      totalBytes: Number(row.total_bytes),
      recordedReason: row.recorded_reason,
      recordedAt: iso(row.recorded_at),
    };
  }

  async saveDigest(
    pluginId: string,
    packageDir: string,
    digest: PackageDigest,
    reason: DigestReason,
  ): Promise<void> {
    await this.db.query(
      "supply_chain_digest_save",
      `INSERT INTO plugin_package_digests
         (plugin_id, package_dir, root_dir, digest, files, file_count, total_bytes, recorded_reason, recorded_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, now())
       ON CONFLICT (plugin_id) DO UPDATE SET package_dir = EXCLUDED.package_dir, root_dir = EXCLUDED.root_dir,
         digest = EXCLUDED.digest, files = EXCLUDED.files, file_count = EXCLUDED.file_count,
         total_bytes = EXCLUDED.total_bytes, recorded_reason = EXCLUDED.recorded_reason, recorded_at = now()`,
      [
        pluginId,
        packageDir,
        digest.rootDir,
        digest.digest,
        JSON.stringify(digest.files),
        digest.fileCount,
        digest.totalBytes,
        reason,
      ],
    );
  }

  async findApproval(pluginId: string): Promise<CapabilityApproval | null> {
    const [row] = await this.db.query<ApprovalRow>(
      "supply_chain_approval_find",
      "SELECT * FROM plugin_capability_approvals WHERE plugin_id = $1",
      [pluginId],
    );
    return row
      ? {
          pluginId: row.plugin_id,
          capabilities: row.capabilities,
          version: row.version,
          approvedAt: iso(row.approved_at),
        }
      : null;
  }

  /** The capabilities `version` runs with, approved (install, upgrade without new ones, or enable). */
  async saveApproval(pluginId: string, capabilities: readonly string[], version: string): Promise<void> {
    await this.db.query(
      "supply_chain_approval_save",
      `INSERT INTO plugin_capability_approvals (plugin_id, capabilities, version, approved_at)
       VALUES ($1, $2::jsonb, $3, now())
       ON CONFLICT (plugin_id) DO UPDATE SET capabilities = EXCLUDED.capabilities, version = EXCLUDED.version,
         approved_at = now()
       WHERE plugin_capability_approvals.capabilities IS DISTINCT FROM EXCLUDED.capabilities
          OR plugin_capability_approvals.version IS DISTINCT FROM EXCLUDED.version`,
      [pluginId, JSON.stringify([...capabilities].sort()), version],
    );
  }
}
