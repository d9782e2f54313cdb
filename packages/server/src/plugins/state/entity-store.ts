// Plugin entities: records a plugin owns (e.g. mirrored external tickets), upserted on
// (plugin, entity type, scope kind, scope id, external id) and listed with filters and paging.

import type { PluginStateScopeKind as StateScopeKind } from "@paperclipai/plugin-sdk/types";
import type { Database } from "../../db/database.js";
import type { Clock } from "../../domain/actor.js";
import { systemClock } from "../../domain/actor.js";

export interface EntityUpsert {
  entityType: string;
  scopeKind: StateScopeKind;
  scopeId?: string | null;
  externalId?: string | null;
  title?: string | null;
  status?: string | null;
  data?: Record<string, unknown> | null;
}

export interface EntityQuery {
  entityType?: string;
  scopeKind?: StateScopeKind;
  scopeId?: string;
  externalId?: string;
  limit?: number;
  offset?: number;
}

/** PluginEntityRecord of the protocol: timestamps as ISO strings. */
export interface EntityRecord {
  id: string;
  entityType: string;
  scopeKind: StateScopeKind;
  scopeId: string | null;
  externalId: string | null;
  title: string | null;
  status: string | null;
  data: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export const ENTITY_LIST_DEFAULT_LIMIT = 100;
export const ENTITY_LIST_MAX_LIMIT = 1000;

function toRecord(row: Record<string, unknown>): EntityRecord {
  return {
    id: String(row.id),
    entityType: String(row.entity_type),
    scopeKind: row.scope_kind as StateScopeKind,
    scopeId: (row.scope_id as string | null) ?? null,
    externalId: (row.external_id as string | null) ?? null,
    title: (row.title as string | null) ?? null,
    status: (row.status as string | null) ?? null,
    data: (row.data ?? {}) as Record<string, unknown>,
    createdAt: (row.created_at as Date).toISOString(),
    updatedAt: (row.updated_at as Date).toISOString(),
  };
}

export class PluginEntityStore {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Insert, or update title/status/data of the entity with the same identity. */
  async upsert(pluginId: string, input: EntityUpsert): Promise<EntityRecord> {
    const [row] = await this.db.query(
      "plugin_entity_upsert",
      `INSERT INTO plugin_entities (plugin_id, entity_type, scope_kind, scope_id, external_id, title, status, data,
         created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $9)
       ON CONFLICT ON CONSTRAINT plugin_entities_key
       DO UPDATE SET title = EXCLUDED.title, status = EXCLUDED.status, data = EXCLUDED.data,
         updated_at = EXCLUDED.updated_at
       RETURNING *`,
      [
        pluginId,
        input.entityType,
        input.scopeKind,
        input.scopeId || null,
        input.externalId || null,
        input.title ?? null,
        input.status ?? null,
        JSON.stringify(input.data ?? {}),
        this.clock.now(),
      ],
    );
    return toRecord(row!);
  }

  /** Newest first; `limit` defaults to 100 and is clamped to 1..1000. */
  async list(pluginId: string, query: EntityQuery = {}): Promise<EntityRecord[]> {
    const limit = Math.min(
      Math.max(1, Math.trunc(query.limit ?? ENTITY_LIST_DEFAULT_LIMIT)),
      ENTITY_LIST_MAX_LIMIT,
    );
    const offset = Math.max(0, Math.trunc(query.offset ?? 0));
    const rows = await this.db.query(
      "plugin_entity_list",
      `SELECT * FROM plugin_entities
       WHERE plugin_id = $1
         AND ($2::text IS NULL OR entity_type = $2)
         AND ($3::text IS NULL OR scope_kind = $3)
         AND ($4::text IS NULL OR scope_id = $4)
         AND ($5::text IS NULL OR external_id = $5)
       ORDER BY created_at DESC, id DESC
       LIMIT $6 OFFSET $7`,
      [
        pluginId,
        query.entityType ?? null,
        query.scopeKind ?? null,
        query.scopeId ?? null,
        query.externalId ?? null,
        limit,
        offset,
      ],
    );
    return rows.map(toRecord);
  }
}
