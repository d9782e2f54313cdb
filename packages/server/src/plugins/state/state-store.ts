// Plugin key/value state: one JSON value per (plugin, scope kind, scope id, namespace, key). The unique key
// treats a missing scope id as one value (NULLS NOT DISTINCT), so instance-scoped keys upsert like any other.
// A stored JSON null is kept as the jsonb value null: `get` tells "stored null" from "missing" to host code.

import type { PluginStateScopeKind as StateScopeKind } from "@paperclipai/plugin-sdk/types";
import type { Database } from "../../db/database.js";
import type { Clock } from "../../domain/actor.js";
import { systemClock } from "../../domain/actor.js";

export interface StateKey {
  scopeKind: StateScopeKind;
  scopeId?: string | null;
  namespace?: string | null;
  stateKey: string;
}

export interface StateEntry {
  scopeKind: StateScopeKind;
  scopeId: string | null;
  namespace: string;
  stateKey: string;
  value: unknown;
  updatedAt: string;
}

export const DEFAULT_NAMESPACE = "default";

/** Empty scope ids and namespaces mean "none" and "default", as in the original. */
function normalize(key: StateKey): [StateScopeKind, string | null, string, string] {
  const scopeId = key.scopeId ? key.scopeId : null;
  const namespace = key.namespace ? key.namespace : DEFAULT_NAMESPACE;
  return [key.scopeKind, scopeId, namespace, key.stateKey];
}

const MATCH_KEY =
  "plugin_id = $1 AND scope_kind = $2 AND scope_id IS NOT DISTINCT FROM $3 AND namespace = $4 AND state_key = $5";

export class PluginStateStore {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock = systemClock,
  ) {}

  /** `found` is false when nothing is stored; a stored null comes back as found with value null. */
  async get(pluginId: string, key: StateKey): Promise<{ found: boolean; value: unknown }> {
    const [row] = await this.db.query(
      "plugin_state_get",
      `SELECT value_json FROM plugin_state WHERE ${MATCH_KEY}`,
      [pluginId, ...normalize(key)],
    );
    return row ? { found: true, value: row.value_json } : { found: false, value: null };
  }

  async set(pluginId: string, key: StateKey, value: unknown): Promise<void> {
    await this.db.query(
      "plugin_state_set",
      `INSERT INTO plugin_state (plugin_id, scope_kind, scope_id, namespace, state_key, value_json, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
       ON CONFLICT ON CONSTRAINT plugin_state_key
       DO UPDATE SET value_json = EXCLUDED.value_json, updated_at = EXCLUDED.updated_at`,
      [pluginId, ...normalize(key), JSON.stringify(value === undefined ? null : value), this.clock.now()],
    );
  }

  /** Idempotent: deleting a missing key is not an error. */
  async delete(pluginId: string, key: StateKey): Promise<void> {
    await this.db.query("plugin_state_delete", `DELETE FROM plugin_state WHERE ${MATCH_KEY}`, [
      pluginId,
      ...normalize(key),
    ]);
  }

  /** Host-side listing (not exposed to workers), newest change first. */
  async list(
    pluginId: string,
    filter: { scopeKind?: StateScopeKind; scopeId?: string | null } = {},
  ): Promise<StateEntry[]> {
    const rows = await this.db.query(
      "plugin_state_list",
      `SELECT scope_kind, scope_id, namespace, state_key, value_json, updated_at FROM plugin_state
       WHERE plugin_id = $1 AND ($2::text IS NULL OR scope_kind = $2)
         AND ($3::boolean IS FALSE OR scope_id IS NOT DISTINCT FROM $4)
       ORDER BY updated_at DESC, state_key`,
      [pluginId, filter.scopeKind ?? null, filter.scopeId !== undefined, filter.scopeId ?? null],
    );
    return rows.map((row) => ({
      scopeKind: row.scope_kind as StateScopeKind,
      scopeId: (row.scope_id as string | null) ?? null,
      namespace: String(row.namespace),
      stateKey: String(row.state_key),
      value: row.value_json,
      updatedAt: (row.updated_at as Date).toISOString(),
    }));
  }
}
