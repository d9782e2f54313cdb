// Plugin logs (plugin_logs): ctx.logger lines, `log` requests, metrics, telemetry and worker stderr are
// buffered in memory and written in batches (on size, on a timer, on flush/dispose) with one statement each.
// The buffer is bounded: when the database cannot keep up the oldest entries are dropped and counted.
import type { Logger } from "pino";
import type { Database } from "../../db/database.js";
import type { Clock } from "../../domain/actor.js";
import { systemClock } from "../../domain/actor.js";

export const PLUGIN_LOG_LEVELS = ["debug", "info", "warn", "error", "metric", "telemetry"] as const;
export type PluginLogLevel = (typeof PLUGIN_LOG_LEVELS)[number];

export interface PluginLogInput {
  pluginId: string;
  companyId?: string | null;
  level: PluginLogLevel;
  message: string;
  meta?: Record<string, unknown> | null;
}

export interface PluginLogRecord {
  id: string;
  pluginId: string;
  companyId: string | null;
  level: string;
  message: string;
  meta: Record<string, unknown> | null;
  createdAt: string;
}

export interface PluginLogQuery {
  /** 1..500 */
  limit: number;
  level?: string | null;
  since?: Date | null;
}

export interface PluginLogServiceOptions {
  db: Database;
  clock?: Clock;
  logger?: Logger;
  /** Write once this many entries wait. Default 100. */
  batchSize?: number;
  /** Write waiting entries at least this often (ms). Default 1 000. */
  flushIntervalMs?: number;
  /** Entries held while writes fail or lag; older ones are dropped beyond it. Default 10 000. */
  maxBuffered?: number;
}

export const MAX_MESSAGE_CHARS = 10_000;
export const MAX_META_CHARS = 50_000;

interface Pending {
  pluginId: string;
  companyId: string | null;
  level: string;
  message: string;
  meta: Record<string, unknown> | null;
  createdAt: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function boundedMeta(meta: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (meta === null || meta === undefined) return null;
  let text: string;
  try {
    text = JSON.stringify(meta);
  } catch {
    return { unserializable: true };
  }
  if (text === undefined) return null;
  if (text.length <= MAX_META_CHARS) return JSON.parse(text) as Record<string, unknown>;
  return { truncated: true, originalLength: text.length, preview: text.slice(0, 1_000) };
}

// Entries of plugins deleted meanwhile (uninstall with purge) are skipped instead of failing the batch. Rows
// come out of the array in order, so `seq` follows the order entries were logged in.
const INSERT_SQL = `INSERT INTO plugin_logs (plugin_id, company_id, level, message, meta, created_at)
SELECT e."pluginId", e."companyId", e."level", e."message", e."meta", e."createdAt"
FROM jsonb_to_recordset($1::jsonb) AS e("pluginId" uuid, "companyId" uuid, "level" text,
  "message" text, "meta" jsonb, "createdAt" timestamptz)
WHERE EXISTS (SELECT 1 FROM plugins p WHERE p.id = e."pluginId")`;

export class PluginLogService {
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxBuffered: number;
  private buffer: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private droppedCount = 0;
  private disposed = false;

  constructor(options: PluginLogServiceOptions) {
    this.db = options.db;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.batchSize = options.batchSize ?? 100;
    this.flushIntervalMs = options.flushIntervalMs ?? 1_000;
    this.maxBuffered = options.maxBuffered ?? 10_000;
  }

  /** Entries dropped because the buffer was full. */
  get dropped(): number {
    return this.droppedCount;
  }

  get pending(): number {
    return this.buffer.length;
  }

  append(input: PluginLogInput): void {
    if (this.disposed) return;
    const message =
      input.message.length > MAX_MESSAGE_CHARS
        ? `${input.message.slice(0, MAX_MESSAGE_CHARS)}… (truncated)`
        : input.message;
    this.buffer.push({
      pluginId: input.pluginId,
      companyId: input.companyId && UUID_RE.test(input.companyId) ? input.companyId : null,
      level: input.level,
      message,
      meta: boundedMeta(input.meta),
      createdAt: this.clock.now().toISOString(),
    });
    if (this.buffer.length > this.maxBuffered) {
      const excess = this.buffer.length - this.maxBuffered;
      this.buffer.splice(0, excess);
      this.droppedCount += excess;
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
    if (batch.length > 0) {
      this.writing = this.writing.then(() => this.write(batch));
    }
    return this.writing;
  }

  async query(pluginId: string, query: PluginLogQuery): Promise<PluginLogRecord[]> {
    const rows = await this.db.query(
      "plugin_logs_query",
      `SELECT id, plugin_id, company_id, level, message, meta, created_at FROM plugin_logs
       WHERE plugin_id = $1 AND ($2::text IS NULL OR level = $2) AND ($3::timestamptz IS NULL OR created_at >= $3)
       ORDER BY created_at DESC, seq DESC
       LIMIT $4`,
      [pluginId, query.level ?? null, query.since ?? null, query.limit],
    );
    return rows.map((row) => ({
      id: String(row.id),
      pluginId: String(row.plugin_id),
      companyId: (row.company_id as string | null) ?? null,
      level: String(row.level),
      message: String(row.message),
      meta: (row.meta as Record<string, unknown> | null) ?? null,
      createdAt: (row.created_at as Date).toISOString(),
    }));
  }

  /** Delete entries older than `cutoff`, `batch` rows per statement; returns how many went. */
  async deleteOlderThan(cutoff: Date, batch = 5_000): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.db.query(
        "plugin_logs_retention",
        `DELETE FROM plugin_logs WHERE seq IN (
           SELECT seq FROM plugin_logs WHERE created_at < $1 ORDER BY seq LIMIT $2)
         RETURNING seq`,
        [cutoff, batch],
      );
      total += rows.length;
      if (rows.length < batch) return total;
    }
  }

  /** Flush what is left and stop accepting entries. */
  async dispose(): Promise<void> {
    await this.flush();
    this.disposed = true;
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      await this.db.query("plugin_logs_insert", INSERT_SQL, [JSON.stringify(batch)]);
    } catch (error) {
      if (this.disposed) return;
      // Keep them for the next attempt (bounded by maxBuffered).
      this.buffer = [...batch, ...this.buffer];
      if (this.buffer.length > this.maxBuffered) {
        const excess = this.buffer.length - this.maxBuffered;
        this.buffer.splice(0, excess);
        this.droppedCount += excess;
      }
      this.logger?.warn(
        { err: error, entries: batch.length },
        `Writing ${batch.length} plugin log entries failed; will retry`,
      );
      if (!this.timer) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          void this.flush();
        }, this.flushIntervalMs * 5);
        this.timer.unref();
      }
    }
  }
}
