// The boundary where a plugin's own settings UI takes over. A plugin that contributes a `settingsPage` UI slot
// (reference §10.2) renders its page here instead of the generated form; until the plugin UI work mounts it,
// this renders `children` (the generated form). Keep the props: they are everything a settings page needs.
import type { ReactNode } from "react";
import type { PluginDetail } from "@/api/plugins";
import { PluginSettingsPageOutlet } from "@/plugin-slots/surfaces";
import { slotsOfType, usePluginContributions } from "@/plugin-ui";

export interface PluginSettingsSlotProps {
  plugin: PluginDetail;
  /** The company the settings are for (config is stored per company). */
  company: { id: string; name: string; issuePrefix: string };
  /** The generated form: what shows when the plugin has no settings page of its own. */
  children: ReactNode;
}

/** The plugin's `settingsPage` slot, if its UI contributes one. */
export function usePluginSettingsPageSlot(pluginId: string) {
  const contributions = usePluginContributions();
  const mounts = slotsOfType(contributions.data ?? [], "settingsPage");
  return mounts.find((mount) => mount.contribution.pluginId === pluginId) ?? null;
}

export function PluginSettingsSlot({ plugin, company, children }: PluginSettingsSlotProps) {
  return (
    <PluginSettingsPageOutlet pluginId={plugin.id} company={company}>
      {children}
    </PluginSettingsPageOutlet>
  );
}
