// ctx.db → db.query | db.execute (the namespace comes from `initialize`, not from db.namespace)
import type { PluginDatabaseClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildDbClient(
  host: HostLink,
  state: { readonly databaseNamespace: string | null },
): PluginDatabaseClient {
  return {
    get namespace() {
      return state.databaseNamespace ?? "";
    },
    query<T>(sql: string, params?: unknown[]) {
      // The wire rows are untyped; their shape is whatever the plugin's own SQL selects, so the
      // row type is the plugin's claim (as in the published SDK). No check happens here.
      return host.call("db.query", { sql, params }) as Promise<T[]>;
    },
    execute: (sql, params) => host.call("db.execute", { sql, params }),
  };
}
