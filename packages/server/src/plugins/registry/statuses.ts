// The six plugin statuses and the one table of allowed transitions (reference §12.1). Every status change in
// the host goes through assertTransition, so the rule lives in exactly one place.
import { PLUGIN_STATUSES, type PluginStatus } from "@paperclipai/plugin-sdk/types";
import { badRequest } from "../../errors.js";

export { PLUGIN_STATUSES, type PluginStatus };

export const VALID_TRANSITIONS: Readonly<Record<PluginStatus, readonly PluginStatus[]>> = {
  installed: ["ready", "error", "uninstalled"],
  ready: ["ready", "disabled", "error", "upgrade_pending", "uninstalled"],
  disabled: ["ready", "uninstalled"],
  error: ["ready", "uninstalled"],
  upgrade_pending: ["ready", "error", "uninstalled"],
  uninstalled: ["installed"],
};

export function isPluginStatus(value: unknown): value is PluginStatus {
  return typeof value === "string" && (PLUGIN_STATUSES as readonly string[]).includes(value);
}

export function canTransition(from: PluginStatus, to: PluginStatus): boolean {
  return VALID_TRANSITIONS[from].includes(to);
}

/** Throws 400 `Invalid lifecycle transition: A → B for plugin K` unless the table allows it. */
export function assertTransition(from: PluginStatus, to: PluginStatus, pluginKey: string): void {
  if (!canTransition(from, to)) {
    throw badRequest(`Invalid lifecycle transition: ${from} → ${to} for plugin ${pluginKey}`, {
      from,
      to,
      pluginKey,
      allowed: VALID_TRANSITIONS[from],
    });
  }
}
