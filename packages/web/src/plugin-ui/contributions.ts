// `usePluginContributions()`: the ready plugins' slots and launchers (TanStack Query on
// `GET /api/plugins/ui-contributions`). Kept live by `plugin.ui.updated` events, which the board's live-event
// client hands to `notifyPluginUiUpdated` (the host does not publish them yet, so until it does the list is
// also refetched whenever the window regains focus or the tab becomes visible). No polling.
import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { pluginModuleLoader } from "./browser-loader.js";
import {
  isPluginUiUpdatedEvent,
  type PluginUiContribution,
  type PluginUiUpdatedEvent,
} from "./contributions-select.js";
import { getJson } from "./http.js";

export const PLUGIN_UI_CONTRIBUTIONS_QUERY_KEY = ["plugins", "ui-contributions"] as const;

const listeners = new Set<(event: PluginUiUpdatedEvent["payload"]) => void>();

/**
 * Feed a live event to the plugin UI runtime. Returns true when it was a `plugin.ui.updated` event (the
 * plugin's cached bundle is dropped and the contributions list refetched by every mounted hook).
 */
export function notifyPluginUiUpdated(event: unknown): boolean {
  if (!isPluginUiUpdatedEvent(event)) return false;
  pluginModuleLoader.evict(event.payload.pluginId);
  for (const listener of [...listeners]) listener(event.payload);
  return true;
}

export function invalidatePluginContributions(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: PLUGIN_UI_CONTRIBUTIONS_QUERY_KEY });
}

export function usePluginContributions() {
  const queryClient = useQueryClient();
  useEffect(() => {
    const onUpdate = () => void invalidatePluginContributions(queryClient);
    listeners.add(onUpdate);
    const onVisible = () => {
      if (globalThis.document?.visibilityState !== "hidden") onUpdate();
    };
    globalThis.addEventListener?.("focus", onUpdate);
    globalThis.document?.addEventListener("visibilitychange", onVisible);
    return () => {
      listeners.delete(onUpdate);
      globalThis.removeEventListener?.("focus", onUpdate);
      globalThis.document?.removeEventListener("visibilitychange", onVisible);
    };
  }, [queryClient]);
  return useQuery({
    queryKey: PLUGIN_UI_CONTRIBUTIONS_QUERY_KEY,
    queryFn: ({ signal }) => getJson<PluginUiContribution[]>("/api/plugins/ui-contributions", signal),
    staleTime: 60_000,
    refetchOnWindowFocus: "always",
  });
}
