/**
 * The plugin manifest (`PaperclipPluginManifestV1`), every declaration it can hold, and the
 * host-side records derived from it. The runtime rules live in ../manifest/validator.ts.
 */
import type {
  PluginApiRouteAuthMode,
  PluginApiRouteCheckoutPolicy,
  PluginApiRouteMethod,
  PluginCapability,
  PluginCategory,
  PluginDatabaseCoreReadTable,
  PluginDatabaseMigrationStatus,
  PluginDatabaseNamespaceMode,
  PluginDatabaseNamespaceStatus,
  PluginJobRunStatus,
  PluginJobRunTrigger,
  PluginJobStatus,
  PluginLauncherAction,
  PluginLauncherBounds,
  PluginLauncherPlacementZone,
  PluginLauncherRenderEnvironment,
  PluginStateScopeKind,
  PluginStatus,
  PluginUiSlotEntityType,
  PluginUiSlotType,
  PluginWebhookDeliveryStatus,
} from "../constants.js";
import type {
  Agent,
  AgentAdapterType,
  AgentRole,
  CompanySkill,
  IssuePriority,
  IssueSurfaceVisibility,
  Project,
  ProjectStatus,
  Routine,
  RoutineActivityGatePolicy,
  RoutineActivityGateScope,
  RoutineCatchUpPolicy,
  RoutineConcurrencyPolicy,
  RoutineStatus,
  RoutineTrigger,
  RoutineVariable,
} from "./records.js";

export type {
  PluginApiRouteAuthMode,
  PluginApiRouteCheckoutPolicy,
  PluginApiRouteMethod,
  PluginBridgeErrorCode,
  PluginCapability,
  PluginCategory,
  PluginDatabaseCoreReadTable,
  PluginDatabaseMigrationStatus,
  PluginDatabaseNamespaceMode,
  PluginDatabaseNamespaceStatus,
  PluginJobRunStatus,
  PluginJobRunTrigger,
  PluginJobStatus,
  PluginLauncherAction,
  PluginLauncherBounds,
  PluginLauncherPlacementZone,
  PluginLauncherRenderEnvironment,
  PluginStateScopeKind,
  PluginStatus,
  PluginUiSlotEntityType,
  PluginUiSlotType,
  PluginWebhookDeliveryStatus,
} from "../constants.js";

/**
 * A JSON Schema object, plus Paperclip's form hints. A config field with
 * `"format": "secret-ref"` is rendered as a secret picker.
 */
export type JsonSchema = {
  "x-paperclip-advanced"?: boolean;
  "x-paperclip-group"?: string;
  [key: string]: unknown;
};

export interface PluginJobDeclaration {
  jobKey: string;
  displayName: string;
  description?: string;
  /** Five-field cron expression (digits, `*`, `/`, `-`, `,`). */
  schedule?: string;
}

export interface PluginWebhookDeclaration {
  endpointKey: string;
  displayName: string;
  description?: string;
}

export interface PluginToolDeclaration {
  name: string;
  displayName: string;
  description: string;
  parametersSchema: JsonSchema;
}

// ---------------------------------------------------------------------------
// Environment drivers (declared for compatibility; not run by this host yet)
// ---------------------------------------------------------------------------

export interface PluginEnvironmentTemplateConfigBinding {
  field: string;
  unsetFields?: string[];
}

export interface SandboxProviderCapabilities {
  reusableLeases?: boolean;
  nativeSyncIn?: boolean;
  nativeSyncOut?: boolean;
  persistentProcessSessions?: boolean;
  independentControlCommands?: boolean;
  incrementalSessionOutput?: boolean;
  concurrentSyncOperations?: boolean;
  duplexCommandStream?: boolean;
  runnerWebSocketIngress?: boolean;
}

export interface PluginEnvironmentDriverDeclaration {
  driverKey: string;
  kind?: "environment_driver" | "sandbox_provider";
  displayName: string;
  description?: string;
  supportsReusableLeases?: boolean;
  sandboxCapabilities?: SandboxProviderCapabilities;
  supportsInteractiveSetup?: boolean;
  interactiveSetupConnectionTypes?: string[];
  supportsTemplateCapture?: boolean;
  templateRefKind?: "snapshot" | "image" | "provider_template" | "unknown" | (string & {});
  templateConfigBinding?: PluginEnvironmentTemplateConfigBinding;
  templateIdentityPaths?: string[];
  supportsTemplateDelete?: boolean;
  supportsLoginPty?: boolean;
  /** Deprecated alias of `supportsLoginPty`. */
  supportsSetupTokenLogin?: boolean;
  configSchema: JsonSchema;
}

// ---------------------------------------------------------------------------
// Managed resources (declared for compatibility; out of scope for this host)
// ---------------------------------------------------------------------------

export interface PluginManagedAgentDeclaration {
  agentKey: string;
  displayName: string;
  role?: AgentRole | string;
  title?: string | null;
  icon?: string | null;
  capabilities?: string | null;
  adapterType?: AgentAdapterType | string;
  adapterPreference?: Array<AgentAdapterType | string>;
  adapterConfig?: Record<string, unknown>;
  runtimeConfig?: Record<string, unknown>;
  permissions?: Record<string, unknown>;
  status?: "idle" | "paused";
  budgetMonthlyCents?: number;
  instructions?: {
    entryFile?: string;
    content?: string;
    files?: Record<string, string>;
    assetPath?: string;
  };
}

export interface PluginManagedProjectDeclaration {
  projectKey: string;
  displayName: string;
  description?: string | null;
  status?: ProjectStatus;
  color?: string | null;
  settings?: Record<string, unknown>;
}

export interface PluginManagedSkillFileDeclaration {
  path: string;
  content: string;
}

export interface PluginManagedSkillDeclaration {
  skillKey: string;
  displayName: string;
  slug?: string;
  description?: string | null;
  markdown?: string;
  files?: PluginManagedSkillFileDeclaration[];
}

export type PluginManagedResourceKind = "agent" | "project" | "routine" | "skill";

export interface PluginManagedResourceRef {
  pluginKey?: string;
  resourceKind: PluginManagedResourceKind;
  resourceKey: string;
}

export interface PluginManagedRoutineDeclaration {
  routineKey: string;
  title: string;
  description?: string | null;
  assigneeRef?: PluginManagedResourceRef | null;
  projectRef?: PluginManagedResourceRef | null;
  goalId?: string | null;
  status?: RoutineStatus;
  priority?: IssuePriority;
  concurrencyPolicy?: RoutineConcurrencyPolicy;
  catchUpPolicy?: RoutineCatchUpPolicy;
  activityGatePolicy?: RoutineActivityGatePolicy;
  activityGateScope?: RoutineActivityGateScope;
  variables?: PluginManagedRoutineVariableDeclaration[];
  triggers?: PluginManagedRoutineTriggerDeclaration[];
  issueTemplate?: {
    surfaceVisibility?: IssueSurfaceVisibility;
    originId?: string | null;
    billingCode?: string | null;
  };
}

/** A routine variable as declared in a manifest; `type`, `required` and `options` get defaults. */
export type PluginManagedRoutineVariableDeclaration = Pick<
  RoutineVariable,
  "name" | "type" | "required" | "options"
> &
  Partial<Pick<RoutineVariable, "label" | "defaultValue">>;

/** A routine trigger as declared in a manifest (the host fills in the rest). */
export type PluginManagedRoutineTriggerDeclaration = Partial<
  Pick<
    RoutineTrigger,
    "label" | "enabled" | "cronExpression" | "timezone" | "signingMode" | "replayWindowSec"
  >
> &
  Pick<RoutineTrigger, "kind">;

type ManagedResolutionStatus = "missing" | "resolved" | "created" | "relinked" | "reset";

export interface PluginManagedAgentResolution {
  pluginKey: string;
  resourceKind: "agent";
  resourceKey: string;
  companyId: string;
  agentId: string | null;
  agent: Agent | null;
  status: ManagedResolutionStatus;
  approvalId?: string | null;
  defaultDrift?: { entryFile: string; changedFiles: string[] } | null;
}

export interface PluginManagedProjectResolution {
  pluginKey: string;
  resourceKind: "project";
  resourceKey: string;
  companyId: string;
  projectId: string | null;
  project: Project | null;
  status: ManagedResolutionStatus;
}

export interface PluginManagedRoutineResolution {
  pluginKey: string;
  resourceKind: "routine";
  resourceKey: string;
  companyId: string;
  routineId: string | null;
  routine: Routine | null;
  status: ManagedResolutionStatus | "missing_refs";
  missingRefs?: PluginManagedResourceRef[];
}

export interface PluginManagedSkillResolution {
  pluginKey: string;
  resourceKind: "skill";
  resourceKey: string;
  companyId: string;
  skillId: string | null;
  skill: CompanySkill | null;
  status: ManagedResolutionStatus;
  defaultDrift?: { changedFiles: string[] } | null;
}

// ---------------------------------------------------------------------------
// Local folders, UI, database, API routes, external objects
// ---------------------------------------------------------------------------

export interface PluginLocalFolderDeclaration {
  folderKey: string;
  displayName: string;
  description?: string;
  /** Defaults to `readWrite`. */
  access?: "read" | "readWrite";
  /** Relative paths that must exist as directories inside the configured folder. */
  requiredDirectories?: string[];
  /** Relative paths that must exist as files inside the configured folder. */
  requiredFiles?: string[];
}

export interface PluginUiSlotDeclaration {
  type: PluginUiSlotType;
  id: string;
  displayName: string;
  /** Named export of the UI bundle that renders this slot. */
  exportName: string;
  entityTypes?: PluginUiSlotEntityType[];
  /** One lowercase path segment; only for `page`, `routeSidebar`, `companySettingsPage`. */
  routePath?: string;
  order?: number;
}

export interface PluginLauncherActionDeclaration {
  type: PluginLauncherAction;
  target: string;
  params?: Record<string, unknown>;
}

export interface PluginLauncherRenderDeclaration {
  environment: PluginLauncherRenderEnvironment;
  bounds?: PluginLauncherBounds;
}

export interface PluginLauncherDeclaration {
  id: string;
  displayName: string;
  description?: string;
  placementZone: PluginLauncherPlacementZone;
  exportName?: string;
  entityTypes?: PluginUiSlotEntityType[];
  order?: number;
  action: PluginLauncherActionDeclaration;
  render?: PluginLauncherRenderDeclaration;
}

export type PluginMinimumHostVersion = string;

export interface PluginUiDeclaration {
  slots?: PluginUiSlotDeclaration[];
  launchers?: PluginLauncherDeclaration[];
}

export interface PluginDatabaseDeclaration {
  namespaceSlug?: string;
  /** Package-relative folder of SQL migrations. */
  migrationsDir: string;
  coreReadTables?: PluginDatabaseCoreReadTable[];
}

export type PluginApiRouteCompanyResolution =
  | { from: "body"; key: string }
  | { from: "query"; key: string }
  | { from: "issue"; param: string };

export interface PluginApiRouteDeclaration {
  routeKey: string;
  method: PluginApiRouteMethod;
  /** Path below `/api/plugins/:pluginId/api`, with optional `:param` segments. */
  path: string;
  auth: PluginApiRouteAuthMode;
  capability: "api.routes.register";
  checkoutPolicy?: PluginApiRouteCheckoutPolicy;
  companyResolution?: PluginApiRouteCompanyResolution;
}

export interface PluginObjectReferenceRefreshPolicy {
  defaultTtlSeconds?: number;
  staleAfterSeconds?: number;
}

export interface PluginObjectReferenceProviderDeclaration {
  providerKey: string;
  displayName: string;
  objectTypes: string[];
  urlPatterns?: string[];
  refreshPolicy?: PluginObjectReferenceRefreshPolicy;
  webhookEndpointKeys?: string[];
}

// ---------------------------------------------------------------------------
// The manifest
// ---------------------------------------------------------------------------

export interface PaperclipPluginManifestV1 {
  id: string;
  apiVersion: 1;
  version: string;
  displayName: string;
  description: string;
  author: string;
  categories: PluginCategory[];
  minimumHostVersion?: PluginMinimumHostVersion;
  /** Legacy alias of `minimumHostVersion`; must be equal when both are given. */
  minimumPaperclipVersion?: PluginMinimumHostVersion;
  capabilities: PluginCapability[];
  entrypoints: { worker: string; ui?: string };
  instanceConfigSchema?: JsonSchema;
  jobs?: PluginJobDeclaration[];
  webhooks?: PluginWebhookDeclaration[];
  tools?: PluginToolDeclaration[];
  database?: PluginDatabaseDeclaration;
  apiRoutes?: PluginApiRouteDeclaration[];
  environmentDrivers?: PluginEnvironmentDriverDeclaration[];
  agents?: PluginManagedAgentDeclaration[];
  projects?: PluginManagedProjectDeclaration[];
  routines?: PluginManagedRoutineDeclaration[];
  skills?: PluginManagedSkillDeclaration[];
  localFolders?: PluginLocalFolderDeclaration[];
  objectReferences?: PluginObjectReferenceProviderDeclaration[];
  /** Legacy top-level launchers; ids must be unique together with `ui.launchers`. */
  launchers?: PluginLauncherDeclaration[];
  ui?: PluginUiDeclaration;
}

// ---------------------------------------------------------------------------
// Host records derived from an installed manifest
// ---------------------------------------------------------------------------

export interface PluginRecord {
  id: string;
  pluginKey: string;
  packageName: string;
  version: string;
  apiVersion: number;
  categories: PluginCategory[];
  manifestJson: PaperclipPluginManifestV1;
  status: PluginStatus;
  installOrder: number | null;
  packagePath: string | null;
  lastError: string | null;
  installedAt: Date;
  updatedAt: Date;
}

export interface PluginDatabaseNamespaceRecord {
  id: string;
  pluginId: string;
  pluginKey: string;
  namespaceName: string;
  namespaceMode: PluginDatabaseNamespaceMode;
  status: PluginDatabaseNamespaceStatus;
  createdAt: Date;
  updatedAt: Date;
}

export interface PluginMigrationRecord {
  id: string;
  pluginId: string;
  pluginKey: string;
  namespaceName: string;
  migrationKey: string;
  checksum: string;
  pluginVersion: string;
  status: PluginDatabaseMigrationStatus;
  startedAt: Date;
  appliedAt: Date | null;
  errorMessage: string | null;
}

export interface PluginStateRecord {
  id: string;
  pluginId: string;
  scopeKind: PluginStateScopeKind;
  scopeId: string | null;
  namespace: string;
  stateKey: string;
  valueJson: unknown;
  updatedAt: Date;
}

export interface PluginConfig {
  id: string;
  pluginId: string;
  companyId: string;
  configJson: Record<string, unknown>;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PluginCompanySettings {
  id: string;
  companyId: string;
  pluginId: string;
  enabled: boolean;
  settingsJson: Record<string, unknown>;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PluginJobRecord {
  id: string;
  pluginId: string;
  jobKey: string;
  schedule: string;
  status: PluginJobStatus;
  lastRunAt: Date | null;
  nextRunAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PluginJobRunRecord {
  id: string;
  jobId: string;
  pluginId: string;
  trigger: PluginJobRunTrigger;
  status: PluginJobRunStatus;
  durationMs: number | null;
  error: string | null;
  logs: string[];
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
}

export interface PluginWebhookDeliveryRecord {
  id: string;
  pluginId: string;
  webhookKey: string;
  externalId: string | null;
  status: PluginWebhookDeliveryStatus;
  durationMs: number | null;
  error: string | null;
  payload: Record<string, unknown>;
  headers: Record<string, string>;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
}
