// The one writer of plugin_dev_mode (migration 0740): which local-path plugins are in dev mode, who turned it on,
// and how often they were reloaded. A row goes with its plugin (ON DELETE CASCADE).
import type { Database } from "../../db/database.js";

export interface DevModeRow {
  pluginId: string;
  sourceDir: string;
  enabledBy: string;
  enabledAt: string;
  reloadCount: number;
  lastReloadAt: string | null;
}

interface StoredRow extends Record<string, unknown> {
  plugin_id: string;
  source_dir: string;
  enabled_by: string;
  enabled_at: Date | string;
  reload_count: number;
  last_reload_at: Date | string | null;
}

const iso = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();

function toRow(row: StoredRow): DevModeRow {
  return {
    pluginId: row.plugin_id,
    sourceDir: row.source_dir,
    enabledBy: row.enabled_by,
    enabledAt: iso(row.enabled_at),
    reloadCount: Number(row.reload_count),
    lastReloadAt: row.last_reload_at === null ? null : iso(row.last_reload_at),
  };
}

export class DevModeStore {
  constructor(private readonly db: Database) {}

  async find(pluginId: string): Promise<DevModeRow | null> {
    const [row] = await this.db.query<StoredRow>(
      "plugin_dev_mode_find",
      "SELECT * FROM plugin_dev_mode WHERE plugin_id = $1",
      [pluginId],
    );
    return row ? toRow(row) : null;
  }

  /** Turn dev mode on (again: the row is kept, with its reload count). */
  async enable(pluginId: string, sourceDir: string, enabledBy: string): Promise<DevModeRow> {
    const [row] = await this.db.query<StoredRow>(
      "plugin_dev_mode_enable",
      `INSERT INTO plugin_dev_mode (plugin_id, source_dir, enabled_by) VALUES ($1, $2, $3)
       ON CONFLICT (plugin_id) DO UPDATE SET source_dir = EXCLUDED.source_dir
       RETURNING *`,
      [pluginId, sourceDir, enabledBy],
    );
    return toRow(row as StoredRow);
  }

  /** Turn dev mode off; false when it was not on. */
  async disable(pluginId: string): Promise<boolean> {
    const rows = await this.db.query(
      "plugin_dev_mode_disable",
      "DELETE FROM plugin_dev_mode WHERE plugin_id = $1 RETURNING plugin_id",
      [pluginId],
    );
    return rows.length > 0;
  }

  async countReload(pluginId: string): Promise<DevModeRow | null> {
    const [row] = await this.db.query<StoredRow>(
      "plugin_dev_mode_reloaded",
      `UPDATE plugin_dev_mode SET reload_count = reload_count + 1, last_reload_at = now()
       WHERE plugin_id = $1 RETURNING *`,
      [pluginId],
    );
    return row ? toRow(row) : null;
  }
}
