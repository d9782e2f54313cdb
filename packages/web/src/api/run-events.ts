// React side of a run's live output: `useRunEvents(runId, active)` keeps a RunEventStream (run-stream.ts) open
// while the component is mounted and re-renders at most every 50 ms however fast the run prints. When the
// stream delivers the terminal status event, every run query is refreshed (the header's status, finish time
// and result). When the run's record turns terminal first (`active` false), the stream reads what is left and
// stops.

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, useSyncExternalStore } from "react";
import { fetchRunEvents } from "./agents";
import { queryKeys } from "./keys";
import { RUN_EVENTS_PAGE_SIZE, type RunEventSource, RunEventStream, type RunStreamState } from "./run-stream";

const NOTIFY_MS = 50;

interface Store {
  client: RunEventStream;
  subscribe(listener: () => void): () => void;
  dispose(): void;
}

const INITIAL: RunStreamState = { events: [], count: 0, lastSeq: 0, phase: "loading", error: null };
const noSubscribe = () => () => {};

export function useRunEvents(runId: string, active: boolean): RunStreamState & { retry: () => void } {
  const queryClient = useQueryClient();
  const [store, setStore] = useState<Store | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `active` is read once, when the stream opens.
  useEffect(() => {
    const listeners = new Set<() => void>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const notify = () => {
      timer ??= setTimeout(() => {
        timer = null;
        for (const listener of listeners) listener();
      }, NOTIFY_MS);
    };
    const client = new RunEventStream({
      runId,
      live: active,
      createEventSource: (url) => new EventSource(url) as unknown as RunEventSource,
      fetchEvents: (afterSeq) => fetchRunEvents(runId, afterSeq, { limit: RUN_EVENTS_PAGE_SIZE }),
      onChange: notify,
      onEnded: () => void queryClient.invalidateQueries({ queryKey: queryKeys.runs.all }),
    });
    const next: Store = {
      client,
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      dispose() {
        if (timer) clearTimeout(timer);
        listeners.clear();
        client.stop();
      },
    };
    setStore(next);
    client.start();
    return () => next.dispose();
  }, [runId, queryClient]);

  useEffect(() => {
    if (!active) store?.client.settle();
  }, [active, store]);

  const state = useSyncExternalStore(
    store?.subscribe ?? noSubscribe,
    () => store?.client.current ?? INITIAL,
    () => INITIAL,
  );
  return { ...state, retry: () => store?.client.retry() };
}
