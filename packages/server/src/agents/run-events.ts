// The persisted event stream of a run: output lines (`chunk`), status changes (`status`), tool calls and system
// notes, numbered 1, 2, 3… per run. The numbering is assigned here under the run row's lock, so concurrent writers
// (the executor, a node noticing a cancel) never collide; a terminal status event is always a run's last event.
import { and, asc, desc, eq, gt, inArray } from "drizzle-orm";
import type { Database, Tx } from "../db/database.js";
import { heartbeatRunEvents, heartbeatRuns } from "../db/schema.js";
import { isUuid } from "../domain/shared.js";
import { notFound } from "../errors.js";
import type { NewRunEvent, RunEvent, RunEventType } from "./run-event-types.js";
import type { RunHub } from "./run-hub.js";

export type { NewRunEvent, RunEvent, RunEventType } from "./run-event-types.js";

export interface RunLogPage {
  runId: string;
  store: "database";
  logRef: string;
  content: string;
  /** Present when more output exists after this page right now. */
  nextOffset?: number;
}

export const TERMINAL_RUN_STATUSES: readonly string[] = [
  "succeeded",
  "failed",
  "cancelled",
  "timed_out",
  "interrupted",
];

export const isTerminalStatusEvent = (event: Pick<RunEvent, "eventType" | "payload">): boolean =>
  event.eventType === "status" && TERMINAL_RUN_STATUSES.includes(String(event.payload?.status));

type Row = typeof heartbeatRunEvents.$inferSelect;

function toEvent(row: Row): RunEvent {
  return {
    id: row.id,
    companyId: row.companyId,
    runId: row.runId,
    agentId: row.agentId,
    seq: row.seq,
    eventType: row.eventType as RunEventType,
    stream: row.stream as RunEvent["stream"],
    level: row.level as RunEvent["level"],
    message: row.message,
    payload: row.payload ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

const LOG_PAGE_EVENTS = 1000;

export class RunEventStore {
  constructor(
    private readonly db: Database,
    private readonly hub: RunHub,
  ) {}

  /** Appends in order; events after the run's terminal status event are dropped (returned list omits them). */
  async append(
    run: { id: string; companyId: string; agentId: string },
    events: NewRunEvent[],
  ): Promise<RunEvent[]> {
    if (events.length === 0) return [];
    const committed = await this.db.transaction((tx) => this.appendIn(tx, run, events));
    for (const event of committed) this.hub.publish(event);
    return committed;
  }

  private async appendIn(
    tx: Tx,
    run: { id: string; companyId: string; agentId: string },
    events: NewRunEvent[],
  ): Promise<RunEvent[]> {
    const [locked] = await tx.orm
      .select({ id: heartbeatRuns.id })
      .from(heartbeatRuns)
      .where(eq(heartbeatRuns.id, run.id))
      .for("update")
      .limit(1);
    if (!locked) throw notFound("Heartbeat run not found");
    const [last] = await tx.orm
      .select()
      .from(heartbeatRunEvents)
      .where(eq(heartbeatRunEvents.runId, run.id))
      .orderBy(desc(heartbeatRunEvents.seq))
      .limit(1);
    if (last && isTerminalStatusEvent(toEvent(last))) return [];
    const accepted: NewRunEvent[] = [];
    for (const event of events) {
      accepted.push(event);
      if (isTerminalStatusEvent({ eventType: event.eventType, payload: event.payload ?? null })) break;
    }
    let seq = last?.seq ?? 0;
    const rows = await tx.orm
      .insert(heartbeatRunEvents)
      .values(
        accepted.map((event) => ({
          companyId: run.companyId,
          runId: run.id,
          agentId: run.agentId,
          seq: ++seq,
          eventType: event.eventType,
          stream: event.stream ?? null,
          level: event.level ?? null,
          message: event.message ?? null,
          payload: event.payload ?? null,
        })),
      )
      .returning();
    return rows.map(toEvent).sort((a, b) => a.seq - b.seq);
  }

  async list(runId: string, options: { afterSeq?: number; limit?: number } = {}): Promise<RunEvent[]> {
    if (!isUuid(runId)) return [];
    const limit = Math.min(Math.max(1, options.limit ?? 200), 1000);
    const rows = await this.db.orm
      .select()
      .from(heartbeatRunEvents)
      .where(and(eq(heartbeatRunEvents.runId, runId), gt(heartbeatRunEvents.seq, options.afterSeq ?? 0)))
      .orderBy(asc(heartbeatRunEvents.seq))
      .limit(limit);
    return rows.map(toEvent);
  }

  /** The run's stdout/stderr lines as text ("line\n" each), paged by byte offset. 404 for an unknown run. */
  async readLog(runId: string, options: { offset?: number; limitBytes?: number } = {}): Promise<RunLogPage> {
    if (!isUuid(runId)) throw notFound("Run log not found");
    const [run] = await this.db.orm
      .select({ id: heartbeatRuns.id })
      .from(heartbeatRuns)
      .where(eq(heartbeatRuns.id, runId))
      .limit(1);
    if (!run) throw notFound("Run log not found");
    const offset = Math.max(0, options.offset ?? 0);
    const limitBytes = Math.min(Math.max(1, options.limitBytes ?? 256_000), 1_048_576);
    const parts: Buffer[] = [];
    let position = 0; // byte offset of the next line's start
    let taken = 0;
    let more = false;
    let afterSeq = 0;
    scan: for (;;) {
      const rows = await this.db.orm
        .select({ seq: heartbeatRunEvents.seq, message: heartbeatRunEvents.message })
        .from(heartbeatRunEvents)
        .where(
          and(
            eq(heartbeatRunEvents.runId, runId),
            gt(heartbeatRunEvents.seq, afterSeq),
            eq(heartbeatRunEvents.eventType, "chunk"),
            inArray(heartbeatRunEvents.stream, ["stdout", "stderr"]),
          ),
        )
        .orderBy(asc(heartbeatRunEvents.seq))
        .limit(LOG_PAGE_EVENTS);
      for (const row of rows) {
        afterSeq = row.seq;
        const line = Buffer.from(`${row.message ?? ""}\n`, "utf8");
        const start = position;
        position += line.length;
        if (position <= offset) continue;
        if (taken >= limitBytes) {
          more = true;
          break scan;
        }
        const piece = line.subarray(
          Math.max(0, offset - start),
          Math.max(0, offset - start) + limitBytes - taken,
        );
        parts.push(piece);
        taken += piece.length;
        if (taken >= limitBytes && piece.length < line.length - Math.max(0, offset - start)) {
          more = true;
          break scan;
        }
      }
      if (rows.length < LOG_PAGE_EVENTS) break;
    }
    let content = Buffer.concat(parts);
    // Never end a page inside a UTF-8 character: the rest comes with the next page.
    if (more) content = content.subarray(0, utf8Boundary(content));
    return {
      runId,
      store: "database",
      logRef: `heartbeat_run_events:${runId}`,
      content: content.toString("utf8"),
      ...(more ? { nextOffset: offset + content.length } : {}),
    };
  }
}

/** Length of the longest prefix of `bytes` that ends on a UTF-8 character boundary. */
function utf8Boundary(bytes: Buffer): number {
  let end = bytes.length;
  let back = 0;
  while (end > 0 && back < 4 && (bytes[end - 1]! & 0xc0) === 0x80) {
    end--;
    back++;
  }
  if (end === 0) return bytes.length;
  const lead = bytes[end - 1]!;
  const width = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return width === back + 1 ? bytes.length : end - 1;
}
