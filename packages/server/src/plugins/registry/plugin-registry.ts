// Reads and writes of the `plugins` table. Every write names the row version it read (optimistic concurrency):
// two nodes or two requests changing the same plugin cannot both win, and the loser gets a 409 instead of
// silently overwriting the other's change.
import { createHash } from "node:crypto";
import type { Database, Tx } from "../../db/database.js";
import { isUuid } from "../../domain/shared.js";
import { conflict, notFound } from "../../errors.js";
import { type PluginInstallSpec, type PluginRecord, type PluginRow, toPluginRecord } from "./records.js";
import type { PluginStatus } from "./statuses.js";

/** Anything that runs a named statement: the pool or a transaction. */
export type Queryable = Pick<Tx, "query">;

export interface NewPluginRow {
  pluginKey: string;
  packageName: string;
  version: string;
  apiVersion: number;
  categories: string[];
  manifestJson: unknown;
  status: PluginStatus;
  packagePath: string | null;
  packageDir: string;
  source: PluginRecord["source"];
  installSpec: PluginInstallSpec;
  integrity: string | null;
  tarballPath: string | null;
  lastError?: string | null;
}

/** Columns a lifecycle step may change. */
export interface PluginPatch {
  status?: PluginStatus;
  lastError?: string | null;
  version?: string;
  apiVersion?: number;
  categories?: string[];
  manifestJson?: unknown;
  packagePath?: string | null;
  packageDir?: string;
  source?: PluginRecord["source"];
  installSpec?: PluginInstallSpec;
  integrity?: string | null;
  tarballPath?: string | null;
  methodTimeouts?: Record<string, number>;
  limits?: Record<string, number>;
}

const PATCH_COLUMNS: Record<keyof PluginPatch, { column: string; json?: boolean }> = {
  status: { column: "status" },
  lastError: { column: "last_error" },
  version: { column: "version" },
  apiVersion: { column: "api_version" },
  categories: { column: "categories", json: true },
  manifestJson: { column: "manifest_json", json: true },
  packagePath: { column: "package_path" },
  packageDir: { column: "package_dir" },
  source: { column: "source" },
  installSpec: { column: "install_spec", json: true },
  integrity: { column: "integrity" },
  tarballPath: { column: "tarball_path" },
  methodTimeouts: { column: "method_timeouts", json: true },
  limits: { column: "limits", json: true },
};

export class PluginRegistry {
  constructor(private readonly db: Database) {}

  /** Plugins ordered by install order; without a status filter, uninstalled ones are left out (as in §11). */
  async list(filter: { status?: PluginStatus } = {}): Promise<PluginRecord[]> {
    const rows = filter.status
      ? await this.db.query<PluginRow>(
          "plugins_list_by_status",
          "SELECT * FROM plugins WHERE status = $1 ORDER BY install_order NULLS LAST, installed_at",
          [filter.status],
        )
      : await this.db.query<PluginRow>(
          "plugins_list",
          "SELECT * FROM plugins WHERE status <> 'uninstalled' ORDER BY install_order NULLS LAST, installed_at",
          [],
        );
    return rows.map(toPluginRecord);
  }

  /** Every plugin including uninstalled ones (route collision checks, examples). */
  async listAll(): Promise<PluginRecord[]> {
    const rows = await this.db.query<PluginRow>(
      "plugins_list_all",
      "SELECT * FROM plugins ORDER BY install_order NULLS LAST, installed_at",
      [],
    );
    return rows.map(toPluginRecord);
  }

  /** `:pluginId` of the API: a UUID or a plugin key. */
  async find(idOrKey: string, on: Queryable = this.db): Promise<PluginRecord | null> {
    const rows = isUuid(idOrKey)
      ? await on.query<PluginRow>("plugins_by_id", "SELECT * FROM plugins WHERE id = $1", [idOrKey])
      : await on.query<PluginRow>("plugins_by_key", "SELECT * FROM plugins WHERE plugin_key = $1", [idOrKey]);
    return rows[0] ? toPluginRecord(rows[0]) : null;
  }

  async require(idOrKey: string, on: Queryable = this.db): Promise<PluginRecord> {
    const found = await this.find(idOrKey, on);
    if (!found) throw notFound("Plugin not found", { pluginId: idOrKey });
    return found;
  }

  async findByKey(pluginKey: string, on: Queryable = this.db): Promise<PluginRecord | null> {
    const rows = await on.query<PluginRow>("plugins_by_key", "SELECT * FROM plugins WHERE plugin_key = $1", [
      pluginKey,
    ]);
    return rows[0] ? toPluginRecord(rows[0]) : null;
  }

  async insert(on: Queryable, row: NewPluginRow): Promise<PluginRecord> {
    const rows = await on.query<PluginRow>(
      "plugins_insert",
      `INSERT INTO plugins (plugin_key, package_name, version, api_version, categories, manifest_json, status,
         install_order, package_path, package_dir, source, install_spec, integrity, tarball_path, last_error)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, nextval('plugin_install_order_seq'), $8, $9, $10,
         $11::jsonb, $12, $13, $14)
       ON CONFLICT (plugin_key) DO NOTHING
       RETURNING *`,
      [
        row.pluginKey,
        row.packageName,
        row.version,
        row.apiVersion,
        JSON.stringify(row.categories),
        JSON.stringify(row.manifestJson),
        row.status,
        row.packagePath,
        row.packageDir,
        row.source,
        JSON.stringify(row.installSpec),
        row.integrity,
        row.tarballPath,
        row.lastError ?? null,
      ],
    );
    if (!rows[0])
      throw conflict(`Plugin ${row.pluginKey} is already installed`, { pluginKey: row.pluginKey });
    return toPluginRecord(rows[0]);
  }

  /**
   * Apply `patch` if the row is still at `expectedRowVersion`; bumps the version. Throws 409 when another
   * writer changed (or deleted) the row since it was read.
   */
  async update(
    on: Queryable,
    current: Pick<PluginRecord, "id" | "pluginKey" | "rowVersion">,
    patch: PluginPatch,
  ): Promise<PluginRecord> {
    const sets: string[] = [];
    const values: unknown[] = [current.id, current.rowVersion];
    const keys = (Object.keys(patch) as (keyof PluginPatch)[])
      .filter((key) => patch[key] !== undefined)
      .sort();
    for (const key of keys) {
      const { column, json } = PATCH_COLUMNS[key];
      values.push(json ? JSON.stringify(patch[key]) : patch[key]);
      sets.push(`${column} = $${values.length}${json ? "::jsonb" : ""}`);
    }
    sets.push("row_version = row_version + 1", "updated_at = now()");
    // One prepared statement per combination of changed columns (names stay under PostgreSQL's 63 bytes).
    const rows = await on.query<PluginRow>(
      `plugins_update_${createHash("sha1").update(keys.join(",")).digest("hex").slice(0, 16)}`,
      `UPDATE plugins SET ${sets.join(", ")} WHERE id = $1 AND row_version = $2 RETURNING *`,
      values,
    );
    if (!rows[0]) throw this.concurrentChange(current);
    return toPluginRecord(rows[0]);
  }

  /** Delete the row (its data goes with it by cascade) if it is still at the version read. */
  async delete(on: Queryable, current: Pick<PluginRecord, "id" | "pluginKey" | "rowVersion">): Promise<void> {
    const rows = await on.query<{ id: string }>(
      "plugins_delete",
      "DELETE FROM plugins WHERE id = $1 AND row_version = $2 RETURNING id",
      [current.id, current.rowVersion],
    );
    if (!rows[0]) throw this.concurrentChange(current);
  }

  private concurrentChange(current: Pick<PluginRecord, "id" | "pluginKey" | "rowVersion">) {
    return conflict(
      `Plugin ${current.pluginKey} was changed by another request (expected row version ${current.rowVersion}); ` +
        "reload it and retry",
      { pluginId: current.id, expectedRowVersion: current.rowVersion },
    );
  }

  async getMeta(key: string): Promise<unknown> {
    const rows = await this.db.query<{ value: unknown }>(
      "plugin_meta_get",
      "SELECT value FROM plugin_runtime_meta WHERE key = $1",
      [key],
    );
    return rows[0]?.value ?? null;
  }

  /** Set a marker once; returns false when another caller set it first. */
  async claimMeta(key: string, value: unknown): Promise<boolean> {
    const rows = await this.db.query<{ key: string }>(
      "plugin_meta_claim",
      "INSERT INTO plugin_runtime_meta (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING RETURNING key",
      [key, JSON.stringify(value)],
    );
    return rows.length > 0;
  }
}
