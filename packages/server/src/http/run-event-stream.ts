// One SSE response of `GET /api/heartbeat-runs/:runId/events/stream`: the run's events after `afterSeq` from the
// database, then live ones as they commit, in seq order without gaps or repeats, ending after the terminal status
// event. Events committed on this node arrive through the run hub; a slow poll picks up other nodes' events (and
// ends streams of runs that finished without a terminal event: runs from before the event log existed).
import type { RunEvent } from "../agents/run-events.js";
import { isTerminalStatusEvent, type RunEventStore } from "../agents/run-events.js";
import type { RunHub } from "../agents/run-hub.js";
import { runIsActive } from "../domain/runs.js";
import type { SseConnection } from "./sse-connection.js";

const PAGE = 1000;
const POLL_MS = 1_000;
/** A finished run with no terminal event for this long never gets one. */
const LEGACY_END_MS = 10_000;

export class RunEventStream {
  private lastSeq: number;
  private pumping = false;
  private again = false;
  private done = false;
  private unsubscribe: (() => void) | null = null;
  private poll: NodeJS.Timeout | null = null;

  constructor(
    private readonly runId: string,
    afterSeq: number,
    private readonly store: RunEventStore,
    private readonly hub: RunHub,
    private readonly connection: SseConnection,
    private readonly runState: () => Promise<{ status: string; finishedAt: Date | null } | null>,
  ) {
    this.lastSeq = afterSeq;
  }

  /** Subscribe first, then replay: an event committed in between is read from the database, never lost. */
  start(): void {
    this.unsubscribe = this.hub.subscribe(this.runId, (event) => this.live(event));
    this.poll = setInterval(() => this.pump(true), POLL_MS);
    this.pump(false);
  }

  close(): void {
    this.done = true;
    this.unsubscribe?.();
    if (this.poll) clearInterval(this.poll);
  }

  private live(event: RunEvent): void {
    if (this.done) return;
    // The next one in order while nothing is being read: straight through; otherwise read the gap from the store.
    if (!this.pumping && event.seq === this.lastSeq + 1) this.deliver(event);
    else if (event.seq > this.lastSeq) this.pump(false);
  }

  private pump(checkLegacy: boolean): void {
    if (this.done) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void (async () => {
      try {
        do {
          this.again = false;
          let page: RunEvent[];
          do {
            page = await this.store.list(this.runId, { afterSeq: this.lastSeq, limit: PAGE });
            for (const event of page) if (!this.done) this.deliver(event);
          } while (page.length === PAGE && !this.done);
        } while (this.again && !this.done);
        if (checkLegacy && !this.done) await this.endIfFinishedLongAgo();
      } catch {
        this.end();
      } finally {
        this.pumping = false;
      }
    })();
  }

  private deliver(event: RunEvent): void {
    if (event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    this.connection.deliver(`id: ${event.seq}\nevent: run.event\ndata: ${JSON.stringify(event)}\n\n`);
    if (isTerminalStatusEvent(event)) this.end();
  }

  private async endIfFinishedLongAgo(): Promise<void> {
    const run = await this.runState();
    if (!run) return this.end();
    if (!runIsActive(run.status) && run.finishedAt && Date.now() - run.finishedAt.getTime() > LEGACY_END_MS) {
      this.end();
    }
  }

  private end(): void {
    if (this.done) return;
    this.close();
    this.connection.end();
  }
}
