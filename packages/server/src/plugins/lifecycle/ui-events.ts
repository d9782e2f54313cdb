// `plugin.ui.updated` (reference §10.2): after a lifecycle change that adds or removes a plugin's UI
// contributions has committed, listeners (the company event streams) hear `{pluginId, action}`, so open boards
// refetch `GET /api/plugins/ui-contributions` and drop the plugin's cached bundle without a reload.
import type { PluginActivityAction } from "./activity.js";

export type PluginUiAction =
  | "installed"
  | "enabled"
  | "disabled"
  | "upgraded"
  | "uninstalled"
  | "error"
  // A dev-mode plugin rebuilt from its folder (dev-mode.ts): its UI build changed, open boards load the new one.
  | "reloaded";

export interface PluginUiUpdate {
  pluginId: string;
  action: PluginUiAction;
}

const ACTIONS: Partial<Record<PluginActivityAction, PluginUiAction>> = {
  "plugin.installed": "installed",
  "plugin.enabled": "enabled",
  "plugin.disabled": "disabled",
  "plugin.upgraded": "upgraded",
  "plugin.uninstalled": "uninstalled",
  // ready → error removes the plugin's contributions just as disabling does.
  "plugin.error": "error",
  "plugin.dev.reloaded": "reloaded",
};

export class PluginUiEvents {
  private readonly listeners = new Set<(update: PluginUiUpdate) => void>();

  /** Hear every committed UI-relevant change; returns the unsubscribe function. */
  subscribe(listener: (update: PluginUiUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called by the lifecycle after a change committed; actions that leave the UI alone are ignored. */
  changed(pluginId: string, activity: PluginActivityAction | null | undefined): void {
    const action = activity ? ACTIONS[activity] : undefined;
    if (!action) return;
    for (const listener of [...this.listeners]) {
      try {
        listener({ pluginId, action });
      } catch {
        // A listener's failure must not fail the lifecycle operation that already committed.
      }
    }
  }
}
