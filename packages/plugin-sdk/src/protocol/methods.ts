/**
 * The wire contract of every JSON-RPC method between host and worker: for each method
 * name, its `params` and `result` types. TYPES ONLY — both the worker runtime and the host
 * read this file to stay in step. Environment-driver, external-object, login-PTY and
 * duplex-channel methods are out of scope for this platform; they appear in the maps with
 * loose placeholder shapes so the method names stay complete.
 */
import type {
  Agent,
  AgentSession,
  AgentSessionEvent,
  Approval,
  Company,
  EnvSecretRefBinding,
  Goal,
  Issue,
  IssueAssigneeAdapterOverrides,
  IssueAttachment,
  IssueComment,
  IssueDocument,
  IssueDocumentSummary,
  PluginEntityRecord,
  PluginEvent,
  PluginExecutionWorkspaceMetadata,
  PluginJobContext,
  PluginLauncherRenderContextSnapshot,
  PluginWorkspace,
  PrincipalPermissionGrant,
  Project,
  Routine,
  RoutineRun,
  ToolResult,
  ToolRunContext,
} from "../types/domain.js";
import type { CreateIssueThreadInteraction, IssueThreadInteraction } from "../types/interactions.js";
import type {
  PaperclipPluginManifestV1,
  PluginLocalFolderDeclaration,
  PluginManagedAgentResolution,
  PluginManagedProjectResolution,
  PluginManagedRoutineResolution,
  PluginManagedSkillResolution,
  PluginStateScopeKind,
} from "../types/manifest.js";
import type {
  PluginAccessInvite,
  PluginAccessMember,
  PluginAssignmentPreviewInput,
  PluginAuthorizationAuditEntry,
  PluginAuthorizationDecisionResult,
  PluginAuthorizationPolicyRecord,
  PluginAuthorizationPolicySummary,
  PluginIssueAttachmentContent,
  PluginIssueCheckoutOwnership,
  PluginIssueOrchestrationSummary,
  PluginIssueRelationSummary,
  PluginIssueSubtree,
  PluginIssueWakeupBatchResult,
  PluginIssueWakeupResult,
  PluginLocalFolderListing,
  PluginLocalFolderStatus,
} from "../types/summaries.js";
import type { ChannelBytesWireValue } from "./messages.js";

/**
 * The result of a method that answers with nothing (`null` on the wire). Typed `void`
 * like the published contract so handlers returning `Promise<void>` fit.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: matches the published wire contract
export type NoResult = void;

// ---------------------------------------------------------------------------
// Invocation scope (the `paperclipInvocation` envelope field)
// ---------------------------------------------------------------------------

/** The company a host→worker call acts for. */
export interface PluginInvocationScope {
  companyId: string;
}

/** Sent by the host as `paperclipInvocation`; the worker echoes `id` as `paperclipInvocationId`. */
export interface PluginInvocationContext {
  id: string;
  scope: PluginInvocationScope;
  traceparent?: string;
}

/** What the host knows about the invocation a worker→host call belongs to. */
export interface WorkerHostCallContext {
  invocationScope?: PluginInvocationScope | null;
  invalidInvocationScope?: boolean;
  traceparent?: string;
}

import type {
  PluginApiRequestInput,
  PluginApiResponse,
  PluginConfigValidationResult,
  PluginHealthDiagnostics,
  PluginWebhookInput,
} from "../types/hooks.js";

export type {
  PluginApiRequestInput,
  PluginApiResponse,
  PluginConfigChangeContext,
  PluginConfigValidationResult,
  PluginHealthDiagnostics,
  PluginWebhookInput,
} from "../types/hooks.js";

// ---------------------------------------------------------------------------
// Host → worker params
// ---------------------------------------------------------------------------

export interface InitializeParams {
  manifest: PaperclipPluginManifestV1;
  /** Bootstrap config; the host sends `{}` and delivers company configs via `configChanged`. */
  config: Record<string, unknown>;
  instanceInfo: { instanceId: string; hostVersion: string };
  apiVersion: number;
  databaseNamespace?: string | null;
}

export interface InitializeResult {
  ok: boolean;
  /** Optional host→worker methods this worker implements (e.g. `validateConfig`). */
  supportedMethods?: string[];
}

export interface ConfigChangedParams {
  config: Record<string, unknown>;
  companyId?: string | null;
}

export interface ValidateConfigParams {
  config: Record<string, unknown>;
}

export interface OnEventParams {
  event: PluginEvent;
}

export interface RunJobParams {
  job: PluginJobContext;
}

export interface GetDataParams {
  key: string;
  companyId?: string | null;
  params: Record<string, unknown>;
  renderEnvironment?: PluginLauncherRenderContextSnapshot | null;
}

export type PluginPerformActionActorType = "user" | "agent" | "system";

export interface PluginPerformActionActorContext {
  type: PluginPerformActionActorType;
  userId: string | null;
  agentId: string | null;
  runId: string | null;
  companyId: string | null;
}

/** Second argument of an action handler: who triggered the action, for which company. */
export interface PluginPerformActionContext {
  actor: Readonly<PluginPerformActionActorContext>;
  companyId: string | null;
}

export interface PerformActionParams {
  key: string;
  companyId?: string | null;
  params: Record<string, unknown>;
  actorContext?: PluginPerformActionActorContext | null;
  renderEnvironment?: PluginLauncherRenderContextSnapshot | null;
}

export interface ExecuteToolParams {
  /** The bare tool name, without the `<pluginKey>:` prefix. */
  toolName: string;
  parameters: unknown;
  runContext: ToolRunContext;
}

/** Params/results of methods this platform does not implement (environment drivers etc.). */
export type OutOfScopeMethodPayload = Record<string, unknown>;

type OutOfScope = [params: OutOfScopeMethodPayload, result: OutOfScopeMethodPayload | undefined];

/** Every host→worker request: `[params, result]`. */
export interface HostToWorkerMethods {
  initialize: [params: InitializeParams, result: InitializeResult];
  health: [params: Record<string, never>, result: PluginHealthDiagnostics];
  shutdown: [params: Record<string, never>, result: NoResult];
  validateConfig: [params: ValidateConfigParams, result: PluginConfigValidationResult];
  configChanged: [params: ConfigChangedParams, result: NoResult];
  onEvent: [params: OnEventParams, result: NoResult];
  runJob: [params: RunJobParams, result: NoResult];
  handleWebhook: [params: PluginWebhookInput, result: NoResult];
  handleApiRequest: [params: PluginApiRequestInput, result: PluginApiResponse];
  getData: [params: GetDataParams, result: unknown];
  performAction: [params: PerformActionParams, result: unknown];
  executeTool: [params: ExecuteToolParams, result: ToolResult];
  detectExternalObjects: OutOfScope;
  resolveExternalObject: OutOfScope;
  refreshExternalObjects: OutOfScope;
  environmentValidateConfig: OutOfScope;
  environmentProbe: OutOfScope;
  environmentAcquireLease: OutOfScope;
  environmentResumeLease: OutOfScope;
  environmentReleaseLease: OutOfScope;
  environmentDestroyLease: OutOfScope;
  environmentRealizeWorkspace: OutOfScope;
  environmentExecute: OutOfScope;
  environmentRunnerIngressEndpoint: OutOfScope;
  environmentSyncIn: OutOfScope;
  environmentSyncOut: OutOfScope;
  environmentStartInteractiveSetup: OutOfScope;
  environmentGetInteractiveSetup: OutOfScope;
  environmentCaptureTemplate: OutOfScope;
  environmentCancelInteractiveSetup: OutOfScope;
  environmentDeleteTemplate: OutOfScope;
  loginPtyOpen: OutOfScope;
  loginPtyInput: OutOfScope;
  loginPtyStop: OutOfScope;
  loginPtyClose: OutOfScope;
  duplexChannelOpen: OutOfScope;
  duplexChannelWrite: OutOfScope;
  duplexChannelStop: OutOfScope;
  duplexChannelClose: OutOfScope;
}

export type HostToWorkerMethodName = keyof HostToWorkerMethods;

/** Host→worker notifications (no response): `method → params`. */
export interface HostToWorkerNotifications {
  onEvent: OnEventParams;
  "agents.sessions.event": AgentSessionEvent;
}

export type HostToWorkerNotificationName = keyof HostToWorkerNotifications;

// ---------------------------------------------------------------------------
// Worker → host methods
// ---------------------------------------------------------------------------

type CompanyScoped = { companyId: string };
type Paging = { limit?: number; offset?: number };
type IssueRef = { issueId: string; companyId: string };
type MutationActorFields = {
  actorAgentId?: string | null;
  actorUserId?: string | null;
  actorRunId?: string | null;
};
type StateKeyParams = { scopeKind: string; scopeId?: string; namespace?: string; stateKey: string };
type FolderRef = { companyId: string; folderKey: string };
type FileRef = FolderRef & { relativePath: string };
type RoutineOverrides = { assigneeAgentId?: string | null; projectId?: string | null };
type PolicyRef = CompanyScoped & {
  resourceType: "company" | "agent" | "project" | "issue";
  resourceId: string;
};

/** Every worker→host request: `[params, result]`. */
export interface WorkerToHostMethods {
  "config.get": [params: { companyId?: string }, result: Record<string, unknown>];

  "localFolders.declarations": [params: Record<string, never>, result: PluginLocalFolderDeclaration[]];
  "localFolders.configure": [
    params: FolderRef & {
      path: string;
      access?: "read" | "readWrite";
      requiredDirectories?: string[];
      requiredFiles?: string[];
    },
    result: PluginLocalFolderStatus,
  ];
  "localFolders.status": [params: FolderRef, result: PluginLocalFolderStatus];
  "localFolders.list": [
    params: FolderRef & { relativePath?: string | null; recursive?: boolean; maxEntries?: number },
    result: PluginLocalFolderListing,
  ];
  "localFolders.readText": [params: FileRef, result: string];
  "localFolders.writeTextAtomic": [params: FileRef & { contents: string }, result: PluginLocalFolderStatus];
  "localFolders.deleteFile": [params: FileRef, result: PluginLocalFolderStatus];

  "state.get": [params: StateKeyParams, result: unknown];
  "state.set": [params: StateKeyParams & { value: unknown }, result: NoResult];
  "state.delete": [params: StateKeyParams, result: NoResult];

  "db.namespace": [params: Record<string, never>, result: string];
  "db.query": [params: { sql: string; params?: unknown[] }, result: unknown[]];
  "db.execute": [params: { sql: string; params?: unknown[] }, result: { rowCount: number }];

  "entities.upsert": [
    params: {
      entityType: string;
      scopeKind: PluginStateScopeKind;
      scopeId?: string;
      externalId?: string;
      title?: string;
      status?: string;
      data: Record<string, unknown>;
    },
    result: PluginEntityRecord,
  ];
  "entities.list": [
    params: {
      entityType?: string;
      scopeKind?: PluginStateScopeKind;
      scopeId?: string;
      externalId?: string;
    } & Paging,
    result: PluginEntityRecord[],
  ];

  "events.emit": [params: { name: string; companyId: string; payload: unknown }, result: NoResult];
  "events.subscribe": [
    params: { eventPattern: string; filter?: Record<string, unknown> | null },
    result: NoResult,
  ];

  "http.fetch": [
    params: { url: string; init?: Record<string, unknown> },
    result: { status: number; statusText: string; headers: Record<string, string>; body: string },
  ];
  "secrets.resolve": [
    params: { secretRef: string | EnvSecretRefBinding; companyId?: string; configPath?: string },
    result: string,
  ];
  "activity.log": [
    params: CompanyScoped & {
      message: string;
      entityType?: string;
      entityId?: string;
      metadata?: Record<string, unknown>;
    },
    result: NoResult,
  ];
  "metrics.write": [
    params: { name: string; value: number; tags?: Record<string, string>; companyId?: string | null },
    result: NoResult,
  ];
  "telemetry.track": [
    params: { eventName: string; dimensions?: Record<string, string | number | boolean> },
    result: NoResult,
  ];
  log: [
    params: {
      level: "info" | "warn" | "error" | "debug";
      message: string;
      meta?: Record<string, unknown>;
      companyId?: string | null;
    },
    result: NoResult,
  ];
  "span.record": [
    params: {
      name: string;
      attributes?: Record<string, string | number | boolean>;
      status?: { code: number; message?: string };
      startTimeMs?: number;
      endTimeMs?: number;
    },
    result: NoResult,
  ];

  "companies.list": [params: Paging, result: Company[]];
  "companies.get": [params: CompanyScoped, result: Company | null];

  "projects.list": [params: CompanyScoped & Paging, result: Project[]];
  "projects.get": [params: { projectId: string; companyId: string }, result: Project | null];
  "projects.listWorkspaces": [params: { projectId: string; companyId: string }, result: PluginWorkspace[]];
  "projects.getPrimaryWorkspace": [
    params: { projectId: string; companyId: string },
    result: PluginWorkspace | null,
  ];
  "projects.getWorkspaceForIssue": [params: IssueRef, result: PluginWorkspace | null];
  "executionWorkspaces.get": [
    params: { workspaceId: string; companyId: string },
    result: PluginExecutionWorkspaceMetadata | null,
  ];
  "projects.managed.get": [
    params: { projectKey: string; companyId: string },
    result: PluginManagedProjectResolution,
  ];
  "projects.managed.reconcile": [
    params: { projectKey: string; companyId: string },
    result: PluginManagedProjectResolution,
  ];
  "projects.managed.reset": [
    params: { projectKey: string; companyId: string },
    result: PluginManagedProjectResolution,
  ];

  "routines.managed.get": [
    params: { routineKey: string; companyId: string },
    result: PluginManagedRoutineResolution,
  ];
  "routines.managed.reconcile": [
    params: { routineKey: string; companyId: string } & RoutineOverrides,
    result: PluginManagedRoutineResolution,
  ];
  "routines.managed.reset": [
    params: { routineKey: string; companyId: string } & RoutineOverrides,
    result: PluginManagedRoutineResolution,
  ];
  "routines.managed.update": [
    params: { routineKey: string; companyId: string; status?: string },
    result: Routine,
  ];
  "routines.managed.run": [
    params: { routineKey: string; companyId: string } & RoutineOverrides,
    result: RoutineRun,
  ];

  "skills.managed.get": [
    params: { skillKey: string; companyId: string },
    result: PluginManagedSkillResolution,
  ];
  "skills.managed.reconcile": [
    params: { skillKey: string; companyId: string },
    result: PluginManagedSkillResolution,
  ];
  "skills.managed.reset": [
    params: { skillKey: string; companyId: string },
    result: PluginManagedSkillResolution,
  ];

  "issues.list": [
    params: CompanyScoped &
      Paging & {
        projectId?: string;
        assigneeAgentId?: string;
        originKind?: string;
        originKindPrefix?: string;
        originId?: string;
        status?: string;
        includePluginOperations?: boolean;
      },
    result: Issue[],
  ];
  "issues.get": [params: IssueRef, result: Issue | null];
  "issues.create": [
    params: CompanyScoped &
      MutationActorFields & {
        projectId?: string;
        goalId?: string;
        parentId?: string;
        inheritExecutionWorkspaceFromIssueId?: string;
        title: string;
        description?: string;
        status?: string;
        priority?: string;
        assigneeAgentId?: string;
        assigneeUserId?: string | null;
        requestDepth?: number;
        billingCode?: string | null;
        assigneeAdapterOverrides?: IssueAssigneeAdapterOverrides | null;
        surfaceVisibility?: string | null;
        originKind?: string | null;
        originId?: string | null;
        originRunId?: string | null;
        blockedByIssueIds?: string[];
        labelIds?: string[];
        executionWorkspaceId?: string | null;
        executionWorkspacePreference?: string | null;
        executionWorkspaceSettings?: Record<string, unknown> | null;
      },
    result: Issue,
  ];
  "issues.update": [params: IssueRef & { patch: Record<string, unknown> }, result: Issue];
  "issues.relations.get": [params: IssueRef, result: PluginIssueRelationSummary];
  "issues.relations.setBlockedBy": [
    params: IssueRef & MutationActorFields & { blockedByIssueIds: string[] },
    result: PluginIssueRelationSummary,
  ];
  "issues.relations.addBlockers": [
    params: IssueRef & MutationActorFields & { blockerIssueIds: string[] },
    result: PluginIssueRelationSummary,
  ];
  "issues.relations.removeBlockers": [
    params: IssueRef & MutationActorFields & { blockerIssueIds: string[] },
    result: PluginIssueRelationSummary,
  ];
  "issues.assertCheckoutOwner": [
    params: IssueRef & { actorAgentId: string; actorRunId: string },
    result: PluginIssueCheckoutOwnership,
  ];
  "issues.getSubtree": [
    params: IssueRef & {
      includeRoot?: boolean;
      includeRelations?: boolean;
      includeDocuments?: boolean;
      includeActiveRuns?: boolean;
      includeAssignees?: boolean;
    },
    result: PluginIssueSubtree,
  ];
  "issues.requestWakeup": [
    params: IssueRef &
      MutationActorFields & { reason?: string; contextSource?: string; idempotencyKey?: string | null },
    result: PluginIssueWakeupResult,
  ];
  "issues.requestWakeups": [
    params: CompanyScoped &
      MutationActorFields & {
        issueIds: string[];
        reason?: string;
        contextSource?: string;
        idempotencyKeyPrefix?: string | null;
      },
    result: PluginIssueWakeupBatchResult[],
  ];
  "issues.summaries.getOrchestration": [
    params: IssueRef & { includeSubtree?: boolean; billingCode?: string | null },
    result: PluginIssueOrchestrationSummary,
  ];
  "issues.listComments": [params: IssueRef, result: IssueComment[]];
  "issues.createComment": [
    params: IssueRef & { body: string; authorAgentId?: string; actorUserId?: string },
    result: IssueComment,
  ];
  "issues.createInteraction": [
    params: IssueRef & { interaction: CreateIssueThreadInteraction; authorAgentId?: string | null },
    result: IssueThreadInteraction,
  ];
  "issues.listInteractions": [params: IssueRef, result: IssueThreadInteraction[]];
  "issues.respondInteraction": [
    params: IssueRef & {
      interactionId: string;
      action: "accept" | "reject";
      actorUserId?: string;
      reason?: string | null;
    },
    result: { interaction: IssueThreadInteraction; applied: boolean },
  ];
  "issues.listAttachments": [params: IssueRef, result: IssueAttachment[]];
  "issues.getAttachmentContent": [
    params: { attachmentId: string; companyId: string; maxBytes?: number | null },
    result: PluginIssueAttachmentContent | null,
  ];
  "issues.documents.list": [params: IssueRef, result: IssueDocumentSummary[]];
  "issues.documents.get": [params: IssueRef & { key: string }, result: IssueDocument | null];
  "issues.documents.upsert": [
    params: IssueRef & { key: string; body: string; title?: string; format?: string; changeSummary?: string },
    result: IssueDocument,
  ];
  "issues.documents.delete": [params: IssueRef & { key: string }, result: NoResult];

  "approvals.list": [params: CompanyScoped & { status?: string | null }, result: Approval[]];
  "approvals.get": [params: { approvalId: string; companyId: string }, result: Approval | null];
  "approvals.decide": [
    params: {
      approvalId: string;
      companyId: string;
      action: "approve" | "reject";
      actorUserId?: string;
      decisionNote?: string | null;
    },
    result: { approval: Approval; applied: boolean },
  ];

  "agents.list": [params: CompanyScoped & Paging & { status?: string }, result: Agent[]];
  "agents.get": [params: { agentId: string; companyId: string }, result: Agent | null];
  "agents.pause": [params: { agentId: string; companyId: string }, result: Agent];
  "agents.resume": [params: { agentId: string; companyId: string }, result: Agent];
  "agents.invoke": [
    params: { agentId: string; companyId: string; prompt: string; reason?: string },
    result: { runId: string },
  ];
  "agents.managed.get": [
    params: { agentKey: string; companyId: string },
    result: PluginManagedAgentResolution,
  ];
  "agents.managed.reconcile": [
    params: { agentKey: string; companyId: string },
    result: PluginManagedAgentResolution,
  ];
  "agents.managed.reset": [
    params: { agentKey: string; companyId: string },
    result: PluginManagedAgentResolution,
  ];
  "agents.sessions.create": [
    params: { agentId: string; companyId: string; taskKey?: string; reason?: string },
    result: AgentSession,
  ];
  "agents.sessions.list": [params: { agentId: string; companyId: string }, result: AgentSession[]];
  "agents.sessions.sendMessage": [
    params: { sessionId: string; companyId: string; prompt: string; reason?: string },
    result: { runId: string },
  ];
  "agents.sessions.close": [params: { sessionId: string; companyId: string }, result: NoResult];

  "goals.list": [params: CompanyScoped & Paging & { level?: string; status?: string }, result: Goal[]];
  "goals.get": [params: { goalId: string; companyId: string }, result: Goal | null];
  "goals.create": [
    params: CompanyScoped & {
      title: string;
      description?: string;
      level?: string;
      status?: string;
      parentId?: string;
      ownerAgentId?: string;
    },
    result: Goal,
  ];
  "goals.update": [
    params: { goalId: string; patch: Record<string, unknown>; companyId: string },
    result: Goal,
  ];

  "access.members.list": [
    params: CompanyScoped & { includeArchived?: boolean },
    result: PluginAccessMember[],
  ];
  "access.members.get": [params: { memberId: string; companyId: string }, result: PluginAccessMember | null];
  "access.members.update": [
    params: {
      memberId: string;
      companyId: string;
      patch: { membershipRole?: string | null; status?: "pending" | "active" | "suspended" };
    },
    result: PluginAccessMember,
  ];
  "access.invites.list": [
    params: CompanyScoped & Paging & { state?: "active" | "revoked" | "accepted" | "expired" },
    result: { invites: PluginAccessInvite[]; nextOffset: number | null },
  ];
  "access.invites.create": [
    params: CompanyScoped & {
      allowedJoinTypes?: "human" | "agent" | "both";
      humanRole?: string | null;
      defaultsPayload?: Record<string, unknown> | null;
      agentMessage?: string | null;
    },
    result: PluginAccessInvite & { token: string },
  ];
  "access.invites.revoke": [params: { inviteId: string; companyId: string }, result: PluginAccessInvite];

  "authorization.grants.list": [
    params: CompanyScoped & { principalType?: string; principalId?: string },
    result: PrincipalPermissionGrant[],
  ];
  "authorization.grants.set": [
    params: CompanyScoped & {
      principalType: string;
      principalId: string;
      grants: Array<{ permissionKey: string; scope?: Record<string, unknown> | null }>;
      grantedByUserId?: string | null;
    },
    result: PrincipalPermissionGrant[],
  ];
  "authorization.policies.summary": [params: CompanyScoped, result: PluginAuthorizationPolicySummary];
  "authorization.policies.get": [params: PolicyRef, result: PluginAuthorizationPolicyRecord | null];
  "authorization.policies.update": [
    params: PolicyRef & { policy: Record<string, unknown> | null },
    result: PluginAuthorizationPolicyRecord,
  ];
  "authorization.policies.previewAssignment": [
    params: PluginAssignmentPreviewInput,
    result: PluginAuthorizationDecisionResult,
  ];
  "authorization.policies.explainAssignment": [
    params: PluginAssignmentPreviewInput,
    result: PluginAuthorizationDecisionResult,
  ];
  "authorization.audit.search": [
    params: CompanyScoped &
      Paging & {
        action?: string;
        actorType?: string;
        actorId?: string;
        entityType?: string;
        entityId?: string;
        decision?: string;
      },
    result: PluginAuthorizationAuditEntry[],
  ];
}

export type WorkerToHostMethodName = keyof WorkerToHostMethods;

/** Worker→host notifications (no response): `method → params`. */
export interface WorkerToHostNotifications {
  "streams.emit": { channel: string; companyId: string; event: unknown };
  "streams.open": { channel: string; companyId: string };
  "streams.close": { channel: string; companyId: string };
  "execute.log": { stream: "stdout" | "stderr"; chunk: string };
  /**
   * A worker log line (ctx.logger and the runtime's own reports). The worker always sends `log`
   * as a notification, never as the `log` request above, and never with a `companyId`.
   */
  log: { level: "info" | "warn" | "error" | "debug"; message: string; meta?: Record<string, unknown> };
  /** One login pseudo-terminal output chunk (LOGIN_PTY_OUTPUT_NOTIFICATION). */
  "loginPty.output": { hostRouteId: string; workerSessionId: string; chunk: string };
  /** A login pseudo-terminal exited (LOGIN_PTY_EXIT_NOTIFICATION). */
  "loginPty.exit": { hostRouteId: string; workerSessionId: string; exitCode: number | null };
  /** One duplex channel data chunk, base64 on the wire (DUPLEX_CHANNEL_DATA_NOTIFICATION). */
  "duplexChannel.data": { hostRouteId: string; workerSessionId: string; chunk: ChannelBytesWireValue };
  /** A duplex channel's process exited or its transport closed (DUPLEX_CHANNEL_EXIT_NOTIFICATION). */
  "duplexChannel.exit": {
    hostRouteId: string;
    workerSessionId: string;
    exitCode: number | null;
    transportClosed: boolean;
  };
}

export type WorkerToHostNotificationName = keyof WorkerToHostNotifications;
