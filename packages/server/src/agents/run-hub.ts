// In-process pub/sub of committed run events on this host node. The event store publishes after commit, so a
// listener never sees an event that could still roll back; other nodes' events reach readers via the database.
import type { RunEvent } from "./run-event-types.js";

export type RunEventListener = (event: RunEvent) => void;

export class RunHub {
  private readonly byRun = new Map<string, Set<RunEventListener>>();
  private readonly all = new Set<RunEventListener>();

  subscribe(runId: string, listener: RunEventListener): () => void {
    let set = this.byRun.get(runId);
    if (!set) {
      set = new Set();
      this.byRun.set(runId, set);
    }
    set.add(listener);
    return () => {
      const current = this.byRun.get(runId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.byRun.delete(runId);
    };
  }

  subscribeAll(listener: RunEventListener): () => void {
    this.all.add(listener);
    return () => this.all.delete(listener);
  }

  publish(event: RunEvent): void {
    for (const listener of [...(this.byRun.get(event.runId) ?? []), ...this.all]) {
      try {
        listener(event);
      } catch {
        // One listener's failure must not hide the event from the others or fail the writer.
      }
    }
  }
}
