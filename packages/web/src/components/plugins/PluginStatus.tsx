// The plugin's status as an operator should read it: the stored status (reference §12.1) plus, for a `ready`
// plugin, what its worker is doing (degraded, restarting) — one badge, with the worker's warnings in a tooltip.

import type { PluginDetail } from "@/api/plugins";
import { Badge, StatusBadge, Tooltip } from "@/components/ui";

export function PluginStatusBadge({
  plugin,
}: {
  plugin: Pick<PluginDetail, "status" | "degraded" | "warnings" | "workerStatus">;
}) {
  const warnings = plugin.warnings ?? [];
  if (plugin.status === "ready" && plugin.degraded) {
    const label =
      plugin.workerStatus === "backoff"
        ? "Restarting"
        : plugin.workerStatus === "starting"
          ? "Starting"
          : "Degraded";
    return (
      <Tooltip content={warnings.join(" · ") || undefined}>
        <span tabIndex={warnings.length ? 0 : undefined} className="inline-flex rounded-md">
          <Badge tone="warning">{label}</Badge>
        </span>
      </Tooltip>
    );
  }
  return <StatusBadge kind="plugin" status={plugin.status} />;
}
