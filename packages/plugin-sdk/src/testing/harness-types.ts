import type { PluginPerformActionActorContext } from "../protocol/methods.js";
import type {
  Agent,
  AgentSessionEvent,
  Approval,
  Company,
  Goal,
  Issue,
  IssueAttachment,
  IssueComment,
  IssueThreadInteraction,
  PaperclipPluginManifestV1,
  PluginAccessMember,
  PluginCapability,
  PluginContext,
  PluginEvent,
  PluginEventType,
  PluginExecutionWorkspaceMetadata,
  PluginJobContext,
  PluginWorkspace,
  PrincipalPermissionGrant,
  Project,
  ScopeKey,
  ToolResult,
  ToolRunContext,
} from "../types/index.js";

export interface TestHarnessOptions {
  /** Manifest of the plugin under test: its id names the plugin and its capabilities are granted. */
  manifest: PaperclipPluginManifestV1;
  /** Capabilities to grant instead of `manifest.capabilities` (e.g. to test a denial). */
  capabilities?: PluginCapability[];
  /** Config returned by `ctx.config.get()` until `setConfig` replaces it. */
  config?: Record<string, unknown>;
}

export interface TestHarnessLogEntry {
  level: "info" | "warn" | "error" | "debug";
  message: string;
  meta?: Record<string, unknown>;
}

export interface TestHarnessPerformActionOptions {
  /** Authenticated actor the host would resolve; missing fields are null and `type` defaults to `system`. */
  actor?: Partial<PluginPerformActionActorContext> | null;
  /** Company the host authorized for this call; it overrides any `companyId` in params, as the bridge does. */
  companyId?: string | null;
}

/** Records a test can load into the in-memory host before exercising the plugin. */
export interface TestHarnessSeed {
  companies?: Company[];
  projects?: Project[];
  issues?: Issue[];
  issueComments?: IssueComment[];
  issueInteractions?: IssueThreadInteraction[];
  issueAttachments?: Array<IssueAttachment & { contentBase64?: string }>;
  approvals?: Approval[];
  agents?: Agent[];
  goals?: Goal[];
  projectWorkspaces?: PluginWorkspace[];
  executionWorkspaces?: PluginExecutionWorkspaceMetadata[];
  accessMembers?: PluginAccessMember[];
  principalGrants?: PrincipalPermissionGrant[];
}

export interface TestHarnessActivityEntry {
  message: string;
  companyId?: string;
  entityType?: string;
  entityId?: string;
  metadata?: Record<string, unknown>;
}

export interface TestHarnessMetricEntry {
  name: string;
  value: number;
  tags?: Record<string, string>;
}

export interface TestHarnessTelemetryEntry {
  eventName: string;
  dimensions?: Record<string, string | number | boolean>;
}

export interface TestHarnessSqlEntry {
  sql: string;
  params?: unknown[];
}

export interface TestHarness {
  /** The in-memory, capability-checked context to pass to `plugin.definition.setup(ctx)`. */
  ctx: PluginContext;
  /** Load host records read by `ctx.companies/projects/issues/agents/goals/approvals/access/authorization`. */
  seed(input: TestHarnessSeed): void;
  /** Replace the config `ctx.config.get()` returns. */
  setConfig(config: Record<string, unknown>): void;
  /** Deliver an event to the handlers registered with `ctx.events.on`, as the host would. */
  emit(
    eventType: PluginEventType | `plugin.${string}`,
    payload: unknown,
    base?: Partial<PluginEvent>,
  ): Promise<void>;
  /** Run the handler registered with `ctx.jobs.register(jobKey, …)`. */
  runJob(jobKey: string, partial?: Partial<PluginJobContext>): Promise<void>;
  /** Call the handler registered with `ctx.data.register(key, …)`. */
  getData<T = unknown>(key: string, params?: Record<string, unknown>): Promise<T>;
  /** Call the handler registered with `ctx.actions.register(key, …)`. */
  performAction<T = unknown>(
    key: string,
    params?: Record<string, unknown>,
    options?: TestHarnessPerformActionOptions,
  ): Promise<T>;
  /** Call the tool registered with `ctx.tools.register(name, …)`, as an agent run would. */
  executeTool<T = ToolResult>(name: string, params: unknown, runCtx?: Partial<ToolRunContext>): Promise<T>;
  /** Raw stored state: `undefined` when never set, otherwise the stored JSON value (possibly `null`). */
  getState(input: ScopeKey): unknown;
  /** Push a streaming event to the `onEvent` callback of `ctx.agents.sessions.sendMessage`. */
  simulateSessionEvent(sessionId: string, event: Omit<AgentSessionEvent, "sessionId">): void;
  /** `ctx.logger.*` calls, plus a line per failed event handler. */
  logs: TestHarnessLogEntry[];
  /** `ctx.activity.log` entries. */
  activity: TestHarnessActivityEntry[];
  /** `ctx.metrics.write` calls. */
  metrics: TestHarnessMetricEntry[];
  /** `ctx.telemetry.track` calls. */
  telemetry: TestHarnessTelemetryEntry[];
  /** `ctx.db.query` calls (the harness has no database: queries return no rows). */
  dbQueries: TestHarnessSqlEntry[];
  /** `ctx.db.execute` calls (each reports `rowCount: 0`). */
  dbExecutes: TestHarnessSqlEntry[];
}
