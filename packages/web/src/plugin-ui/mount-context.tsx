// The context every plugin render sits in: which plugin is rendering and the host context it renders for.
// The bridge hooks (usePluginData, useHostContext, …) read it; `<PluginComponent>` provides it.
import type { PluginHostContext } from "@paperclipai/plugin-sdk/ui/types";
import { createContext, useContext } from "react";

export interface PluginMountValue {
  /** The plugin's installed id (uuid); bridge URLs use it. */
  pluginId: string;
  pluginKey: string;
  displayName?: string;
  hostContext: PluginHostContext;
}

export const PluginMountContext = createContext<PluginMountValue | null>(null);

/** The mount a hook runs in; a clear error when a plugin component is rendered outside the board's mount. */
export function usePluginMount(hookName: string): PluginMountValue {
  const value = useContext(PluginMountContext);
  if (!value) {
    throw new Error(`${hookName} must be used inside a plugin component mounted by the Paperclip board`);
  }
  return value;
}

/** The mount if there is one (shared components work outside plugin mounts too). */
export function useOptionalPluginMount(): PluginMountValue | null {
  return useContext(PluginMountContext);
}
