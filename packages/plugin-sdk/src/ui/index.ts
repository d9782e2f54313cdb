/**
 * `@paperclipai/plugin-sdk/ui` — for plugin UI bundles (React components the board mounts in slots and
 * launchers). Never import it from worker code.
 *
 * ```tsx
 * import { usePluginAction, usePluginData, type PluginWidgetProps } from "@paperclipai/plugin-sdk/ui";
 *
 * export function SyncWidget({ context }: PluginWidgetProps) {
 *   const { data, loading, error } = usePluginData<{ synced: number }>("sync-health", {
 *     companyId: context.companyId,
 *   });
 *   const resync = usePluginAction("resync");
 *   if (loading) return <p>Loading…</p>;
 *   if (error) return <p>{error.message}</p>;
 *   return <button onClick={() => resync({ companyId: context.companyId })}>{data?.synced} synced</button>;
 * }
 * ```
 *
 * Hooks and components are supplied by the host at runtime (through `globalThis.__paperclipPluginBridge__`);
 * bundles keep `react`, `react-dom`, `react/jsx-runtime` and this package external.
 */

export { copyTextToClipboard } from "./clipboard.js";
export type {
  ActionBarItem,
  ActionBarProps,
  AssigneePickerProps,
  AssigneePickerSelection,
  DataTableColumn,
  DataTableProps,
  ErrorBoundaryProps,
  FileTreeBadge,
  FileTreeBadgeVariant,
  FileTreeEmptyState,
  FileTreeErrorState,
  FileTreeNode,
  FileTreePathCollection,
  FileTreeProps,
  FileTreeTone,
  IssuesListFilters,
  IssuesListProps,
  JsonTreeProps,
  KeyValueListProps,
  KeyValuePair,
  LogViewEntry,
  LogViewProps,
  ManagedRoutineMissingRef,
  ManagedRoutinesListAgent,
  ManagedRoutinesListItem,
  ManagedRoutinesListProject,
  ManagedRoutinesListProps,
  MarkdownBlockProps,
  MarkdownEditorProps,
  MetricCardProps,
  MetricTrend,
  ProjectPickerProps,
  SpinnerProps,
  StatusBadgeProps,
  StatusBadgeVariant,
  TimeseriesChartProps,
  TimeseriesDataPoint,
} from "./components.js";
export {
  ActionBar,
  AssigneePicker,
  DataTable,
  ErrorBoundary,
  FileTree,
  IssuesList,
  JsonTree,
  KeyValueList,
  LogView,
  ManagedRoutinesList,
  MarkdownBlock,
  MarkdownEditor,
  MetricCard,
  ProjectPicker,
  Spinner,
  StatusBadge,
  TimeseriesChart,
} from "./components.js";
export {
  useHostContext,
  useHostLocation,
  useHostNavigation,
  usePluginAction,
  usePluginData,
  usePluginStream,
  usePluginToast,
} from "./hooks.js";
export type {
  HostLocation,
  HostNavigation,
  HostNavigationLinkOptions,
  HostNavigationLinkProps,
  HostNavigationOptions,
  PluginActionFn,
  PluginBridgeError,
  PluginBridgeErrorCode,
  PluginCommentAnnotationProps,
  PluginCommentContextMenuItemProps,
  PluginCompanySettingsPageProps,
  PluginDataResult,
  PluginDetailTabProps,
  PluginHostContext,
  PluginLauncherBounds,
  PluginLauncherRenderEnvironment,
  PluginModalBoundsRequest,
  PluginPageProps,
  PluginProjectSidebarItemProps,
  PluginRenderCloseEvent,
  PluginRenderCloseHandler,
  PluginRenderCloseLifecycle,
  PluginRenderEnvironmentContext,
  PluginRouteSidebarProps,
  PluginSettingsPageProps,
  PluginSidebarProps,
  PluginStreamResult,
  PluginToastAction,
  PluginToastFn,
  PluginToastInput,
  PluginToastTone,
  PluginWidgetProps,
} from "./types.js";
