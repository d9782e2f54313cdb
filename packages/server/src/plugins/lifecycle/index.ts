/** The plugin lifecycle: install, enable, disable, upgrade, uninstall, error; see lifecycle.ts. */
export type { PluginActivityAction } from "./activity.js";
export { type OperationContext, PluginLifecycle, type PluginLifecycleDeps } from "./lifecycle.js";
export { MAX_METHOD_TIMEOUT_MS, validateMethodTimeouts } from "./method-timeouts.js";
export type { InstallerSettings } from "./prepare-package.js";
