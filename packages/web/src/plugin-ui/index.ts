// The plugin UI runtime of the board: install the bridge, list contributions, mount plugin exports.
export { bridgeErrorFromResponse, isPluginBridgeError, toPluginBridgeError } from "./bridge-errors.js";
export { pluginModuleLoader } from "./browser-loader.js";
export { copyTextToClipboard } from "./clipboard.js";
export { ErrorBoundary } from "./components/error-boundary.js";
export {
  invalidatePluginContributions,
  notifyPluginUiUpdated,
  PLUGIN_UI_CONTRIBUTIONS_QUERY_KEY,
  usePluginContributions,
} from "./contributions.js";
export {
  isPluginUiUpdatedEvent,
  type LauncherMount,
  launchersInZone,
  type PluginUiContribution,
  type PluginUiUpdatedEvent,
  type SlotMount,
  slotsOfType,
} from "./contributions-select.js";
export { useHostContext, withProjectFallback } from "./hooks/host-context.js";
export { installPluginBridge, type PaperclipPluginBridge, sdkUi } from "./install-bridge.js";
export { pluginModulePath } from "./module-loader.js";
export { PluginMountContext, type PluginMountValue } from "./mount-context.js";
export { resolveHostHref } from "./navigation.js";
export { PluginComponent, type PluginComponentProps, usePluginModule } from "./plugin-component.js";
export { type PluginToast, pluginToasts } from "./toast-store.js";
export { PluginToastViewport } from "./toast-viewport.js";
