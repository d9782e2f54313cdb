// Reading the outbox: consumers (the plugin event dispatcher) page through events by sequence.
import { and, asc, eq, gt, inArray, max, type SQL } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { domainEvents } from "../db/schema.js";
import type { StoredDomainEvent } from "./event-types.js";

export interface ReadEventsOptions {
  /** exclusive */
  afterSeq?: number;
  limit?: number;
  eventTypes?: string[];
  /** only this company's events */
  companyId?: string;
}

export class Outbox {
  constructor(private readonly db: Database) {}

  /** Events with seq > afterSeq, in sequence (= commit) order. */
  async read(options: ReadEventsOptions = {}): Promise<StoredDomainEvent[]> {
    const where: SQL[] = [gt(domainEvents.seq, options.afterSeq ?? 0)];
    if (options.eventTypes?.length) where.push(inArray(domainEvents.eventType, options.eventTypes));
    if (options.companyId !== undefined) where.push(eq(domainEvents.companyId, options.companyId));
    const rows = await this.db.orm
      .select()
      .from(domainEvents)
      .where(and(...where))
      .orderBy(asc(domainEvents.seq))
      .limit(Math.min(Math.max(1, options.limit ?? 500), 10_000));
    return rows.map((row) => ({
      seq: row.seq,
      eventId: row.eventId,
      eventType: row.eventType,
      occurredAt: row.occurredAt.toISOString(),
      ...(row.actorId !== null ? { actorId: row.actorId } : {}),
      ...(row.actorType !== null ? { actorType: row.actorType as StoredDomainEvent["actorType"] } : {}),
      ...(row.entityId !== null ? { entityId: row.entityId } : {}),
      ...(row.entityType !== null ? { entityType: row.entityType } : {}),
      companyId: row.companyId,
      payload: row.payload,
    }));
  }

  /** The highest committed sequence (0 when the outbox is empty). */
  async head(): Promise<number> {
    const [row] = await this.db.orm.select({ head: max(domainEvents.seq) }).from(domainEvents);
    return Number(row?.head ?? 0);
  }
}
