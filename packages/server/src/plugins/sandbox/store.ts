// plugin_sandbox, the operator's grants per plugin: the only module that reads or writes that table.
import type { Database, Tx } from "../../db/database.js";
import { NO_GRANTS, type SandboxGrants } from "./grants.js";

type Queryable = Pick<Tx, "query">;

export interface StoredSandboxGrants {
  grants: SandboxGrants;
  /** Who changed them last (actor id), null when never changed. */
  updatedBy: string | null;
  updatedAt: string | null;
}

const COLUMNS: Readonly<Record<keyof SandboxGrants, string>> = {
  childProcess: "allow_child_process",
  workerThreads: "allow_worker_threads",
  nativeAddons: "allow_native_addons",
  wasi: "allow_wasi",
  unsandboxed: "unsandboxed",
};

export class SandboxStore {
  constructor(private readonly db: Database) {}

  async get(pluginId: string, on: Queryable = this.db): Promise<StoredSandboxGrants> {
    const rows = await on.query(
      "plugin_sandbox_get",
      `SELECT allow_child_process, allow_worker_threads, allow_native_addons, allow_wasi, unsandboxed,
              updated_by, updated_at
       FROM plugin_sandbox WHERE plugin_id = $1`,
      [pluginId],
    );
    const row = rows[0];
    if (!row) return { grants: { ...NO_GRANTS }, updatedBy: null, updatedAt: null };
    const grants = { ...NO_GRANTS };
    for (const [grant, column] of Object.entries(COLUMNS))
      grants[grant as keyof SandboxGrants] = row[column] === true;
    const updatedAt = row.updated_at instanceof Date ? row.updated_at : new Date(String(row.updated_at));
    return {
      grants,
      updatedBy: (row.updated_by as string | null) ?? null,
      updatedAt: updatedAt.toISOString(),
    };
  }

  /** Replace the plugin's grants (inside the caller's transaction, beside its activity rows). */
  async put(on: Queryable, pluginId: string, grants: SandboxGrants, updatedBy: string): Promise<void> {
    await on.query(
      "plugin_sandbox_put",
      `INSERT INTO plugin_sandbox (plugin_id, allow_child_process, allow_worker_threads, allow_native_addons,
                                   allow_wasi, unsandboxed, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (plugin_id) DO UPDATE SET
         allow_child_process = EXCLUDED.allow_child_process,
         allow_worker_threads = EXCLUDED.allow_worker_threads,
         allow_native_addons = EXCLUDED.allow_native_addons,
         allow_wasi = EXCLUDED.allow_wasi,
         unsandboxed = EXCLUDED.unsandboxed,
         updated_by = EXCLUDED.updated_by,
         updated_at = now()`,
      [
        pluginId,
        grants.childProcess,
        grants.workerThreads,
        grants.nativeAddons,
        grants.wasi,
        grants.unsandboxed,
        updatedBy,
      ],
    );
  }
}
