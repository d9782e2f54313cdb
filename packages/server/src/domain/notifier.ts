// Wakes outbox consumers in this process after a transaction that wrote events commits, handing them the events
// as stored, so a consumer that only needs what was just committed does not read it back from the database.
// (Consumers on other nodes are woken by pg_notify on the "paperclip_domain_events" channel, sent by the
// same transaction when the database is a real PostgreSQL.)
import type { DomainEvent, StoredDomainEvent } from "./event-types.js";

/** One commit of this process. */
export interface Commit {
  /** Its highest sequence. */
  readonly lastSeq: number;
  /** Its events as an outbox read returns them, in sequence order. */
  readonly events: readonly StoredDomainEvent[];
}

export type CommitListener = (commit: Commit) => void;

export class EventNotifier {
  private readonly listeners = new Set<CommitListener>();
  private latest: number | null = null;

  /** Highest sequence this process has seen committed (null before the first commit). */
  get lastSeq(): number | null {
    return this.latest;
  }

  subscribe(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after commit with the committed events in sequence order (never empty). */
  notify(events: readonly StoredDomainEvent[]): void {
    const last = events.at(-1);
    if (!last) return;
    const commit: Commit = { lastSeq: last.seq, events };
    if (this.latest === null || commit.lastSeq > this.latest) this.latest = commit.lastSeq;
    for (const listener of this.listeners) {
      try {
        listener(commit);
      } catch {
        // A consumer's failure must never fail the request that committed.
      }
    }
  }
}

export const DOMAIN_EVENTS_CHANNEL = "paperclip_domain_events";

/**
 * The pg_notify payload of a commit that touches agents or runs (other commits send an empty one): the run
 * executor on other nodes looks at the runs only then, not at every issue written.
 */
export const RUNS_CHANGED = "runs";

const RUN_ENTITY_TYPES = new Set(["agent", "heartbeat_run", "run"]);

/** Whether an event may change which runs can be claimed or must stop (queued, ended, agent paused or resumed). */
export function touchesRuns(event: DomainEvent): boolean {
  return event.eventType.startsWith("agent.") || RUN_ENTITY_TYPES.has(event.entityType ?? "");
}
