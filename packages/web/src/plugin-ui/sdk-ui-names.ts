// The runtime exports of `@paperclipai/plugin-sdk/ui` (2026.916.1): what the board must provide on
// `sdkUi` of the bridge global. `install-bridge.ts` is checked against this list at compile time.

export const SDK_UI_EXPORT_NAMES = [
  "usePluginData",
  "usePluginAction",
  "useHostContext",
  "useHostLocation",
  "useHostNavigation",
  "usePluginStream",
  "usePluginToast",
  "copyTextToClipboard",
  "MarkdownBlock",
  "MetricCard",
  "StatusBadge",
  "DataTable",
  "KeyValueList",
  "JsonTree",
  "Spinner",
  "ErrorBoundary",
  "MarkdownEditor",
  "FileTree",
  "IssuesList",
  "AssigneePicker",
  "ProjectPicker",
  "ManagedRoutinesList",
  "TimeseriesChart",
  "ActionBar",
  "LogView",
] as const;

export type SdkUiExportName = (typeof SDK_UI_EXPORT_NAMES)[number];
