// Which plugin a host service acts for (the runtime passes it to forPlugin).
import type { PaperclipPluginManifestV1 } from "@paperclipai/plugin-sdk/types";

export interface PluginIdentity {
  /** the plugin's database id (uuid) */
  pluginId: string;
  pluginKey: string;
  manifest: PaperclipPluginManifestV1;
}
