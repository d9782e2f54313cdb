// ctx.db: the plugin's own database namespace (manifest.database). Plugin data, not company data: the calls name
// no company and pass no company gate; the SQL is confined to the plugin schema by src/plugins/database.
import { JSONRPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import { LIMITS, nonEmpty } from "../../../schema/schema-helpers.js";
import { databaseNamespaceOf, PluginSqlError } from "../../database/index.js";
import type { NamespaceMethods } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { HostCallError } from "../errors.js";
import { paramsOf } from "../params.js";

/** Longest SQL text accepted, and most bound parameters. */
export const MAX_SQL_CHARS = LIMITS.text;
export const MAX_SQL_PARAMS = 10_000;

const statementParams = paramsOf(
  { sql: nonEmpty(MAX_SQL_CHARS), params: { type: "array", maxItems: MAX_SQL_PARAMS } },
  ["sql"],
);

function asCallError(error: unknown): unknown {
  if (!(error instanceof PluginSqlError)) return error;
  // A refused statement is the caller's to fix (invalid params); a database failure is an error of the call.
  const code = error.refused ? JSONRPC_ERROR_CODES.INVALID_PARAMS : JSONRPC_ERROR_CODES.INTERNAL_ERROR;
  return new HostCallError(code, error.message);
}

export function databaseMethods(deps: HostServiceDeps) {
  const guarded = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw asCallError(error);
    }
  };
  const none = () => ({ kind: "none" }) as const;
  return {
    "db.namespace": {
      params: paramsOf({}),
      company: none,
      handle: async (_p, call) => databaseNamespaceOf(call.plugin.manifest) ?? "",
    },
    "db.query": {
      params: statementParams,
      company: none,
      handle: (p, call) => guarded(() => deps.database.query(call.plugin, p.sql, p.params ?? [])),
    },
    "db.execute": {
      params: statementParams,
      company: none,
      handle: (p, call) => guarded(() => deps.database.execute(call.plugin, p.sql, p.params ?? [])),
    },
  } satisfies NamespaceMethods<"db">;
}
