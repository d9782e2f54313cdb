// The host's public surface: what `paperclip start` uses and what the plugin runtime plugs into.

// Configuration and boot
export {
  assertBindAllowed,
  ConfigError,
  type ConfigInput,
  DEFAULT_HOST,
  DEFAULT_PORT,
  defaultDataDir,
  type HostConfig,
  isLoopbackHost,
  loadConfig,
} from "./config.js";
// Database
export {
  type Database,
  type DatabaseKind,
  type DatabaseOptions,
  type Orm,
  openDatabase,
  redactDatabaseUrl,
  type Tx,
} from "./db/database.js";
export { acquireFolderLock, type FolderLock, FolderLockedError } from "./db/folder-lock.js";
export { loadMigrations, type MigrationStatus, migrationStatus, runMigrations } from "./db/migrate.js";
export * as schema from "./db/schema.js";
export type { ActivityEvent } from "./domain/activity.js";
// Domain
export {
  type Actor,
  type ActorType,
  agentActor,
  type Clock,
  LOCAL_BOARD_ACTOR,
  pluginActor,
  SYSTEM_ACTOR,
  systemClock,
} from "./domain/actor.js";
export type { Agent } from "./domain/agents.js";
export type { Approval } from "./domain/approvals.js";
export type { BudgetIncident, BudgetPolicy } from "./domain/budgets.js";
export type { Company } from "./domain/companies.js";
export type { CostEvent } from "./domain/costs.js";
export {
  ACTION_EVENT,
  CORE_EVENT_TYPES,
  type CoreEventType,
  type DomainEvent,
  type StoredDomainEvent,
} from "./domain/event-types.js";
export type { Goal } from "./domain/goals.js";
export type { IssueComment } from "./domain/issue-comments.js";
export type { IssueDocument } from "./domain/issue-documents.js";
export type { Issue, IssueSummary } from "./domain/issue-records.js";
export type { IssueDetail } from "./domain/issues.js";
export { type Commit, type CommitListener, DOMAIN_EVENTS_CHANNEL, EventNotifier } from "./domain/notifier.js";
export { Outbox, type ReadEventsOptions } from "./domain/outbox.js";
export type { ProjectWorkspace } from "./domain/project-workspaces.js";
export type { Project } from "./domain/projects.js";
export type { Run } from "./domain/runs.js";
export { type SeedResult, seedDemoCompany } from "./domain/seed.js";
export { createServices, type DomainServices } from "./domain/services.js";
export type {
  ActivityEntry,
  ActivityRecord,
  EventOverride,
  Mutation,
  MutationRunner,
} from "./domain/unit-of-work.js";
// Errors
export { DomainError, ERROR_HTTP_STATUS, type ErrorCode, fromDatabaseError } from "./errors.js";
export { createLogger, embeddedDatabaseDir, type RunningHost, startHost } from "./host.js";
export { type ActorResolver, localTrustedActorResolver, RUN_ID_HEADER } from "./http/actor.js";

// HTTP
export { type BuildAppOptions, buildApp } from "./http/app.js";
export { HOST_VERSION } from "./version.js";
