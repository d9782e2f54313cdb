// /instance/settings/plugins/:pluginId: one plugin — its status, lifecycle actions (enable, disable, upgrade,
// uninstall) and the tabs Overview, Settings, Logs, Metrics, Jobs, Webhooks, Events, Network, UI isolation, Sandbox and
// Nodes (selection in `?tab=`).
import {
  ArrowLeft,
  CalendarClock,
  FolderLock,
  Gauge,
  Info,
  Network,
  Radio,
  ScrollText,
  Server,
  Settings2,
  ShieldCheck,
  Webhook,
} from "lucide-react";
import { Link, useParams } from "react-router";
import { isApiError } from "@/api/client";
import { usePlugin } from "@/api/plugins";
import { paths } from "@/app/paths";
import { Page } from "@/components/layout/Page";
import { PluginActions } from "@/components/plugins/PluginActions";
import { PluginDevModeBadge } from "@/components/plugins/PluginDevModeBadge";
import { PluginEventsTab } from "@/components/plugins/PluginEventsTab";
import { PluginJobsTab } from "@/components/plugins/PluginJobsTab";
import { PluginLogsTab } from "@/components/plugins/PluginLogsTab";
import { PluginMetricsTab } from "@/components/plugins/PluginMetricsTab";
import { PluginNetworkTab } from "@/components/plugins/PluginNetworkTab";
import { PluginNodesTab } from "@/components/plugins/PluginNodesTab";
import { PluginOverview } from "@/components/plugins/PluginOverview";
import { PluginSandboxTab } from "@/components/plugins/PluginSandboxTab";
import { PluginSettingsTab } from "@/components/plugins/PluginSettingsTab";
import { PluginStatusBadge } from "@/components/plugins/PluginStatus";
import { PluginUiIsolation } from "@/components/plugins/PluginUiIsolation";
import { PluginWebhooksTab } from "@/components/plugins/PluginWebhooksTab";
import { Badge, Button, ErrorState, Skeleton, UrlTabs } from "@/components/ui";

export default function PluginDetailPage() {
  const { pluginId = "" } = useParams();
  const plugin = usePlugin(pluginId);
  const name = plugin.data?.manifestJson?.displayName || plugin.data?.pluginKey || pluginId;
  const crumbs = [{ label: "Instance settings" }, { label: "Plugins", to: paths.plugins() }, { label: name }];

  if (plugin.isPending) {
    return (
      <Page title={name} breadcrumbs={crumbs} hideHeader width="wide">
        <Skeleton className="h-7 w-1/3" />
        <Skeleton className="mt-3 h-4 w-1/2" />
        <Skeleton className="mt-8 h-9 w-full" />
        <div className="mt-4 grid gap-4 lg:grid-cols-2">
          <Skeleton className="h-48 w-full" />
          <Skeleton className="h-48 w-full" />
        </div>
      </Page>
    );
  }
  if (plugin.isError) {
    const notFound = isApiError(plugin.error) && plugin.error.status === 404;
    return (
      <Page title={name} breadcrumbs={crumbs} hideHeader>
        <ErrorState
          title={notFound ? "This plugin is not installed" : undefined}
          error={plugin.error}
          onRetry={notFound ? undefined : () => plugin.refetch()}
          actions={
            <Button asChild variant="outline" size="sm">
              <Link to={paths.plugins()}>
                <ArrowLeft aria-hidden />
                All plugins
              </Link>
            </Button>
          }
        />
      </Page>
    );
  }

  const data = plugin.data;
  const manifest = data.manifestJson;
  return (
    <Page
      title={name}
      breadcrumbs={crumbs}
      description={manifest?.description}
      width="wide"
      eyebrow={
        <>
          <PluginStatusBadge plugin={data} />
          <PluginDevModeBadge pluginId={data.id} />
          <Badge tone="outline" className="font-mono">
            v{data.version}
          </Badge>
          <span className="font-mono text-xs text-muted-foreground">{data.pluginKey}</span>
        </>
      }
      actions={<PluginActions plugin={data} layout="header" />}
    >
      <UrlTabs
        aria-label="Plugin sections"
        tabs={[
          {
            value: "overview",
            label: "Overview",
            icon: <Info aria-hidden />,
            content: <PluginOverview plugin={data} />,
          },
          {
            value: "settings",
            label: "Settings",
            icon: <Settings2 aria-hidden />,
            content: <PluginSettingsTab plugin={data} />,
          },
          {
            value: "logs",
            label: "Logs",
            icon: <ScrollText aria-hidden />,
            content: <PluginLogsTab pluginId={data.id} />,
          },
          {
            value: "metrics",
            label: "Metrics",
            icon: <Gauge aria-hidden />,
            content: <PluginMetricsTab pluginId={data.id} />,
          },
          {
            value: "jobs",
            label: "Jobs",
            icon: <CalendarClock aria-hidden />,
            content: <PluginJobsTab pluginId={data.id} pluginReady={data.status === "ready"} />,
          },
          {
            value: "webhooks",
            label: "Webhooks",
            icon: <Webhook aria-hidden />,
            content: <PluginWebhooksTab plugin={data} />,
          },
          {
            value: "events",
            label: "Events",
            icon: <Radio aria-hidden />,
            content: <PluginEventsTab pluginId={data.id} />,
          },
          {
            value: "network",
            label: "Network",
            icon: <Network aria-hidden />,
            content: <PluginNetworkTab pluginId={data.id} />,
          },
          {
            value: "ui-isolation",
            label: "UI isolation",
            icon: <ShieldCheck aria-hidden />,
            content: <PluginUiIsolation plugin={data} />,
          },
          {
            value: "sandbox",
            label: "Sandbox",
            icon: <FolderLock aria-hidden />,
            content: <PluginSandboxTab pluginId={data.id} />,
          },
          {
            value: "nodes",
            label: "Nodes",
            icon: <Server aria-hidden />,
            content: <PluginNodesTab pluginId={data.id} />,
          },
        ]}
      />
    </Page>
  );
}
