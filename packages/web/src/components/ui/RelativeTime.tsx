import { useSyncExternalStore } from "react";
import { formatDateTime, formatRelativeTime } from "@/lib/format";

// One shared minute ticker for every <RelativeTime> on screen.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

const getNow = () => now;

function subscribe(listener: () => void) {
  listeners.add(listener);
  timer ??= setInterval(() => {
    now = Date.now();
    for (const notify of listeners) notify();
  }, 30_000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** "5 min. ago" that keeps itself current; the full date and time is in the tooltip and `dateTime`. */
export function RelativeTime({ date, className }: { date: string | Date; className?: string }) {
  // Re-renders every 30 s so the label stays current.
  useSyncExternalStore(subscribe, getNow, getNow);
  const value = typeof date === "string" ? new Date(date) : date;
  if (Number.isNaN(value.getTime())) return null;
  return (
    <time dateTime={value.toISOString()} title={formatDateTime(value)} className={className}>
      {formatRelativeTime(value)}
    </time>
  );
}
