// A plugin's UI isolation (docs/plugin-ui-sandbox.md): how the board mounts its UI — imported into the board
// (`same-origin`) or in a sandboxed iframe — read by any board user, chosen by the instance admin.
// Routes: packages/server/src/http/plugins/ui-isolation-routes.ts.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { PLUGIN_UI_CONTRIBUTIONS_QUERY_KEY } from "@/plugin-ui";
import { api, seg } from "./client";
import { type MutationHookOptions, mutationMeta } from "./mutations";

export type UiIsolationMode = "same-origin" | "sandboxed";

/** GET/PUT /api/plugins/:pluginId/ui-isolation */
export interface UiIsolationState {
  pluginId: string;
  pluginKey: string;
  /** What the board uses now. */
  mode: UiIsolationMode;
  /** operator: the instance admin chose it; plugin: the plugin's package.json hint; default: same-origin. */
  source: "operator" | "plugin" | "default";
  operatorMode: UiIsolationMode | null;
  pluginHint: UiIsolationMode | null;
  pluginHintProblem: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** Under the plugins root key, so every plugin invalidation refreshes it too. */
export const uiIsolationQueryKey = (ref: string) => ["plugins", "uiIsolation", ref] as const;

export function useUiIsolation(ref: string) {
  return useQuery({
    queryKey: uiIsolationQueryKey(ref),
    queryFn: ({ signal }) =>
      api.get<UiIsolationState>(`/plugins/${seg(ref)}/ui-isolation`, undefined, signal),
  });
}

/** Choose the mode (`null`: back to the plugin's hint or same-origin). Open boards remount the plugin's UI. */
export function useSetUiIsolation(ref: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta({ errorTitle: "Could not change the UI isolation", ...options }),
    mutationFn: (mode: UiIsolationMode | null) =>
      api.put<UiIsolationState>(`/plugins/${seg(ref)}/ui-isolation`, { mode }),
    onSuccess: (state) => {
      queryClient.setQueryData(uiIsolationQueryKey(ref), state);
      return queryClient.invalidateQueries({ queryKey: PLUGIN_UI_CONTRIBUTIONS_QUERY_KEY });
    },
  });
}
