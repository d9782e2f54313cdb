// The plugin record as the API returns it: the published PluginRecord fields (reference §1.4, timestamps as ISO
// strings) plus the install metadata the host keeps to run, upgrade and purge the plugin.
import type { PaperclipPluginManifestV1, PluginCategory } from "@paperclipai/plugin-sdk/types";
import type { InstallSource } from "../installer/index.js";
import type { PluginLimitOverrides } from "../lifecycle/limits.js";
import type { PluginStatus } from "./statuses.js";

/** What was asked for at install time; upgrade replays it with a new version. */
export interface PluginInstallSpec {
  packageName: string;
  version?: string;
  isLocalPath?: boolean;
}

export interface PluginRecord {
  id: string;
  pluginKey: string;
  packageName: string;
  version: string;
  apiVersion: number;
  categories: PluginCategory[];
  manifestJson: PaperclipPluginManifestV1;
  status: PluginStatus;
  installOrder: number | null;
  /** Local-path installs: the folder used in place. Null for npm installs (as in the original). */
  packagePath: string | null;
  /** The last failure, or the operator's disable reason. */
  lastError: string | null;
  installedAt: string;
  updatedAt: string;
  // ── beyond the published record ──
  /** Where the manifest and worker are loaded from (every source). */
  packageDir: string;
  source: InstallSource;
  installSpec: PluginInstallSpec;
  /** `sha512-…` of the installed tarball (npm installs). */
  integrity: string | null;
  tarballPath: string | null;
  /** Per-method host→worker timeouts in ms. */
  methodTimeouts: Record<string, number>;
  /** This plugin's overrides of the host's resource limits (empty: the host defaults apply). */
  limits: PluginLimitOverrides;
  /** Incremented by every change; writers must name the version they read (optimistic concurrency). */
  rowVersion: number;
}

/** The row as node-postgres returns it (snake_case columns). */
export interface PluginRow extends Record<string, unknown> {
  id: string;
  plugin_key: string;
  package_name: string;
  version: string;
  api_version: number;
  categories: PluginCategory[];
  manifest_json: PaperclipPluginManifestV1;
  status: PluginStatus;
  install_order: number | null;
  package_path: string | null;
  package_dir: string;
  source: InstallSource;
  install_spec: PluginInstallSpec;
  integrity: string | null;
  tarball_path: string | null;
  last_error: string | null;
  method_timeouts: Record<string, number>;
  limits?: PluginLimitOverrides | null;
  row_version: number;
  installed_at: Date | string;
  updated_at: Date | string;
}

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

export function toPluginRecord(row: PluginRow): PluginRecord {
  return {
    id: row.id,
    pluginKey: row.plugin_key,
    packageName: row.package_name,
    version: row.version,
    apiVersion: row.api_version,
    categories: row.categories,
    manifestJson: row.manifest_json,
    status: row.status,
    installOrder: row.install_order,
    packagePath: row.package_path,
    lastError: row.last_error,
    installedAt: iso(row.installed_at),
    updatedAt: iso(row.updated_at),
    packageDir: row.package_dir,
    source: row.source,
    installSpec: row.install_spec,
    integrity: row.integrity,
    tarballPath: row.tarball_path,
    methodTimeouts: row.method_timeouts ?? {},
    limits: row.limits ?? {},
    rowVersion: row.row_version,
  };
}
