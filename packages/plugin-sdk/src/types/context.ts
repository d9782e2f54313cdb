/**
 * `PluginContext` — the `ctx` object handed to `setup(ctx)` — and one interface per
 * namespace. Names and signatures match the published SDK so plugin code compiles
 * unchanged. Each method maps to one worker→host RPC (see ../protocol/methods.ts).
 */

import type { PluginPerformActionContext } from "../protocol/methods.js";
import type { PluginAccessClient, PluginAuthorizationClient } from "./access-clients.js";
import type {
  AgentSession,
  AgentSessionEvent,
  AgentSessionSendResult,
  EnvSecretRefBinding,
  EventFilter,
  PluginEntityQuery,
  PluginEntityRecord,
  PluginEntityUpsert,
  PluginEvent,
  PluginEventType,
  PluginExecutionWorkspaceMetadata,
  PluginJobContext,
  PluginLauncherRegistration,
  PluginWorkspace,
  ScopeKey,
  ToolResult,
  ToolRunContext,
} from "./domain.js";
import type { PluginIssuesClient } from "./issues-client.js";
import type {
  PaperclipPluginManifestV1,
  PluginLocalFolderDeclaration,
  PluginManagedAgentResolution,
  PluginManagedProjectResolution,
  PluginManagedRoutineResolution,
  PluginManagedSkillResolution,
  PluginToolDeclaration,
} from "./manifest.js";
import type { Agent, Approval, Company, Goal, Project, Routine, RoutineRun } from "./records.js";
import type {
  PluginActivityLogEntry,
  PluginLocalFolderConfigureInput,
  PluginLocalFolderListing,
  PluginLocalFolderListOptions,
  PluginLocalFolderStatus,
} from "./summaries.js";
import type { PluginTracer } from "./tracer.js";

// ---------------------------------------------------------------------------
// Configuration, files, events, jobs
// ---------------------------------------------------------------------------

export interface PluginConfigClient {
  /** The operator's config for a company; inside an invocation the company may be omitted. */
  get(companyId?: string): Promise<Record<string, unknown>>;
}

export interface PluginLocalFoldersClient {
  /** The folders declared in the manifest (answered locally). */
  declarations(): PluginLocalFolderDeclaration[];
  configure(input: PluginLocalFolderConfigureInput): Promise<PluginLocalFolderStatus>;
  status(companyId: string, folderKey: string): Promise<PluginLocalFolderStatus>;
  list(
    companyId: string,
    folderKey: string,
    options?: PluginLocalFolderListOptions,
  ): Promise<PluginLocalFolderListing>;
  readText(companyId: string, folderKey: string, relativePath: string): Promise<string>;
  writeTextAtomic(
    companyId: string,
    folderKey: string,
    relativePath: string,
    contents: string,
  ): Promise<PluginLocalFolderStatus>;
  /** Missing files count as already deleted. */
  deleteFile(companyId: string, folderKey: string, relativePath: string): Promise<PluginLocalFolderStatus>;
}

export interface PluginEventsClient {
  /** Subscribe to a core event, a plugin event, or a `prefix.*` wildcard. Returns an unsubscribe function. */
  on(name: PluginEventType | `plugin.${string}`, fn: (event: PluginEvent) => Promise<void>): () => void;
  on(
    name: PluginEventType | `plugin.${string}`,
    filter: EventFilter,
    fn: (event: PluginEvent) => Promise<void>,
  ): () => void;
  /** Emit `plugin.<manifest.id>.<name>` to subscribers (needs `events.emit`). */
  emit(name: string, companyId: string, payload: unknown): Promise<void>;
}

export interface PluginJobsClient {
  /** Handle runs of a job declared in the manifest under the same `jobKey`. */
  register(key: string, fn: (job: PluginJobContext) => Promise<void>): void;
}

export interface PluginLaunchersClient {
  /** Register launcher metadata; a later registration with the same id replaces the earlier one. */
  register(launcher: PluginLauncherRegistration): void;
}

export interface PluginDatabaseClient {
  /** The plugin's private schema name (`""` when the manifest declares no database). */
  namespace: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  execute(sql: string, params?: unknown[]): Promise<{ rowCount: number }>;
}

export interface PluginHttpClient {
  /** Outbound HTTP performed by the host (needs `http.outbound`). */
  fetch(url: string, init?: RequestInit): Promise<Response>;
}

export interface PluginSecretsClient {
  /** Resolve a secret reference bound to this plugin. Never store the result. */
  resolve(
    secretRef: string | EnvSecretRefBinding,
    options?: { companyId?: string; configPath?: string },
  ): Promise<string>;
}

export interface PluginActivityClient {
  log(entry: PluginActivityLogEntry): Promise<void>;
}

export interface PluginStateClient {
  /** The stored JSON value, or `null` when absent. */
  get(input: ScopeKey): Promise<unknown>;
  set(input: ScopeKey, value: unknown): Promise<void>;
  delete(input: ScopeKey): Promise<void>;
}

export interface PluginEntitiesClient {
  upsert(input: PluginEntityUpsert): Promise<PluginEntityRecord>;
  list(query: PluginEntityQuery): Promise<PluginEntityRecord[]>;
}

// ---------------------------------------------------------------------------
// Domain clients
// ---------------------------------------------------------------------------

export interface PluginProjectsClient {
  list(input: { companyId: string; limit?: number; offset?: number }): Promise<Project[]>;
  get(projectId: string, companyId: string): Promise<Project | null>;
  listWorkspaces(projectId: string, companyId: string): Promise<PluginWorkspace[]>;
  getPrimaryWorkspace(projectId: string, companyId: string): Promise<PluginWorkspace | null>;
  getWorkspaceForIssue(issueId: string, companyId: string): Promise<PluginWorkspace | null>;
  managed: {
    get(projectKey: string, companyId: string): Promise<PluginManagedProjectResolution>;
    reconcile(projectKey: string, companyId: string): Promise<PluginManagedProjectResolution>;
    reset(projectKey: string, companyId: string): Promise<PluginManagedProjectResolution>;
  };
}

export interface PluginExecutionWorkspacesClient {
  get(workspaceId: string, companyId: string): Promise<PluginExecutionWorkspaceMetadata | null>;
}

type ManagedRoutineOverrides = { assigneeAgentId?: string | null; projectId?: string | null };

export interface PluginRoutinesClient {
  managed: {
    get(routineKey: string, companyId: string): Promise<PluginManagedRoutineResolution>;
    reconcile(
      routineKey: string,
      companyId: string,
      overrides?: ManagedRoutineOverrides,
    ): Promise<PluginManagedRoutineResolution>;
    reset(
      routineKey: string,
      companyId: string,
      overrides?: ManagedRoutineOverrides,
    ): Promise<PluginManagedRoutineResolution>;
    update(routineKey: string, companyId: string, patch: { status?: string }): Promise<Routine>;
    run(routineKey: string, companyId: string, overrides?: ManagedRoutineOverrides): Promise<RoutineRun>;
  };
}

export interface PluginSkillsClient {
  managed: {
    get(skillKey: string, companyId: string): Promise<PluginManagedSkillResolution>;
    reconcile(skillKey: string, companyId: string): Promise<PluginManagedSkillResolution>;
    reset(skillKey: string, companyId: string): Promise<PluginManagedSkillResolution>;
  };
}

export interface PluginCompaniesClient {
  list(input?: { limit?: number; offset?: number }): Promise<Company[]>;
  get(companyId: string): Promise<Company | null>;
}

export interface PluginApprovalsClient {
  list(input: { companyId: string; status?: string | null }): Promise<Approval[]>;
  get(approvalId: string, companyId: string): Promise<Approval | null>;
  decide(
    approvalId: string,
    input: { action: "approve" | "reject"; actorUserId?: string; decisionNote?: string | null },
    companyId: string,
  ): Promise<{ approval: Approval; applied: boolean }>;
}

export interface PluginAgentSessionsClient {
  create(
    agentId: string,
    companyId: string,
    opts?: { taskKey?: string; reason?: string },
  ): Promise<AgentSession>;
  list(agentId: string, companyId: string): Promise<AgentSession[]>;
  /** Resolves once the run is queued; `onEvent` then receives the run's streamed events. */
  sendMessage(
    sessionId: string,
    companyId: string,
    opts: { prompt: string; reason?: string; onEvent?: (event: AgentSessionEvent) => void },
  ): Promise<AgentSessionSendResult>;
  close(sessionId: string, companyId: string): Promise<void>;
}

export interface PluginAgentsClient {
  list(input: {
    companyId: string;
    status?: Agent["status"];
    limit?: number;
    offset?: number;
  }): Promise<Agent[]>;
  get(agentId: string, companyId: string): Promise<Agent | null>;
  pause(agentId: string, companyId: string): Promise<Agent>;
  resume(agentId: string, companyId: string): Promise<Agent>;
  invoke(
    agentId: string,
    companyId: string,
    opts: { prompt: string; reason?: string },
  ): Promise<{ runId: string }>;
  managed: {
    get(agentKey: string, companyId: string): Promise<PluginManagedAgentResolution>;
    reconcile(agentKey: string, companyId: string): Promise<PluginManagedAgentResolution>;
    reset(agentKey: string, companyId: string): Promise<PluginManagedAgentResolution>;
  };
  sessions: PluginAgentSessionsClient;
}

export interface PluginGoalsClient {
  list(input: {
    companyId: string;
    level?: Goal["level"];
    status?: Goal["status"];
    limit?: number;
    offset?: number;
  }): Promise<Goal[]>;
  get(goalId: string, companyId: string): Promise<Goal | null>;
  create(input: {
    companyId: string;
    title: string;
    description?: string;
    level?: Goal["level"];
    status?: Goal["status"];
    parentId?: string;
    ownerAgentId?: string;
  }): Promise<Goal>;
  update(
    goalId: string,
    patch: Partial<Pick<Goal, "title" | "description" | "level" | "status" | "parentId" | "ownerAgentId">>,
    companyId: string,
  ): Promise<Goal>;
}

// ---------------------------------------------------------------------------
// Handlers the worker registers, streams, observability
// ---------------------------------------------------------------------------

export interface PluginDataClient {
  /** Answer `getData` for `key`; params include the caller's `companyId` and `renderEnvironment`. */
  register(key: string, handler: (params: Record<string, unknown>) => Promise<unknown>): void;
}

export interface PluginActionsClient {
  register(
    key: string,
    handler: (params: Record<string, unknown>, context: PluginPerformActionContext) => Promise<unknown>,
  ): void;
}

export interface PluginStreamsClient {
  /** Start a channel the board can follow over SSE for one company. */
  open(channel: string, companyId: string): void;
  emit(channel: string, event: unknown): void;
  close(channel: string): void;
}

/** Output of environment-driver `execute` calls (environment providers only). */
export interface PluginExecutionClient {
  log(stream: "stdout" | "stderr", chunk: string): void;
}

export interface PluginLoginPtyClient {
  output(hostRouteId: string, workerSessionId: string, chunk: string): void;
  exit(hostRouteId: string, workerSessionId: string, exitCode: number | null): void;
}

export interface PluginDuplexChannelClient {
  data(hostRouteId: string, workerSessionId: string, chunk: Uint8Array): void;
  exit(
    hostRouteId: string,
    workerSessionId: string,
    exitCode: number | null,
    transportClosed?: boolean,
  ): void;
}

export interface PluginToolsClient {
  /** Implement a tool declared in `manifest.tools` under the same name. */
  register(
    name: string,
    declaration: Pick<PluginToolDeclaration, "displayName" | "description" | "parametersSchema">,
    fn: (params: unknown, runCtx: ToolRunContext) => Promise<ToolResult>,
  ): void;
}

export interface PluginMetricsClient {
  write(name: string, value: number, tags?: Record<string, string>): Promise<void>;
}

export interface PluginTelemetryClient {
  /** `eventName` must match `^[a-z0-9][a-z0-9_-]*$`. */
  track(eventName: string, dimensions?: Record<string, string | number | boolean>): Promise<void>;
}

export interface PluginLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
}

// ---------------------------------------------------------------------------
// The context
// ---------------------------------------------------------------------------

export interface PluginContext {
  /** The manifest the host sent in `initialize`. */
  manifest: PaperclipPluginManifestV1;
  config: PluginConfigClient;
  localFolders: PluginLocalFoldersClient;
  events: PluginEventsClient;
  jobs: PluginJobsClient;
  launchers: PluginLaunchersClient;
  db: PluginDatabaseClient;
  http: PluginHttpClient;
  secrets: PluginSecretsClient;
  activity: PluginActivityClient;
  state: PluginStateClient;
  entities: PluginEntitiesClient;
  projects: PluginProjectsClient;
  executionWorkspaces: PluginExecutionWorkspacesClient;
  routines: PluginRoutinesClient;
  skills: PluginSkillsClient;
  companies: PluginCompaniesClient;
  issues: PluginIssuesClient;
  approvals: PluginApprovalsClient;
  agents: PluginAgentsClient;
  goals: PluginGoalsClient;
  access: PluginAccessClient;
  authorization: PluginAuthorizationClient;
  data: PluginDataClient;
  actions: PluginActionsClient;
  streams: PluginStreamsClient;
  execution: PluginExecutionClient;
  loginPty: PluginLoginPtyClient;
  duplexChannel: PluginDuplexChannelClient;
  tools: PluginToolsClient;
  metrics: PluginMetricsClient;
  telemetry: PluginTelemetryClient;
  logger: PluginLogger;
  tracer: PluginTracer;
}

export type {
  PluginAccessClient,
  PluginAccessInvitesClient,
  PluginAccessMembersClient,
  PluginAuthorizationClient,
} from "./access-clients.js";
export type {
  PluginIssueCreateInput,
  PluginIssueDocumentsClient,
  PluginIssueRelationsClient,
  PluginIssueSummariesClient,
  PluginIssuesClient,
  PluginIssueUpdatePatch,
} from "./issues-client.js";
export type { PluginSpan, PluginTracer } from "./tracer.js";
