// The outbound call log (plugin_outbound_calls): every ctx.http.fetch, refused or not, per plugin. Like the
// plugin logs (plugins/logs/log-service.ts) entries are buffered in memory and written in batches (on size, on a
// timer, on flush/dispose) with one statement, so a fetch never waits for the database. Bounded twice: each
// plugin keeps its newest `maxRowsPerPlugin` rows (trimmed as soon as it wrote an eighth of that since its last
// trim), and a retention pass (shortly after start, then hourly) deletes rows older than `retentionDays`.
import type { Logger } from "pino";
import type { Database } from "../../db/database.js";
import { type Clock, systemClock } from "../../domain/actor.js";
import type { OutboundCallRecord, OutboundOutcome } from "../host-services/outbound-http.js";

export const OUTBOUND_OUTCOMES = [
  "completed",
  "refused",
  "failed",
] as const satisfies readonly OutboundOutcome[];
export const DEFAULT_OUTBOUND_MAX_ROWS = 2_000;
export const DEFAULT_OUTBOUND_RETENTION_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;
/** A plugin that wrote an eighth of its row cap since its last trim is trimmed now. */
const TRIM_FRACTION = 8;

export interface OutboundLogEntry extends OutboundCallRecord {
  pluginId: string;
  companyId: string | null;
  /** When the call started. */
  startedAt: Date;
}

/** One logged call as the REST API gives it; `id` orders calls (newest first = highest). */
export interface OutboundCall {
  id: number;
  pluginId: string;
  companyId: string | null;
  method: string;
  scheme: string;
  host: string;
  path: string;
  address: string | null;
  outcome: OutboundOutcome;
  status: number | null;
  reason: string | null;
  requestBytes: number;
  responseBytes: number;
  durationMs: number;
  createdAt: string;
}

export interface OutboundCallQuery {
  /** 1..500 */
  limit: number;
  /** Only calls with a smaller id (the previous page's nextBefore). */
  before?: number | null;
  outcome?: OutboundOutcome | null;
}

export interface OutboundCallPage {
  items: OutboundCall[];
  /** Pass as `before` for the next (older) page; null when this was the last one. */
  nextBefore: number | null;
}

export interface OutboundLogOptions {
  db: Database;
  clock?: Clock;
  logger?: Logger;
  /** Write once this many entries wait. Default 100. */
  batchSize?: number;
  /** Write waiting entries at least this often (ms). Default 500. */
  flushIntervalMs?: number;
  /** Entries held while writes fail or lag; the oldest are dropped beyond it. Default 10 000. */
  maxBuffered?: number;
  /** Rows kept per plugin. Default 2 000. */
  maxRowsPerPlugin?: number;
  /** Rows older than this are deleted by the retention pass. Default 7 days. */
  retentionDays?: number;
  /** Retention pass interval. Default one hour (the first runs 10 s after start). */
  retentionIntervalMs?: number;
}

const MAX_TEXT = { host: 300, path: 2_000, reason: 2_000, address: 64, method: 16, scheme: 16 } as const;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Pending {
  pluginId: string;
  companyId: string | null;
  method: string;
  scheme: string;
  host: string;
  path: string;
  address: string | null;
  outcome: OutboundOutcome;
  status: number | null;
  reason: string | null;
  requestBytes: number;
  responseBytes: number;
  durationMs: number;
  createdAt: string;
}

// Entries of plugins deleted meanwhile (uninstall with purge) are skipped instead of failing the batch.
const INSERT_SQL = `INSERT INTO plugin_outbound_calls (plugin_id, company_id, method, scheme, host, path, address,
  outcome, status, reason, request_bytes, response_bytes, duration_ms, created_at)
SELECT e."pluginId", e."companyId", e."method", e."scheme", e."host", e."path", e."address", e."outcome",
  e."status", e."reason", e."requestBytes", e."responseBytes", e."durationMs", e."createdAt"
FROM jsonb_to_recordset($1::jsonb) AS e("pluginId" uuid, "companyId" uuid, "method" text, "scheme" text,
  "host" text, "path" text, "address" text, "outcome" text, "status" integer, "reason" text,
  "requestBytes" integer, "responseBytes" integer, "durationMs" integer, "createdAt" timestamptz)
WHERE EXISTS (SELECT 1 FROM plugins p WHERE p.id = e."pluginId")`;

const clip = (text: string | null, max: number) => (text === null ? null : text.slice(0, max));
const int32 = (value: number) => Math.max(0, Math.min(2_147_483_647, Math.round(value)));

export class OutboundCallLog {
  readonly maxRowsPerPlugin: number;
  readonly retentionDays: number;
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxBuffered: number;
  private readonly retentionIntervalMs: number;
  private buffer: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private trimming: Promise<unknown> = Promise.resolve();
  private readonly sinceTrim = new Map<string, number>();
  private retentionTimer: NodeJS.Timeout | undefined;
  private retentionRun: Promise<number> | null = null;
  private disposed = false;
  /** Entries dropped because the buffer was full (the database could not keep up). */
  dropped = 0;

  constructor(options: OutboundLogOptions) {
    this.db = options.db;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.batchSize = options.batchSize ?? 100;
    this.flushIntervalMs = options.flushIntervalMs ?? 500;
    this.maxBuffered = options.maxBuffered ?? 10_000;
    this.maxRowsPerPlugin = options.maxRowsPerPlugin ?? DEFAULT_OUTBOUND_MAX_ROWS;
    this.retentionDays = options.retentionDays ?? DEFAULT_OUTBOUND_RETENTION_DAYS;
    this.retentionIntervalMs = options.retentionIntervalMs ?? 60 * 60 * 1000;
    if (!(this.maxRowsPerPlugin >= 1)) throw new Error("the outbound log's row cap must be at least 1");
    if (!(this.retentionDays > 0))
      throw new Error("the outbound log's retention must be a positive number of days");
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Keep one call (written with the next batch). */
  record(entry: OutboundLogEntry): void {
    if (this.disposed) return;
    this.buffer.push({
      pluginId: entry.pluginId,
      companyId: entry.companyId && UUID_RE.test(entry.companyId) ? entry.companyId : null,
      method: entry.method.slice(0, MAX_TEXT.method),
      scheme: entry.scheme.slice(0, MAX_TEXT.scheme),
      host: entry.host.slice(0, MAX_TEXT.host),
      path: entry.path.slice(0, MAX_TEXT.path),
      address: clip(entry.address, MAX_TEXT.address),
      outcome: entry.outcome,
      status: entry.status,
      reason: clip(entry.reason, MAX_TEXT.reason),
      requestBytes: int32(entry.requestBytes),
      responseBytes: int32(entry.responseBytes),
      durationMs: int32(entry.durationMs),
      createdAt: entry.startedAt.toISOString(),
    });
    if (this.buffer.length > this.maxBuffered) {
      const excess = this.buffer.length - this.maxBuffered;
      this.buffer.splice(0, excess);
      this.dropped += excess;
    }
    if (this.buffer.length >= this.batchSize) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Write everything buffered so far; resolves when it is stored (or the failure was logged). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length > 0) this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  /** Write what is buffered and wait for the row-cap trims that queued (tests, shutdown). */
  async idle(): Promise<void> {
    await this.flush();
    await this.trimming;
  }

  /** A plugin's calls, newest first. Flushes first, so a call that just ended is there. */
  async query(pluginId: string, query: OutboundCallQuery): Promise<OutboundCallPage> {
    await this.flush();
    const rows = await this.db.query(
      "plugin_outbound_calls_query",
      `SELECT seq, plugin_id, company_id, method, scheme, host, path, address, outcome, status, reason,
              request_bytes, response_bytes, duration_ms, created_at
       FROM plugin_outbound_calls
       WHERE plugin_id = $1 AND ($2::bigint IS NULL OR seq < $2) AND ($3::text IS NULL OR outcome = $3)
       ORDER BY seq DESC
       LIMIT $4`,
      [pluginId, query.before ?? null, query.outcome ?? null, query.limit + 1],
    );
    const items = rows.slice(0, query.limit).map(
      (row): OutboundCall => ({
        id: Number(row.seq),
        pluginId: String(row.plugin_id),
        companyId: (row.company_id as string | null) ?? null,
        method: String(row.method),
        scheme: String(row.scheme),
        host: String(row.host),
        path: String(row.path),
        address: (row.address as string | null) ?? null,
        outcome: row.outcome as OutboundOutcome,
        status: (row.status as number | null) ?? null,
        reason: (row.reason as string | null) ?? null,
        requestBytes: Number(row.request_bytes),
        responseBytes: Number(row.response_bytes),
        durationMs: Number(row.duration_ms),
        createdAt: (row.created_at as Date).toISOString(),
      }),
    );
    return { items, nextBefore: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
  }

  /** Delete a plugin's oldest rows beyond `maxRows`; returns how many went. */
  async trim(pluginId: string, maxRows = this.maxRowsPerPlugin): Promise<number> {
    const [row] = await this.db.query(
      "plugin_outbound_calls_trim",
      `WITH gone AS (
         DELETE FROM plugin_outbound_calls WHERE plugin_id = $1 AND seq <= (
           SELECT seq FROM plugin_outbound_calls WHERE plugin_id = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1)
         RETURNING 1)
       SELECT count(*)::int AS removed FROM gone`,
      [pluginId, maxRows],
    );
    return Number(row?.removed ?? 0);
  }

  /** Delete rows older than `cutoff`, `batch` at a time; returns how many went. */
  async deleteOlderThan(cutoff: Date, batch = 5_000): Promise<number> {
    let total = 0;
    for (;;) {
      const [row] = await this.db.query(
        "plugin_outbound_calls_expire",
        `WITH gone AS (
           DELETE FROM plugin_outbound_calls WHERE seq IN (
             SELECT seq FROM plugin_outbound_calls WHERE created_at < $1 ORDER BY seq LIMIT $2)
           RETURNING 1)
         SELECT count(*)::int AS removed FROM gone`,
        [cutoff, batch],
      );
      const removed = Number(row?.removed ?? 0);
      total += removed;
      if (removed < batch) return total;
    }
  }

  /** One retention pass: rows past the retention, then every plugin's rows beyond its cap. */
  prune(): Promise<number> {
    this.retentionRun ??= (async () => {
      try {
        const cutoff = new Date(this.clock.now().getTime() - this.retentionDays * DAY_MS);
        let removed = await this.deleteOlderThan(cutoff);
        const plugins = await this.db.query(
          "plugin_outbound_calls_plugins",
          "SELECT DISTINCT plugin_id FROM plugin_outbound_calls",
          [],
        );
        for (const row of plugins) removed += await this.trim(String(row.plugin_id));
        if (removed > 0) this.logger?.info({ removed }, `Removed ${removed} old outbound call log rows`);
        return removed;
      } finally {
        this.retentionRun = null;
      }
    })();
    return this.retentionRun;
  }

  /** Run the retention pass shortly after start and then every retentionIntervalMs. */
  start(initialDelayMs = 10_000): void {
    if (this.retentionTimer || this.disposed) return;
    const schedule = (delay: number) => {
      this.retentionTimer = setTimeout(() => {
        this.prune()
          .catch((error) =>
            this.logger?.warn({ err: error }, "Outbound call log retention failed; will retry"),
          )
          .finally(() => {
            if (!this.disposed) schedule(this.retentionIntervalMs);
          });
      }, delay);
      this.retentionTimer.unref();
    };
    schedule(Math.min(initialDelayMs, this.retentionIntervalMs));
  }

  /** Write what is left, stop the retention timer and accept nothing more. */
  async dispose(): Promise<void> {
    if (this.retentionTimer) clearTimeout(this.retentionTimer);
    this.retentionTimer = undefined;
    await this.idle();
    await this.retentionRun?.catch(() => 0);
    this.disposed = true;
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      await this.db.query("plugin_outbound_calls_insert", INSERT_SQL, [JSON.stringify(batch)]);
    } catch (error) {
      if (this.disposed) return;
      // Kept for the next attempt, within maxBuffered.
      this.buffer = [...batch, ...this.buffer];
      if (this.buffer.length > this.maxBuffered) {
        const excess = this.buffer.length - this.maxBuffered;
        this.buffer.splice(0, excess);
        this.dropped += excess;
      }
      this.logger?.warn(
        { err: error, entries: batch.length },
        "Writing outbound call log rows failed; will retry",
      );
      if (!this.timer) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          void this.flush();
        }, this.flushIntervalMs * 5);
        this.timer.unref();
      }
      return;
    }
    this.noteWritten(batch);
  }

  private noteWritten(batch: Pending[]): void {
    const due: string[] = [];
    for (const entry of batch) {
      const count = (this.sinceTrim.get(entry.pluginId) ?? 0) + 1;
      this.sinceTrim.set(entry.pluginId, count);
      if (count * TRIM_FRACTION >= this.maxRowsPerPlugin && !due.includes(entry.pluginId))
        due.push(entry.pluginId);
    }
    if (due.length === 0) return;
    for (const pluginId of due) this.sinceTrim.set(pluginId, 0);
    this.trimming = this.trimming.then(async () => {
      for (const pluginId of due) {
        try {
          await this.trim(pluginId);
        } catch (error) {
          this.logger?.warn({ err: error, pluginId }, "Trimming the outbound call log failed");
        }
      }
    });
  }
}
