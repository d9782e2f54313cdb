// ManagedRoutinesList for plugin settings pages: the routines a plugin manages, with schedule, last run,
// assignee and project names, missing-reference and drift warnings, and the run / enable / reconcile / reset
// buttons the plugin wires (each shows progress while its `*RoutineKey` names the row).
import type { ManagedRoutinesListItem, ManagedRoutinesListProps } from "@paperclipai/plugin-sdk/ui";
import { StatusBadge } from "./basic.js";
import { cn } from "./cn.js";

function formatDate(value: Date | string | null | undefined): string | null {
  if (!value) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

const BUTTON =
  "rounded-md border border-zinc-300 px-2 py-1 text-xs hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800";

export function ManagedRoutinesList({
  routines,
  agents = [],
  projects = [],
  pluginDisplayName,
  emptyMessage = "No managed routines",
  runningRoutineKey,
  statusMutationRoutineKey,
  reconcilingRoutineKey,
  resettingRoutineKey,
  onRunNow,
  onToggleEnabled,
  onReconcile,
  onReset,
}: ManagedRoutinesListProps) {
  if (routines.length === 0)
    return <div className="p-4 text-center text-sm text-zinc-500">{emptyMessage}</div>;
  const agentName = (id: string | null | undefined) => agents.find((agent) => agent.id === id)?.name ?? null;
  const project = (id: string | null | undefined) => projects.find((item) => item.id === id) ?? null;
  const busy = (routine: ManagedRoutinesListItem) =>
    [runningRoutineKey, statusMutationRoutineKey, reconcilingRoutineKey, resettingRoutineKey].includes(
      routine.key,
    );
  return (
    <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
      {routines.map((routine) => {
        const enabled = routine.status === "active";
        const assignee = agentName(routine.assigneeAgentId);
        const owner = project(routine.projectId);
        const lastRun = formatDate(routine.lastRunAt);
        return (
          <li key={routine.key} className="space-y-2 p-3">
            <div className="flex flex-wrap items-center gap-2">
              {routine.href ? (
                <a
                  href={routine.href}
                  className="font-medium text-sm text-zinc-900 hover:underline dark:text-zinc-100"
                >
                  {routine.title}
                </a>
              ) : (
                <span className="font-medium text-sm text-zinc-900 dark:text-zinc-100">{routine.title}</span>
              )}
              <StatusBadge
                label={routine.status}
                status={enabled ? "ok" : routine.status === "paused" ? "warning" : "pending"}
              />
              {routine.managedByPluginDisplayName || pluginDisplayName ? (
                <span className="text-xs text-zinc-500">
                  managed by {routine.managedByPluginDisplayName ?? pluginDisplayName}
                </span>
              ) : null}
            </div>
            <div className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-500">
              {routine.cronExpression ? <span className="font-mono">{routine.cronExpression}</span> : null}
              {assignee ? <span>Assignee: {assignee}</span> : null}
              {owner ? (
                <span className="inline-flex items-center gap-1">
                  <span
                    aria-hidden="true"
                    className="inline-block size-2 rounded-full bg-zinc-400"
                    style={owner.color ? { backgroundColor: owner.color } : undefined}
                  />
                  {owner.name}
                </span>
              ) : null}
              {lastRun ? (
                <span>
                  Last run {lastRun}
                  {routine.lastRunStatus ? ` (${routine.lastRunStatus})` : ""}
                </span>
              ) : (
                <span>Never run</span>
              )}
            </div>
            {routine.missingRefs && routine.missingRefs.length > 0 ? (
              <div className="rounded-md bg-amber-50 px-2 py-1 text-amber-800 text-xs dark:bg-amber-500/10 dark:text-amber-300">
                Missing:{" "}
                {routine.missingRefs.map((ref) => `${ref.resourceKind} "${ref.resourceKey}"`).join(", ")}
              </div>
            ) : null}
            {routine.defaultDrift && routine.defaultDrift.changedFields.length > 0 ? (
              <div className="rounded-md bg-sky-50 px-2 py-1 text-sky-800 text-xs dark:bg-sky-500/10 dark:text-sky-300">
                Changed from the plugin's defaults: {routine.defaultDrift.changedFields.join(", ")}
              </div>
            ) : null}
            <div className="flex flex-wrap gap-2">
              {onRunNow ? (
                <button
                  type="button"
                  className={BUTTON}
                  disabled={busy(routine)}
                  onClick={() => onRunNow(routine)}
                >
                  {runningRoutineKey === routine.key ? "Running…" : "Run now"}
                </button>
              ) : null}
              {onToggleEnabled ? (
                <button
                  type="button"
                  className={BUTTON}
                  disabled={busy(routine)}
                  onClick={() => onToggleEnabled(routine, !enabled)}
                >
                  {statusMutationRoutineKey === routine.key ? "Saving…" : enabled ? "Pause" : "Enable"}
                </button>
              ) : null}
              {onReconcile && routine.missingRefs && routine.missingRefs.length > 0 ? (
                <button
                  type="button"
                  className={BUTTON}
                  disabled={busy(routine)}
                  onClick={() => onReconcile(routine)}
                >
                  {reconcilingRoutineKey === routine.key ? "Reconciling…" : "Reconcile"}
                </button>
              ) : null}
              {onReset && routine.defaultDrift ? (
                <button
                  type="button"
                  className={cn(BUTTON, "text-red-700 dark:text-red-400")}
                  disabled={busy(routine)}
                  onClick={() => onReset(routine)}
                >
                  {resettingRoutineKey === routine.key ? "Resetting…" : "Reset to defaults"}
                </button>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
