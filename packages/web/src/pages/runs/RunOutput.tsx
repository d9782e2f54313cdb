// The run's output as it happens: stdout lines plain, stderr tinted, status changes and system notes muted,
// tool calls as compact rows (tool, ok or error, duration). The panel follows new output while scrolled to the
// bottom; scrolling up stops following and offers "Jump to latest". Its header says whether the stream is live,
// reconnecting or over.

import { ArrowDown, CircleAlert, CircleCheck, Info, RefreshCw, Terminal, Wrench } from "lucide-react";
import {
  type KeyboardEvent,
  memo,
  useCallback,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type WheelEvent,
} from "react";
import type { RunStreamPhase } from "@/api/run-stream";
import type { RunEvent } from "@/api/types";
import {
  Badge,
  Button,
  Card,
  CardAction,
  CardHeader,
  CardTitle,
  EmptyState,
  ErrorState,
  LiveDot,
  Skeleton,
  Spinner,
  statusLabel,
} from "@/components/ui";
import { cn } from "@/lib/cn";
import { formatNumber, plural } from "@/lib/format";
import { formatDuration } from "./RunsTable";
import { clockTime, type OutputEntry, toOutputEntries } from "./run-output";

/** More than this many entries: only the latest are drawn (the raw log has everything). */
export const MAX_DRAWN_ENTRIES = 2000;
const FOLLOW_THRESHOLD_PX = 24;

export interface RunOutputProps {
  events: readonly RunEvent[];
  /** Changes whenever `events` grows (the array grows in place). */
  count: number;
  phase: RunStreamPhase;
  error: Error | null;
  onRetry: () => void;
  /** The run is queued or running (drives the empty state's wording). */
  active: boolean;
  queued: boolean;
}

export function RunOutput({ events, count, phase, error, onRetry, active, queued }: RunOutputProps) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: `events` grows in place; `count` tracks it.
  const entries = useMemo(() => toOutputEntries(events), [events, count]);
  const lines = entries.filter((entry) => entry.kind === "line").length;
  const drawn = entries.length > MAX_DRAWN_ENTRIES ? entries.slice(-MAX_DRAWN_ENTRIES) : entries;
  const hidden = entries.length - drawn.length;

  const viewport = useRef<HTMLDivElement>(null);
  // Following is read synchronously when output arrives (a ref) and drives the "Jump to latest" button (state).
  const followingRef = useRef(true);
  const autoScrollTop = useRef(0);
  const [following, setFollowingState] = useState(true);
  const setFollowing = useCallback((value: boolean) => {
    followingRef.current = value;
    setFollowingState(value);
  }, []);

  // Follow new output while the reader is at the bottom.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when entries are added.
  useLayoutEffect(() => {
    const element = viewport.current;
    if (!element || !followingRef.current) return;
    element.scrollTop = element.scrollHeight;
    autoScrollTop.current = element.scrollTop;
  }, [entries.length, following]);

  const onScroll = useCallback(() => {
    const element = viewport.current;
    if (!element) return;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight <= FOLLOW_THRESHOLD_PX;
    if (atBottom) setFollowing(true);
    // Above where following put it: the reader scrolled up (by dragging the scrollbar, say).
    else if (element.scrollTop < autoScrollTop.current - 2) setFollowing(false);
  }, [setFollowing]);

  // Wheel, touch and keys say "I am reading up there" before the scroll event does, so output arriving in
  // between cannot pull the reader back down.
  const onWheel = useCallback(
    (event: WheelEvent<HTMLDivElement>) => {
      if (event.deltaY < 0) setFollowing(false);
    },
    [setFollowing],
  );
  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      if (["ArrowUp", "PageUp", "Home"].includes(event.key)) setFollowing(false);
    },
    [setFollowing],
  );

  const jumpToLatest = () => {
    const element = viewport.current;
    if (element) element.scrollTop = element.scrollHeight;
    setFollowing(true);
  };

  return (
    <Card className="overflow-hidden" role="region" aria-labelledby="run-output-title">
      <CardHeader className="items-center border-b py-2.5">
        <Terminal aria-hidden className="size-4 text-muted-foreground" />
        <CardTitle id="run-output-title">Output</CardTitle>
        <StreamBadge phase={phase} />
        <CardAction className="gap-3 text-xs text-muted-foreground">
          {lines > 0 ? <span className="tabular-nums">{plural(lines, "line")}</span> : null}
        </CardAction>
      </CardHeader>
      <div className="relative">
        <div
          ref={viewport}
          onScroll={onScroll}
          onWheel={onWheel}
          onTouchMove={() => setFollowing(false)}
          onKeyDown={onKeyDown}
          role="log"
          aria-label="Run output"
          aria-busy={phase === "loading" || undefined}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: the scrollable log must be reachable by keyboard.
          tabIndex={0}
          className="max-h-[min(32rem,65vh)] min-h-40 overflow-auto bg-muted/30 py-2 font-mono text-xs leading-5 scrollbar-thin focus-visible:outline-offset-[-2px]"
        >
          {phase === "error" && entries.length === 0 ? (
            <ErrorState compact title="Could not load the output" error={error} onRetry={onRetry} />
          ) : entries.length === 0 ? (
            phase === "loading" ? (
              <div className="grid gap-2 px-4 py-2" role="status" aria-label="Loading the output">
                <Skeleton className="h-3.5 w-2/3" />
                <Skeleton className="h-3.5 w-1/2" />
                <Skeleton className="h-3.5 w-3/5" />
              </div>
            ) : active ? (
              <div className="flex min-h-36 items-center justify-center gap-2 font-sans text-sm text-muted-foreground">
                <Spinner />
                {queued ? "Queued — waiting for the agent to start…" : "Waiting for output…"}
              </div>
            ) : (
              <EmptyState
                compact
                className="font-sans"
                icon={<Terminal />}
                title="No output recorded"
                description="This run printed nothing, or it ran before the host recorded run output."
              />
            )
          ) : (
            <ol>
              {hidden > 0 ? (
                <li className="px-4 pb-1 font-sans text-muted-foreground">
                  {formatNumber(hidden)} earlier entries are not shown here — the Raw log tab has everything.
                </li>
              ) : null}
              {drawn.map((entry) => (
                <OutputRow key={entry.seq} entry={entry} />
              ))}
            </ol>
          )}
        </div>
        {!following && entries.length > 0 ? (
          <Button
            size="sm"
            variant="secondary"
            onClick={jumpToLatest}
            className="absolute right-4 bottom-3 shadow-md"
          >
            <ArrowDown aria-hidden />
            Jump to latest
          </Button>
        ) : null}
      </div>
      {phase === "error" && entries.length > 0 ? (
        <div role="alert" className="flex items-center gap-2 border-t px-4 py-2 text-xs text-destructive">
          <CircleAlert aria-hidden className="size-3.5" />
          The rest of the output could not be loaded.
          <Button size="sm" variant="ghost" onClick={onRetry}>
            <RefreshCw aria-hidden />
            Retry
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

function StreamBadge({ phase }: { phase: RunStreamPhase }) {
  switch (phase) {
    case "live":
      return (
        <Badge tone="success" title="New output appears as the run prints it">
          <LiveDot />
          Live
        </Badge>
      );
    case "reconnecting":
      return (
        <Badge tone="warning" role="status">
          <Spinner className="size-3" />
          Reconnecting
        </Badge>
      );
    case "loading":
      return (
        <Badge tone="neutral">
          <Spinner className="size-3" />
          Connecting
        </Badge>
      );
    default:
      return null;
  }
}

const Gutter = ({ at, className }: { at: string; className?: string }) => (
  <span
    className={cn(
      "w-20 shrink-0 pr-3 text-right text-muted-foreground/70 tabular-nums select-none",
      className,
    )}
  >
    {clockTime(at)}
  </span>
);

const OutputRow = memo(function OutputRow({ entry }: { entry: OutputEntry }) {
  switch (entry.kind) {
    case "line":
      return (
        <li
          data-stream={entry.stream}
          className={cn(
            "flex border-l-2 border-transparent pr-4",
            entry.stream === "stderr" && "border-destructive/60 bg-destructive/8 text-destructive",
          )}
        >
          <Gutter at={entry.at} />
          <span data-line className="min-w-0 whitespace-pre-wrap break-words">
            {entry.text || "\u00a0"}
          </span>
        </li>
      );
    case "status":
      return (
        <li data-kind="status" className="flex border-l-2 border-transparent pr-4 text-muted-foreground">
          <Gutter at={entry.at} />
          <span className="flex items-center gap-1.5 font-sans">
            {entry.tone === "success" ? (
              <CircleCheck aria-hidden className="size-3.5 text-success" />
            ) : entry.tone === "danger" ? (
              <CircleAlert aria-hidden className="size-3.5 text-destructive" />
            ) : (
              <Info aria-hidden className="size-3.5" />
            )}
            <span className={cn("font-medium", entry.tone === "danger" && "text-destructive")}>
              {statusLabel("run", entry.status)}
            </span>
            {entry.detail ? <span className="whitespace-pre-wrap">— {entry.detail}</span> : null}
          </span>
        </li>
      );
    case "tool":
      return (
        <li data-kind="tool" className="flex border-l-2 border-transparent pr-4">
          <Gutter at={entry.at} />
          <span className="my-0.5 flex min-w-0 items-center gap-2 rounded-md border bg-card px-2 py-0.5">
            <Wrench aria-hidden className="size-3.5 text-muted-foreground" />
            <span className="font-semibold">{entry.tool}</span>
            {entry.ok ? <Badge tone="success">ok</Badge> : <Badge tone="danger">error</Badge>}
            {entry.parameters ? (
              <span className="max-w-md truncate text-muted-foreground" title={entry.parameters}>
                {entry.parameters}
              </span>
            ) : null}
            {entry.error ? <span className="truncate text-destructive">{entry.error}</span> : null}
            {entry.durationMs !== null ? (
              <span className="ml-auto pl-2 text-muted-foreground tabular-nums">
                {formatDuration(entry.durationMs)}
              </span>
            ) : null}
          </span>
        </li>
      );
    case "system":
      return (
        <li
          data-kind="system"
          className={cn(
            "flex border-l-2 border-transparent pr-4 text-muted-foreground italic",
            entry.level === "error" && "text-destructive",
            entry.level === "warn" && "text-warning",
          )}
        >
          <Gutter at={entry.at} className="not-italic" />
          <span className="whitespace-pre-wrap break-words">{entry.text}</span>
        </li>
      );
  }
});
