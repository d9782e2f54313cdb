/**
 * Param and result types of the optional extension hooks (external objects, environment drivers,
 * login pseudo-terminals, duplex channels). This host does not drive these yet; the types exist
 * so plugins written against the published SDK type-check unchanged. Names and shapes follow the
 * published protocol types.
 */

type Metadata = Record<string, unknown>;

// ---- External objects -------------------------------------------------------------------------

export type ExternalObjectStatusCategory =
  | "unknown"
  | "open"
  | "waiting"
  | "running"
  | "succeeded"
  | "failed"
  | "blocked"
  | "closed"
  | "archived"
  | "auth_required"
  | "unreachable";
export type ExternalObjectStatusTone = "neutral" | "info" | "success" | "warning" | "danger" | "muted";
export type ExternalObjectLivenessState = "unknown" | "fresh" | "stale" | "auth_required" | "unreachable";

export interface PluginExternalObjectUrlCandidate {
  sanitizedCanonicalUrl: string;
  sanitizedDisplayUrl: string;
  canonicalIdentityHash: string;
  canonicalIdentity: Metadata;
  redactedMatchedText: string;
}

export interface PluginExternalObjectSourceContext {
  companyId: string;
  sourceIssueId: string;
  sourceKind: "title" | "description" | "comment" | "document" | "property" | "plugin";
  sourceRecordId: string | null;
  documentKey: string | null;
  propertyKey: string | null;
}

export interface DetectExternalObjectsParams {
  companyId: string;
  urls: PluginExternalObjectUrlCandidate[];
  sourceContext: PluginExternalObjectSourceContext;
}

export interface PluginExternalObjectDetection {
  urlIdentityHash: string;
  providerKey: string;
  objectType: string;
  externalId: string;
  displayKey?: string | null;
  iconKey?: string | null;
  displayTitle?: string | null;
  confidence?: "exact" | "likely" | "possible";
}

export interface DetectExternalObjectsResult {
  detections: PluginExternalObjectDetection[];
}

export interface PluginExternalObjectRecordSnapshot {
  id: string;
  companyId: string;
  providerKey: string;
  objectType: string;
  externalId: string;
  sanitizedCanonicalUrl: string | null;
  canonicalIdentityHash: string | null;
  displayKey: string | null;
  iconKey: string | null;
  displayTitle: string | null;
  statusKey: string | null;
  statusLabel: string | null;
  statusIconKey: string | null;
  statusCategory: ExternalObjectStatusCategory;
  statusTone: ExternalObjectStatusTone;
  liveness: ExternalObjectLivenessState;
  isTerminal: boolean;
  data: Metadata;
  remoteVersion: string | null;
  etag: string | null;
}

export interface ResolveExternalObjectParams {
  companyId: string;
  providerKey: string;
  objectType: string;
  externalId: string;
  object: PluginExternalObjectRecordSnapshot;
}

export interface PluginExternalObjectResolvedSnapshot {
  displayKey?: string | null;
  iconKey?: string | null;
  displayTitle?: string | null;
  statusKey?: string | null;
  statusLabel?: string | null;
  statusIconKey?: string | null;
  statusCategory: ExternalObjectStatusCategory;
  statusTone: ExternalObjectStatusTone;
  isTerminal?: boolean;
  data?: Metadata;
  remoteVersion?: string | null;
  etag?: string | null;
  ttlSeconds?: number;
}

export type PluginExternalObjectResolveResult =
  | { ok: true; snapshot: PluginExternalObjectResolvedSnapshot }
  | {
      ok: false;
      liveness: "auth_required" | "unreachable";
      errorCode: string;
      errorMessage?: string | null;
      retryAfterSeconds?: number;
    };

export interface RefreshExternalObjectsParams {
  companyId: string;
  objects: PluginExternalObjectRecordSnapshot[];
}

export interface RefreshExternalObjectsResult {
  results: Array<{ objectId: string; result: PluginExternalObjectResolveResult }>;
}

// ---- Environment drivers ----------------------------------------------------------------------

export interface PluginEnvironmentDiagnostic {
  severity: "info" | "warning" | "error";
  message: string;
  code?: string;
  details?: Metadata;
}

export interface PluginEnvironmentDriverBaseParams {
  driverKey: string;
  companyId: string;
  environmentId: string;
  issueId?: string | null;
  config: Metadata;
}

export interface PluginEnvironmentValidateConfigParams {
  driverKey: string;
  config: Metadata;
}

export interface PluginEnvironmentValidationResult {
  ok: boolean;
  warnings?: string[];
  errors?: string[];
  normalizedConfig?: Metadata;
}

export interface PluginEnvironmentProbeParams extends PluginEnvironmentDriverBaseParams {}

export interface PluginEnvironmentProbeResult {
  ok: boolean;
  summary?: string;
  diagnostics?: PluginEnvironmentDiagnostic[];
  metadata?: Metadata;
}

export interface PluginEnvironmentLease {
  providerLeaseId: string | null;
  metadata?: Metadata;
  expiresAt?: string | null;
}

export interface PluginEnvironmentRunnerIngressEndpoint {
  kind: "authenticated_websocket";
  websocketUrl: string;
  secretHeaders: Array<{ name: string; value: string }>;
  generation: string;
}

export interface PluginEnvironmentRunnerIngressEndpointParams extends PluginEnvironmentDriverBaseParams {
  lease: PluginEnvironmentLease;
  port: number;
  path: string;
}

export interface PluginEnvironmentAcquireLeaseParams extends PluginEnvironmentDriverBaseParams {
  runId: string;
  workspaceMode?: string;
  requestedCwd?: string;
  agentId?: string;
  executionWorkspaceId?: string | null;
  adapterType?: string;
  executionWorkspaceSettings?: Metadata | null;
  requestedExpiresAt?: string | null;
}

export interface PluginEnvironmentResumeLeaseParams extends PluginEnvironmentDriverBaseParams {
  providerLeaseId: string;
  leaseMetadata?: Metadata;
}

export interface PluginEnvironmentReleaseLeaseParams extends PluginEnvironmentDriverBaseParams {
  cancelActiveWork?: boolean;
  providerLeaseId: string | null;
  leaseMetadata?: Metadata;
}

export interface PluginEnvironmentTerminationReceipt {
  providerLeaseId: string;
  state: "stopped" | "destroyed";
}

export interface PluginEnvironmentDestroyLeaseParams extends PluginEnvironmentReleaseLeaseParams {}

export interface PluginEnvironmentRealizeWorkspaceParams extends PluginEnvironmentDriverBaseParams {
  lease: PluginEnvironmentLease;
  workspace: { localPath?: string; remotePath?: string; mode?: string; metadata?: Metadata };
}

export interface PluginEnvironmentRealizeWorkspaceResult {
  cwd: string;
  metadata?: Metadata;
}

export interface PluginEnvironmentExecuteParams extends PluginEnvironmentDriverBaseParams {
  lease: PluginEnvironmentLease;
  command: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string>;
  stdin?: string;
  timeoutMs?: number;
  bypassSession?: boolean;
}

export interface PluginEnvironmentExecuteResult {
  exitCode: number | null;
  signal?: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  metadata?: Metadata;
}

export interface PluginSyncFileMapping {
  sourcePath: string;
  targetPath: string;
  kind: "file" | "directory";
  mode?: number;
  exclude?: string[];
  followSymlinks?: boolean;
  access?: "rw" | "ro";
  writablePath?: string;
}

export interface PluginPostUploadCommand {
  command: string;
  cwd?: string;
  timeoutMs?: number;
}

export interface PluginSyncOperation {
  operationId: string;
  files: PluginSyncFileMapping[];
  postUploadCommands?: PluginPostUploadCommand[];
}

export interface PluginEnvironmentSyncInParams extends PluginEnvironmentDriverBaseParams {
  lease: PluginEnvironmentLease;
  operations: PluginSyncOperation[];
}

export interface PluginEnvironmentSyncOutParams extends PluginEnvironmentDriverBaseParams {
  lease: PluginEnvironmentLease;
  operations: PluginSyncOperation[];
}

export interface PluginEnvironmentSyncResult {
  operations: { operationId: string; filesTransferred: number; bytesTransferred: number }[];
}

export type PluginEnvironmentInteractiveSetupStatus =
  | "starting"
  | "waiting_for_user"
  | "capturing"
  | "promoted"
  | "cancelled"
  | "timed_out"
  | "failed"
  | "missing";
export type PluginEnvironmentInteractiveSetupConnectionType = "ssh" | (string & {});
export type PluginEnvironmentTemplateRefKind =
  | "snapshot"
  | "image"
  | "provider_template"
  | "unknown"
  | (string & {});

export interface PluginEnvironmentInteractiveSetupConnectionSummary {
  type: PluginEnvironmentInteractiveSetupConnectionType;
  username?: string | null;
  hostRedacted: boolean;
  portRedacted: boolean;
  commandRedacted?: boolean;
  expiresAt?: string | null;
  metadata?: Metadata;
}

export interface PluginEnvironmentInteractiveSetupConnectionPayload {
  type: PluginEnvironmentInteractiveSetupConnectionType;
  command?: string | null;
  token?: string | null;
  expiresAt?: string | null;
  metadata?: Metadata;
}

export interface PluginEnvironmentInteractiveSetupSession {
  providerLeaseId: string | null;
  status: PluginEnvironmentInteractiveSetupStatus;
  connectionSummary: PluginEnvironmentInteractiveSetupConnectionSummary | null;
  connectionPayload?: PluginEnvironmentInteractiveSetupConnectionPayload | null;
  expiresAt?: string | null;
  metadata?: Metadata;
}

export interface PluginEnvironmentStartInteractiveSetupParams extends PluginEnvironmentDriverBaseParams {
  sessionId: string;
  sourceTemplateRef?: string | null;
  sourceTemplateKind?: PluginEnvironmentTemplateRefKind | null;
  connectionExpiresInMinutes?: number | null;
  expiresAt?: string | null;
}

export interface PluginEnvironmentGetInteractiveSetupParams extends PluginEnvironmentDriverBaseParams {
  providerLeaseId: string | null;
  setupMetadata?: Metadata;
  includeConnectionPayload?: boolean;
  connectionExpiresInMinutes?: number | null;
}

export interface PluginEnvironmentCaptureTemplateParams extends PluginEnvironmentDriverBaseParams {
  providerLeaseId: string | null;
  setupMetadata?: Metadata;
  sourceTemplateRef?: string | null;
  previousTemplateRef?: string | null;
  templateLabel?: string | null;
  timeoutMs?: number | null;
}

export interface PluginEnvironmentCaptureTemplateResult {
  templateRef: string;
  templateKind: PluginEnvironmentTemplateRefKind;
  metadata?: Metadata;
}

export interface PluginEnvironmentCancelInteractiveSetupParams extends PluginEnvironmentDriverBaseParams {
  providerLeaseId: string | null;
  setupMetadata?: Metadata;
  reason?: string | null;
}

export interface PluginEnvironmentCancelInteractiveSetupResult {
  status: "cancelled" | "timed_out" | "failed" | "missing";
  metadata?: Metadata;
}

export interface PluginEnvironmentDeleteTemplateParams extends PluginEnvironmentDriverBaseParams {
  templateRef: string;
  templateKind?: PluginEnvironmentTemplateRefKind;
  metadata?: Metadata;
  reason?: string | null;
}

export interface PluginEnvironmentDeleteTemplateResult {
  deleted: boolean;
  metadata?: Metadata;
}

// ---- Login pseudo-terminals and duplex channels -----------------------------------------------

export type PluginLoginCommandKey = "claude" | "codex" | "grok";

export interface PluginLoginPtyOpenParams {
  hostRouteId: string;
  driverKey: string;
  companyId: string;
  environmentId: string;
  providerLeaseId: string;
  loginCommandKey: PluginLoginCommandKey;
  sessionHome: string;
}

export interface PluginLoginPtyOpenResult {
  workerSessionId: string;
}

export interface PluginLoginPtyInputParams {
  workerSessionId: string;
  data: string;
}

export interface PluginLoginPtyStopParams {
  workerSessionId: string;
}

export interface PluginLoginPtyCloseParams {
  hostRouteId: string;
  workerSessionId?: string;
}

export interface PluginLoginPtyCloseResult {
  hostRouteId: string;
}

/** Duplex bytes travel as base64 text. */
type ChannelBytes = string;

export interface PluginDuplexChannelOpenParams {
  hostRouteId: string;
  driverKey: string;
  companyId: string;
  environmentId: string;
  providerLeaseId: string;
  command: readonly string[];
}

export interface PluginDuplexChannelOpenResult {
  hostRouteId: string;
  workerSessionId: string;
}

export interface PluginDuplexChannelWriteParams {
  hostRouteId: string;
  workerSessionId: string;
  data: ChannelBytes;
}

export interface PluginDuplexChannelStopParams {
  hostRouteId: string;
  workerSessionId: string;
}

export interface PluginDuplexChannelCloseParams {
  hostRouteId: string;
  workerSessionId?: string;
}

export interface PluginDuplexChannelCloseResult {
  hostRouteId: string;
  workerSessionId?: string;
}
