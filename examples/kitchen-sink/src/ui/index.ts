// The Kitchen Sink UI bundle entry: one named export per manifest slot `exportName` and launcher target.
// The host registers every exported function as a component under `paperclip.kitchen-sink:<exportName>`.
export { KitchenSinkDrawer, KitchenSinkModal, KitchenSinkPopover } from "./launchers.js";
export { KitchenSinkPage } from "./page.js";
export {
  Broken,
  KitchenSinkCommentAnnotation,
  KitchenSinkCommentContextMenuItem,
  KitchenSinkCompanySettingsPage,
  KitchenSinkContextMenuItem,
  KitchenSinkDashboardWidget,
  KitchenSinkDetailTab,
  KitchenSinkGlobalToolbarButton,
  KitchenSinkProjectSidebarItem,
  KitchenSinkRouteSidebar,
  KitchenSinkSettingsPage,
  KitchenSinkSidebar,
  KitchenSinkSidebarPanel,
  KitchenSinkTaskDetailView,
  KitchenSinkToolbarButton,
} from "./slots.js";
