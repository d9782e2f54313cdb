// Shapes of the host's JSON responses (packages/server/src/domain/*.ts and src/http/routes/*.ts).
// Timestamps arrive as ISO strings. Keep these in step with the host: a field the host adds is fine to omit
// here until a page needs it; a field typed here must exist in the host's response.
import type { PluginStatus } from "@paperclipai/plugin-sdk/types";

export type Iso = string;
type Json = Record<string, unknown>;

// ── companies ────────────────────────────────────────────────────────────────────────────────────────

export const COMPANY_STATUSES = ["active", "paused", "archived"] as const;
export type CompanyStatus = (typeof COMPANY_STATUSES)[number];

export interface Company {
  id: string;
  name: string;
  description: string | null;
  status: CompanyStatus;
  pauseReason: string | null;
  pausedAt: Iso | null;
  /** Unique per instance; the company's URL prefix (`/ACM/dashboard`) and issue identifier prefix. */
  issuePrefix: string;
  issueCounter: number;
  budgetMonthlyCents: number;
  spentMonthlyCents: number;
  defaultResponsibleUserId: string | null;
  requireBoardApprovalForNewAgents: boolean;
  logoUrl: string | null;
  createdAt: Iso;
  updatedAt: Iso;
}

export interface CreateCompanyInput {
  name: string;
  description?: string | null;
  budgetMonthlyCents?: number;
  defaultResponsibleUserId?: string | null;
  requireBoardApprovalForNewAgents?: boolean;
}

export type UpdateCompanyInput = Partial<CreateCompanyInput> & { status?: CompanyStatus };

// ── projects ─────────────────────────────────────────────────────────────────────────────────────────

export const PROJECT_STATUSES = ["backlog", "planned", "in_progress", "completed", "cancelled"] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export interface ProjectWorkspace {
  id: string;
  companyId: string;
  projectId: string;
  name: string;
  sourceType: "local_path" | "git_repo" | "remote_managed" | "non_git_path";
  cwd: string | null;
  repoUrl: string | null;
  repoRef: string | null;
  defaultRef: string | null;
  visibility: string;
  setupCommand: string | null;
  cleanupCommand: string | null;
  isPrimary: boolean;
  metadata: Json | null;
  createdAt: Iso;
  updatedAt: Iso;
}

/** POST/PATCH /api/projects/:id/workspaces(/:workspaceId): `cwd` or `repoUrl` is required. */
export interface WorkspaceInput {
  name?: string;
  sourceType?: ProjectWorkspace["sourceType"];
  cwd?: string | null;
  repoUrl?: string | null;
  repoRef?: string | null;
  setupCommand?: string | null;
  cleanupCommand?: string | null;
  isPrimary?: boolean;
}

export interface Project {
  id: string;
  companyId: string;
  /** Slug of the name, unique per company: `/ACM/projects/website`. */
  urlKey: string;
  goalId: string | null;
  goalIds: string[];
  goals: Array<{ id: string; title: string }>;
  name: string;
  description: string | null;
  status: ProjectStatus;
  leadAgentId: string | null;
  targetDate: string | null;
  color: string | null;
  icon: string | null;
  env: Json | null;
  pauseReason: string | null;
  pausedAt: Iso | null;
  workspaces: ProjectWorkspace[];
  primaryWorkspace: ProjectWorkspace | null;
  archivedAt: Iso | null;
  createdAt: Iso;
  updatedAt: Iso;
  /** Present on list responses. */
  taskCount?: number;
}

export interface ProjectInput {
  name: string;
  description?: string | null;
  status?: ProjectStatus;
  goalIds?: string[];
  leadAgentId?: string | null;
  targetDate?: string | null;
  color?: string | null;
  icon?: string | null;
  archivedAt?: string | null;
}

// ── issues ───────────────────────────────────────────────────────────────────────────────────────────

export const ISSUE_STATUSES = [
  "backlog",
  "todo",
  "in_progress",
  "in_review",
  "done",
  "blocked",
  "cancelled",
] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];
/** Statuses that count as open work. */
export const OPEN_ISSUE_STATUSES: readonly IssueStatus[] = [
  "backlog",
  "todo",
  "in_progress",
  "in_review",
  "blocked",
];
export const ISSUE_PRIORITIES = ["critical", "high", "medium", "low"] as const;
export type IssuePriority = (typeof ISSUE_PRIORITIES)[number];
export const ISSUE_WORK_MODES = ["standard", "ask", "planning", "skill_test"] as const;
export type IssueWorkMode = (typeof ISSUE_WORK_MODES)[number];

export interface Issue {
  id: string;
  companyId: string;
  projectId: string | null;
  projectWorkspaceId: string | null;
  goalId: string | null;
  parentId: string | null;
  title: string;
  description: string | null;
  status: IssueStatus;
  priority: IssuePriority;
  workMode: IssueWorkMode;
  reviewPolicy: "anyone" | "not_creator" | "human_only" | null;
  assigneeAgentId: string | null;
  assigneeUserId: string | null;
  checkoutRunId: string | null;
  executionRunId: string | null;
  executionLockedAt: Iso | null;
  createdByAgentId: string | null;
  createdByUserId: string | null;
  issueNumber: number;
  /** "ACM-12": the prefix of the company and the issue number. */
  identifier: string;
  originKind: string;
  originId: string | null;
  requestDepth: number;
  billingCode: string | null;
  startedAt: Iso | null;
  completedAt: Iso | null;
  cancelledAt: Iso | null;
  hiddenAt: Iso | null;
  createdAt: Iso;
  updatedAt: Iso;
  labels: unknown[];
  labelIds: string[];
}

/** List rows: the description is cut at 1,200 characters. */
export interface IssueListItem extends Issue {
  descriptionTruncated: boolean;
}

export interface IssueSummary {
  id: string;
  identifier: string;
  title: string;
  status: IssueStatus;
  priority: IssuePriority;
  assigneeUserId: string | null;
}

export interface IssueDocumentSummary {
  id: string;
  companyId: string;
  issueId: string;
  key: string;
  title: string | null;
  format: "markdown";
  latestRevisionId: string;
  latestRevisionNumber: number;
  createdAt: Iso;
  updatedAt: Iso;
}

/** GET /api/issues/:id */
export interface IssueDetail extends Issue {
  blockedBy: IssueSummary[];
  blocks: IssueSummary[];
  documentSummaries: IssueDocumentSummary[];
}

export interface IssueFilters {
  status?: IssueStatus[];
  /** an agent id, or "null" for unassigned */
  assigneeAgentId?: string;
  assigneeUserId?: string;
  projectId?: string;
  parentId?: string;
  goalId?: string;
  originKind?: string;
  /** title contains (case-insensitive) */
  q?: string;
  priority?: IssuePriority[];
  /** default "priority" (critical first, then most recently updated) */
  sortField?: IssueSortField;
  sortDir?: "asc" | "desc";
  limit?: number;
  offset?: number;
}

export const ISSUE_SORT_FIELDS = ["priority", "updated", "created", "identifier"] as const;
export type IssueSortField = (typeof ISSUE_SORT_FIELDS)[number];

/** A page of the issues list and how many issues match the filters in all. */
export interface IssuePage {
  items: IssueListItem[];
  total: number;
}

export interface CreateIssueInput {
  title: string;
  description?: string | null;
  status?: IssueStatus;
  priority?: IssuePriority;
  workMode?: IssueWorkMode;
  projectId?: string | null;
  goalId?: string | null;
  parentId?: string | null;
  assigneeAgentId?: string | null;
  assigneeUserId?: string | null;
  blockedByIssueIds?: string[];
  billingCode?: string | null;
}

export type UpdateIssueInput = Partial<CreateIssueInput> & {
  hiddenAt?: string | null;
  /** Adds a comment in the same change. */
  comment?: string;
};

export interface IssueComment {
  id: string;
  companyId: string;
  issueId: string;
  authorAgentId: string | null;
  authorUserId: string | null;
  authorType: "user" | "agent" | "system";
  createdByRunId: string | null;
  body: string;
  metadata: Json | null;
  deletedAt: Iso | null;
  createdAt: Iso;
  updatedAt: Iso;
}

/** GET /api/issues/:id/documents/:key/revisions (newest first) */
export interface IssueDocumentRevision {
  id: string;
  companyId: string;
  documentId: string;
  issueId: string;
  key: string;
  revisionNumber: number;
  title: string | null;
  format: "markdown";
  body: string;
  changeSummary: string | null;
  createdByAgentId: string | null;
  createdByUserId: string | null;
  createdAt: Iso;
}

export interface PutIssueDocumentInput {
  format: "markdown";
  body: string;
  title?: string | null;
  changeSummary?: string | null;
  /** the latest revision the edit started from; a stale one is a 409 */
  baseRevisionId?: string | null;
}

export interface IssueDocument extends IssueDocumentSummary {
  body: string;
  createdByAgentId: string | null;
  createdByUserId: string | null;
  updatedByAgentId: string | null;
  updatedByUserId: string | null;
}

// ── agents and runs ──────────────────────────────────────────────────────────────────────────────────

export const AGENT_STATUSES = [
  "active",
  "paused",
  "idle",
  "running",
  "error",
  "pending_approval",
  "terminated",
] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];
export const AGENT_ROLES = [
  "ceo",
  "cto",
  "cmo",
  "cfo",
  "security",
  "engineer",
  "designer",
  "pm",
  "qa",
  "devops",
  "researcher",
  "general",
] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export interface Agent {
  id: string;
  companyId: string;
  name: string;
  /** Slug of the name: `/ACM/agents/ada`. */
  urlKey: string;
  role: AgentRole;
  title: string | null;
  icon: string | null;
  status: AgentStatus;
  reportsTo: string | null;
  capabilities: string | null;
  adapterType: string;
  adapterConfig: Json;
  runtimeConfig: Json;
  budgetMonthlyCents: number;
  spentMonthlyCents: number;
  pauseReason: string | null;
  pausedAt: Iso | null;
  errorReason: string | null;
  lastHeartbeatAt: Iso | null;
  metadata: Json | null;
  createdAt: Iso;
  updatedAt: Iso;
}

export interface CreateAgentInput {
  name: string;
  role?: AgentRole;
  title?: string | null;
  icon?: string | null;
  reportsTo?: string | null;
  capabilities?: string | null;
  adapterType?: string;
  adapterConfig?: Json;
  runtimeConfig?: Json;
  budgetMonthlyCents?: number;
}

export type UpdateAgentInput = Partial<CreateAgentInput> & { replaceAdapterConfig?: boolean };

export const RUN_STATUSES = [
  "queued",
  "scheduled_retry",
  "running",
  "succeeded",
  "interrupted",
  "failed",
  "cancelled",
  "timed_out",
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface HeartbeatRun {
  id: string;
  companyId: string;
  agentId: string;
  invocationSource: string;
  triggerDetail: string | null;
  status: RunStatus;
  issueId: string | null;
  startedAt: Iso | null;
  finishedAt: Iso | null;
  error: string | null;
  errorCode: string | null;
  exitCode: number | null;
  usageJson: Json | null;
  resultJson: Json | null;
  /** What the run was woken with (reason, source, payload). */
  contextSnapshot?: Json;
  createdAt: Iso;
  updatedAt: Iso;
}

/** What `POST /agents/:id/wakeup` answers: the queued (or merged-into) run, or why nothing was queued. */
export type WakeupResult = HeartbeatRun | { status: "skipped"; reason?: string; message?: string };

export interface WakeupInput {
  source?: "timer" | "assignment" | "on_demand" | "automation";
  triggerDetail?: "manual" | "ping" | "callback" | "system";
  reason?: string | null;
  /** What the adapter is given; `prompt` is the text an `echo` / `process` agent works on. */
  payload?: ({ prompt?: string } & Json) | null;
}

export const RUN_EVENT_TYPES = ["chunk", "status", "tool_call", "system"] as const;
export type RunEventType = (typeof RUN_EVENT_TYPES)[number];

/**
 * One line of a run's output or one step of its lifecycle (GET /heartbeat-runs/:runId/events and the
 * `run.event` frames of its SSE stream), numbered 1, 2, 3… per run (`seq`). A `chunk` is one output line.
 * `status` events carry `payload {status, error?, exitCode?, finalText?}`; `tool_call` events carry
 * `payload {tool, parameters, ok, error?, durationMs}`.
 */
export interface RunEvent {
  id: string;
  companyId: string;
  runId: string;
  agentId: string;
  seq: number;
  eventType: RunEventType | (string & {});
  stream: "stdout" | "stderr" | "system" | null;
  level: "info" | "warn" | "error" | null;
  message: string | null;
  payload: Json | null;
  createdAt: Iso;
}

/** GET /heartbeat-runs/:runId/log: the run's stdout/stderr as text, paged by byte offset. */
export interface RunLogPage {
  runId: string;
  store: string;
  logRef: string;
  content: string;
  /** Present when more output exists after this page. */
  nextOffset?: number;
}

/** GET /companies/:companyId/live-runs: a queued or running run with its agent's name and adapter. */
export interface LiveRun extends HeartbeatRun {
  agentName: string;
  adapterType: string;
}

/** GET /agents/:id/keys (the token itself is never listed). */
export interface AgentKey {
  id: string;
  name: string;
  createdAt: Iso;
  revokedAt?: Iso | null;
  lastUsedAt?: Iso | null;
}

/** POST /agents/:id/keys: the only time the token is shown. */
export interface CreatedAgentKey extends AgentKey {
  token: string;
}

// ── goals ────────────────────────────────────────────────────────────────────────────────────────────

export const GOAL_LEVELS = ["company", "team", "agent", "task"] as const;
export type GoalLevel = (typeof GOAL_LEVELS)[number];
export const GOAL_STATUSES = ["planned", "active", "achieved", "cancelled"] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export interface Goal {
  id: string;
  companyId: string;
  title: string;
  description: string | null;
  level: GoalLevel;
  status: GoalStatus;
  parentId: string | null;
  ownerAgentId: string | null;
  createdAt: Iso;
  updatedAt: Iso;
}

export interface GoalInput {
  title: string;
  description?: string | null;
  level?: GoalLevel;
  status?: GoalStatus;
  parentId?: string | null;
  ownerAgentId?: string | null;
}

// ── approvals ────────────────────────────────────────────────────────────────────────────────────────

export const APPROVAL_STATUSES = [
  "pending",
  "revision_requested",
  "approved",
  "rejected",
  "cancelled",
] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export interface Approval {
  id: string;
  companyId: string;
  type: string;
  requestedByAgentId: string | null;
  requestedByUserId: string | null;
  status: ApprovalStatus;
  payload: Json;
  issueIds: string[];
  decisionNote: string | null;
  decidedByUserId: string | null;
  decidedAt: Iso | null;
  createdAt: Iso;
  updatedAt: Iso;
}

export const APPROVAL_TYPES = [
  "hire_agent",
  "approve_ceo_strategy",
  "budget_override_required",
  "request_board_approval",
] as const;
export type ApprovalType = (typeof APPROVAL_TYPES)[number];

export type ApprovalDecision = "approve" | "reject" | "request-revision";

// ── activity ─────────────────────────────────────────────────────────────────────────────────────────

export type ActorType = "user" | "agent" | "system" | "plugin";

export interface ActivityEvent {
  id: string;
  companyId: string;
  actorType: ActorType;
  /** "local-board" for the board user, an agent id, "system", or a plugin id. */
  actorId: string;
  /** "issue.created", "issue.updated", "agent.paused", "plugin.installed", … */
  action: string;
  entityType: string;
  entityId: string;
  agentId: string | null;
  runId: string | null;
  details: Json | null;
  createdAt: Iso;
}

export interface ActivityFilters {
  agentId?: string;
  entityType?: string;
  entityId?: string;
  limit?: number;
  offset?: number;
}

// ── costs and budgets ────────────────────────────────────────────────────────────────────────────────

export interface CostEvent {
  id: string;
  companyId: string;
  agentId: string;
  issueId: string | null;
  projectId: string | null;
  goalId: string | null;
  heartbeatRunId: string | null;
  billingCode: string | null;
  provider: string;
  biller: string;
  billingType: string;
  costStatus: "reported" | "unpriced";
  model: string;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costCents: number;
  occurredAt: Iso;
  createdAt: Iso;
}

/** A half-open time window [from, to) as ISO timestamps; both optional. */
export interface CostWindow {
  from?: Iso;
  to?: Iso;
}

export interface CostSummary {
  companyId: string;
  spendCents: number;
  budgetCents: number;
  utilizationPercent: number;
}

export interface AgentCost {
  agentId: string;
  agentName: string;
  agentStatus: AgentStatus;
  costCents: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

/** GET /api/companies/:companyId/costs/by-project; `projectId` null collects spend outside any project. */
export interface ProjectCost {
  projectId: string | null;
  projectName: string | null;
  costCents: number;
  inputTokens: number;
  outputTokens: number;
}

export interface BudgetPolicy {
  id: string;
  companyId: string;
  scopeType: "company" | "agent" | "project";
  scopeId: string;
  metric: string;
  windowKind: "calendar_month_utc" | "lifetime";
  amount: number;
  warnPercent: number;
  hardStopEnabled: boolean;
  notifyEnabled: boolean;
  isActive: boolean;
  createdAt: Iso;
  updatedAt: Iso;
}

export interface BudgetIncident {
  id: string;
  companyId: string;
  policyId: string;
  scopeType: string;
  scopeId: string;
  scopeName: string;
  metric: string;
  windowKind: string;
  windowStart: Iso;
  windowEnd: Iso | null;
  thresholdType: string;
  amountLimit: number;
  amountObserved: number;
  status: "open" | "resolved" | "dismissed";
  resolutionAction: string | null;
  decisionNote: string | null;
  resolvedAt: Iso | null;
  createdAt: Iso;
  updatedAt: Iso;
}

export interface BudgetOverview {
  companyId: string;
  policies: BudgetPolicy[];
  activeIncidents: BudgetIncident[];
  pausedAgentCount: number;
  pausedProjectCount: number;
  pendingApprovalCount: number;
}

// ── plugins ──────────────────────────────────────────────────────────────────────────────────────────

/** Lifecycle status of an installed plugin: the SDK's vocabulary. */
export type { PluginStatus };

/** The manifest as installed (PaperclipPluginManifestV1); only the fields the board reads are typed. */
export interface PluginManifest {
  id: string;
  version: string;
  apiVersion: number;
  displayName: string;
  description?: string;
  author?: string;
  categories?: string[];
  capabilities?: string[];
  instanceConfigSchema?: Json;
  [key: string]: unknown;
}

export interface PluginRecord {
  id: string;
  pluginKey: string;
  packageName: string;
  version: string;
  apiVersion: number;
  categories: string[];
  manifestJson: PluginManifest;
  status: PluginStatus;
  installOrder: number | null;
  packagePath: string | null;
  /** The last failure, or the operator's disable reason. */
  lastError: string | null;
  installedAt: Iso;
  updatedAt: Iso;
  source: string;
  methodTimeouts: Record<string, number>;
  /** Present on GET /api/plugins/:pluginId. */
  supportsConfigTest?: boolean;
}

export interface PluginHealthCheck {
  name: string;
  passed: boolean;
  message: string;
}

export interface PluginHealth {
  pluginId: string;
  status: PluginStatus;
  healthy: boolean;
  checks: PluginHealthCheck[];
}

// ── live events ──────────────────────────────────────────────────────────────────────────────────────

/** One message of GET /api/companies/:companyId/events/stream. */
export interface LiveEvent {
  /** "issue.created", "issue.comment.created", "agent.status_changed", "cost_event.created", … */
  type: string;
  entityId?: string | null;
  entityType?: string | null;
  companyId: string;
  occurredAt: Iso;
  payload?: Json;
}

// ── dashboard ────────────────────────────────────────────────────────────────────────────────────────

/** GET /api/companies/:companyId/dashboard (SQL aggregates; exact at any size). */
export interface DashboardAggregate {
  companyId: string;
  generatedAt: Iso;
  /** The IANA time zone the trend days are in. */
  timeZone: string;
  issues: {
    total: number;
    open: number;
    inProgress: number;
    blocked: number;
    inReview: number;
    byStatus: Record<IssueStatus, number>;
  };
  agents: {
    total: number;
    running: number;
    paused: number;
    error: number;
    idle: number;
    byStatus: Record<AgentStatus, number>;
  };
  pendingApprovals: number;
  costs: {
    monthStart: Iso;
    monthSpendCents: number;
    monthBudgetCents: number;
    monthUtilizationPercent: number;
  };
  /** Oldest first, today last; `day` is "YYYY-MM-DD" in `timeZone`. */
  trend: Array<{ day: string; created: number; closed: number }>;
  /** The latest updated issues (description cut like list rows). */
  recentIssues: IssueListItem[];
}
