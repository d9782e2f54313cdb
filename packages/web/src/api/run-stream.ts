// A run's events, live: an EventSource on `GET /api/heartbeat-runs/:runId/events/stream?afterSeq=N` (the host
// replays the events after N, then streams new ones as `event: run.event` frames whose `id:` is the seq, and
// closes after the terminal status event). When the stream drops before that, the client reads what it missed
// with `GET …/events?afterSeq=<last seq>` and reopens the stream after the last seq it holds, with a backoff
// while the host stays unreachable. A finished run is read once, page by page, without a stream. Events are
// kept in seq order without duplicates whatever the host replays. Framework-free (tests pass a fake
// EventSource); `useRunEvents` in run-events.ts wraps it for React.

import type { RunEvent } from "./types.js";

/** The slice of the browser EventSource the client uses. */
export interface RunEventSource {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data?: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  addEventListener(type: string, listener: (event: { data?: unknown }) => void): void;
  close(): void;
}

export type RunStreamPhase =
  /** Reading the first events (a finished run's pages, or opening the stream). */
  | "loading"
  /** The stream is open: new events arrive as the run prints them. */
  | "live"
  /** The stream dropped before the run ended; reading what was missed, then reopening. */
  | "reconnecting"
  /** The run has ended and every event is here. */
  | "ended"
  /** A finished run's events could not be read (retry()). */
  | "error";

export interface RunStreamState {
  /** Ascending by seq, no duplicates. The array grows in place; `count` changes with it. */
  events: readonly RunEvent[];
  count: number;
  lastSeq: number;
  phase: RunStreamPhase;
  error: Error | null;
}

export interface RunEventStreamOptions {
  runId: string;
  /** The run is queued or running: stream it. Otherwise its events are read once. */
  live: boolean;
  createEventSource(url: string): RunEventSource;
  /** One page of events after `afterSeq` (ascending, at most PAGE_SIZE). */
  fetchEvents(afterSeq: number): Promise<RunEvent[]>;
  /** Called after each change; read `current`. */
  onChange(): void;
  /** The terminal status event arrived (the run's record changed: refetch it). */
  onEnded?(): void;
  /** Wait before the n-th reconnect (n ≥ 1); default 250 ms doubling to 10 s. */
  backoffMs?(failures: number): number;
  setTimer?(run: () => void, ms: number): unknown;
  clearTimer?(timer: unknown): void;
}

export const RUN_EVENTS_PAGE_SIZE = 1000;
/** How long settle() waits for an open stream's own terminal event before reading the rest itself. */
const SETTLE_GRACE_MS = 1500;
const TERMINAL = new Set(["succeeded", "failed", "cancelled", "timed_out", "interrupted"]);

export function runEventsStreamUrl(runId: string, afterSeq: number): string {
  return `/api/heartbeat-runs/${encodeURIComponent(runId)}/events/stream?afterSeq=${afterSeq}`;
}

/** A status event that ends the run (the host sends nothing after it). */
export function isTerminalRunEvent(event: Pick<RunEvent, "eventType" | "payload">): boolean {
  return event.eventType === "status" && TERMINAL.has(String(event.payload?.status));
}

function parseRunEvent(data: unknown): RunEvent | null {
  if (typeof data !== "string") return null;
  try {
    const value = JSON.parse(data) as RunEvent;
    return value && typeof value === "object" && typeof value.seq === "number" ? value : null;
  } catch {
    return null;
  }
}

export class RunEventStream {
  private readonly events: RunEvent[] = [];
  private lastSeq = 0;
  private phase: RunStreamPhase = "loading";
  private error: Error | null = null;
  private source: RunEventSource | null = null;
  private timer: unknown = null;
  private failures = 0;
  private stopped = false;
  /** Bumped whenever a fetch or stream is abandoned, so late answers are ignored. */
  private generation = 0;
  private snapshot: RunStreamState | null = null;
  private settling = false;
  private settleTimer: unknown = null;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;
  private readonly backoffMs: (failures: number) => number;

  constructor(private readonly options: RunEventStreamOptions) {
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
    this.backoffMs = options.backoffMs ?? ((failures) => Math.min(10_000, 250 * 2 ** (failures - 1)));
  }

  get current(): RunStreamState {
    this.snapshot ??= {
      events: this.events,
      count: this.events.length,
      lastSeq: this.lastSeq,
      phase: this.phase,
      error: this.error,
    };
    return this.snapshot;
  }

  start(): void {
    if (this.stopped) return;
    if (this.options.live) this.open();
    else void this.readAll();
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    this.closeSource();
    if (this.timer !== null) this.clearTimer(this.timer);
    if (this.settleTimer !== null) this.clearTimer(this.settleTimer);
    this.timer = null;
    this.settleTimer = null;
  }

  /**
   * The run's record says it has ended (its status is terminal) while the stream is still open or retrying:
   * read whatever is left and stop, even if the host never sends a terminal status event.
   */
  settle(): void {
    if (this.stopped || !this.options.live || this.phase === "ended" || this.settling) return;
    this.settling = true;
    const finish = () => {
      if (this.stopped || this.phase === "ended") return;
      this.generation++;
      this.closeSource();
      if (this.timer !== null) this.clearTimer(this.timer);
      this.timer = null;
      void this.readAll();
    };
    // An open stream usually delivers the terminal status event a moment later: give it that moment.
    if (this.phase === "live") {
      this.settleTimer = this.setTimer(() => {
        this.settleTimer = null;
        finish();
      }, SETTLE_GRACE_MS);
    } else finish();
  }

  /** After `error`: read again. */
  retry(): void {
    if (this.stopped || this.phase !== "error") return;
    this.update({ phase: "loading", error: null });
    this.start();
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────────

  private update(change: { phase?: RunStreamPhase; error?: Error | null }): void {
    if (change.phase !== undefined) this.phase = change.phase;
    if (change.error !== undefined) this.error = change.error;
    this.snapshot = null;
    this.options.onChange();
  }

  /** Appends events newer than the last one held; true when one of them ended the run. */
  private add(events: readonly RunEvent[]): boolean {
    let ended = false;
    let added = false;
    for (const event of events) {
      if (event.seq <= this.lastSeq) continue;
      this.events.push(event);
      this.lastSeq = event.seq;
      added = true;
      if (isTerminalRunEvent(event)) ended = true;
    }
    if (added) this.snapshot = null;
    return ended;
  }

  private end(): void {
    this.generation++;
    if (this.settleTimer !== null) this.clearTimer(this.settleTimer);
    this.settleTimer = null;
    this.closeSource();
    this.update({ phase: "ended", error: null });
    this.options.onEnded?.();
  }

  private closeSource(): void {
    const source = this.source;
    this.source = null;
    if (source) {
      source.onopen = null;
      source.onmessage = null;
      source.onerror = null;
      source.close();
    }
  }

  /** Every page after lastSeq, then `ended` (a finished run, or settle()). */
  private async readAll(): Promise<void> {
    const generation = ++this.generation;
    try {
      for (;;) {
        const page = await this.options.fetchEvents(this.lastSeq);
        if (generation !== this.generation) return;
        this.add(page);
        if (page.length < RUN_EVENTS_PAGE_SIZE) break;
      }
      this.end();
    } catch (failure) {
      if (generation !== this.generation) return;
      this.update({ phase: "error", error: failure instanceof Error ? failure : new Error(String(failure)) });
    }
  }

  private open(): void {
    if (this.stopped) return;
    const generation = ++this.generation;
    const source = this.options.createEventSource(runEventsStreamUrl(this.options.runId, this.lastSeq));
    this.source = source;
    const onFrame = (frame: { data?: unknown }) => {
      if (this.source !== source) return;
      const event = parseRunEvent(frame.data);
      if (!event) return;
      const ended = this.add([event]);
      if (ended) this.end();
      else this.update({});
    };
    source.onopen = () => {
      if (this.source !== source) return;
      this.failures = 0;
      this.update({ phase: "live", error: null });
    };
    source.addEventListener("run.event", onFrame);
    source.onmessage = onFrame;
    source.onerror = () => {
      if (this.source !== source || generation !== this.generation) return;
      // Whether the browser gave up (CLOSED) or would reconnect on its own with the original afterSeq, we
      // reopen ourselves after the last seq we hold, once we have read what the drop may have hidden.
      this.closeSource();
      this.failures++;
      this.update({ phase: "reconnecting" });
      void this.catchUpThenReopen(generation);
    };
  }

  private async catchUpThenReopen(generation: number): Promise<void> {
    try {
      for (;;) {
        const page = await this.options.fetchEvents(this.lastSeq);
        if (generation !== this.generation || this.stopped) return;
        if (this.add(page)) {
          this.end();
          return;
        }
        if (page.length < RUN_EVENTS_PAGE_SIZE) break;
      }
      this.update({});
    } catch {
      // The host is unreachable: the backoff below retries.
      if (generation !== this.generation || this.stopped) return;
    }
    this.timer = this.setTimer(() => {
      this.timer = null;
      if (generation === this.generation && !this.stopped) this.open();
    }, this.backoffMs(this.failures));
  }
}
