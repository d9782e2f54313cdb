// The Kitchen Sink slot components (all but the page): one export per slot of the manifest, each a card that
// shows the context it was mounted with, some using plugin data, actions and the shared host components.
import {
  KeyValueList,
  MetricCard,
  Spinner,
  StatusBadge,
  useHostNavigation,
  usePluginAction,
  usePluginData,
} from "@paperclipai/plugin-sdk/ui";
import { useState } from "react";
import {
  Card,
  errorText,
  JsonResult,
  type KitchenSinkProps,
  NONE,
  styles,
  useKitchenSinkContext,
} from "./card.js";
import { EntityEcho } from "./echo.js";

const PLUGIN_KEY = "paperclip.kitchen-sink";
const PAGE_ROUTE = "/kitchen-sink";
const DETAIL_TAB_SLOT = "ks-detail-tab";

interface Overview {
  companyId: string;
  issuesCreated: number;
  notes: number;
  jobTicks: number;
  webhookDeliveries: number;
  counter: { streaming: boolean; value: number | null };
}

/** `sidebar`: a nav entry to the plugin page. */
export function KitchenSinkSidebar(props: KitchenSinkProps) {
  const context = useKitchenSinkContext(props);
  const navigation = useHostNavigation();
  return (
    <Card kind="sidebar" context={context} compact>
      <a {...navigation.linkProps(PAGE_ROUTE)} data-testid="ks-sidebar-link">
        Kitchen Sink
      </a>
    </Card>
  );
}

/** `routeSidebar`: the side navigation shown next to the plugin page (same routePath). */
export function KitchenSinkRouteSidebar(props: KitchenSinkProps) {
  const context = useKitchenSinkContext(props);
  const navigation = useHostNavigation();
  const sections = [
    ["Overview", "overview"],
    ["Live counter", "stream"],
    ["Notes", "notes"],
    ["Launchers", "launchers"],
  ] as const;
  return (
    <Card kind="routeSidebar" context={context} title="Kitchen Sink sections">
      <nav aria-label="Kitchen Sink sections">
        <ul style={{ margin: 0, paddingLeft: 16 }}>
          {sections.map(([label, anchor]) => (
            <li key={anchor}>
              <a {...navigation.linkProps(`${PAGE_ROUTE}#ks-${anchor}`)}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>
    </Card>
  );
}

/** `sidebarPanel`: an at-a-glance panel under the company navigation. */
export function KitchenSinkSidebarPanel(props: KitchenSinkProps) {
  const context = useKitchenSinkContext(props);
  const overview = usePluginData<Overview>("overview");
  return (
    <Card kind="sidebarPanel" context={context} title="Kitchen Sink panel">
      {overview.loading && !overview.data ? <Spinner size="sm" label="Loading" /> : null}
      {overview.error ? <StatusBadge label={overview.error.message} status="error" /> : null}
      {overview.data ? (
        <span data-testid="ks-panel-issues">Issues created: {overview.data.issuesCreated}</span>
      ) : null}
    </Card>
  );
}

/** `dashboardWidget`: metrics from the `overview` data key. */
export function KitchenSinkDashboardWidget(props: KitchenSinkProps) {
  const context = useKitchenSinkContext(props);
  const overview = usePluginData<Overview>("overview");
  const data = overview.data;
  return (
    <Card kind="dashboardWidget" context={context} title="Kitchen Sink widget">
      {overview.error ? <StatusBadge label={overview.error.message} status="error" /> : null}
      {data ? (
        <div style={styles.row} data-testid="ks-widget-metrics">
          <MetricCard label="Issues created" value={data.issuesCreated} />
          <MetricCard label="Job ticks" value={data.jobTicks} />
          <MetricCard label="Webhook deliveries" value={data.webhookDeliveries} />
        </div>
      ) : (
        <Spinner size="sm" label="Loading overview" />
      )}
      <span data-testid="ks-widget-issues" hidden>
        {data ? String(data.issuesCreated) : NONE}
      </span>
    </Card>
  );
}

/** `dashboardWidget` "Broken widget": throws on every render, so the host's error boundary shows. */
export function Broken(_props: KitchenSinkProps): never {
  throw new Error("Kitchen Sink: the Broken widget fails on purpose");
}

/** `settingsPage`: replaces the generated config form; shows the company's saved config. */
export function KitchenSinkSettingsPage(props: KitchenSinkProps) {
  const context = useKitchenSinkContext(props);
  const config = usePluginData<{ companyId: string | null; config: Record<string, unknown> }>("config");
  const entries = Object.entries(config.data?.config ?? {});
  return (
    <Card kind="settingsPage" context={context} title="Kitchen Sink settings">
      {config.error ? <StatusBadge label={config.error.message} status="error" /> : null}
      {entries.length > 0 ? (
        <KeyValueList pairs={entries.map(([label, value]) => ({ label, value: JSON.stringify(value) }))} />
      ) : (
        <p data-testid="ks-config-empty">No config saved for this company yet.</p>
      )}
    </Card>
  );
}

/** `companySettingsPage`: a page under the company settings at `…/company/settings/kitchen-sink`. */
export function KitchenSinkCompanySettingsPage(props: KitchenSinkProps) {
  const context = useKitchenSinkContext(props);
  const overview = usePluginData<Overview>("overview");
  return (
    <Card kind="companySettingsPage" context={context} title="Kitchen Sink company settings">
      {overview.data ? (
        <KeyValueList
          pairs={[
            { label: "Issues created", value: overview.data.issuesCreated },
            { label: "Notes", value: overview.data.notes },
            { label: "Streaming", value: overview.data.counter.streaming ? "yes" : "no" },
          ]}
        />
      ) : null}
    </Card>
  );
}

/** `detailTab` (project, issue, agent, goal, run). */
export function KitchenSinkDetailTab(props: KitchenSinkProps) {
  const context = useKitchenSinkContext(props);
  return (
    <Card kind="detailTab" context={context} title={`Kitchen Sink on this ${context.entityType ?? "entity"}`}>
      <EntityEcho entityId={context.entityId} entityType={context.entityType} />
    </Card>
  );
}

/** `taskDetailView`: inline content in the issue page. */
export function KitchenSinkTaskDetailView(props: KitchenSinkProps) {
  const context = useKitchenSinkContext(props);
  return (
    <Card kind="taskDetailView" context={context} title="Kitchen Sink task view">
      <EntityEcho entityId={context.entityId} entityType={context.entityType} />
    </Card>
  );
}

/** `projectSidebarItem`: a link under each project to its Kitchen Sink detail tab. */
export function KitchenSinkProjectSidebarItem(props: KitchenSinkProps) {
  const context = useKitchenSinkContext(props);
  const navigation = useHostNavigation();
  const projectId = context.entityId ?? context.projectId ?? "";
  const href = `/projects/${encodeURIComponent(projectId)}?tab=plugin:${PLUGIN_KEY}:${DETAIL_TAB_SLOT}`;
  return (
    <Card kind="projectSidebarItem" context={context} compact>
      <a {...navigation.linkProps(href)} data-testid="ks-project-link">
        Kitchen Sink
      </a>
    </Card>
  );
}

/** `toolbarButton`: a button that opens a plugin-owned (local) modal, as in the SDK README. */
export function KitchenSinkToolbarButton(props: KitchenSinkProps) {
  const context = useKitchenSinkContext(props);
  const [open, setOpen] = useState(false);
  return (
    <Card kind="toolbarButton" context={context} compact>
      <button type="button" style={styles.button} onClick={() => setOpen(true)} data-testid="ks-toolbar-open">
        Kitchen Sink
      </button>
      {open ? (
        <div
          role="dialog"
          aria-modal="true"
          aria-label="Kitchen Sink local modal"
          data-testid="ks-local-modal"
          style={{
            position: "fixed",
            inset: 0,
            display: "grid",
            placeItems: "center",
            background: "rgba(0, 0, 0, 0.4)",
            zIndex: 2000,
          }}
        >
          <div
            style={{ background: "Canvas", color: "CanvasText", borderRadius: 8, padding: 16, minWidth: 320 }}
          >
            <Card kind="local-modal-body" context={context} title="Kitchen Sink local modal" />
            <button type="button" style={styles.button} onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
        </div>
      ) : null}
    </Card>
  );
}

/** `globalToolbarButton`: a button in the top bar, linking to the plugin page. */
export function KitchenSinkGlobalToolbarButton(props: KitchenSinkProps) {
  const context = useKitchenSinkContext(props);
  const navigation = useHostNavigation();
  return (
    <Card kind="globalToolbarButton" context={context} compact>
      <a {...navigation.linkProps(PAGE_ROUTE)} style={styles.button} data-testid="ks-global-toolbar-link">
        Kitchen Sink
      </a>
    </Card>
  );
}

/** The ping round trip of the menu items: runs `launcher-ping` and shows the answer. */
function PingButton({ label, source, entityId, entityType }: { label: string; source: string } & EntityRef) {
  const ping = usePluginAction("launcher-ping");
  const [result, setResult] = useState<unknown>(undefined);
  return (
    <>
      <button
        type="button"
        style={styles.button}
        onClick={() => {
          ping({ source, entityId, entityType }).then(setResult, (error: unknown) =>
            setResult({ error: errorText(error) }),
          );
        }}
      >
        {label}
      </button>
      {result === undefined ? null : <JsonResult testId="ks-ping-result" value={result} />}
    </>
  );
}

interface EntityRef {
  entityId: string | null;
  entityType: string | null;
}

/** `contextMenuItem` (issue, project): an entry of the entity's overflow menu. */
export function KitchenSinkContextMenuItem(props: KitchenSinkProps) {
  const context = useKitchenSinkContext(props);
  return (
    <Card kind="contextMenuItem" context={context} compact>
      <PingButton
        label="Kitchen Sink: ping"
        source="contextMenuItem"
        entityId={context.entityId}
        entityType={context.entityType}
      />
    </Card>
  );
}

/** `commentAnnotation`: a strip under each comment naming the comment and its issue. */
export function KitchenSinkCommentAnnotation(props: KitchenSinkProps) {
  const context = useKitchenSinkContext(props);
  return <Card kind="commentAnnotation" context={context} title="Kitchen Sink annotation" />;
}

/** `commentContextMenuItem`: an entry of each comment's ⋮ menu. */
export function KitchenSinkCommentContextMenuItem(props: KitchenSinkProps) {
  const context = useKitchenSinkContext(props);
  return (
    <Card kind="commentContextMenuItem" context={context} compact>
      <PingButton
        label="Kitchen Sink: ping comment"
        source="commentContextMenuItem"
        entityId={context.entityId}
        entityType={context.entityType}
      />
    </Card>
  );
}
