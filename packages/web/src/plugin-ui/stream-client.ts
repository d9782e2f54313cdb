// One plugin stream subscription (reference §9, `usePluginStream`): an EventSource on
// `GET /api/plugins/:pluginId/bridge/stream/:channel?companyId=…` that never loses an event across a dropped
// connection. The browser's own reconnect sends `Last-Event-ID` by itself; when the EventSource gives up
// (an HTTP error such as a 502 while the worker restarts) we open a new one after a backoff and pass the
// last id we saw as `?lastEventId=` (the host replays its buffer after that id). A `close` frame from the
// worker ends the subscription, as in the original host. Framework-free; the hook wraps it.

/** The slice of the browser EventSource this client uses (a fake one in tests). */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: MessageEventLike) => void) | null;
  onerror: ((event: unknown) => void) | null;
  addEventListener(type: string, listener: (event: MessageEventLike) => void): void;
  close(): void;
}

export interface MessageEventLike {
  data?: unknown;
  lastEventId?: string;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

export interface StreamState<T> {
  events: T[];
  lastEvent: T | null;
  connecting: boolean;
  connected: boolean;
  error: Error | null;
}

export interface StreamClientOptions {
  pluginId: string;
  channel: string;
  companyId: string;
  createEventSource: EventSourceFactory;
  /** Called after each change; read `current` (a burst of events may be coalesced by the caller). */
  onChange(): void;
  /** Wait before reopening after the EventSource gave up; default 500 ms doubling to 15 s. */
  backoffMs?: (failures: number) => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

const CLOSED = 2;

export function pluginStreamUrl(
  pluginId: string,
  channel: string,
  companyId: string,
  lastEventId?: string | null,
): string {
  const query = new URLSearchParams({ companyId });
  if (lastEventId) query.set("lastEventId", lastEventId);
  return `/api/plugins/${encodeURIComponent(pluginId)}/bridge/stream/${encodeURIComponent(channel)}?${query}`;
}

export class PluginStreamClient<T = unknown> {
  private source: EventSourceLike | null = null;
  private lastEventId: string | null = null;
  private failures = 0;
  private timer: unknown = null;
  private stopped = false;
  private readonly events: T[] = [];
  private status: Omit<StreamState<T>, "events"> = {
    lastEvent: null,
    connecting: true,
    connected: false,
    error: null,
  };
  private snapshot: StreamState<T> | null = null;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;
  private readonly backoffMs: (failures: number) => number;

  constructor(private readonly options: StreamClientOptions) {
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
    this.backoffMs = options.backoffMs ?? ((failures) => Math.min(15_000, 500 * 2 ** (failures - 1)));
  }

  /** The state now; a new object (and events array) only after a change. */
  get current(): StreamState<T> {
    this.snapshot ??= { ...this.status, events: this.events.slice() };
    return this.snapshot;
  }

  /** The id of the last frame received (what a reconnect resumes after). */
  get resumeId(): string | null {
    return this.lastEventId;
  }

  start(): void {
    if (this.stopped || this.source) return;
    const { pluginId, channel, companyId } = this.options;
    const source = this.options.createEventSource(
      pluginStreamUrl(pluginId, channel, companyId, this.lastEventId),
    );
    this.source = source;
    this.update({ connecting: true });
    source.onopen = () => {
      if (this.source !== source) return;
      this.failures = 0;
      this.update({ connecting: false, connected: true, error: null });
    };
    source.onmessage = (event) => {
      if (this.source !== source) return;
      this.track(event);
      let value: T;
      try {
        value = JSON.parse(String(event.data)) as T;
      } catch {
        return;
      }
      this.events.push(value);
      this.update({ lastEvent: value });
    };
    // The worker's `event: open` frames share the connection-open event's name; only frames carry data.
    source.addEventListener("open", (event) => {
      if (this.source === source && event && typeof event.data === "string") this.track(event);
    });
    source.addEventListener("close", (event) => {
      if (this.source !== source || typeof event?.data !== "string") return;
      this.track(event);
      this.stop();
    });
    source.onerror = () => {
      if (this.source !== source) return;
      if (source.readyState === CLOSED) {
        // The browser gave up: reopen ourselves, resuming after the last id we saw.
        source.close();
        this.source = null;
        this.failures++;
        this.update({
          connecting: true,
          connected: false,
          error: new Error(`Stream "${channel}" disconnected; reconnecting`),
        });
        this.timer = this.setTimer(() => {
          this.timer = null;
          this.start();
        }, this.backoffMs(this.failures));
      } else {
        // The browser reconnects by itself and sends Last-Event-ID.
        this.update({ connecting: true, connected: false });
      }
    };
  }

  /** Close for good (the hook's `close()`, unmount, or a `close` frame). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.source?.close();
    this.source = null;
    this.update({ connecting: false, connected: false });
  }

  private track(event: MessageEventLike): void {
    if (event.lastEventId) this.lastEventId = event.lastEventId;
  }

  private update(patch: Partial<Omit<StreamState<T>, "events">>): void {
    this.status = { ...this.status, ...patch };
    this.snapshot = null;
    this.options.onChange();
  }
}
