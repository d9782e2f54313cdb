import { useSyncExternalStore } from "react";

// One shared one-second ticker for live durations ("running for 12 s"); it runs only while a component that
// asked for it (with `enabled`) is mounted.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void) {
  listeners.add(listener);
  now = Date.now();
  timer ??= setInterval(() => {
    now = Date.now();
    for (const notify of listeners) notify();
  }, 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

const noSubscribe = () => () => {};
const getNow = () => now;

/** `Date.now()` that re-renders every second while `enabled` (the last tick's time otherwise). */
export function useNow(enabled = true): number {
  return useSyncExternalStore(enabled ? subscribe : noSubscribe, getNow, getNow);
}
