/** Plugin database namespaces (manifest.database): schema, migrations, confined ctx.db; see plugin-database.ts. */
export { loadPluginMigrations, MigrationsDirError, resolveMigrationsDir } from "./migrations.js";
export { databaseNamespaceOf, derivePluginDatabaseNamespace, sanitizeNamespaceSlug } from "./namespace.js";
export {
  DEFAULT_STATEMENT_TIMEOUT_MS,
  type NamespacePlugin,
  type NamespaceRecord,
  PluginDatabaseService,
  PluginMigrationError,
  PluginSqlError,
} from "./plugin-database.js";
export {
  checkMigrationFile,
  checkRuntimeExecute,
  checkRuntimeQuery,
  type GuardContext,
  SqlRefusedError,
} from "./sql-guard.js";
