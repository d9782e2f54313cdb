/**
 * `@paperclipai/plugin-sdk` — write a Paperclip plugin worker:
 *
 * ```ts
 * import { definePlugin, runWorker } from "@paperclipai/plugin-sdk";
 *
 * const plugin = definePlugin({
 *   async setup(ctx) {
 *     ctx.events.on("issue.created", async (event) => ctx.logger.info("created", { id: event.entityId }));
 *   },
 * });
 * export default plugin;
 * runWorker(plugin, import.meta.url);
 * ```
 *
 * Subpaths: `/protocol` (JSON-RPC wire helpers), `/types` (types and every constant), `/testing`
 * (in-memory harness), `/bundlers` (esbuild and rollup presets), `/dev-server` (UI server with reload
 * events). The environment-driver harness is not part of this release.
 */

export {
  createPluginBundlerPresets,
  type EsbuildLikeOptions,
  type PluginBundlerPresetInput,
  type PluginBundlerPresets,
  type RollupLikeConfig,
} from "./bundlers/index.js";
export {
  HUMAN_COMPANY_MEMBERSHIP_ROLE_LABELS,
  HUMAN_COMPANY_MEMBERSHIP_ROLES,
  MEMBERSHIP_STATUSES,
  PERMISSION_KEYS,
  PLUGIN_API_VERSION,
  PLUGIN_BRIDGE_ERROR_CODES,
  PLUGIN_CAPABILITIES,
  PLUGIN_CATEGORIES,
  PLUGIN_EVENT_TYPES,
  PLUGIN_JOB_RUN_STATUSES,
  PLUGIN_JOB_RUN_TRIGGERS,
  PLUGIN_JOB_STATUSES,
  PLUGIN_RESERVED_COMPANY_SETTINGS_ROUTE_SEGMENTS,
  PLUGIN_STATE_SCOPE_KINDS,
  PLUGIN_STATUSES,
  PLUGIN_UI_SLOT_ENTITY_TYPES,
  PLUGIN_UI_SLOT_TYPES,
  PLUGIN_WEBHOOK_DELIVERY_STATUSES,
  PRINCIPAL_TYPES,
} from "./constants.js";
export type {
  PaperclipPlugin,
  PluginApiRequestInput,
  PluginApiResponse,
  PluginConfigChangeContext,
  PluginConfigValidationResult,
  PluginDefinition,
  PluginHealthDiagnostics,
  PluginWebhookInput,
} from "./define-plugin.js";
export { definePlugin } from "./define-plugin.js";
export type { PluginDevServer, PluginDevServerOptions } from "./dev-server/index.js";
export { getUiBuildSnapshot, startPluginDevServer } from "./dev-server/on-demand.js";
export type { HostClientFactoryOptions, HostClientHandlers, HostServices } from "./host-client/index.js";
export {
  CapabilityDeniedError,
  createHostClientHandlers,
  getRequiredCapability,
  InvocationScopeDeniedError,
} from "./host-client/index.js";
export { createTestHarness, z } from "./lazy-exports.js";
export type {
  ChannelBytesWireValue,
  HostToWorkerRequest,
  HostToWorkerResponse,
  JsonRpcError,
  JsonRpcErrorCode,
  JsonRpcErrorResponse,
  JsonRpcId,
  JsonRpcInvocationContext,
  JsonRpcInvocationScope,
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
  JsonRpcSuccessResponse,
  PluginRpcErrorCode,
  WorkerToHostRequest,
  WorkerToHostResponse,
} from "./protocol/index.js";
export {
  _resetIdCounter,
  createErrorResponse,
  createNotification,
  createRequest,
  createSuccessResponse,
  DUPLEX_CHANNEL_DATA_NOTIFICATION,
  DUPLEX_CHANNEL_EXIT_NOTIFICATION,
  decodeChannelBytes,
  encodeChannelBytes,
  HOST_TO_WORKER_OPTIONAL_METHODS,
  HOST_TO_WORKER_REQUIRED_METHODS,
  isJsonRpcErrorResponse,
  isJsonRpcNotification,
  isJsonRpcRequest,
  isJsonRpcResponse,
  isJsonRpcSuccessResponse,
  JSONRPC_ERROR_CODES,
  JSONRPC_VERSION,
  JsonRpcCallError,
  JsonRpcParseError,
  LOGIN_PTY_EXIT_NOTIFICATION,
  LOGIN_PTY_OUTPUT_NOTIFICATION,
  MESSAGE_DELIMITER,
  PLUGIN_RPC_ERROR_CODES,
  parseMessage,
  serializeMessage,
} from "./protocol/index.js";
export type { TestHarness, TestHarnessLogEntry, TestHarnessOptions } from "./testing/index.js";
export type * from "./types/index.js";
export { NOOP_PLUGIN_SPAN, NOOP_PLUGIN_TRACER } from "./types/tracer.js";
export type * from "./worker/index.js";
export { runWorker, startWorkerRpcHost } from "./worker/index.js";
