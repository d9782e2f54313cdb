// The plugin runtime's tables (hand-written migrations 0100–0330).
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

import { agents, companies } from "./domain-schema.js";
import { createdAt, type Json, ts, updatedAt } from "./schema-columns.js";

// ---------------------------------------------------------------------------------------------------------------
// Plugin runtime (hand-written migrations 0100–0330). Their unnamed constraints carry PostgreSQL's default names
// (<table>_pkey, <table>_<column>_fkey, <table>_<column>_check, <table>_<columns>_key), named here to match.

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/** A foreign key under PostgreSQL's default name, as `column … REFERENCES target` created it. */
function references(table: string, column: AnyPgColumn, target: AnyPgColumn) {
  return foreignKey({ name: `${table}_${column.name}_fkey`, columns: [column], foreignColumns: [target] });
}

/** `CHECK (column IN (…))` under PostgreSQL's default name for a column check. */
function oneOf(table: string, column: AnyPgColumn, values: readonly string[]) {
  const list = values.map((value) => `'${value}'`).join(", ");
  return check(`${table}_${column.name}_check`, sql`${column} IN (${sql.raw(list)})`);
}

// As migration 0101 wrote them: the SDK's PLUGIN_STATE_SCOPE_KINDS then. Not imported from the SDK, because
// drizzle-kit loads this file as CommonJS and the SDK's entry points are ESM-only; a new kind needs a migration.
const SCOPE_KINDS = ["instance", "company", "project", "project_workspace", "agent", "issue", "goal", "run"];

/**
 * Install order of plugins. The migration declares it `AS integer`, which drizzle cannot express: the integer
 * range is declared instead (the test compares ranges, not the sequence's own type).
 */
export const pluginInstallOrderSeq = pgSequence("plugin_install_order_seq", {
  startWith: 1,
  maxValue: 2147483647,
});

export const plugins = pgTable(
  "plugins",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pluginKey: text("plugin_key").notNull().unique("plugins_plugin_key_key"),
    packageName: text("package_name").notNull(),
    version: text("version").notNull(),
    apiVersion: integer("api_version").notNull().default(1),
    categories: jsonb("categories").$type<string[]>().notNull().default([]),
    manifestJson: jsonb("manifest_json").$type<Json>().notNull(),
    status: text("status").notNull().default("installed"),
    installOrder: integer("install_order"),
    packagePath: text("package_path"),
    packageDir: text("package_dir").notNull(),
    source: text("source").notNull(),
    installSpec: jsonb("install_spec").$type<Json>().notNull(),
    integrity: text("integrity"),
    tarballPath: text("tarball_path"),
    lastError: text("last_error"),
    methodTimeouts: jsonb("method_timeouts").$type<Record<string, number>>().notNull().default({}),
    rowVersion: integer("row_version").notNull().default(1),
    installedAt: ts("installed_at").notNull().defaultNow(),
    updatedAt: updatedAt(),
    // 0310
    limits: jsonb("limits").$type<Json>().notNull().default({}),
  },
  (t) => [
    index("plugins_status_idx").on(t.status),
    oneOf("plugins", t.status, ["installed", "ready", "disabled", "error", "upgrade_pending", "uninstalled"]),
    oneOf("plugins", t.source, ["registry", "tarball", "local"]),
  ],
);

export const pluginRuntimeMeta = pgTable("plugin_runtime_meta", {
  key: text("key").primaryKey(),
  value: jsonb("value").$type<unknown>().notNull(),
  updatedAt: updatedAt(),
});

export const pluginConfig = pgTable(
  "plugin_config",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pluginId: uuid("plugin_id").notNull(),
    companyId: uuid("company_id").notNull(),
    configJson: jsonb("config_json").$type<Json>().notNull().default({}),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // 0330
    heldBack: boolean("held_back").notNull().default(false),
    appliedConfigJson: jsonb("applied_config_json").$type<Json>(),
  },
  (t) => [
    references("plugin_config", t.pluginId, plugins.id).onDelete("cascade"),
    references("plugin_config", t.companyId, companies.id).onDelete("cascade"),
    unique("plugin_config_plugin_company_key").on(t.pluginId, t.companyId),
    index("plugin_config_company_idx").on(t.companyId),
  ],
);

export const pluginState = pgTable(
  "plugin_state",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pluginId: uuid("plugin_id").notNull(),
    scopeKind: text("scope_kind").notNull(),
    scopeId: text("scope_id"),
    namespace: text("namespace").notNull().default("default"),
    stateKey: text("state_key").notNull(),
    // never SQL NULL: a stored JSON null is the jsonb value 'null'
    valueJson: jsonb("value_json").$type<unknown>().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    references("plugin_state", t.pluginId, plugins.id).onDelete("cascade"),
    oneOf("plugin_state", t.scopeKind, SCOPE_KINDS),
    unique("plugin_state_key")
      .on(t.pluginId, t.scopeKind, t.scopeId, t.namespace, t.stateKey)
      .nullsNotDistinct(),
    index("plugin_state_scope_idx").on(t.pluginId, t.scopeKind),
  ],
);

export const pluginEntities = pgTable(
  "plugin_entities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pluginId: uuid("plugin_id").notNull(),
    entityType: text("entity_type").notNull(),
    scopeKind: text("scope_kind").notNull(),
    scopeId: text("scope_id"),
    externalId: text("external_id"),
    title: text("title"),
    status: text("status"),
    data: jsonb("data").$type<Json>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    references("plugin_entities", t.pluginId, plugins.id).onDelete("cascade"),
    oneOf("plugin_entities", t.scopeKind, SCOPE_KINDS),
    unique("plugin_entities_key")
      .on(t.pluginId, t.entityType, t.scopeKind, t.scopeId, t.externalId)
      .nullsNotDistinct(),
    index("plugin_entities_list_idx").on(t.pluginId, t.entityType, t.createdAt.desc().nullsFirst()),
    index("plugin_entities_scope_idx").on(t.pluginId, t.scopeKind, t.scopeId),
  ],
);

export const pluginLogs = pgTable(
  "plugin_logs",
  {
    // orders entries written in the same millisecond (newest first = highest seq)
    seq: bigint("seq", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    id: uuid("id").notNull().defaultRandom().unique("plugin_logs_id_key"),
    pluginId: uuid("plugin_id").notNull(),
    companyId: uuid("company_id"),
    level: text("level").notNull().default("info"),
    message: text("message").notNull(),
    meta: jsonb("meta").$type<Json>(),
    createdAt: createdAt(),
  },
  (t) => [
    references("plugin_logs", t.pluginId, plugins.id).onDelete("cascade"),
    index("plugin_logs_plugin_time_idx").on(
      t.pluginId,
      t.createdAt.desc().nullsFirst(),
      t.seq.desc().nullsFirst(),
    ),
    index("plugin_logs_time_idx").on(t.createdAt),
  ],
);

export const pluginEventSubscriptions = pgTable(
  "plugin_event_subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pluginId: uuid("plugin_id").notNull(),
    eventPattern: text("event_pattern").notNull(),
    filterJson: jsonb("filter_json").$type<Json>(),
    createdAt: createdAt(),
    lastRegisteredAt: ts("last_registered_at").notNull().defaultNow(),
  },
  (t) => [
    references("plugin_event_subscriptions", t.pluginId, plugins.id).onDelete("cascade"),
    unique("plugin_event_subscriptions_key").on(t.pluginId, t.eventPattern, t.filterJson).nullsNotDistinct(),
  ],
);

export const companySecrets = pgTable(
  "company_secrets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id").notNull(),
    name: text("name").notNull(),
    latestVersion: integer("latest_version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    references("company_secrets", t.companyId, companies.id).onDelete("cascade"),
    unique("company_secrets_name_key").on(t.companyId, t.name),
  ],
);

/** AES-256-GCM: ciphertext, 12-byte IV and 16-byte tag; key_id names the key that sealed it. */
export const companySecretVersions = pgTable(
  "company_secret_versions",
  {
    secretId: uuid("secret_id").notNull(),
    version: integer("version").notNull(),
    ciphertext: bytea("ciphertext").notNull(),
    iv: bytea("iv").notNull(),
    authTag: bytea("auth_tag").notNull(),
    keyId: text("key_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "company_secret_versions_pkey", columns: [t.secretId, t.version] }),
    references("company_secret_versions", t.secretId, companySecrets.id).onDelete("cascade"),
  ],
);

export const pluginSecretBindings = pgTable(
  "plugin_secret_bindings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pluginId: uuid("plugin_id").notNull(),
    companyId: uuid("company_id").notNull(),
    secretId: uuid("secret_id").notNull(),
    configPath: text("config_path").notNull(),
    version: integer("version"),
    createdAt: createdAt(),
  },
  (t) => [
    references("plugin_secret_bindings", t.pluginId, plugins.id).onDelete("cascade"),
    references("plugin_secret_bindings", t.companyId, companies.id).onDelete("cascade"),
    references("plugin_secret_bindings", t.secretId, companySecrets.id).onDelete("cascade"),
    unique("plugin_secret_bindings_path_key").on(t.pluginId, t.companyId, t.configPath),
    index("plugin_secret_bindings_secret_idx").on(t.pluginId, t.companyId, t.secretId),
  ],
);

export const pluginAgentSessions = pgTable(
  "plugin_agent_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pluginId: uuid("plugin_id").notNull(),
    companyId: uuid("company_id").notNull(),
    agentId: uuid("agent_id").notNull(),
    taskKey: text("task_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    references("plugin_agent_sessions", t.pluginId, plugins.id).onDelete("cascade"),
    references("plugin_agent_sessions", t.companyId, companies.id).onDelete("cascade"),
    references("plugin_agent_sessions", t.agentId, agents.id).onDelete("cascade"),
    index("plugin_agent_sessions_agent_idx").on(t.pluginId, t.agentId, t.createdAt),
  ],
);

/** Delivery cursor and lease of a plugin's event stream (docs/plugin-events.md). */
export const pluginEventCursors = pgTable(
  "plugin_event_cursors",
  {
    pluginId: uuid("plugin_id").primaryKey(),
    lastSeq: bigint("last_seq", { mode: "number" }).notNull(),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: ts("lease_expires_at"),
    retrySeq: bigint("retry_seq", { mode: "number" }),
    retryAttempts: integer("retry_attempts").notNull().default(0),
    retryError: text("retry_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    references("plugin_event_cursors", t.pluginId, plugins.id).onDelete("cascade"),
    check("plugin_event_cursors_last_seq_check", sql`${t.lastSeq} >= 0`),
  ],
);

export const pluginEventDeadLetters = pgTable(
  "plugin_event_dead_letters",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pluginId: uuid("plugin_id").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    eventId: uuid("event_id").notNull(),
    eventType: text("event_type").notNull(),
    companyId: uuid("company_id").notNull(),
    event: jsonb("event").$type<Json>().notNull(),
    status: text("status").notNull(),
    attempts: integer("attempts").notNull(),
    error: text("error").notNull(),
    errorCode: integer("error_code"),
    replayCount: integer("replay_count").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    replayedAt: ts("replayed_at"),
  },
  (t) => [
    references("plugin_event_dead_letters", t.pluginId, plugins.id).onDelete("cascade"),
    oneOf("plugin_event_dead_letters", t.status, ["dead", "replay_pending", "replayed"]),
    check("plugin_event_dead_letters_attempts_check", sql`${t.attempts} >= 1`),
    unique("plugin_event_dead_letters_event_key").on(t.pluginId, t.seq),
    index("plugin_event_dead_letters_status_idx").on(t.pluginId, t.status, t.createdAt),
  ],
);

export const pluginJobs = pgTable(
  "plugin_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pluginId: uuid("plugin_id").notNull(),
    jobKey: text("job_key").notNull(),
    displayName: text("display_name").notNull(),
    description: text("description"),
    // 5-field cron; '' when the manifest declares no schedule (manual trigger only)
    schedule: text("schedule").notNull().default(""),
    status: text("status").notNull().default("active"),
    timeZone: text("time_zone"),
    misfirePolicy: text("misfire_policy"),
    timeoutMs: integer("timeout_ms"),
    retryPolicy: jsonb("retry_policy").$type<Json>(),
    lastError: text("last_error"),
    lastRunAt: ts("last_run_at"),
    nextRunAt: ts("next_run_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // 0330
    operatorPaused: boolean("operator_paused").notNull().default(false),
  },
  (t) => [
    references("plugin_jobs", t.pluginId, plugins.id).onDelete("cascade"),
    oneOf("plugin_jobs", t.status, ["active", "paused", "failed"]),
    oneOf("plugin_jobs", t.misfirePolicy, ["skip", "run_once"]),
    check("plugin_jobs_timeout_ms_check", sql`${t.timeoutMs} > 0`),
    unique("plugin_jobs_plugin_key").on(t.pluginId, t.jobKey),
    index("plugin_jobs_due_idx").on(t.nextRunAt).where(sql`${t.status} = 'active'`),
  ],
);

export const pluginJobRuns = pgTable(
  "plugin_job_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    jobId: uuid("job_id").notNull(),
    pluginId: uuid("plugin_id").notNull(),
    companyId: uuid("company_id"),
    trigger: text("trigger").notNull(),
    status: text("status").notNull().default("queued"),
    scheduledAt: ts("scheduled_at").notNull(),
    runAfter: ts("run_after").notNull(),
    attempt: integer("attempt").notNull().default(1),
    retryOf: uuid("retry_of"),
    nodeId: text("node_id"),
    leaseExpiresAt: ts("lease_expires_at"),
    durationMs: integer("duration_ms"),
    error: text("error"),
    logs: jsonb("logs").$type<unknown[]>().notNull().default([]),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
    createdAt: createdAt(),
  },
  (t) => [
    references("plugin_job_runs", t.jobId, pluginJobs.id).onDelete("cascade"),
    references("plugin_job_runs", t.pluginId, plugins.id).onDelete("cascade"),
    references("plugin_job_runs", t.retryOf, t.id).onDelete("set null"),
    oneOf("plugin_job_runs", t.trigger, ["schedule", "manual", "retry"]),
    oneOf("plugin_job_runs", t.status, ["pending", "queued", "running", "succeeded", "failed", "cancelled"]),
    // a cron tick is claimed once across every node; at most one queued or running run per job
    uniqueIndex("plugin_job_runs_tick_key").on(t.jobId, t.scheduledAt).where(sql`${t.trigger} = 'schedule'`),
    uniqueIndex("plugin_job_runs_active_key").on(t.jobId).where(sql`${t.status} IN ('queued', 'running')`),
    index("plugin_job_runs_job_idx").on(t.jobId, t.createdAt.desc().nullsFirst()),
    index("plugin_job_runs_plugin_idx").on(t.pluginId, t.createdAt.desc().nullsFirst()),
    index("plugin_job_runs_queued_idx").on(t.runAfter).where(sql`${t.status} = 'queued'`),
    index("plugin_job_runs_lease_idx").on(t.leaseExpiresAt).where(sql`${t.status} = 'running'`),
  ],
);

export const pluginWebhookDeliveries = pgTable(
  "plugin_webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pluginId: uuid("plugin_id").notNull(),
    companyId: uuid("company_id"),
    webhookKey: text("webhook_key").notNull(),
    externalId: text("external_id"),
    status: text("status").notNull().default("pending"),
    contentType: text("content_type"),
    rawBody: bytea("raw_body").notNull(),
    payload: jsonb("payload").$type<unknown>(),
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    sealedHeaders: jsonb("sealed_headers").$type<Json>(),
    requestId: uuid("request_id").notNull(),
    replayOf: uuid("replay_of"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at"),
    leaseExpiresAt: ts("lease_expires_at"),
    nodeId: text("node_id"),
    durationMs: integer("duration_ms"),
    error: text("error"),
    startedAt: ts("started_at").notNull().defaultNow(),
    finishedAt: ts("finished_at"),
    createdAt: createdAt(),
  },
  (t) => [
    references("plugin_webhook_deliveries", t.pluginId, plugins.id).onDelete("cascade"),
    references("plugin_webhook_deliveries", t.replayOf, t.id).onDelete("set null"),
    oneOf("plugin_webhook_deliveries", t.status, ["pending", "queued", "success", "failed"]),
    index("plugin_webhook_deliveries_plugin_idx").on(t.pluginId, t.createdAt.desc().nullsFirst()),
    index("plugin_webhook_deliveries_retry_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'queued'`),
    index("plugin_webhook_deliveries_lease_idx").on(t.leaseExpiresAt).where(sql`${t.status} = 'pending'`),
  ],
);

export const pluginDatabaseNamespaces = pgTable(
  "plugin_database_namespaces",
  {
    pluginId: uuid("plugin_id").primaryKey(),
    pluginKey: text("plugin_key").notNull(),
    namespaceName: text("namespace_name").notNull().unique("plugin_database_namespaces_namespace_name_key"),
    namespaceMode: text("namespace_mode").notNull().default("schema"),
    // the PostgreSQL role confining the plugin's SQL (null on PGlite, or when roles cannot be created)
    roleName: text("role_name"),
    status: text("status").notNull().default("active"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    references("plugin_database_namespaces", t.pluginId, plugins.id).onDelete("cascade"),
    oneOf("plugin_database_namespaces", t.namespaceMode, ["schema"]),
    oneOf("plugin_database_namespaces", t.status, ["active", "migration_failed"]),
  ],
);

export const pluginMigrations = pgTable(
  "plugin_migrations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pluginId: uuid("plugin_id").notNull(),
    pluginKey: text("plugin_key").notNull(),
    namespaceName: text("namespace_name").notNull(),
    migrationKey: text("migration_key").notNull(),
    checksum: text("checksum").notNull(),
    pluginVersion: text("plugin_version").notNull(),
    appliedAt: ts("applied_at").notNull().defaultNow(),
  },
  (t) => [
    references("plugin_migrations", t.pluginId, plugins.id).onDelete("cascade"),
    unique("plugin_migrations_plugin_id_migration_key_key").on(t.pluginId, t.migrationKey),
  ],
);

export const pluginManagedResources = pgTable(
  "plugin_managed_resources",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id").notNull(),
    pluginId: uuid("plugin_id").notNull(),
    pluginKey: text("plugin_key").notNull(),
    resourceKind: text("resource_kind").notNull(),
    resourceKey: text("resource_key").notNull(),
    resourceId: uuid("resource_id").notNull(),
    defaultsJson: jsonb("defaults_json").$type<Json>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    references("plugin_managed_resources", t.companyId, companies.id).onDelete("cascade"),
    references("plugin_managed_resources", t.pluginId, plugins.id).onDelete("cascade"),
    oneOf("plugin_managed_resources", t.resourceKind, ["agent", "project", "routine", "skill"]),
    // PostgreSQL's default name, cut to 63 bytes
    unique("plugin_managed_resources_company_id_plugin_id_resource_kind_key").on(
      t.companyId,
      t.pluginId,
      t.resourceKind,
      t.resourceKey,
    ),
    index("plugin_managed_resources_plugin_idx").on(t.pluginId, t.resourceKind),
  ],
);
