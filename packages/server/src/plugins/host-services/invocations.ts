// Every host→worker call runs as an invocation: an id the worker echoes on its nested calls, bound to the
// company the call acts for (or to instance scope). Ended invocations stay known for a grace period, so nested
// calls still in flight when the parent settles are not refused (the original dropped the scope at once).
import { randomUUID } from "node:crypto";
import type { JsonRpcInvocationContext } from "@paperclipai/plugin-sdk/protocol";

export interface InvocationHandle {
  id: string;
  companyId: string | null;
  /** The `paperclipInvocation` envelope field for the host→worker message. */
  envelope: JsonRpcInvocationContext;
  /** The host→worker call settled; nested calls keep working for the grace period. */
  end(): void;
}

export interface InvocationRecord {
  id: string;
  companyId: string | null;
  endedAt: number | null;
}

export const DEFAULT_INVOCATION_GRACE_MS = 10_000;

export class InvocationRegistry {
  private readonly known = new Map<string, InvocationRecord>();
  private readonly active = new Set<InvocationRecord>();
  /** Ended invocations in the order they ended; pruned from the front once their grace is over. */
  private readonly ended: InvocationRecord[] = [];
  private endedHead = 0;

  constructor(
    private readonly graceMs: number = DEFAULT_INVOCATION_GRACE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  begin(companyId: string | null): InvocationHandle {
    this.prune();
    const record: InvocationRecord = { id: randomUUID(), companyId, endedAt: null };
    this.known.set(record.id, record);
    this.active.add(record);
    return {
      id: record.id,
      companyId,
      envelope: { id: record.id, scope: { companyId } },
      end: () => {
        if (record.endedAt !== null) return;
        record.endedAt = this.now();
        this.active.delete(record);
        this.ended.push(record);
      },
    };
  }

  /** The invocation with this id, while it runs or within its grace period. */
  lookup(id: string): InvocationRecord | undefined {
    this.prune();
    return this.known.get(id);
  }

  /** Invocations whose host→worker call has not settled yet. */
  inFlight(): InvocationRecord[] {
    return [...this.active];
  }

  get inFlightCount(): number {
    return this.active.size;
  }

  clear(): void {
    this.known.clear();
    this.active.clear();
    this.ended.length = 0;
    this.endedHead = 0;
  }

  private prune(): void {
    const cutoff = this.now() - this.graceMs;
    while (this.endedHead < this.ended.length) {
      const record = this.ended[this.endedHead]!;
      if ((record.endedAt ?? 0) > cutoff) break;
      this.known.delete(record.id);
      this.endedHead++;
    }
    if (this.endedHead > 1024 && this.endedHead * 2 > this.ended.length) {
      this.ended.splice(0, this.endedHead);
      this.endedHead = 0;
    }
  }
}
