// Drizzle table definitions: the single description of the host's relational schema, domain and plugin runtime.
// The committed SQL in packages/server/migrations is what databases actually run; this file must describe the
// database those migrations build, exactly (test/db-schema.test.ts compares the two). See migrations/README.md.
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  customType,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => ts("created_at").notNull().defaultNow();
const updatedAt = () => ts("updated_at").notNull().defaultNow();
type Json = Record<string, unknown>;

export const companies = pgTable("companies", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  description: text("description"),
  status: text("status").notNull().default("active"),
  pauseReason: text("pause_reason"),
  pausedAt: ts("paused_at"),
  issuePrefix: text("issue_prefix").notNull().unique(),
  issueCounter: integer("issue_counter").notNull().default(0),
  budgetMonthlyCents: integer("budget_monthly_cents").notNull().default(0),
  spentMonthlyCents: integer("spent_monthly_cents").notNull().default(0),
  spentMonth: text("spent_month"),
  defaultResponsibleUserId: text("default_responsible_user_id"),
  requireBoardApprovalForNewAgents: boolean("require_board_approval_for_new_agents").notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const goals = pgTable(
  "goals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    description: text("description"),
    level: text("level").notNull().default("task"),
    status: text("status").notNull().default("planned"),
    parentId: uuid("parent_id"),
    ownerAgentId: uuid("owner_agent_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("goals_company_idx").on(t.companyId, t.createdAt)],
);

export const agents = pgTable(
  "agents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    urlKey: text("url_key").notNull(),
    role: text("role").notNull().default("general"),
    title: text("title"),
    icon: text("icon"),
    status: text("status").notNull().default("idle"),
    reportsTo: uuid("reports_to"),
    capabilities: text("capabilities"),
    adapterType: text("adapter_type").notNull().default("process"),
    adapterConfig: jsonb("adapter_config").$type<Json>().notNull().default({}),
    runtimeConfig: jsonb("runtime_config").$type<Json>().notNull().default({}),
    defaultEnvironmentId: uuid("default_environment_id"),
    budgetMonthlyCents: integer("budget_monthly_cents").notNull().default(0),
    spentMonthlyCents: integer("spent_monthly_cents").notNull().default(0),
    spentMonth: text("spent_month"),
    pauseReason: text("pause_reason"),
    pausedAt: ts("paused_at"),
    errorReason: text("error_reason"),
    permissions: jsonb("permissions").$type<Json>().notNull().default({}),
    lastHeartbeatAt: ts("last_heartbeat_at"),
    metadata: jsonb("metadata").$type<Json>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("agents_company_idx").on(t.companyId, t.createdAt)],
);

export const projects = pgTable(
  "projects",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    urlKey: text("url_key").notNull(),
    description: text("description"),
    status: text("status").notNull().default("backlog"),
    goalIds: uuid("goal_ids").array().notNull().default(sql`'{}'::uuid[]`),
    leadAgentId: uuid("lead_agent_id"),
    targetDate: date("target_date", { mode: "string" }),
    color: text("color"),
    icon: text("icon"),
    env: jsonb("env").$type<Json>(),
    pauseReason: text("pause_reason"),
    pausedAt: ts("paused_at"),
    executionWorkspacePolicy: jsonb("execution_workspace_policy").$type<Json>(),
    archivedAt: ts("archived_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("projects_company_idx").on(t.companyId, t.createdAt),
    index("projects_url_key_idx").on(t.companyId, t.urlKey),
  ],
);

export const projectWorkspaces = pgTable(
  "project_workspaces",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id").notNull(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    sourceType: text("source_type").notNull(),
    cwd: text("cwd"),
    repoUrl: text("repo_url"),
    repoRef: text("repo_ref"),
    defaultRef: text("default_ref"),
    visibility: text("visibility").notNull().default("default"),
    setupCommand: text("setup_command"),
    cleanupCommand: text("cleanup_command"),
    remoteProvider: text("remote_provider"),
    remoteWorkspaceRef: text("remote_workspace_ref"),
    sharedWorkspaceKey: text("shared_workspace_key"),
    metadata: jsonb("metadata").$type<Json>(),
    runtimeConfig: jsonb("runtime_config").$type<Json>(),
    isPrimary: boolean("is_primary").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("project_workspaces_project_idx").on(t.projectId, t.createdAt)],
);

export const heartbeatRuns = pgTable(
  "heartbeat_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    invocationSource: text("invocation_source").notNull().default("on_demand"),
    triggerDetail: text("trigger_detail"),
    status: text("status").notNull().default("queued"),
    responsibleUserId: text("responsible_user_id"),
    issueId: uuid("issue_id"),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
    error: text("error"),
    errorCode: text("error_code"),
    exitCode: integer("exit_code"),
    usageJson: jsonb("usage_json").$type<Json>(),
    resultJson: jsonb("result_json").$type<Json>(),
    contextSnapshot: jsonb("context_snapshot").$type<Json>().notNull().default({}),
    // The host node executing the run and until when its claim holds (renewed while it runs; 0500).
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: ts("lease_expires_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("heartbeat_runs_company_idx").on(t.companyId, t.createdAt),
    index("heartbeat_runs_agent_idx").on(t.agentId, t.status),
    index("heartbeat_runs_status_idx").on(t.status, t.createdAt),
  ],
);

/** What a run printed and how its status moved, numbered 1, 2, 3… per run (written by agents/run-events.ts). */
export const heartbeatRunEvents = pgTable(
  "heartbeat_run_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    runId: uuid("run_id")
      .notNull()
      .references(() => heartbeatRuns.id, { onDelete: "cascade" }),
    agentId: uuid("agent_id").notNull(),
    seq: integer("seq").notNull(),
    eventType: text("event_type").notNull(),
    stream: text("stream"),
    level: text("level"),
    message: text("message"),
    payload: jsonb("payload").$type<Json>(),
    createdAt: createdAt(),
  },
  (t) => [unique("heartbeat_run_events_run_seq_key").on(t.runId, t.seq)],
);

/** Agent API keys and per-run tokens: only the sha256 of a token is stored (written by agents/agent-keys.ts). */
export const agentApiKeys = pgTable(
  "agent_api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    /** Set for a run token: valid only while that run runs. */
    runId: uuid("run_id").references(() => heartbeatRuns.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull(),
    expiresAt: ts("expires_at"),
    revokedAt: ts("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("agent_api_keys_key_hash_key").on(t.keyHash),
    index("agent_api_keys_agent_idx").on(t.agentId, t.createdAt),
    index("agent_api_keys_run_idx").on(t.runId),
  ],
);

export const issues = pgTable(
  "issues",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    projectId: uuid("project_id").references(() => projects.id, { onDelete: "set null" }),
    projectWorkspaceId: uuid("project_workspace_id").references(() => projectWorkspaces.id, {
      onDelete: "set null",
    }),
    goalId: uuid("goal_id").references(() => goals.id, { onDelete: "set null" }),
    parentId: uuid("parent_id"),
    title: text("title").notNull(),
    description: text("description"),
    status: text("status").notNull(),
    priority: text("priority").notNull().default("medium"),
    workMode: text("work_mode").notNull().default("standard"),
    reviewPolicy: text("review_policy"),
    assigneeAgentId: uuid("assignee_agent_id").references(() => agents.id, { onDelete: "set null" }),
    assigneeUserId: text("assignee_user_id"),
    checkoutRunId: uuid("checkout_run_id"),
    executionRunId: uuid("execution_run_id"),
    executionAgentNameKey: text("execution_agent_name_key"),
    executionLockedAt: ts("execution_locked_at"),
    createdByAgentId: uuid("created_by_agent_id"),
    createdByUserId: text("created_by_user_id"),
    responsibleUserId: text("responsible_user_id"),
    issueNumber: integer("issue_number").notNull(),
    identifier: text("identifier").notNull().unique(),
    originKind: text("origin_kind").notNull().default("manual"),
    originId: text("origin_id"),
    originRunId: uuid("origin_run_id"),
    requestDepth: integer("request_depth").notNull().default(0),
    billingCode: text("billing_code"),
    assigneeAdapterOverrides: jsonb("assignee_adapter_overrides").$type<Json>(),
    startedAt: ts("started_at"),
    completedAt: ts("completed_at"),
    cancelledAt: ts("cancelled_at"),
    hiddenAt: ts("hidden_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("issues_company_idx").on(t.companyId, t.createdAt),
    // Partial: most issues have no parent or assignee, and skipping their index entries keeps creates cheap.
    index("issues_project_idx").on(t.projectId).where(sql`${t.projectId} IS NOT NULL`),
    index("issues_parent_idx").on(t.parentId).where(sql`${t.parentId} IS NOT NULL`),
    index("issues_assignee_agent_idx").on(t.assigneeAgentId).where(sql`${t.assigneeAgentId} IS NOT NULL`),
    // The list's default order (migration 0400).
    index("issues_company_priority_idx")
      .on(
        t.companyId,
        sql`(CASE ${t.priority} WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END)`,
        // DESC sorts nulls first unless told otherwise: PostgreSQL's default, which the migration relies on.
        t.updatedAt.desc().nullsFirst(),
        t.id.desc().nullsFirst(),
      )
      .where(sql`${t.hiddenAt} IS NULL`),
  ],
);

export const issueComments = pgTable(
  "issue_comments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id").notNull(),
    issueId: uuid("issue_id")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade" }),
    authorAgentId: uuid("author_agent_id"),
    authorUserId: text("author_user_id"),
    authorType: text("author_type").notNull(),
    createdByRunId: uuid("created_by_run_id"),
    body: text("body").notNull(),
    metadata: jsonb("metadata").$type<Json>(),
    deletedAt: ts("deleted_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("issue_comments_issue_idx").on(t.issueId, t.createdAt)],
);

export const issueRelations = pgTable(
  "issue_relations",
  {
    companyId: uuid("company_id").notNull(),
    blockerIssueId: uuid("blocker_issue_id")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade" }),
    blockedIssueId: uuid("blocked_issue_id")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.blockerIssueId, t.blockedIssueId] }),
    index("issue_relations_blocked_idx").on(t.blockedIssueId),
  ],
);

export const issueDocuments = pgTable(
  "issue_documents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id").notNull(),
    issueId: uuid("issue_id")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    title: text("title"),
    format: text("format").notNull().default("markdown"),
    body: text("body").notNull(),
    latestRevisionId: uuid("latest_revision_id").notNull(),
    latestRevisionNumber: integer("latest_revision_number").notNull(),
    createdByAgentId: uuid("created_by_agent_id"),
    createdByUserId: text("created_by_user_id"),
    updatedByAgentId: uuid("updated_by_agent_id"),
    updatedByUserId: text("updated_by_user_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("issue_documents_issue_key_idx").on(t.issueId, t.key)],
);

export const documentRevisions = pgTable(
  "document_revisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id").notNull(),
    documentId: uuid("document_id")
      .notNull()
      .references(() => issueDocuments.id, { onDelete: "cascade" }),
    issueId: uuid("issue_id").notNull(),
    key: text("key").notNull(),
    revisionNumber: integer("revision_number").notNull(),
    title: text("title"),
    format: text("format").notNull(),
    body: text("body").notNull(),
    changeSummary: text("change_summary"),
    createdByAgentId: uuid("created_by_agent_id"),
    createdByUserId: text("created_by_user_id"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("document_revisions_number_idx").on(t.documentId, t.revisionNumber)],
);

export const approvals = pgTable(
  "approvals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    requestedByAgentId: uuid("requested_by_agent_id"),
    requestedByUserId: text("requested_by_user_id"),
    status: text("status").notNull().default("pending"),
    payload: jsonb("payload").$type<Json>().notNull().default({}),
    issueIds: uuid("issue_ids").array().notNull().default(sql`'{}'::uuid[]`),
    decisionNote: text("decision_note"),
    decidedByUserId: text("decided_by_user_id"),
    decidedAt: ts("decided_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("approvals_company_idx").on(t.companyId, t.createdAt)],
);

export const budgetPolicies = pgTable(
  "budget_policies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    scopeType: text("scope_type").notNull(),
    scopeId: uuid("scope_id").notNull(),
    metric: text("metric").notNull().default("billed_cents"),
    windowKind: text("window_kind").notNull().default("calendar_month_utc"),
    amount: integer("amount").notNull(),
    warnPercent: integer("warn_percent").notNull().default(80),
    hardStopEnabled: boolean("hard_stop_enabled").notNull().default(true),
    notifyEnabled: boolean("notify_enabled").notNull().default(true),
    isActive: boolean("is_active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("budget_policies_scope_idx").on(t.companyId, t.scopeType, t.scopeId, t.metric, t.windowKind),
  ],
);

export const budgetIncidents = pgTable(
  "budget_incidents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    policyId: uuid("policy_id")
      .notNull()
      .references(() => budgetPolicies.id, { onDelete: "cascade" }),
    scopeType: text("scope_type").notNull(),
    scopeId: uuid("scope_id").notNull(),
    scopeName: text("scope_name").notNull(),
    metric: text("metric").notNull(),
    windowKind: text("window_kind").notNull(),
    windowStart: ts("window_start").notNull(),
    windowEnd: ts("window_end"),
    thresholdType: text("threshold_type").notNull(),
    amountLimit: integer("amount_limit").notNull(),
    amountObserved: integer("amount_observed").notNull(),
    status: text("status").notNull().default("open"),
    resolutionAction: text("resolution_action"),
    decisionNote: text("decision_note"),
    resolvedAt: ts("resolved_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("budget_incidents_once_idx").on(t.policyId, t.windowStart, t.thresholdType),
    index("budget_incidents_company_idx").on(t.companyId, t.createdAt),
  ],
);

export const costEvents = pgTable(
  "cost_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    issueId: uuid("issue_id"),
    projectId: uuid("project_id"),
    goalId: uuid("goal_id"),
    heartbeatRunId: uuid("heartbeat_run_id"),
    billingCode: text("billing_code"),
    provider: text("provider").notNull(),
    biller: text("biller").notNull(),
    billingType: text("billing_type").notNull().default("unknown"),
    costStatus: text("cost_status").notNull().default("reported"),
    model: text("model").notNull(),
    inputTokens: integer("input_tokens").notNull().default(0),
    cachedInputTokens: integer("cached_input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    costCents: integer("cost_cents").notNull(),
    occurredAt: ts("occurred_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("cost_events_company_idx").on(t.companyId, t.occurredAt),
    index("cost_events_agent_idx").on(t.agentId, t.occurredAt),
  ],
);

export const activityLog = pgTable(
  "activity_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id").notNull(),
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id").notNull(),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    agentId: uuid("agent_id"),
    runId: uuid("run_id"),
    responsibleUserId: text("responsible_user_id"),
    details: jsonb("details").$type<Json>(),
    createdAt: createdAt(),
  },
  (t) => [
    index("activity_log_company_idx").on(t.companyId, t.createdAt),
    index("activity_log_entity_idx").on(t.entityType, t.entityId),
  ],
);

/** Outbox sequence: values are taken under a transaction-scoped advisory lock so commit order equals seq order. */
export const domainEventSeq = pgSequence("domain_event_seq", { startWith: 1 });

export const domainEvents = pgTable("domain_events", {
  seq: bigint("seq", { mode: "number" }).primaryKey(),
  // Generated by the host (randomUUID); not indexed: consumers read by sequence.
  eventId: uuid("event_id").notNull(),
  eventType: text("event_type").notNull(),
  companyId: uuid("company_id").notNull(),
  occurredAt: ts("occurred_at").notNull(),
  actorType: text("actor_type"),
  actorId: text("actor_id"),
  entityType: text("entity_type"),
  entityId: text("entity_id"),
  payload: jsonb("payload").$type<Json>().notNull(),
});

export const instanceMeta = pgTable("instance_meta", {
  key: text("key").primaryKey(),
  value: jsonb("value").$type<unknown>().notNull(),
  updatedAt: updatedAt(),
});

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
