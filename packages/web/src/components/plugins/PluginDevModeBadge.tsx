// "Dev mode" beside a plugin's status: its local folder is trusted as it changes and `paperclip plugin dev` reloads
// it on every save (docs/authoring/dev-loop.md). The tooltip names the folder and the reloads so far. Under the
// `plugins` query root, so a `plugin.*` live event (a reload's plugin.ui.updated among them) refreshes it.
import { useQuery } from "@tanstack/react-query";
import { Hammer } from "lucide-react";
import { api, seg } from "@/api/client";
import { Badge, Tooltip } from "@/components/ui";

interface DevModeStatus {
  enabled: boolean;
  sourceDir: string | null;
  reloadCount: number;
  lastReloadAt: string | null;
}

export function PluginDevModeBadge({ pluginId }: { pluginId: string }) {
  const devMode = useQuery({
    queryKey: ["plugins", "devMode", pluginId],
    queryFn: ({ signal }) => api.get<DevModeStatus>(`/plugins/${seg(pluginId)}/dev`, undefined, signal),
  });
  if (!devMode.data?.enabled) return null;
  const { sourceDir, reloadCount, lastReloadAt } = devMode.data;
  const reloads =
    reloadCount === 0
      ? "not reloaded yet"
      : `reloaded ${reloadCount} time${reloadCount === 1 ? "" : "s"}, last at ${new Date(lastReloadAt ?? "").toLocaleTimeString()}`;
  return (
    <Tooltip content={`Running from ${sourceDir} (trusted as it changes); ${reloads}`}>
      <span className="inline-flex rounded-md" data-testid="plugin-dev-mode-badge">
        <Badge tone="violet">
          <Hammer aria-hidden />
          Dev mode
        </Badge>
      </span>
    </Tooltip>
  );
}
