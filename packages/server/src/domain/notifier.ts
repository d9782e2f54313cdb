// Wakes outbox consumers in this process after a transaction that wrote events commits.
// (Consumers on other nodes are woken by pg_notify on the "paperclip_domain_events" channel, sent by the
// same transaction when the database is a real PostgreSQL.)

export type CommitListener = (lastSeq: number | null) => void;

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

  /** Called after commit. `lastSeq` is null when the commit happened elsewhere (another node). */
  notify(lastSeq: number | null): void {
    if (lastSeq !== null && (this.latest === null || lastSeq > this.latest)) this.latest = lastSeq;
    for (const listener of this.listeners) {
      try {
        listener(lastSeq);
      } catch {
        // A consumer's failure must never fail the request that committed.
      }
    }
  }
}

export const DOMAIN_EVENTS_CHANNEL = "paperclip_domain_events";
