/**
 * Plugin UI contributions (slots and launchers of ready plugins). The routes that list them and serve the UI
 * files belong to the HTTP layer (ui-routes.ts). See docs/plugin-bridge.md.
 */
export { type PluginUiContribution, uiContributionOf } from "./contributions.js";
export {
  isUiIsolationMode,
  UI_ISOLATION_HINT_KEY,
  UI_ISOLATION_MODES,
  type UiIsolationMode,
  UiIsolationService,
  type UiIsolationState,
} from "./isolation.js";
