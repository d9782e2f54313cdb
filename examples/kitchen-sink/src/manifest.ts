// The Kitchen Sink manifest: every UI slot type, launchers covering every action, render environment and
// bounds, plus a job, a webhook, an event subscription, state, data, actions and a live stream.
import type {
  PaperclipPluginManifestV1,
  PluginLauncherDeclaration,
  PluginUiSlotDeclaration,
} from "@paperclipai/plugin-sdk/types";

export const PLUGIN_ID = "paperclip.kitchen-sink";
/** The `page`, `routeSidebar` and `companySettingsPage` route segment. */
export const ROUTE_PATH = "kitchen-sink";

const slots: PluginUiSlotDeclaration[] = [
  {
    type: "page",
    id: "ks-page",
    displayName: "Kitchen Sink",
    exportName: "KitchenSinkPage",
    routePath: ROUTE_PATH,
  },
  {
    type: "routeSidebar",
    id: "ks-route-sidebar",
    displayName: "Kitchen Sink navigation",
    exportName: "KitchenSinkRouteSidebar",
    routePath: ROUTE_PATH,
  },
  { type: "sidebar", id: "ks-sidebar", displayName: "Kitchen Sink", exportName: "KitchenSinkSidebar" },
  {
    type: "sidebarPanel",
    id: "ks-sidebar-panel",
    displayName: "Kitchen Sink panel",
    exportName: "KitchenSinkSidebarPanel",
  },
  {
    type: "dashboardWidget",
    id: "ks-dashboard-widget",
    displayName: "Kitchen Sink widget",
    exportName: "KitchenSinkDashboardWidget",
    order: 1,
  },
  // Throws on render on purpose: one failing plugin component must not take the dashboard down.
  {
    type: "dashboardWidget",
    id: "ks-broken-widget",
    displayName: "Broken widget",
    exportName: "Broken",
    order: 2,
  },
  {
    type: "settingsPage",
    id: "ks-settings",
    displayName: "Kitchen Sink settings",
    exportName: "KitchenSinkSettingsPage",
  },
  {
    type: "companySettingsPage",
    id: "ks-company-settings",
    displayName: "Kitchen Sink",
    exportName: "KitchenSinkCompanySettingsPage",
    routePath: ROUTE_PATH,
  },
  {
    type: "detailTab",
    id: "ks-detail-tab",
    displayName: "Kitchen Sink",
    exportName: "KitchenSinkDetailTab",
    entityTypes: ["project", "issue", "agent", "goal", "run"],
  },
  {
    type: "taskDetailView",
    id: "ks-task-detail",
    displayName: "Kitchen Sink task view",
    exportName: "KitchenSinkTaskDetailView",
    entityTypes: ["issue"],
  },
  {
    type: "projectSidebarItem",
    id: "ks-project-link",
    displayName: "Kitchen Sink",
    exportName: "KitchenSinkProjectSidebarItem",
    entityTypes: ["project"],
    order: 10,
  },
  {
    type: "toolbarButton",
    id: "ks-toolbar-button",
    displayName: "Kitchen Sink",
    exportName: "KitchenSinkToolbarButton",
    entityTypes: ["issue", "project"],
  },
  {
    type: "globalToolbarButton",
    id: "ks-global-toolbar-button",
    displayName: "Kitchen Sink",
    exportName: "KitchenSinkGlobalToolbarButton",
  },
  {
    type: "contextMenuItem",
    id: "ks-context-menu-item",
    displayName: "Kitchen Sink",
    exportName: "KitchenSinkContextMenuItem",
    entityTypes: ["issue", "project"],
  },
  {
    type: "commentAnnotation",
    id: "ks-comment-annotation",
    displayName: "Kitchen Sink annotation",
    exportName: "KitchenSinkCommentAnnotation",
    entityTypes: ["comment"],
  },
  {
    type: "commentContextMenuItem",
    id: "ks-comment-menu-item",
    displayName: "Kitchen Sink",
    exportName: "KitchenSinkCommentContextMenuItem",
    entityTypes: ["comment"],
  },
];

/**
 * Host-drawn entry points. Together they use every action (navigate, openModal, openDrawer, openPopover,
 * performAction, deepLink), every render environment and every bounds value the validator allows for it.
 */
const launchers: PluginLauncherDeclaration[] = [
  {
    id: "ks-open-modal",
    displayName: "Kitchen Sink modal",
    description: "A host overlay modal that refuses to close while dirty and can widen itself.",
    placementZone: "globalToolbarButton",
    action: { type: "openModal", target: "KitchenSinkModal" },
    render: { environment: "hostOverlay", bounds: "default" },
  },
  {
    id: "ks-open-drawer",
    displayName: "Kitchen Sink drawer",
    placementZone: "toolbarButton",
    entityTypes: ["issue", "project"],
    action: { type: "openDrawer", target: "KitchenSinkDrawer" },
    render: { environment: "hostOverlay", bounds: "wide" },
  },
  {
    id: "ks-open-popover",
    displayName: "Kitchen Sink popover",
    placementZone: "toolbarButton",
    entityTypes: ["issue"],
    action: { type: "openPopover", target: "KitchenSinkPopover" },
    render: { environment: "hostInline", bounds: "compact" },
  },
  {
    id: "ks-inline-popover",
    displayName: "Kitchen Sink inline popover",
    placementZone: "detailTab",
    entityTypes: ["project", "issue", "agent", "goal", "run"],
    action: { type: "openPopover", target: "KitchenSinkPopover" },
    render: { environment: "hostInline", bounds: "inline" },
  },
  {
    id: "ks-comment-popover",
    displayName: "Kitchen Sink comment popover",
    placementZone: "commentContextMenuItem",
    entityTypes: ["comment"],
    action: { type: "openPopover", target: "KitchenSinkPopover" },
    render: { environment: "hostOverlay", bounds: "compact" },
  },
  {
    id: "ks-perform-action",
    displayName: "Kitchen Sink ping",
    description: "Runs the launcher-ping action; the host shows what it returns.",
    placementZone: "contextMenuItem",
    entityTypes: ["issue", "project"],
    action: { type: "performAction", target: "launcher-ping", params: { source: "context-menu" } },
  },
  {
    id: "ks-navigate",
    displayName: "Open Kitchen Sink page",
    placementZone: "globalToolbarButton",
    action: { type: "navigate", target: `/${ROUTE_PATH}` },
    render: { environment: "hostRoute", bounds: "full" },
  },
  {
    id: "ks-route-modal",
    displayName: "Kitchen Sink route modal",
    placementZone: "dashboardWidget",
    action: { type: "openModal", target: "KitchenSinkModal" },
    render: { environment: "hostRoute", bounds: "wide" },
  },
  {
    id: "ks-iframe",
    displayName: "Kitchen Sink iframe",
    description: "No export has this name, so the host frames /_plugins/<id>/ui/iframe.html.",
    placementZone: "globalToolbarButton",
    action: { type: "openModal", target: "iframe.html" },
    render: { environment: "iframe", bounds: "full" },
  },
  {
    id: "ks-deep-link",
    displayName: "Kitchen Sink page (deep link)",
    placementZone: "projectSidebarItem",
    entityTypes: ["project"],
    action: { type: "deepLink", target: `/${ROUTE_PATH}?from=deep-link` },
    render: { environment: "hostRoute", bounds: "default" },
  },
  {
    id: "ks-external-link",
    displayName: "Paperclip on GitHub",
    placementZone: "contextMenuItem",
    entityTypes: ["project"],
    action: { type: "deepLink", target: "https://github.com/paperclipai/paperclip" },
    render: { environment: "external" },
  },
];

const manifest: PaperclipPluginManifestV1 = {
  id: PLUGIN_ID,
  apiVersion: 1,
  version: "0.1.0",
  displayName: "Kitchen Sink",
  description:
    "Exercises every UI slot and launcher, data, actions, a live stream, a job, a webhook, state and events.",
  author: "Paperclip plugin platform",
  categories: ["ui", "automation"],
  capabilities: [
    "events.subscribe",
    "plugin.state.read",
    "plugin.state.write",
    "jobs.schedule",
    "webhooks.receive",
    "ui.page.register",
    "ui.sidebar.register",
    "ui.detailTab.register",
    "ui.dashboardWidget.register",
    "ui.action.register",
    "ui.commentAnnotation.register",
    "instance.settings.register",
  ],
  entrypoints: { worker: "./dist/worker.js", ui: "./dist/ui" },
  instanceConfigSchema: {
    type: "object",
    properties: {
      greeting: { type: "string", title: "Greeting", default: "Hello from the Kitchen Sink" },
    },
    additionalProperties: false,
  },
  jobs: [
    {
      jobKey: "tick",
      displayName: "Tick",
      description: "Counts a tick every minute (instance state `job-ticks`).",
      schedule: "* * * * *",
    },
  ],
  webhooks: [
    {
      endpointKey: "ping",
      displayName: "Ping",
      description: "Stores the last delivery and counts deliveries (instance state).",
    },
  ],
  ui: { slots, launchers },
};

export default manifest;
