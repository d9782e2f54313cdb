// Shared components of the plugin UI SDK. Their props are declared here; the implementations are the
// board's own, looked up on the bridge global at render time (so plugins match the host's look, light and
// dark, and carry no component code in their bundles).
import type { ComponentType, ErrorInfo, ReactNode } from "react";
import { renderSdkUiComponent } from "./runtime.js";

export interface MetricTrend {
  direction: "up" | "down" | "flat";
  /** Change in percent (12.5 means 12.5 %). */
  percentage?: number;
}

export interface MetricCardProps {
  label: string;
  value: number | string;
  trend?: MetricTrend;
  /** Recent values, oldest first. */
  sparkline?: number[];
  unit?: string;
}

export type StatusBadgeVariant = "ok" | "warning" | "error" | "info" | "pending";

export interface StatusBadgeProps {
  label: string;
  status: StatusBadgeVariant;
}

export interface DataTableColumn<T = Record<string, unknown>> {
  key: keyof T & string;
  header: string;
  render?: (value: unknown, row: T) => ReactNode;
  sortable?: boolean;
  /** CSS width such as `"120px"` or `"20%"`. */
  width?: string;
}

export interface DataTableProps<T = Record<string, unknown>> {
  columns: DataTableColumn<T>[];
  /** Rows; a stable `id` field is used as the React key when present. */
  rows: T[];
  loading?: boolean;
  emptyMessage?: string;
  totalCount?: number;
  /** Current page, 0-based. */
  page?: number;
  pageSize?: number;
  onPageChange?: (page: number) => void;
  onSort?: (key: string, direction: "asc" | "desc") => void;
}

export interface TimeseriesDataPoint {
  /** ISO 8601 time. */
  timestamp: string;
  value: number;
  label?: string;
}

export interface TimeseriesChartProps {
  data: TimeseriesDataPoint[];
  title?: string;
  yLabel?: string;
  /** Default `"line"`. */
  type?: "line" | "bar";
  /** Pixels; default 200. */
  height?: number;
  loading?: boolean;
}

export interface MarkdownBlockProps {
  content: string;
  className?: string;
  /** Render `[[target]]` and `[[target|label]]` as links. */
  enableWikiLinks?: boolean;
  /** Base href of wiki links when no resolver is given. */
  wikiLinkRoot?: string;
  /** Href of a wiki link; null leaves the token as text. */
  resolveWikiLinkHref?: (target: string, label: string) => string | null | undefined;
}

export interface MarkdownEditorProps {
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  className?: string;
  contentClassName?: string;
  onBlur?: () => void;
  bordered?: boolean;
  readOnly?: boolean;
  /** Cmd/Ctrl+Enter. */
  onSubmit?: () => void;
}

export interface KeyValuePair {
  label: string;
  value: ReactNode;
}

export interface KeyValueListProps {
  pairs: KeyValuePair[];
}

export interface ActionBarItem {
  label: string;
  /** Action run through the plugin bridge (`usePluginAction(actionKey)`). */
  actionKey: string;
  params?: Record<string, unknown>;
  /** Default `"default"`. */
  variant?: "default" | "primary" | "destructive";
  confirm?: boolean;
  confirmMessage?: string;
}

export interface ActionBarProps {
  actions: ActionBarItem[];
  onSuccess?: (actionKey: string, result: unknown) => void;
  onError?: (actionKey: string, error: unknown) => void;
}

export interface LogViewEntry {
  /** ISO 8601 time. */
  timestamp: string;
  level: "info" | "warn" | "error" | "debug";
  message: string;
  meta?: Record<string, unknown>;
}

export interface LogViewProps {
  entries: LogViewEntry[];
  /** CSS height; default `"400px"`. */
  maxHeight?: string;
  autoScroll?: boolean;
  loading?: boolean;
}

export interface JsonTreeProps {
  data: unknown;
  /** Levels expanded at first; default 2. */
  defaultExpandDepth?: number;
}

export interface SpinnerProps {
  /** Default `"md"`. */
  size?: "sm" | "md" | "lg";
  /** `aria-label`. */
  label?: string;
}

export interface ErrorBoundaryProps {
  children: ReactNode;
  fallback?: ReactNode;
  onError?: (error: Error, info: ErrorInfo) => void;
}

export interface FileTreeNode {
  name: string;
  /** Slash-separated path from the tree root. */
  path: string;
  kind: "dir" | "file";
  /** Empty for files. */
  children: FileTreeNode[];
  action?: string | null;
}

export type FileTreeBadgeVariant = "ok" | "warning" | "error" | "info" | "pending";

export interface FileTreeBadge {
  label: string;
  status: FileTreeBadgeVariant;
  tooltip?: string;
}

export type FileTreeTone = "default" | "warning" | "error" | "muted";

export interface FileTreeEmptyState {
  title?: string;
  description?: string;
}

export interface FileTreeErrorState {
  message: string;
  retry?: () => void;
}

export type FileTreePathCollection = ReadonlySet<string> | readonly string[];

export interface FileTreeProps {
  nodes: FileTreeNode[];
  selectedFile?: string | null;
  expandedPaths?: FileTreePathCollection;
  checkedPaths?: FileTreePathCollection;
  onToggleDir?: (path: string) => void;
  onSelectFile?: (path: string) => void;
  onToggleCheck?: (path: string, kind: "file" | "dir") => void;
  fileBadges?: Record<string, FileTreeBadge | undefined>;
  fileTones?: Record<string, FileTreeTone | undefined>;
  /** Default false. */
  showCheckboxes?: boolean;
  wrapLabels?: boolean;
  loading?: boolean;
  error?: FileTreeErrorState | null;
  empty?: FileTreeEmptyState;
  ariaLabel?: string;
}

export interface IssuesListFilters {
  status?: string;
  projectId?: string;
  parentId?: string;
  assigneeAgentId?: string;
  participantAgentId?: string;
  assigneeUserId?: string;
  labelId?: string;
  workspaceId?: string;
  executionWorkspaceId?: string;
  originKind?: string;
  originKindPrefix?: string;
  originId?: string;
  descendantOf?: string;
  includeRoutineExecutions?: boolean;
  includeLiveDescendantSummary?: boolean;
}

export interface IssuesListProps {
  companyId: string | null;
  projectId?: string | null;
  filters?: IssuesListFilters;
  viewStateKey?: string;
  initialSearch?: string;
  createIssueLabel?: string;
  searchWithinLoadedIssues?: boolean;
}

export interface AssigneePickerSelection {
  assigneeAgentId: string | null;
  assigneeUserId: string | null;
}

export interface AssigneePickerProps {
  /** Defaults to the host context's company. */
  companyId?: string | null;
  /** `agent:<id>`, `user:<id>` or `""`. */
  value: string;
  onChange: (value: string, selection: AssigneePickerSelection) => void;
  placeholder?: string;
  noneLabel?: string;
  searchPlaceholder?: string;
  emptyMessage?: string;
  /** Default true. */
  includeUsers?: boolean;
  /** Default false. */
  includeTerminatedAgents?: boolean;
  className?: string;
  onConfirm?: () => void;
}

export interface ProjectPickerProps {
  /** Defaults to the host context's company. */
  companyId?: string | null;
  /** Project id, or `""` for none. */
  value: string;
  onChange: (projectId: string) => void;
  placeholder?: string;
  noneLabel?: string;
  searchPlaceholder?: string;
  emptyMessage?: string;
  /** Default false. */
  includeArchived?: boolean;
  className?: string;
  onConfirm?: () => void;
}

export interface ManagedRoutinesListAgent {
  id: string;
  name: string;
  icon?: string | null;
}

export interface ManagedRoutinesListProject {
  id: string;
  name: string;
  color?: string | null;
}

export interface ManagedRoutineMissingRef {
  resourceKind: string;
  resourceKey: string;
}

export interface ManagedRoutineDefaultDrift {
  changedFields: string[];
  defaultTitle?: string | null;
  defaultDescription?: string | null;
}

export interface ManagedRoutinesListItem {
  key: string;
  title: string;
  status: string;
  routineId?: string | null;
  href?: string | null;
  resourceKey?: string | null;
  projectId?: string | null;
  assigneeAgentId?: string | null;
  cronExpression?: string | null;
  lastRunAt?: Date | string | null;
  lastRunStatus?: string | null;
  managedByPluginDisplayName?: string | null;
  missingRefs?: ManagedRoutineMissingRef[];
  defaultDrift?: ManagedRoutineDefaultDrift | null;
}

export interface ManagedRoutinesListProps {
  routines: ManagedRoutinesListItem[];
  agents?: ManagedRoutinesListAgent[];
  projects?: ManagedRoutinesListProject[];
  pluginDisplayName?: string | null;
  emptyMessage?: string;
  runningRoutineKey?: string | null;
  statusMutationRoutineKey?: string | null;
  reconcilingRoutineKey?: string | null;
  resettingRoutineKey?: string | null;
  onRunNow?: (routine: ManagedRoutinesListItem) => void;
  onToggleEnabled?: (routine: ManagedRoutinesListItem, enabled: boolean) => void;
  onReconcile?: (routine: ManagedRoutinesListItem) => void;
  onReset?: (routine: ManagedRoutinesListItem) => void;
}

/** A component whose body is the host's implementation of `name`. */
function hostComponent<TProps>(name: string): ComponentType<TProps> {
  const component = (props: TProps) => renderSdkUiComponent(name, props) as ReactNode;
  Object.defineProperty(component, "displayName", { value: `PaperclipSdkUi(${name})` });
  return component;
}

export const MetricCard = hostComponent<MetricCardProps>("MetricCard");
export const StatusBadge = hostComponent<StatusBadgeProps>("StatusBadge");
export const DataTable = hostComponent<DataTableProps<Record<string, unknown>>>("DataTable");
export const TimeseriesChart = hostComponent<TimeseriesChartProps>("TimeseriesChart");
export const MarkdownBlock = hostComponent<MarkdownBlockProps>("MarkdownBlock");
export const MarkdownEditor = hostComponent<MarkdownEditorProps>("MarkdownEditor");
export const KeyValueList = hostComponent<KeyValueListProps>("KeyValueList");
export const ActionBar = hostComponent<ActionBarProps>("ActionBar");
export const LogView = hostComponent<LogViewProps>("LogView");
export const JsonTree = hostComponent<JsonTreeProps>("JsonTree");
export const Spinner = hostComponent<SpinnerProps>("Spinner");
export const ErrorBoundary = hostComponent<ErrorBoundaryProps>("ErrorBoundary");
export const FileTree = hostComponent<FileTreeProps>("FileTree");
export const IssuesList = hostComponent<IssuesListProps>("IssuesList");
export const AssigneePicker = hostComponent<AssigneePickerProps>("AssigneePicker");
export const ProjectPicker = hostComponent<ProjectPickerProps>("ProjectPicker");
export const ManagedRoutinesList = hostComponent<ManagedRoutinesListProps>("ManagedRoutinesList");
