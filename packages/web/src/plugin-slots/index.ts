// Where plugin UI appears in the board: slot outlets, host-drawn launchers and their overlays, plugin routes.
// The runtime that loads and mounts plugin bundles is ../plugin-ui.
export {
  BOARD_USER_ID,
  type EntityContext,
  useBoardHostContext,
  useLauncherMounts,
  useSlotMounts,
} from "./context";
export { overlayStore } from "./overlay-store";
export { LauncherButton, PluginLaunchers } from "./PluginLaunchers";
export { PluginOverlayHost } from "./PluginOverlayHost";
export { PluginSlots, SlotMountView } from "./PluginSlots";
export {
  PluginCommentAnnotations,
  PluginCommentMenu,
  PluginCompanySettingsLinks,
  PluginDashboardWidgets,
  PluginEntityActions,
  PluginEntityMenu,
  PluginGlobalToolbar,
  PluginProjectSidebarItems,
  PluginSettingsPageOutlet,
  PluginSidebarItems,
  PluginSidebarPanels,
  PluginTaskDetailViews,
  PluginUrlTabs,
  pluginTabValue,
  usePluginDetailTabs,
} from "./surfaces";
