// `/:prefix/company/settings/<routePath>`: a plugin `companySettingsPage` slot, under Company settings.
import { useParams } from "react-router";
import { useCompanyPaths } from "@/app/CompanyContext";
import { usePluginContributions } from "@/plugin-ui";
import { useBoardHostContext, useSlotMounts } from "../context";
import { PluginNotFound, PluginPageFrame, PluginPageSkeleton } from "../PluginPageView";
import { SlotMountView } from "../PluginSlots";

export default function CompanyPluginSettingsPage() {
  const { routePath = "" } = useParams();
  const to = useCompanyPaths();
  const contributions = usePluginContributions();
  const context = useBoardHostContext();
  const mount = useSlotMounts("companySettingsPage").find(
    (item) => item.slot.routePath?.replace(/^\/+|\/+$/g, "") === routePath,
  );
  if (!mount) {
    if (contributions.isPending) return <PluginPageSkeleton title="Settings" />;
    return <PluginNotFound title={`No settings page “${routePath}”`} />;
  }
  return (
    <PluginPageFrame
      title={mount.slot.displayName}
      pluginName={mount.contribution.displayName}
      version={mount.contribution.version}
      crumbs={[{ label: "Settings", to: to.companySettings() }, { label: mount.slot.displayName }]}
    >
      <div data-plugin-slot={mount.slot.id} data-plugin={mount.contribution.pluginKey}>
        <SlotMountView mount={mount} context={context} />
      </div>
    </PluginPageFrame>
  );
}
