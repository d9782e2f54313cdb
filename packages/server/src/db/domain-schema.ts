// The domain tables (companies, agents, runs, issues, …): migration 0000 and the domain parts of later ones.
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
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

import { createdAt, type Json, ts, updatedAt } from "./schema-columns.js";

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
