// The one writer of plugin_egress_policies. No row means the default policy (any public address, no grants), so
// plugins installed before egress policies existed behave as they did. Read on every http.fetch: a change takes
// effect on the next call, on every host node.
import type { Database, Tx } from "../../db/database.js";
import { DEFAULT_EGRESS_POLICY, type EgressMode, type EgressPolicy } from "./policy.js";

export interface StoredEgressPolicy extends EgressPolicy {
  /** null: never set (the default policy). */
  updatedAt: string | null;
  updatedBy: string | null;
}

const COLUMNS = "mode, allow_entries, private_grants, timeout_ms, max_response_bytes, updated_by, updated_at";

function fromRow(row: Record<string, unknown> | undefined): StoredEgressPolicy {
  if (!row)
    return { ...DEFAULT_EGRESS_POLICY, allow: [], privateGrants: [], updatedAt: null, updatedBy: null };
  const strings = (value: unknown) =>
    Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
  return {
    mode: row.mode as EgressMode,
    allow: strings(row.allow_entries),
    privateGrants: strings(row.private_grants),
    timeoutMs: (row.timeout_ms as number | null) ?? null,
    maxResponseBytes: (row.max_response_bytes as number | null) ?? null,
    updatedBy: (row.updated_by as string | null) ?? null,
    updatedAt: (row.updated_at as Date).toISOString(),
  };
}

export class EgressPolicyStore {
  constructor(private readonly db: Database) {}

  async get(pluginId: string): Promise<StoredEgressPolicy> {
    const [row] = await this.db.query(
      "plugin_egress_policy_get",
      `SELECT ${COLUMNS} FROM plugin_egress_policies WHERE plugin_id = $1`,
      [pluginId],
    );
    return fromRow(row);
  }

  /** Replace the plugin's policy inside the caller's transaction (with its activity rows); returns it stored. */
  async put(
    tx: Tx,
    pluginId: string,
    policy: EgressPolicy,
    updatedBy: string,
    now: Date,
  ): Promise<{ stored: StoredEgressPolicy; previous: StoredEgressPolicy }> {
    const [before] = await tx.query(
      "plugin_egress_policy_lock",
      `SELECT ${COLUMNS} FROM plugin_egress_policies WHERE plugin_id = $1 FOR UPDATE`,
      [pluginId],
    );
    const [row] = await tx.query(
      "plugin_egress_policy_put",
      `INSERT INTO plugin_egress_policies (plugin_id, ${COLUMNS})
       VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7, $8)
       ON CONFLICT (plugin_id) DO UPDATE SET mode = EXCLUDED.mode, allow_entries = EXCLUDED.allow_entries,
         private_grants = EXCLUDED.private_grants, timeout_ms = EXCLUDED.timeout_ms,
         max_response_bytes = EXCLUDED.max_response_bytes, updated_by = EXCLUDED.updated_by,
         updated_at = EXCLUDED.updated_at
       RETURNING ${COLUMNS}`,
      [
        pluginId,
        policy.mode,
        JSON.stringify(policy.allow),
        JSON.stringify(policy.privateGrants),
        policy.timeoutMs,
        policy.maxResponseBytes,
        updatedBy,
        now,
      ],
    );
    return { stored: fromRow(row), previous: fromRow(before) };
  }
}
