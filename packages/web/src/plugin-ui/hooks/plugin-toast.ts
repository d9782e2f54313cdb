// `usePluginToast()` (reference §10.3): shows toasts through the board's plugin toast store, tagged with the
// plugin so dedupe keys of different plugins never collide.
import type { PluginToastFn } from "@paperclipai/plugin-sdk/ui/types";
import { useCallback } from "react";
import { useOptionalPluginMount } from "../mount-context.js";
import { pluginToasts } from "../toast-store.js";

export function usePluginToast(): PluginToastFn {
  const pluginId = useOptionalPluginMount()?.pluginId ?? null;
  return useCallback<PluginToastFn>((input) => pluginToasts.show(input, pluginId), [pluginId]);
}
