/**
 * Plugin-runtime records: what a worker receives (events, job and tool contexts) and what
 * its `ctx` clients exchange with the host (state keys, plugin entities, workspaces,
 * agent sessions). The Paperclip entities themselves live in ./records.ts.
 */
import type {
  PermissionKey,
  PluginEventType,
  PluginLauncherBounds,
  PluginLauncherRenderEnvironment,
  PluginStateScopeKind,
  PrincipalType,
} from "../constants.js";
import type { PluginLauncherDeclaration } from "./manifest.js";

export type {
  HumanCompanyMembershipRole,
  InviteJoinType,
  MembershipStatus,
  PermissionKey,
  PluginEventType,
  PrincipalType,
} from "../constants.js";

/** Where one piece of plugin state lives. `scopeId` is omitted for `instance` scope. */
export interface ScopeKey {
  scopeKind: PluginStateScopeKind;
  scopeId?: string;
  /** Sub-namespace inside the scope; the host uses `"default"` when omitted. */
  namespace?: string;
  stateKey: string;
}

/**
 * Narrows an event subscription. Evaluated by the host before dispatch and again in the
 * worker; all given fields must match. Unknown keys are ignored.
 */
export interface EventFilter {
  projectId?: string;
  companyId?: string;
  agentId?: string;
  [key: string]: unknown;
}

/** The envelope of every domain or plugin event delivered to a worker. */
export interface PluginEvent<TPayload = unknown> {
  eventId: string;
  eventType: PluginEventType | `plugin.${string}`;
  /** ISO-8601 time the event happened. */
  occurredAt: string;
  actorId?: string;
  actorType?: "user" | "agent" | "system" | "plugin";
  entityId?: string;
  entityType?: string;
  companyId: string;
  payload: TPayload;
}

/** Passed to a job handler when the host runs a declared job. */
export interface PluginJobContext {
  jobKey: string;
  runId: string;
  trigger: "schedule" | "manual" | "retry";
  /** ISO-8601 time the run was due. */
  scheduledAt: string;
}

/** Who is calling a plugin tool, and for which run. */
export interface ToolRunContext {
  agentId: string;
  runId: string;
  companyId: string;
  projectId: string;
}

/** What a tool handler returns to the agent; `error` marks a failed call. */
export interface ToolResult {
  content?: string;
  data?: unknown;
  error?: string;
}

/** Input of `ctx.entities.upsert`: matched on `(entityType, externalId)` within the plugin. */
export interface PluginEntityUpsert {
  entityType: string;
  scopeKind: PluginStateScopeKind;
  scopeId?: string;
  externalId?: string;
  title?: string;
  status?: string;
  data: Record<string, unknown>;
}

/** A plugin-owned entity as returned to the worker (timestamps are ISO strings). */
export interface PluginEntityRecord {
  id: string;
  entityType: string;
  scopeKind: PluginStateScopeKind;
  scopeId: string | null;
  externalId: string | null;
  title: string | null;
  status: string | null;
  data: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** Filter and paging for `ctx.entities.list`. */
export interface PluginEntityQuery {
  entityType?: string;
  scopeKind?: PluginStateScopeKind;
  scopeId?: string;
  externalId?: string;
  limit?: number;
  offset?: number;
}

/** A project workspace: where a project's files live on disk. */
export interface PluginWorkspace {
  id: string;
  projectId: string;
  name: string;
  path: string;
  repoUrl: string | null;
  repoRef: string | null;
  defaultRef: string | null;
  isPrimary: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The plugin-safe view of an execution workspace. */
export interface PluginExecutionWorkspaceMetadata {
  id: string;
  companyId: string;
  projectId: string;
  projectWorkspaceId: string | null;
  path: string | null;
  cwd: string | null;
  repoUrl: string | null;
  baseRef: string | null;
  branchName: string | null;
  providerType: string | null;
  providerMetadata: Record<string, unknown> | null;
}

// ---------------------------------------------------------------------------
// Agent sessions
// ---------------------------------------------------------------------------

export interface AgentSession {
  sessionId: string;
  agentId: string;
  companyId: string;
  status: "active" | "closed";
  createdAt: string;
}

/** One streamed event of an agent run started through a session. */
export interface AgentSessionEvent {
  sessionId: string;
  runId: string;
  seq: number;
  eventType: "chunk" | "status" | "done" | "error";
  stream: "stdout" | "stderr" | "system" | null;
  message: string | null;
  payload: Record<string, unknown> | null;
}

export interface AgentSessionSendResult {
  runId: string;
}

// ---------------------------------------------------------------------------
// Launchers and render context
// ---------------------------------------------------------------------------

/** A launcher registered at runtime has the same shape as a manifest launcher. */
export type PluginLauncherRegistration = PluginLauncherDeclaration;

/** Where a launcher-opened surface is rendering, forwarded with data/action calls. */
export interface PluginLauncherRenderContextSnapshot {
  environment: PluginLauncherRenderEnvironment | null;
  launcherId: string | null;
  bounds: PluginLauncherBounds | null;
}

/** A plugin UI's request to resize its host modal. */
export interface PluginModalBoundsRequest {
  bounds: PluginLauncherBounds;
  width?: number;
  height?: number;
  minWidth?: number;
  minHeight?: number;
  maxWidth?: number;
  maxHeight?: number;
}

export interface PluginRenderCloseEvent {
  reason: "escapeKey" | "backdrop" | "hostNavigation" | "programmatic" | "submit" | "unknown";
  nativeEvent?: unknown;
}

// ---------------------------------------------------------------------------
// Secrets and access
// ---------------------------------------------------------------------------

export type SecretVersionSelector = number | "latest";
export type SecretProjectionClass = "unclassified" | "class_3_static_lease";

/** A reference to a company secret, as stored in plugin config (`format: "secret-ref"`). */
export interface EnvSecretRefBinding {
  type: "secret_ref";
  secretId: string;
  version?: SecretVersionSelector;
  projectionClass?: SecretProjectionClass;
  projectionAllowlistKey?: string | null;
}

export interface PrincipalPermissionGrant {
  id: string;
  companyId: string;
  principalType: PrincipalType;
  principalId: string;
  permissionKey: PermissionKey;
  scope: Record<string, unknown> | null;
  grantedByUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export * from "./interactions.js";
export * from "./records.js";
