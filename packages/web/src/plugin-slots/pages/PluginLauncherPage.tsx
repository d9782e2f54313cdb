// `/:prefix/plugins/:pluginId/launchers/:launcherId`: a launcher whose render environment is `hostRoute`,
// drawn as a board page. The entity it was launched from comes in the query (`entityType`, `entityId`, …);
// `renderEnvironment` says hostRoute with the launcher's bounds, and Close runs the close lifecycle first.
import type {
  PluginRenderCloseHandler,
  PluginRenderCloseLifecycle,
  PluginRenderEnvironmentContext,
} from "@paperclipai/plugin-sdk/ui/types";
import { ArrowLeft } from "lucide-react";
import { useMemo, useState } from "react";
import { useNavigate, useParams, useSearchParams } from "react-router";
import { useCompanyPaths } from "@/app/CompanyContext";
import { Button } from "@/components/ui";
import { PluginComponent, usePluginContributions } from "@/plugin-ui";
import { useBoardHostContext } from "../context";
import { PluginNotFound, PluginPageFrame, PluginPageSkeleton } from "../PluginPageView";

function useRouteLifecycle() {
  return useMemo(() => {
    const before = new Set<PluginRenderCloseHandler>();
    const close = new Set<PluginRenderCloseHandler>();
    const lifecycle: PluginRenderCloseLifecycle = {
      onBeforeClose(handler) {
        before.add(handler);
        return () => before.delete(handler);
      },
      onClose(handler) {
        close.add(handler);
        return () => close.delete(handler);
      },
    };
    return { lifecycle, before, close };
  }, []);
}

export default function PluginLauncherPage() {
  const { pluginId = "", launcherId = "" } = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const to = useCompanyPaths();
  const contributions = usePluginContributions();
  const { lifecycle, before, close } = useRouteLifecycle();
  const [closing, setClosing] = useState(false);
  const base = useBoardHostContext({
    entityType: search.get("entityType"),
    entityId: search.get("entityId"),
    projectId: search.get("projectId"),
    parentEntityId: search.get("parentEntityId"),
  });
  const contribution = contributions.data?.find(
    (item) => item.pluginId === pluginId || item.pluginKey === pluginId,
  );
  const launcher = contribution?.launchers.find((item) => item.id === launcherId);
  const renderEnvironment = useMemo<PluginRenderEnvironmentContext | null>(
    () =>
      launcher
        ? {
            environment: "hostRoute",
            launcherId: launcher.id,
            bounds: launcher.render?.bounds ?? "default",
            closeLifecycle: lifecycle,
          }
        : null,
    [launcher, lifecycle],
  );
  const context = useMemo(() => ({ ...base, renderEnvironment }), [base, renderEnvironment]);

  if (!contribution || !launcher) {
    if (contributions.isPending) return <PluginPageSkeleton title={launcherId} />;
    return <PluginNotFound title={`No launcher “${launcherId}”`} />;
  }

  const leave = async () => {
    setClosing(true);
    try {
      for (const handler of [...before]) {
        const answer: unknown = await Promise.resolve(
          (handler as (event: { reason: "programmatic" }) => unknown)({ reason: "programmatic" }),
        ).catch(() => false);
        if (answer === false) return;
      }
      for (const handler of [...close])
        void Promise.resolve(handler({ reason: "programmatic" })).catch(() => {});
      if (globalThis.history.length > 1) navigate(-1);
      else navigate(to.dashboard());
    } finally {
      setClosing(false);
    }
  };

  return (
    <PluginPageFrame
      title={launcher.displayName}
      pluginName={contribution.displayName}
      version={contribution.version}
      actions={
        <Button variant="outline" size="sm" onClick={() => void leave()} loading={closing}>
          <ArrowLeft aria-hidden />
          Close
        </Button>
      }
    >
      <div data-plugin-launcher-surface={launcher.id} data-plugin-overlay="route">
        <PluginComponent
          contribution={contribution}
          exportName={launcher.action.target}
          props={{ launcher }}
          hostContext={context}
        />
      </div>
    </PluginPageFrame>
  );
}
