// The newest part of the outbox, read once per node and shared by every plugin stream on it: with ten
// subscribers an event is read from the database once, not ten times. It covers a contiguous range of
// sequences (startSeq, endSeq] with every event in it, whatever its type; a stream whose position lies in that
// range takes its next events from here and filters them itself. Streams behind the range (a plugin catching up
// after downtime) read the database with their own type filter. Bounded: the oldest events are dropped first.
import type { StoredDomainEvent } from "../../domain/event-types.js";
import type { OutboxPages } from "./outbox-pages.js";
import type { SubscriptionMatcher } from "./subscription-matcher.js";

/** Commits held while an earlier one is awaited; past this the tail reads the outbox instead. */
const MAX_COMMITS_AHEAD = 256;

export interface TailSlice {
  /** Matching events after the position, in sequence order. */
  events: StoredDomainEvent[];
  /** Every sequence up to here was looked at. */
  readTo: number;
}

export class OutboxTail {
  private events: StoredDomainEvent[] = [];
  /** Exclusive lower bound of the range covered. */
  private startSeq = 0;
  /** Inclusive upper bound: the outbox head at the last refresh. */
  private endSeq = 0;
  private initialized = false;
  private reading: Promise<void> | null = null;
  /** Commits offered before an earlier one, by their first sequence. */
  private readonly ahead = new Map<number, readonly StoredDomainEvent[]>();
  private again = false;

  constructor(
    private readonly pages: OutboxPages,
    private readonly maxEvents: number,
    private readonly pageSize: number,
  ) {}

  /** Read what was committed since the last refresh (concurrent calls share one reader). */
  refresh(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      try {
        do {
          this.again = false;
          await this.readNew();
        } while (this.again);
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }

  /**
   * Events this node just committed, with their sequences (from the notifier): appended without a read when they
   * directly follow the range. A commit that arrives ahead of an earlier one (on PostgreSQL, concurrent
   * transactions report their commits in any order) waits here for it; true when the range now covers `committed`.
   * What stays missing (another node's commit) is left to refresh().
   */
  offer(committed: readonly StoredDomainEvent[]): boolean {
    const first = committed[0];
    if (!this.initialized || this.reading || !first) return false;
    if (first.seq > this.endSeq + 1) {
      if (this.ahead.size < MAX_COMMITS_AHEAD) this.ahead.set(first.seq, committed);
      return false;
    }
    this.append(committed);
    this.takeAhead();
    return (committed.at(-1) as StoredDomainEvent).seq <= this.endSeq;
  }

  /** Append events that continue the range (any already covered are skipped; a gap stops it). */
  private append(events: readonly StoredDomainEvent[]): void {
    for (const event of events) {
      if (event.seq <= this.endSeq) continue;
      if (event.seq !== this.endSeq + 1) break;
      this.events.push(event);
      this.endSeq = event.seq;
    }
    this.trim();
  }

  /** Commits that were waiting for the range to reach them. */
  private takeAhead(): void {
    for (const firstSeq of this.ahead.keys()) {
      if (firstSeq <= this.endSeq) this.ahead.delete(firstSeq);
    }
    for (let next = this.ahead.get(this.endSeq + 1); next; next = this.ahead.get(this.endSeq + 1)) {
      this.ahead.delete(this.endSeq + 1);
      this.append(next);
    }
  }

  /**
   * Forget the range (no stream on this node needs it): the next refresh starts again at the head. Keeps a
   * node without running subscribers from reading the outbox on every commit.
   */
  reset(): void {
    if (this.reading || !this.initialized) return;
    this.initialized = false;
    this.events = [];
    this.ahead.clear();
  }

  /** The highest sequence the range covers. */
  get coveredTo(): number {
    return this.endSeq;
  }

  /** Up to `limit` events after `afterSeq` looked at, or null when the range does not cover `afterSeq`. */
  slice(afterSeq: number, limit: number, matcher: SubscriptionMatcher): TailSlice | null {
    if (!this.initialized || afterSeq < this.startSeq || afterSeq > this.endSeq) return null;
    let index = this.firstAfter(afterSeq);
    const end = Math.min(this.events.length, index + limit);
    const matching: StoredDomainEvent[] = [];
    for (; index < end; index++) {
      const event = this.events[index] as StoredDomainEvent;
      if (matcher.matches(event)) matching.push(event);
    }
    const readTo = end < this.events.length ? (this.events[end - 1] as StoredDomainEvent).seq : this.endSeq;
    return { events: matching, readTo: Math.max(afterSeq, readTo) };
  }

  private async readNew(): Promise<void> {
    if (!this.initialized) {
      // Start empty at the current head: older events are read by the streams that need them.
      const head = await this.pages.head();
      this.startSeq = head;
      this.endSeq = head;
      this.initialized = true;
      return;
    }
    for (;;) {
      const page = await this.pages.readAll(this.endSeq, this.pageSize);
      for (const event of page.events) this.events.push(event);
      const last = page.events.at(-1);
      const full = page.events.length >= this.pageSize;
      this.endSeq = full && last ? last.seq : Math.max(this.endSeq, page.head);
      this.trim();
      if (!full) break;
    }
    this.takeAhead();
  }

  /** Drop the oldest events beyond the bound, a quarter of it at a time (a copy per event would cost O(n) each). */
  private trim(): void {
    if (this.events.length <= this.maxEvents + (this.maxEvents >> 2)) return;
    const excess = this.events.length - this.maxEvents;
    this.startSeq = (this.events[excess - 1] as StoredDomainEvent).seq;
    this.events = this.events.slice(excess);
  }

  /** Index of the first event with seq > afterSeq (binary search). */
  private firstAfter(afterSeq: number): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.events[middle] as StoredDomainEvent).seq <= afterSeq) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
