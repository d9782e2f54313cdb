/** The plugin runtime: registry + lifecycle + supervised workers of one host node. */
export type {
  InvocationHandle,
  PluginConfigLister,
  PluginHostServices,
  PluginHostServicesFactory,
  PluginIdentity,
  RunningPluginAccess,
  WorkerCall,
} from "./contract.js";
export { ExampleCatalog, type ExamplePlugin } from "./examples.js";
export {
  type HealthCheck,
  LOG_DROP_WARNING_MS,
  type PluginDashboard,
  type PluginHealthReport,
  type PluginLiveStatus,
  pluginLiveStatus,
  type WorkerSummary,
} from "./health.js";
export {
  BUNDLED_EXAMPLES_DIR,
  createPluginRuntime,
  type PluginBootReport,
  type PluginRuntime,
  type PluginRuntimeOptions,
  pluginsDirOf,
} from "./plugin-runtime.js";
export {
  ActivationError,
  type CallPluginOptions,
  DEFAULT_STARTUP_CRASH_LIMIT,
  PluginWorkers,
  type WorkerDefaults,
} from "./plugin-workers.js";
