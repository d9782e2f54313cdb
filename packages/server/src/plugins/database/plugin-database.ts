// Plugin database namespaces (manifest.database): one PostgreSQL schema per plugin, its migrations applied at
// install, upgrade and activation, and ctx.db.query / ctx.db.execute confined to it. Confinement has layers:
// 1. the SQL guard (sql-guard.ts) refuses statements naming other schemas, changing the session, running SQL text
//    or writing outside the schema — on both engines;
// 2. every statement runs in its own transaction with `SET LOCAL search_path` = the plugin schema, a statement
//    timeout, and for db.query `READ ONLY` (enforced by the database itself);
// 3. on PostgreSQL, when the host's user may create roles, a per-plugin NOLOGIN role owns the schema and the
//    statements (migrations included) run under `SET LOCAL ROLE`: it has no privilege on host tables except
//    SELECT/REFERENCES on the declared coreReadTables. PGlite runs everything as its one superuser, so there
//    the first two layers are the boundary (docs/plugin-database.md).
import { createHash } from "node:crypto";
import type { PaperclipPluginManifestV1 } from "@paperclipai/plugin-sdk/types";
import { PLUGIN_DATABASE_CORE_READ_TABLES } from "@paperclipai/plugin-sdk/types";
import type pg from "pg";
import type { Logger } from "pino";
import type { Database } from "../../db/database.js";
import { loadPluginMigrations, type PluginMigrationFile } from "./migrations.js";
import { databaseNamespaceOf, derivePluginDatabaseNamespace, quoteIdent } from "./namespace.js";
import {
  checkMigrationFile,
  checkRuntimeExecute,
  checkRuntimeQuery,
  type GuardContext,
  preview,
  SqlRefusedError,
} from "./sql-guard.js";

/** Advisory lock class for plugin namespace work (the host's own migrations use (0x5043, 1)). */
const NAMESPACE_LOCK_CLASS = 0x5044;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
const SCHEMA_CACHE_MS = 10_000;

export interface NamespacePlugin {
  pluginId: string;
  pluginKey: string;
  manifest: PaperclipPluginManifestV1;
  /** the package folder the migrations are read from */
  packageDir: string;
}

export interface NamespaceRecord {
  pluginId: string;
  namespaceName: string;
  roleName: string | null;
  status: "active" | "migration_failed";
}

/** A migration that failed or was refused: names the file and carries the database's (or guard's) message. */
export class PluginMigrationError extends Error {
  override readonly name = "PluginMigrationError";
  constructor(
    readonly pluginKey: string,
    readonly file: string,
    readonly reason: string,
    readonly refused: boolean,
  ) {
    super(`Migration ${file} of plugin ${pluginKey} ${refused ? "was refused" : "failed"}: ${reason}`);
  }
}

/** A runtime statement refused by the guard or failed in the database. */
export class PluginSqlError extends Error {
  override readonly name = "PluginSqlError";
  constructor(
    message: string,
    readonly refused: boolean,
  ) {
    super(message);
  }
}

export interface PluginDatabaseOptions {
  statementTimeoutMs?: number;
  /** Use per-plugin roles on PostgreSQL when allowed (default true; PGlite never). */
  roles?: boolean;
}

function lockKey(pluginId: string): number {
  return createHash("sha256").update(`plugin-namespace:${pluginId}`).digest().readInt32BE(0);
}

function dbMessage(error: unknown): string {
  const err = error as { message?: string; detail?: string; hint?: string; position?: string };
  let message = err.message ?? String(error);
  if (err.detail) message += ` (${err.detail})`;
  return message;
}

export class PluginDatabaseService {
  private readonly statementTimeoutMs: number;
  private roleSupport: Promise<{ allowed: boolean; superuser: boolean }> | null = null;
  private readonly namespaces = new Map<string, NamespaceRecord>();
  private schemaCache: { at: number; schemas: Set<string>; databaseName: string } | null = null;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly options: PluginDatabaseOptions = {},
  ) {
    this.statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  }

  /**
   * Create the namespace if needed and apply the pending migration files, all in ONE transaction: a failing or
   * refused file leaves the schema and the ledger exactly as they were. Returns the files applied (null when
   * the manifest declares no database).
   */
  async migrate(plugin: NamespacePlugin): Promise<{ namespace: string; applied: string[] } | null> {
    const declared = plugin.manifest.database;
    if (!declared) return null;
    const schema = derivePluginDatabaseNamespace(plugin.pluginKey, declared.namespaceSlug);
    let files: PluginMigrationFile[];
    try {
      files = await loadPluginMigrations(plugin.packageDir, declared.migrationsDir);
    } catch (error) {
      throw new PluginMigrationError(
        plugin.pluginKey,
        declared.migrationsDir,
        (error as Error).message,
        true,
      );
    }
    const roles = await this.roleSupportInfo();
    const client = await this.db.pool.connect();
    let broken = false;
    let current = "(namespace)";
    const applied: string[] = [];
    let failure: PluginMigrationError;
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1, $2)", [
        NAMESPACE_LOCK_CLASS,
        lockKey(plugin.pluginId),
      ]);
      const hostPath = (await client.query<{ sp: string }>("SELECT current_setting('search_path') AS sp"))
        .rows[0]!.sp;
      const existing = (
        await client.query<{ namespace_name: string; role_name: string | null }>(
          "SELECT namespace_name, role_name FROM plugin_database_namespaces WHERE plugin_id = $1",
          [plugin.pluginId],
        )
      ).rows[0];
      if (existing && existing.namespace_name !== schema) {
        throw new PluginMigrationError(
          plugin.pluginKey,
          current,
          `the namespace would change from ${existing.namespace_name} to ${schema} (manifest.database.namespaceSlug ` +
            "changed); a namespace cannot be renamed — keep the slug, or purge and reinstall the plugin",
          true,
        );
      }
      let roleName = existing ? existing.role_name : null;
      if (!existing && roles.allowed)
        roleName = await this.createRole(client, plugin.pluginId, roles.superuser);
      await client.query(
        `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}${roleName ? ` AUTHORIZATION ${quoteIdent(roleName)}` : ""}`,
      );
      if (roleName) await this.grantCoreReads(client, roleName, declared.coreReadTables ?? []);
      await client.query(
        `INSERT INTO plugin_database_namespaces (plugin_id, plugin_key, namespace_name, role_name, status)
         VALUES ($1, $2, $3, $4, 'active')
         ON CONFLICT (plugin_id) DO UPDATE SET status = 'active', last_error = NULL, updated_at = now()`,
        [plugin.pluginId, plugin.pluginKey, schema, roleName],
      );
      const ledger = new Map(
        (
          await client.query<{ migration_key: string; checksum: string }>(
            "SELECT migration_key, checksum FROM plugin_migrations WHERE plugin_id = $1",
            [plugin.pluginId],
          )
        ).rows.map((row) => [row.migration_key, row.checksum]),
      );
      const context = await this.guardContext(client, schema, declared.coreReadTables ?? []);
      for (const file of files) {
        current = file.name;
        const checksum = ledger.get(file.name);
        if (checksum !== undefined) {
          if (checksum !== file.checksum) {
            throw new PluginMigrationError(
              plugin.pluginKey,
              file.name,
              "the file changed after it was applied (checksum mismatch); restore it and add a new migration file",
              true,
            );
          }
          continue;
        }
        let statements: ReturnType<typeof checkMigrationFile>;
        try {
          statements = checkMigrationFile(file.sql, context);
        } catch (error) {
          if (error instanceof SqlRefusedError)
            throw new PluginMigrationError(plugin.pluginKey, file.name, error.message, true);
          throw error;
        }
        await client.query(`SET LOCAL search_path TO ${quoteIdent(schema)}`);
        if (roleName) await client.query(`SET LOCAL ROLE ${quoteIdent(roleName)}`);
        for (const [index, statement] of statements.entries()) {
          if (statement.noop) continue;
          try {
            await client.query(statement.text);
          } catch (error) {
            throw new PluginMigrationError(
              plugin.pluginKey,
              file.name,
              `statement ${index + 1} (${preview(statement.text)}): ${dbMessage(error)}`,
              false,
            );
          }
        }
        if (roleName) await client.query("RESET ROLE");
        await client.query("SELECT set_config('search_path', $1, true)", [hostPath]);
        await client.query(
          `INSERT INTO plugin_migrations (plugin_id, plugin_key, namespace_name, migration_key, checksum, plugin_version)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [plugin.pluginId, plugin.pluginKey, schema, file.name, file.checksum, plugin.manifest.version],
        );
        applied.push(file.name);
      }
      await client.query("COMMIT");
      this.namespaces.set(plugin.pluginId, {
        pluginId: plugin.pluginId,
        namespaceName: schema,
        roleName,
        status: "active",
      });
      if (applied.length > 0) {
        this.logger.info(
          { pluginKey: plugin.pluginKey, namespace: schema, applied },
          "Applied plugin migrations",
        );
      }
      return { namespace: schema, applied };
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch {
        broken = true;
      }
      this.namespaces.delete(plugin.pluginId);
      failure =
        error instanceof PluginMigrationError
          ? error
          : new PluginMigrationError(plugin.pluginKey, current, dbMessage(error), false);
    } finally {
      client.release(broken);
    }
    // After the release: PGlite has a single connection.
    await this.markFailed(plugin.pluginId, failure.message);
    throw failure;
  }

  /** Purge: drop the schema (and its role) and forget the ledger. Safe when nothing was ever created. */
  async drop(plugin: {
    pluginId: string;
    pluginKey: string;
    manifest: PaperclipPluginManifestV1;
  }): Promise<void> {
    const row = (
      await this.db.pool.query<{ namespace_name: string; role_name: string | null }>(
        "SELECT namespace_name, role_name FROM plugin_database_namespaces WHERE plugin_id = $1",
        [plugin.pluginId],
      )
    ).rows[0];
    const schema = row?.namespace_name ?? databaseNamespaceOf(plugin.manifest);
    this.namespaces.delete(plugin.pluginId);
    if (!schema) return;
    const client = await this.db.pool.connect();
    let broken = false;
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1, $2)", [
        NAMESPACE_LOCK_CLASS,
        lockKey(plugin.pluginId),
      ]);
      await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
      await client.query("DELETE FROM plugin_migrations WHERE plugin_id = $1", [plugin.pluginId]);
      await client.query("DELETE FROM plugin_database_namespaces WHERE plugin_id = $1", [plugin.pluginId]);
      await client.query("COMMIT");
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch {
        broken = true;
      }
      throw new Error(
        `Could not drop the database namespace ${schema} of plugin ${plugin.pluginKey}: ${dbMessage(error)}`,
      );
    } finally {
      client.release(broken);
    }
    if (row?.role_name) await this.dropRole(row.role_name, plugin.pluginKey);
    this.logger.info({ pluginKey: plugin.pluginKey, namespace: schema }, "Dropped plugin database namespace");
  }

  /** The plugin's namespace record, or null when it has none (no manifest.database, or migrations never ran). */
  async namespaceOf(pluginId: string): Promise<NamespaceRecord | null> {
    const cached = this.namespaces.get(pluginId);
    if (cached) return cached;
    const row = (
      await this.db.pool.query<{ namespace_name: string; role_name: string | null; status: string }>(
        "SELECT namespace_name, role_name, status FROM plugin_database_namespaces WHERE plugin_id = $1",
        [pluginId],
      )
    ).rows[0];
    if (!row) return null;
    const record: NamespaceRecord = {
      pluginId,
      namespaceName: row.namespace_name,
      roleName: row.role_name,
      status: row.status === "active" ? "active" : "migration_failed",
    };
    if (record.status === "active") this.namespaces.set(pluginId, record);
    return record;
  }

  /** ctx.db.query: one read-only statement in the plugin schema. */
  async query(
    plugin: { pluginId: string; pluginKey: string; manifest: PaperclipPluginManifestV1 },
    sql: string,
    params: unknown[],
  ): Promise<Record<string, unknown>[]> {
    const result = await this.run(plugin, sql, params, "query");
    return result.rows;
  }

  /** ctx.db.execute: one INSERT/UPDATE/DELETE in the plugin schema. */
  async execute(
    plugin: { pluginId: string; pluginKey: string; manifest: PaperclipPluginManifestV1 },
    sql: string,
    params: unknown[],
  ): Promise<{ rowCount: number }> {
    const result = await this.run(plugin, sql, params, "execute");
    return { rowCount: result.rowCount ?? 0 };
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────

  private async run(
    plugin: { pluginId: string; pluginKey: string; manifest: PaperclipPluginManifestV1 },
    sql: string,
    params: unknown[],
    mode: "query" | "execute",
  ): Promise<pg.QueryResult<Record<string, unknown>>> {
    const method = `db.${mode}`;
    if (!plugin.manifest.database) {
      throw new PluginSqlError(`${method}: plugin ${plugin.pluginKey} declares no manifest.database`, true);
    }
    const namespace = await this.namespaceOf(plugin.pluginId);
    if (namespace?.status !== "active") {
      throw new PluginSqlError(
        `${method}: the database namespace of plugin ${plugin.pluginKey} is not ready (its migrations have not ` +
          "been applied)",
        false,
      );
    }
    const schemas = await this.knownSchemas();
    const context: GuardContext = {
      schema: namespace.namespaceName,
      coreReadTables: plugin.manifest.database.coreReadTables ?? [],
      knownSchemas: schemas.schemas,
      databaseName: schemas.databaseName,
    };
    try {
      if (mode === "query") checkRuntimeQuery(sql, context);
      else checkRuntimeExecute(sql, context);
    } catch (error) {
      if (error instanceof SqlRefusedError)
        throw new PluginSqlError(`${method} refused: ${error.message}`, true);
      throw error;
    }
    const client = await this.db.pool.connect();
    let broken = false;
    try {
      await client.query(mode === "query" ? "BEGIN READ ONLY" : "BEGIN");
      await client.query(`SET LOCAL search_path TO ${quoteIdent(namespace.namespaceName)}`);
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(this.statementTimeoutMs))}`);
      if (namespace.roleName) await client.query(`SET LOCAL ROLE ${quoteIdent(namespace.roleName)}`);
      let result: pg.QueryResult<Record<string, unknown>>;
      try {
        result = await client.query<Record<string, unknown>>({ text: sql, values: params });
      } catch (error) {
        throw new PluginSqlError(`${method} failed: ${dbMessage(error)}`, false);
      }
      await client.query("COMMIT");
      return result;
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch {
        broken = true;
      }
      if (error instanceof PluginSqlError) throw error;
      throw new PluginSqlError(`${method} failed: ${dbMessage(error)}`, false);
    } finally {
      client.release(broken);
    }
  }

  private async guardContext(
    client: pg.PoolClient,
    schema: string,
    coreReadTables: readonly string[],
  ): Promise<GuardContext> {
    const schemas = (await client.query<{ nspname: string }>("SELECT nspname FROM pg_namespace")).rows.map(
      (row) => row.nspname,
    );
    const databaseName = (await client.query<{ name: string }>("SELECT current_database() AS name")).rows[0]!
      .name;
    return { schema, coreReadTables, knownSchemas: new Set(schemas), databaseName };
  }

  private async knownSchemas(): Promise<{ schemas: Set<string>; databaseName: string }> {
    const now = Date.now();
    if (this.schemaCache && now - this.schemaCache.at < SCHEMA_CACHE_MS) return this.schemaCache;
    const schemas = (
      await this.db.pool.query<{ nspname: string }>("SELECT nspname FROM pg_namespace")
    ).rows.map((row) => row.nspname);
    const databaseName = (await this.db.pool.query<{ name: string }>("SELECT current_database() AS name"))
      .rows[0]!.name;
    this.schemaCache = { at: now, schemas: new Set(schemas), databaseName };
    return this.schemaCache;
  }

  private roleSupportInfo(): Promise<{ allowed: boolean; superuser: boolean }> {
    if (this.db.kind !== "postgres" || this.options.roles === false) {
      return Promise.resolve({ allowed: false, superuser: false });
    }
    this.roleSupport ??= this.db.pool
      .query<{ rolsuper: boolean; rolcreaterole: boolean }>(
        "SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user",
      )
      .then((result) => {
        const row = result.rows[0];
        const allowed = Boolean(row && (row.rolsuper || row.rolcreaterole));
        if (!allowed) {
          this.logger.warn(
            "The database user may not create roles: plugin database namespaces are confined by the SQL guard and " +
              "search_path only (grant CREATEROLE for per-plugin roles; docs/plugin-database.md)",
          );
        }
        return { allowed, superuser: Boolean(row?.rolsuper) };
      })
      .catch((error: Error) => {
        this.roleSupport = null;
        throw error;
      });
    return this.roleSupport;
  }

  /** A NOLOGIN role unique to this plugin install on this database (roles are cluster-wide). */
  private async createRole(client: pg.PoolClient, pluginId: string, superuser: boolean): Promise<string> {
    const databaseName = (await client.query<{ name: string }>("SELECT current_database() AS name")).rows[0]!
      .name;
    const roleName = `paperclip_plugin_${createHash("sha256").update(`${databaseName}:${pluginId}`).digest("hex").slice(0, 24)}`;
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [roleName]);
    if (exists.rowCount === 0) await client.query(`CREATE ROLE ${quoteIdent(roleName)} NOLOGIN NOINHERIT`);
    // A CREATEROLE user (not superuser) needs membership to SET ROLE to it and to give it the schema.
    if (!superuser) await client.query(`GRANT ${quoteIdent(roleName)} TO CURRENT_USER`);
    return roleName;
  }

  /** SELECT and REFERENCES on the declared core tables that exist here; nothing on the others. */
  private async grantCoreReads(
    client: pg.PoolClient,
    roleName: string,
    declared: readonly string[],
  ): Promise<void> {
    const present = new Set(
      (
        await client.query<{ tablename: string }>(
          "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1::text[])",
          [[...PLUGIN_DATABASE_CORE_READ_TABLES]],
        )
      ).rows.map((row) => row.tablename),
    );
    const role = quoteIdent(roleName);
    if (declared.some((table) => present.has(table)))
      await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    for (const table of present) {
      if (declared.includes(table))
        await client.query(`GRANT SELECT, REFERENCES ON public.${quoteIdent(table)} TO ${role}`);
      else await client.query(`REVOKE ALL ON public.${quoteIdent(table)} FROM ${role}`);
    }
  }

  private async dropRole(roleName: string, pluginKey: string): Promise<void> {
    const role = quoteIdent(roleName);
    try {
      await this.db.pool.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`);
      await this.db.pool.query(`REVOKE ALL ON SCHEMA public FROM ${role}`);
      await this.db.pool.query(`DROP ROLE IF EXISTS ${role}`);
    } catch (error) {
      this.logger.warn(
        { pluginKey, role: roleName, err: error },
        `Could not drop the database role of ${pluginKey}`,
      );
    }
  }

  private async markFailed(pluginId: string, message: string): Promise<void> {
    try {
      await this.db.pool.query(
        // The schema is as it was before (the transaction rolled back): it stays usable, the error is kept.
        "UPDATE plugin_database_namespaces SET last_error = $2, updated_at = now() WHERE plugin_id = $1",
        [pluginId, message],
      );
    } catch (error) {
      this.logger.warn({ pluginId, err: error }, "Could not record a failed plugin migration");
    }
  }
}
