// `/:prefix/<routePath>` (the company routes' fallback): the plugin `page` slot whose routePath is the URL's
// first segment, else the board's Not found. Waits for the contributions before deciding.
import { useParams } from "react-router";
import { usePluginContributions } from "@/plugin-ui";
import { useBoardHostContext, useSlotMounts } from "../context";
import { PluginNotFound, PluginPageSkeleton, PluginPageView } from "../PluginPageView";

function normalise(path: string): string {
  return path.replace(/^\/+|\/+$/g, "");
}

export default function PluginRoutePage() {
  const rest = normalise(useParams()["*"] ?? "");
  const contributions = usePluginContributions();
  const pages = useSlotMounts("page");
  const context = useBoardHostContext();
  const first = rest.split("/", 1)[0] ?? "";
  const mount =
    pages.find((item) => item.slot.routePath && normalise(item.slot.routePath) === rest) ??
    pages.find((item) => item.slot.routePath && normalise(item.slot.routePath) === first);
  if (!mount) {
    if (contributions.isPending) return <PluginPageSkeleton title={first} />;
    return <PluginNotFound />;
  }
  return <PluginPageView mount={mount} context={context} />;
}
