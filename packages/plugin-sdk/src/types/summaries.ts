/**
 * Result shapes returned by `ctx` clients that are specific to the plugin API (as opposed
 * to the plain Paperclip records in ./records.ts): local-folder status, issue orchestration
 * summaries, access members/invites and authorization records.
 */
import type { InviteJoinType, MembershipStatus, PermissionKey, PrincipalType } from "../constants.js";
import type { PrincipalPermissionGrant } from "./domain.js";
import type { Agent, Issue, IssueDocumentSummary, IssueRelationIssueSummary } from "./records.js";

// ---------------------------------------------------------------------------
// Local folders
// ---------------------------------------------------------------------------

export interface PluginLocalFolderProblem {
  code:
    | "not_configured"
    | "not_absolute"
    | "missing"
    | "not_directory"
    | "not_readable"
    | "not_writable"
    | "missing_directory"
    | "missing_file"
    | "path_traversal"
    | "symlink_escape"
    | "atomic_write_failed";
  message: string;
  path?: string;
}

export interface PluginLocalFolderStatus {
  folderKey: string;
  configured: boolean;
  path: string | null;
  realPath: string | null;
  access: "read" | "readWrite";
  readable: boolean;
  writable: boolean;
  requiredDirectories: string[];
  requiredFiles: string[];
  missingDirectories: string[];
  missingFiles: string[];
  healthy: boolean;
  problems: PluginLocalFolderProblem[];
  checkedAt: string;
}

export interface PluginLocalFolderConfigureInput {
  companyId: string;
  folderKey: string;
  path: string;
  access?: "read" | "readWrite";
  requiredDirectories?: string[];
  requiredFiles?: string[];
}

export interface PluginLocalFolderListOptions {
  relativePath?: string | null;
  recursive?: boolean;
  maxEntries?: number;
}

export interface PluginLocalFolderEntry {
  path: string;
  name: string;
  kind: "file" | "directory";
  size: number | null;
  modifiedAt: string | null;
}

export interface PluginLocalFolderListing {
  folderKey: string;
  relativePath: string | null;
  entries: PluginLocalFolderEntry[];
  truncated: boolean;
}

// ---------------------------------------------------------------------------
// Activity
// ---------------------------------------------------------------------------

export interface PluginActivityLogEntry {
  companyId: string;
  message: string;
  entityType?: string;
  entityId?: string;
  metadata?: Record<string, unknown>;
}

// ---------------------------------------------------------------------------
// Issues
// ---------------------------------------------------------------------------

/** Optional attribution of an issue mutation to an agent, user or run. */
export interface PluginIssueMutationActor {
  actorAgentId?: string | null;
  actorUserId?: string | null;
  actorRunId?: string | null;
}

export interface PluginIssueRelationSummary {
  blockedBy: IssueRelationIssueSummary[];
  blocks: IssueRelationIssueSummary[];
}

export interface PluginIssueCheckoutOwnership {
  issueId: string;
  status: Issue["status"];
  assigneeAgentId: string | null;
  checkoutRunId: string | null;
  adoptedFromRunId: string | null;
}

export interface PluginIssueWakeupResult {
  queued: boolean;
  runId: string | null;
}

export interface PluginIssueWakeupBatchResult {
  issueId: string;
  queued: boolean;
  runId: string | null;
}

export interface PluginIssueRunSummary {
  id: string;
  issueId: string | null;
  agentId: string;
  status: string;
  invocationSource: string;
  triggerDetail: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  createdAt: string;
}

export interface PluginIssueApprovalSummary {
  issueId: string;
  id: string;
  type: string;
  status: string;
  requestedByAgentId: string | null;
  requestedByUserId: string | null;
  decidedByUserId: string | null;
  decidedAt: string | null;
  createdAt: string;
}

export interface PluginIssueCostSummary {
  costCents: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  billingCode: string | null;
}

export interface PluginBudgetIncidentSummary {
  id: string;
  scopeType: string;
  scopeId: string;
  metric: string;
  windowKind: string;
  thresholdType: string;
  amountLimit: number;
  amountObserved: number;
  status: string;
  approvalId: string | null;
  createdAt: string;
}

export interface PluginIssueInvocationBlockSummary {
  issueId: string;
  agentId: string;
  scopeType: "company" | "agent" | "project";
  scopeId: string;
  scopeName: string;
  reason: string;
}

export interface PluginIssueOrchestrationSummary {
  issueId: string;
  companyId: string;
  subtreeIssueIds: string[];
  relations: Record<string, PluginIssueRelationSummary>;
  approvals: PluginIssueApprovalSummary[];
  runs: PluginIssueRunSummary[];
  costs: PluginIssueCostSummary;
  openBudgetIncidents: PluginBudgetIncidentSummary[];
  invocationBlocks: PluginIssueInvocationBlockSummary[];
}

export interface PluginIssueSubtreeOptions {
  includeRoot?: boolean;
  includeRelations?: boolean;
  includeDocuments?: boolean;
  includeActiveRuns?: boolean;
  includeAssignees?: boolean;
}

export interface PluginIssueAssigneeSummary {
  id: string;
  name: string;
  role: string;
  title: string | null;
  status: Agent["status"];
}

export interface PluginIssueSubtree {
  rootIssueId: string;
  companyId: string;
  issueIds: string[];
  issues: Issue[];
  relations?: Record<string, PluginIssueRelationSummary>;
  documents?: Record<string, IssueDocumentSummary[]>;
  activeRuns?: Record<string, PluginIssueRunSummary[]>;
  assignees?: Record<string, PluginIssueAssigneeSummary>;
}

export interface PluginIssueAttachmentContent {
  attachmentId: string;
  contentType: string;
  byteSize: number;
  sha256: string;
  originalFilename: string | null;
  contentBase64: string;
}

// ---------------------------------------------------------------------------
// Access and authorization (declared for compatibility; out of scope for this host)
// ---------------------------------------------------------------------------

export interface PluginAccessMember {
  id: string;
  companyId: string;
  principalType: PrincipalType;
  principalId: string;
  status: MembershipStatus;
  membershipRole: string | null;
  grants: PrincipalPermissionGrant[];
  createdAt: Date | string;
  updatedAt: Date | string;
}

export interface PluginAccessInvite {
  id: string;
  companyId: string | null;
  inviteType: string;
  allowedJoinTypes: InviteJoinType;
  defaultsPayload: Record<string, unknown> | null;
  expiresAt: Date | string;
  invitedByUserId: string | null;
  revokedAt: Date | string | null;
  acceptedAt: Date | string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
  state: "active" | "revoked" | "accepted" | "expired";
}

export interface PluginAuthorizationPolicySummary {
  companyId: string;
  permissionsMode: "simple";
  memberCount: number;
  activeMemberCount: number;
  grantCount: number;
  advancedPolicyAvailable: false;
}

export interface PluginAuthorizationPolicyRecord {
  resourceType: "company" | "agent" | "project" | "issue";
  resourceId: string;
  companyId: string;
  policy: Record<string, unknown> | null;
  updatedAt: Date | string | null;
}

export interface PluginAssignmentPreviewInput {
  companyId: string;
  actor:
    | { type: "board"; userId?: string | null; companyIds?: string[]; isInstanceAdmin?: boolean }
    | { type: "agent"; agentId: string; companyId: string };
  target: {
    issueId?: string | null;
    projectId?: string | null;
    parentIssueId?: string | null;
    assigneeAgentId?: string | null;
    assigneeUserId?: string | null;
    status?: string | null;
  };
}

export interface PluginAuthorizationDecisionResult {
  allowed: boolean;
  action: string;
  explanation: string;
  reason: string;
  grant?: {
    principalType: PrincipalType;
    principalId: string;
    permissionKey: PermissionKey;
    scope: Record<string, unknown> | null;
  };
}

export interface PluginAuthorizationAuditEntry {
  id: string;
  companyId: string;
  actorType: string;
  actorId: string;
  action: string;
  entityType: string;
  entityId: string;
  details: Record<string, unknown> | null;
  createdAt: Date | string;
}
