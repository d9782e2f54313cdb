// The frame of a plugin `page` slot (reference §10.1): the board's <Page> (title, breadcrumbs, the `page` zone's
// launchers) with the plugin's `routeSidebar` of the same routePath beside it, and the loading / not-found
// states shared by the plugin routes.
import type { PluginHostContext } from "@paperclipai/plugin-sdk/ui/types";
import { Puzzle } from "lucide-react";
import type { ReactNode } from "react";
import { Page } from "@/components/layout/Page";
import { Skeleton } from "@/components/ui";
import { NotFoundPage } from "@/pages/NotFoundPage";
import type { SlotMount } from "@/plugin-ui";
import { useSlotMounts } from "./context";
import { PluginLaunchers } from "./PluginLaunchers";
import { SlotMountView } from "./PluginSlots";

export function PluginPageSkeleton({ title }: { title: string }) {
  return (
    <Page title={title} hideHeader width="wide">
      <div role="status" aria-label="Loading the plugin page" className="grid gap-3">
        <Skeleton className="h-6 w-1/3" />
        <Skeleton className="h-40 w-full" />
      </div>
    </Page>
  );
}

export { NotFoundPage as PluginNotFound };

/** A plugin page: its slot, the routeSidebar with the same routePath (same plugin) beside it. */
export function PluginPageView({ mount, context }: { mount: SlotMount; context: PluginHostContext }) {
  const sidebars = useSlotMounts("routeSidebar").filter(
    (item) =>
      item.contribution.pluginId === mount.contribution.pluginId &&
      mount.slot.routePath !== undefined &&
      item.slot.routePath === mount.slot.routePath,
  );
  const sidebar = sidebars[0];
  return (
    <PluginPageFrame
      title={mount.slot.displayName}
      pluginName={mount.contribution.displayName}
      version={mount.contribution.version}
      actions={<PluginLaunchers zone="page" context={context} className="flex flex-wrap gap-2" />}
    >
      <div className={sidebar ? "grid gap-6 lg:grid-cols-[14rem_minmax(0,1fr)]" : undefined}>
        {sidebar ? (
          <aside
            aria-label={sidebar.slot.displayName}
            data-plugin-slot={sidebar.slot.id}
            data-plugin={sidebar.contribution.pluginKey}
            className="h-fit min-w-0 lg:sticky lg:top-4"
          >
            <SlotMountView mount={sidebar} context={context} />
          </aside>
        ) : null}
        <div className="min-w-0" data-plugin-slot={mount.slot.id} data-plugin={mount.contribution.pluginKey}>
          <SlotMountView mount={mount} context={context} />
        </div>
      </div>
    </PluginPageFrame>
  );
}

export function PluginPageFrame({
  title,
  pluginName,
  version,
  actions,
  crumbs,
  children,
}: {
  title: string;
  pluginName: string;
  version?: string;
  actions?: ReactNode;
  crumbs?: { label: string; to?: string }[];
  children: ReactNode;
}) {
  return (
    <Page
      title={title}
      breadcrumbs={crumbs ?? [{ label: pluginName }, { label: title }]}
      eyebrow={
        <span className="inline-flex items-center gap-1.5 text-xs text-muted-foreground">
          <Puzzle aria-hidden className="size-3.5" />
          {pluginName}
          {version ? <span className="font-mono">v{version}</span> : null}
        </span>
      }
      actions={actions}
      width="wide"
    >
      {children}
    </Page>
  );
}
