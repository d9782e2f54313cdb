/**
 * Paperclip domain records as a plugin sees them through `ctx.*` clients.
 *
 * Field names follow the published Paperclip types so plugin code compiles unchanged.
 * Timestamps are typed `Date` like the original; note that over JSON-RPC they arrive as
 * ISO-8601 strings, so robust plugin code wraps them with `new Date(...)`.
 * Deep host-internal sub-structures are typed loosely (`Record<string, unknown>`): the host
 * may send them, but plugins should not depend on their inner shape.
 */

// ---------------------------------------------------------------------------
// Status vocabularies
// ---------------------------------------------------------------------------

export type CompanyStatus = "active" | "paused" | "archived";
export type PauseReason = "manual" | "budget" | "system" | "company_archived" | "import";
export type ProjectStatus = "backlog" | "planned" | "in_progress" | "completed" | "cancelled";
export type IssueStatus = "backlog" | "todo" | "in_progress" | "in_review" | "done" | "blocked" | "cancelled";
export type IssuePriority = "critical" | "high" | "medium" | "low";
export type IssueWorkMode = "standard" | "ask" | "planning" | "skill_test";
export type IssueReviewPolicy = "anyone" | "not_creator" | "human_only";
export type IssueCommentAuthorType = "user" | "agent" | "system";
export type IssueSurfaceVisibility = "default" | "plugin_operation";
export type BuiltInIssueOriginKind =
  | "manual"
  | "routine_execution"
  | "stale_active_run_evaluation"
  | "harness_liveness_escalation"
  | "issue_productivity_review"
  | "stranded_issue_recovery"
  | "task_watchdog"
  | "task_watchdog_product_bug"
  | "onboarding_first_task"
  | "chat_channel";
/** Origin kinds a plugin may stamp on issues it creates: `plugin:<pluginKey>[:<sub-kind>]`. */
export type PluginIssueOriginKind = `plugin:${string}`;
export type IssueOriginKind = BuiltInIssueOriginKind | PluginIssueOriginKind;
export type AgentStatus =
  | "active"
  | "paused"
  | "idle"
  | "running"
  | "error"
  | "pending_approval"
  | "terminated";
export type AgentRole =
  | "ceo"
  | "cto"
  | "cmo"
  | "cfo"
  | "security"
  | "engineer"
  | "designer"
  | "pm"
  | "qa"
  | "devops"
  | "researcher"
  | "general";
/** Known adapter types, open to host-specific ones. */
export type AgentAdapterType =
  | "process"
  | "http"
  | "claude_local"
  | "codex_local"
  | "paperclip_runner"
  | "cursor_cloud"
  | "gemini_local"
  | "grok_local"
  | "hermes_gateway"
  | "hermes_local"
  | "kimi_local"
  | "opencode_local"
  | "pi_local"
  | "cursor"
  | "openclaw_gateway"
  | (string & {});
export type GoalLevel = "company" | "team" | "agent" | "task";
export type GoalStatus = "planned" | "active" | "achieved" | "cancelled";
export type ApprovalType =
  | "hire_agent"
  | "approve_ceo_strategy"
  | "budget_override_required"
  | "request_board_approval";
export type ApprovalStatus = "pending" | "revision_requested" | "approved" | "rejected" | "cancelled";
export type RoutineStatus = "active" | "paused" | "archived";
export type RoutineConcurrencyPolicy = "coalesce_if_active" | "always_enqueue" | "skip_if_active";
export type RoutineCatchUpPolicy = "skip_missed" | "enqueue_missed_with_cap";
export type RoutineActivityGatePolicy = "always" | "require_external_activity";
export type RoutineActivityGateScope = "company" | "project";
export type RoutineTriggerKind = "schedule" | "webhook" | "api";
export type RoutineTriggerSigningMode = "bearer" | "hmac_sha256" | "github_hmac" | "none";

// ---------------------------------------------------------------------------
// Companies, projects, goals
// ---------------------------------------------------------------------------

export interface Company {
  id: string;
  name: string;
  description: string | null;
  status: CompanyStatus;
  pauseReason: PauseReason | null;
  pausedAt: Date | null;
  issuePrefix: string;
  issueCounter: number;
  budgetMonthlyCents: number;
  spentMonthlyCents: number;
  defaultResponsibleUserId: string | null;
  requireBoardApprovalForNewAgents: boolean;
  interactionResolverGovernance?: Record<string, unknown>;
  feedbackDataSharingEnabled?: boolean;
  feedbackDataSharingConsentAt?: Date | null;
  feedbackDataSharingConsentByUserId?: string | null;
  feedbackDataSharingTermsVersion?: string | null;
  logoAssetId: string | null;
  logoUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProjectGoalRef {
  id: string;
  title: string;
}

/** A project workspace as embedded in a `Project` record. */
export interface ProjectWorkspace {
  id: string;
  companyId: string;
  projectId: string;
  name: string;
  cwd: string | null;
  repoUrl: string | null;
  repoRef: string | null;
  defaultRef?: string | null;
  isPrimary: boolean;
  metadata?: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
  [key: string]: unknown;
}

export interface Project {
  id: string;
  companyId: string;
  urlKey: string;
  goalId: string | null;
  goalIds: string[];
  goals: ProjectGoalRef[];
  name: string;
  description: string | null;
  status: ProjectStatus;
  leadAgentId: string | null;
  targetDate: string | null;
  color: string | null;
  icon: string | null;
  env: Record<string, unknown> | null;
  pauseReason: PauseReason | null;
  pausedAt: Date | null;
  executionWorkspacePolicy: Record<string, unknown> | null;
  codebase: Record<string, unknown>;
  workspaces: ProjectWorkspace[];
  primaryWorkspace: ProjectWorkspace | null;
  managedByPlugin?: Record<string, unknown> | null;
  taskCount?: number;
  budget?: Record<string, unknown> | null;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Goal {
  id: string;
  companyId: string;
  title: string;
  description: string | null;
  level: GoalLevel;
  status: GoalStatus;
  parentId: string | null;
  ownerAgentId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

// ---------------------------------------------------------------------------
// Issues
// ---------------------------------------------------------------------------

export interface IssueLabel {
  id: string;
  companyId: string;
  name: string;
  color: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface IssueAssigneeAdapterOverrides {
  adapterConfig?: Record<string, unknown>;
  useProjectWorkspace?: boolean;
}

export type DocumentFormat = "markdown";

export interface IssueDocumentSummary {
  id: string;
  companyId: string;
  issueId: string;
  key: string;
  title: string | null;
  format: DocumentFormat;
  latestRevisionId: string | null;
  latestRevisionNumber: number;
  createdByAgentId: string | null;
  createdByUserId: string | null;
  updatedByAgentId: string | null;
  updatedByUserId: string | null;
  lockedAt: Date | null;
  lockedByAgentId: string | null;
  lockedByUserId: string | null;
  sourceTrust?: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface IssueDocument extends IssueDocumentSummary {
  body: string;
}

/** The compact view of an issue used in blocker/blocked-by lists. */
export interface IssueRelationIssueSummary {
  id: string;
  identifier: string | null;
  title: string;
  status: IssueStatus;
  priority: IssuePriority;
  assigneeAgentId: string | null;
  assigneeUserId: string | null;
  terminalBlockers?: IssueRelationIssueSummary[];
  activeRecoveryAction?: Record<string, unknown> | null;
  scheduledRetry?: Record<string, unknown> | null;
}

/** Host-internal sub-structure: present on the wire, inner shape not part of the plugin contract. */
export type HostDetail = Record<string, unknown>;

export interface Issue {
  conversationAgentId?: string | null;
  conversationUserId?: string | null;
  conversationState?: "active" | "waiting" | null;
  conversationSessionGeneration?: number;
  conversationBoundaryCommentId?: string | null;
  activeRun?: {
    id: string;
    status: string;
    agentId: string;
    invocationSource: string;
    triggerDetail: string | null;
    startedAt: Date | string | null;
    finishedAt: Date | string | null;
    createdAt: Date | string;
    execution?: HostDetail;
  } | null;
  id: string;
  companyId: string;
  projectId: string | null;
  projectWorkspaceId: string | null;
  goalId: string | null;
  parentId: string | null;
  ancestors?: HostDetail[];
  title: string;
  description: string | null;
  descriptionTruncated?: boolean;
  status: IssueStatus;
  workMode: IssueWorkMode;
  priority: IssuePriority;
  reviewPolicy: IssueReviewPolicy | null;
  assigneeAgentId: string | null;
  assigneeUserId: string | null;
  checkoutRunId: string | null;
  executionRunId: string | null;
  executionAgentNameKey: string | null;
  executionLockedAt: Date | null;
  createdByAgentId: string | null;
  createdByUserId: string | null;
  responsibleUserId: string | null;
  issueNumber: number | null;
  identifier: string | null;
  originKind?: IssueOriginKind;
  originId?: string | null;
  originRunId?: string | null;
  originIdentityContextId?: string | null;
  continuationIdentityContextId?: string | null;
  originFingerprint?: string | null;
  requestDepth: number;
  billingCode: string | null;
  assigneeAdapterOverrides: IssueAssigneeAdapterOverrides | null;
  executionPolicy?: Record<string, unknown> | null;
  executionState?: Record<string, unknown> | null;
  monitorNextCheckAt?: Date | null;
  monitorLastTriggeredAt?: Date | null;
  monitorAttemptCount?: number;
  monitorNotes?: string | null;
  monitorScheduledBy?: string | null;
  executionWorkspaceId: string | null;
  executionWorkspacePreference: string | null;
  executionWorkspaceSettings: Record<string, unknown> | null;
  startedAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
  hiddenAt: Date | null;
  sourceTrust?: HostDetail | null;
  labelIds?: string[];
  labels?: IssueLabel[];
  blockedBy?: IssueRelationIssueSummary[];
  blocks?: IssueRelationIssueSummary[];
  blockerAttention?: HostDetail;
  reviewAttention?: HostDetail;
  blockedInboxAttention?: HostDetail | null;
  unblockDescriptor?: HostDetail | null;
  blockedTransitionAt?: Date | null;
  blockedOwnerNotifiedAt?: Date | null;
  activeRecoveryAction?: HostDetail | null;
  successfulRunHandoff?: HostDetail | null;
  executionBlocker?: HostDetail | null;
  watchdog?: HostDetail | null;
  scheduledRetry?: HostDetail | null;
  liveDescendantCount?: number;
  relatedWork?: HostDetail;
  referencedIssueIdentifiers?: string[];
  planDocument?: IssueDocument | null;
  documentSummaries?: IssueDocumentSummary[];
  legacyPlanDocument?: HostDetail | null;
  project?: Project | null;
  goal?: Goal | null;
  currentExecutionWorkspace?: HostDetail | null;
  workProducts?: HostDetail[];
  externalChannelBinding?: HostDetail | null;
  mentionedProjects?: Project[];
  myLastTouchAt?: Date | null;
  lastExternalCommentAt?: Date | null;
  lastActivityAt?: Date | null;
  isUnreadForMe?: boolean;
  archivedAt?: Date | null;
  archivedByActorType?: "user" | "agent" | null;
  archivedByAgentId?: string | null;
  archivedByRunId?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface IssueComment {
  clientRequestId?: string | null;
  conversationSessionGeneration?: number | null;
  id: string;
  companyId: string;
  issueId: string;
  authorType: IssueCommentAuthorType;
  authorAgentId: string | null;
  authorUserId: string | null;
  onBehalfOfUserId?: string | null;
  createdByRunId?: string | null;
  derivedAuthorAgentId?: string | null;
  derivedCreatedByRunId?: string | null;
  derivedAuthorSource?: "run_id" | "run_log_comment_post" | null;
  body: string;
  presentation: HostDetail | null;
  metadata: HostDetail | null;
  deletedAt?: Date | null;
  deletedByType?: "agent" | "user" | null;
  deletedByAgentId?: string | null;
  deletedByUserId?: string | null;
  deletedByRunId?: string | null;
  sourceTrust?: HostDetail | null;
  followUpRequested?: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface IssueAttachment {
  id: string;
  companyId: string;
  issueId: string;
  issueCommentId: string | null;
  originatingRunId?: string | null;
  assetId: string;
  provider: string;
  objectKey: string;
  contentType: string;
  byteSize: number;
  sha256: string;
  originalFilename: string | null;
  createdByAgentId: string | null;
  createdByUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
  contentPath: string;
  openPath?: string;
  downloadPath?: string;
}

// ---------------------------------------------------------------------------
// Agents, approvals
// ---------------------------------------------------------------------------

export interface Agent {
  id: string;
  companyId: string;
  name: string;
  urlKey: string;
  role: AgentRole;
  title: string | null;
  icon: string | null;
  status: AgentStatus;
  reportsTo: string | null;
  capabilities: string | null;
  adapterType: AgentAdapterType;
  adapterConfig: Record<string, unknown>;
  runtimeConfig: Record<string, unknown>;
  defaultEnvironmentId?: string | null;
  budgetMonthlyCents: number;
  spentMonthlyCents: number;
  pauseReason: PauseReason | null;
  pausedAt: Date | null;
  errorReason?: string | null;
  permissions: Record<string, unknown>;
  lastHeartbeatAt: Date | null;
  metadata: Record<string, unknown> | null;
  orgChainHealth?: HostDetail;
  createdAt: Date;
  updatedAt: Date;
}

export interface Approval {
  id: string;
  companyId: string;
  type: ApprovalType;
  requestedByAgentId: string | null;
  requestedByUserId: string | null;
  status: ApprovalStatus;
  payload: Record<string, unknown>;
  decisionNote: string | null;
  decidedByUserId: string | null;
  decidedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

// ---------------------------------------------------------------------------
// Routines and skills (returned by the managed-resource clients)
// ---------------------------------------------------------------------------

export type RoutineVariableType = "text" | "textarea" | "number" | "boolean" | "select" | "date";

export interface RoutineVariable {
  name: string;
  label: string | null;
  type: RoutineVariableType;
  defaultValue: string | number | boolean | null;
  required: boolean;
  options: string[];
}

export interface RoutineTrigger {
  id: string;
  companyId: string;
  routineId: string;
  kind: string;
  label: string | null;
  enabled: boolean;
  cronExpression: string | null;
  timezone: string | null;
  nextRunAt: Date | null;
  lastFiredAt: Date | null;
  publicId: string | null;
  secretId: string | null;
  signingMode: string | null;
  replayWindowSec: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Routine {
  id: string;
  companyId: string;
  projectId: string | null;
  goalId: string | null;
  parentIssueId: string | null;
  title: string;
  description: string | null;
  assigneeAgentId: string | null;
  priority: string;
  status: string;
  concurrencyPolicy: string;
  catchUpPolicy: string;
  activityGatePolicy: string;
  activityGateScope: string;
  originKind?: string;
  originId?: string | null;
  variables: RoutineVariable[];
  latestRevisionId: string | null;
  latestRevisionNumber: number;
  createdByAgentId: string | null;
  createdByUserId: string | null;
  responsibleUserId: string | null;
  updatedByAgentId: string | null;
  updatedByUserId: string | null;
  lastTriggeredAt: Date | null;
  lastEnqueuedAt: Date | null;
  managedByPlugin?: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface RoutineRun {
  id: string;
  companyId: string;
  routineId: string;
  triggerId: string | null;
  source: string;
  status: string;
  triggeredAt: Date;
  idempotencyKey: string | null;
  triggerPayload: Record<string, unknown> | null;
  linkedIssueId: string | null;
  coalescedIntoRunId: string | null;
  failureReason: string | null;
  completedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CompanySkill {
  id: string;
  companyId: string;
  key: string;
  slug: string;
  name: string;
  description: string | null;
  markdown: string;
  createdAt: Date;
  updatedAt: Date;
  [key: string]: unknown;
}
