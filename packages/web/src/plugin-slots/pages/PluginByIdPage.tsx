// `/:prefix/plugins/:pluginId` (id or key): the plugin's `page` slot, in the company context.
import { useParams } from "react-router";
import { usePluginContributions } from "@/plugin-ui";
import { useBoardHostContext, useSlotMounts } from "../context";
import { PluginNotFound, PluginPageSkeleton, PluginPageView } from "../PluginPageView";

export default function PluginByIdPage() {
  const { pluginId = "" } = useParams();
  const contributions = usePluginContributions();
  const context = useBoardHostContext();
  const mount = useSlotMounts("page").find(
    (item) => item.contribution.pluginId === pluginId || item.contribution.pluginKey === pluginId,
  );
  if (!mount) {
    if (contributions.isPending) return <PluginPageSkeleton title={pluginId} />;
    return <PluginNotFound title={`No plugin page for “${pluginId}”`} />;
  }
  return <PluginPageView mount={mount} context={context} />;
}
