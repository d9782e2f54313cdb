// `usePluginData(key, params)` and `usePluginAction(key)` (reference §10.3): bridge calls for the mounted
// plugin. Data is refetched when the key, the params (by content), the company or the render environment
// change, and on `refresh()`; WORKER_UNAVAILABLE and TIMEOUT are retried twice (150 ms × attempt).
import type { PluginActionFn, PluginBridgeError, PluginDataResult } from "@paperclipai/plugin-sdk/ui/types";
import { useCallback, useEffect, useMemo, useState } from "react";
import { toPluginBridgeError } from "../bridge-errors.js";
import { callPluginBridge } from "../http.js";
import { usePluginMount } from "../mount-context.js";
import { withBridgeRetry } from "../retry.js";
import { stableStringify } from "../stable-stringify.js";
import { renderEnvironmentSnapshot } from "./host-context.js";

interface DataState {
  data: unknown;
  loading: boolean;
  error: PluginBridgeError | null;
}

export function usePluginData<T = unknown>(
  key: string,
  params?: Record<string, unknown>,
): PluginDataResult<T> {
  const { pluginId, hostContext } = usePluginMount("usePluginData");
  const companyId = hostContext.companyId ?? null;
  const paramsText = stableStringify(params ?? {});
  const environmentText = stableStringify(renderEnvironmentSnapshot(hostContext));
  const [state, setState] = useState<DataState>({ data: null, loading: true, error: null });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    // `generation` is read so refresh() re-runs this effect.
    void generation;
    const controller = new AbortController();
    setState((previous) => (previous.loading ? previous : { ...previous, loading: true }));
    const body = {
      companyId,
      params: JSON.parse(paramsText) as Record<string, unknown>,
      renderEnvironment: JSON.parse(environmentText) as Record<string, unknown> | null,
    };
    withBridgeRetry(() => callPluginBridge(pluginId, "data", key, body, controller.signal), {
      signal: controller.signal,
    }).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, loading: false, error: null });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        // The previous data stays visible next to the error.
        setState((previous) => ({ data: previous.data, loading: false, error: toPluginBridgeError(error) }));
      },
    );
    return () => controller.abort();
  }, [pluginId, key, paramsText, companyId, environmentText, generation]);

  const refresh = useCallback(() => setGeneration((value) => value + 1), []);
  return useMemo(
    () => ({ data: (state.data ?? null) as T | null, loading: state.loading, error: state.error, refresh }),
    [state, refresh],
  );
}

export function usePluginAction(key: string): PluginActionFn {
  const { pluginId, hostContext } = usePluginMount("usePluginAction");
  const companyId = hostContext.companyId ?? null;
  const environmentText = stableStringify(renderEnvironmentSnapshot(hostContext));
  return useCallback(
    async (params?: Record<string, unknown>) => {
      try {
        return await callPluginBridge(pluginId, "actions", key, {
          companyId,
          params: params ?? {},
          renderEnvironment: JSON.parse(environmentText) as Record<string, unknown> | null,
        });
      } catch (error) {
        throw toPluginBridgeError(error);
      }
    },
    [pluginId, key, companyId, environmentText],
  );
}
