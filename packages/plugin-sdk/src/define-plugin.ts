/**
 * definePlugin: what a plugin author writes. `setup(ctx)` registers handlers; the optional hooks
 * answer lifecycle and host-driven calls. The worker runtime (src/worker/) calls them.
 */
import type {
  PluginApiRequestInput,
  PluginApiResponse,
  PluginConfigChangeContext,
  PluginConfigValidationResult,
  PluginHealthDiagnostics,
  PluginWebhookInput,
} from "./protocol/methods.js";
import type { PluginContext } from "./types/index.js";
import type {
  DetectExternalObjectsParams,
  DetectExternalObjectsResult,
  PluginDuplexChannelCloseParams,
  PluginDuplexChannelCloseResult,
  PluginDuplexChannelOpenParams,
  PluginDuplexChannelOpenResult,
  PluginDuplexChannelStopParams,
  PluginDuplexChannelWriteParams,
  PluginEnvironmentAcquireLeaseParams,
  PluginEnvironmentCancelInteractiveSetupParams,
  PluginEnvironmentCancelInteractiveSetupResult,
  PluginEnvironmentCaptureTemplateParams,
  PluginEnvironmentCaptureTemplateResult,
  PluginEnvironmentDeleteTemplateParams,
  PluginEnvironmentDeleteTemplateResult,
  PluginEnvironmentDestroyLeaseParams,
  PluginEnvironmentExecuteParams,
  PluginEnvironmentExecuteResult,
  PluginEnvironmentGetInteractiveSetupParams,
  PluginEnvironmentInteractiveSetupSession,
  PluginEnvironmentLease,
  PluginEnvironmentProbeParams,
  PluginEnvironmentProbeResult,
  PluginEnvironmentRealizeWorkspaceParams,
  PluginEnvironmentRealizeWorkspaceResult,
  PluginEnvironmentReleaseLeaseParams,
  PluginEnvironmentResumeLeaseParams,
  PluginEnvironmentRunnerIngressEndpoint,
  PluginEnvironmentRunnerIngressEndpointParams,
  PluginEnvironmentStartInteractiveSetupParams,
  PluginEnvironmentSyncInParams,
  PluginEnvironmentSyncOutParams,
  PluginEnvironmentSyncResult,
  PluginEnvironmentTerminationReceipt,
  PluginEnvironmentValidateConfigParams,
  PluginEnvironmentValidationResult,
  PluginExternalObjectResolveResult,
  PluginLoginPtyCloseParams,
  PluginLoginPtyCloseResult,
  PluginLoginPtyInputParams,
  PluginLoginPtyOpenParams,
  PluginLoginPtyOpenResult,
  PluginLoginPtyStopParams,
  RefreshExternalObjectsParams,
  RefreshExternalObjectsResult,
  ResolveExternalObjectParams,
} from "./worker/extension-hook-types.js";

export type {
  PluginApiRequestInput,
  PluginApiResponse,
  PluginConfigChangeContext,
  PluginConfigValidationResult,
  PluginHealthDiagnostics,
  PluginWebhookInput,
};

/** As published: `void` (not `undefined`) so a release hook that returns nothing type-checks. */
// biome-ignore lint/suspicious/noConfusingVoidType: see above.
type TerminationReceiptOrNothing = PluginEnvironmentTerminationReceipt | void;

export interface PluginDefinition {
  /** Runs once, on `initialize`, before the worker reports ready. Register every handler here. */
  setup(ctx: PluginContext): Promise<void>;
  /** Answers `health`; without it the worker reports `{ status: "ok" }`. */
  onHealth?(): Promise<PluginHealthDiagnostics>;
  /**
   * Set when one worker may hold configs of several companies at once. Without it, a config for a
   * second company that differs from the current one is refused (CROSS_TENANT_CONFIG).
   */
  multiCompanyConfig?: boolean;
  /** Applies a saved config without a restart; without it the host restarts the worker. */
  onConfigChanged?(newConfig: Record<string, unknown>, context?: PluginConfigChangeContext): Promise<void>;
  /** Runs on `shutdown`, before the process exits; the host waits up to 10 s. */
  onShutdown?(): Promise<void>;
  /** Checks a config before it is saved ("Test configuration"). */
  onValidateConfig?(config: Record<string, unknown>): Promise<PluginConfigValidationResult>;
  /** Handles a delivery to a manifest-declared webhook endpoint (verify signatures here). */
  onWebhook?(input: PluginWebhookInput): Promise<void>;
  /** Handles a manifest-declared scoped API route after the host's auth and capability checks. */
  onApiRequest?(input: PluginApiRequestInput): Promise<PluginApiResponse>;

  onDetectExternalObjects?(params: DetectExternalObjectsParams): Promise<DetectExternalObjectsResult>;
  onResolveExternalObject?(params: ResolveExternalObjectParams): Promise<PluginExternalObjectResolveResult>;
  onRefreshExternalObjects?(params: RefreshExternalObjectsParams): Promise<RefreshExternalObjectsResult>;

  onEnvironmentValidateConfig?(
    params: PluginEnvironmentValidateConfigParams,
  ): Promise<PluginEnvironmentValidationResult>;
  onEnvironmentProbe?(params: PluginEnvironmentProbeParams): Promise<PluginEnvironmentProbeResult>;
  onEnvironmentAcquireLease?(params: PluginEnvironmentAcquireLeaseParams): Promise<PluginEnvironmentLease>;
  onEnvironmentResumeLease?(params: PluginEnvironmentResumeLeaseParams): Promise<PluginEnvironmentLease>;
  onEnvironmentReleaseLease?(
    params: PluginEnvironmentReleaseLeaseParams,
  ): Promise<TerminationReceiptOrNothing>;
  onEnvironmentDestroyLease?(
    params: PluginEnvironmentDestroyLeaseParams,
  ): Promise<TerminationReceiptOrNothing>;
  onEnvironmentRealizeWorkspace?(
    params: PluginEnvironmentRealizeWorkspaceParams,
  ): Promise<PluginEnvironmentRealizeWorkspaceResult>;
  onEnvironmentExecute?(params: PluginEnvironmentExecuteParams): Promise<PluginEnvironmentExecuteResult>;
  onEnvironmentRunnerIngressEndpoint?(
    params: PluginEnvironmentRunnerIngressEndpointParams,
  ): Promise<PluginEnvironmentRunnerIngressEndpoint>;
  onEnvironmentSyncIn?(params: PluginEnvironmentSyncInParams): Promise<PluginEnvironmentSyncResult>;
  onEnvironmentSyncOut?(params: PluginEnvironmentSyncOutParams): Promise<PluginEnvironmentSyncResult>;
  onEnvironmentStartInteractiveSetup?(
    params: PluginEnvironmentStartInteractiveSetupParams,
  ): Promise<PluginEnvironmentInteractiveSetupSession>;
  onEnvironmentGetInteractiveSetup?(
    params: PluginEnvironmentGetInteractiveSetupParams,
  ): Promise<PluginEnvironmentInteractiveSetupSession>;
  onEnvironmentCaptureTemplate?(
    params: PluginEnvironmentCaptureTemplateParams,
  ): Promise<PluginEnvironmentCaptureTemplateResult>;
  onEnvironmentCancelInteractiveSetup?(
    params: PluginEnvironmentCancelInteractiveSetupParams,
  ): Promise<PluginEnvironmentCancelInteractiveSetupResult>;
  onEnvironmentDeleteTemplate?(
    params: PluginEnvironmentDeleteTemplateParams,
  ): Promise<PluginEnvironmentDeleteTemplateResult>;

  onLoginPtyOpen?(params: PluginLoginPtyOpenParams): Promise<PluginLoginPtyOpenResult>;
  onLoginPtyInput?(params: PluginLoginPtyInputParams): Promise<void>;
  onLoginPtyStop?(params: PluginLoginPtyStopParams): Promise<void>;
  onLoginPtyClose?(params: PluginLoginPtyCloseParams): Promise<PluginLoginPtyCloseResult>;

  onDuplexChannelOpen?(params: PluginDuplexChannelOpenParams): Promise<PluginDuplexChannelOpenResult>;
  onDuplexChannelWrite?(params: PluginDuplexChannelWriteParams): Promise<void>;
  onDuplexChannelStop?(params: PluginDuplexChannelStopParams): Promise<void>;
  onDuplexChannelClose?(params: PluginDuplexChannelCloseParams): Promise<PluginDuplexChannelCloseResult>;
}

/** The sealed plugin object a worker file exports and passes to `runWorker`. */
export interface PaperclipPlugin {
  readonly definition: PluginDefinition;
}

export function definePlugin(definition: PluginDefinition): PaperclipPlugin {
  return Object.freeze({ definition });
}
