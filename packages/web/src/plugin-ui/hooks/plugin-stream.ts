// `usePluginStream(channel, {companyId?})` (reference §9/§10.3) over PluginStreamClient: one EventSource per
// mounted hook, resumed with the last event id after any drop; bursts of events are committed to React
// state once per animation frame.
import type { PluginStreamResult } from "@paperclipai/plugin-sdk/ui/types";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { usePluginMount } from "../mount-context.js";
import { type EventSourceLike, PluginStreamClient, type StreamState } from "../stream-client.js";
import { pluginUiTransport } from "../transport.js";

const IDLE: StreamState<never> = {
  events: [],
  lastEvent: null,
  connecting: false,
  connected: false,
  error: null,
};

function scheduleFrame(run: () => void): void {
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(run);
  else setTimeout(run, 16);
}

export function usePluginStream<T = unknown>(
  channel: string,
  options?: { companyId?: string },
): PluginStreamResult<T> {
  const { pluginId, hostContext } = usePluginMount("usePluginStream");
  const companyId = options?.companyId ?? hostContext.companyId ?? null;
  const [state, setState] = useState<StreamState<T>>(IDLE as StreamState<T>);
  const clientRef = useRef<PluginStreamClient<T> | null>(null);

  useEffect(() => {
    if (!companyId) {
      setState({ ...(IDLE as StreamState<T>), error: new Error("usePluginStream needs a companyId") });
      return;
    }
    let scheduled = false;
    let active = true;
    const client = new PluginStreamClient<T>({
      pluginId,
      channel,
      companyId,
      createEventSource: (url) =>
        pluginUiTransport()?.openEventSource(url) ??
        (new EventSource(url, { withCredentials: true }) as unknown as EventSourceLike),
      onChange: () => {
        if (scheduled) return;
        scheduled = true;
        scheduleFrame(() => {
          scheduled = false;
          if (active) setState(client.current);
        });
      },
    });
    clientRef.current = client;
    setState(client.current);
    client.start();
    return () => {
      active = false;
      client.stop();
      if (clientRef.current === client) clientRef.current = null;
    };
  }, [pluginId, channel, companyId]);

  const close = useCallback(() => {
    const client = clientRef.current;
    client?.stop();
    if (client) setState(client.current);
  }, []);
  return useMemo(() => ({ ...state, close }), [state, close]);
}
