// Plugin logs (plugin_logs): ctx.logger lines, `log` requests, metrics, telemetry and worker stderr are
// buffered in memory and written in batches (on size, on a timer, on flush/dispose) with one statement each.
// Every plugin has caps (lines and bytes per minute; what is also mirrored to the host's own log; bytes kept):
// what goes over them is dropped and counted, and the plugin's health shows it (docs/plugin-operations.md).
// The buffer is bounded too: when the database cannot keep up the oldest entries are dropped and counted.
import type { Logger } from "pino";
import type { Database } from "../../db/database.js";
import type { Clock } from "../../domain/actor.js";
import { systemClock } from "../../domain/actor.js";
import { DEFAULT_PLUGIN_LIMITS, type PluginLimits } from "../lifecycle/limits.js";

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

/** The caps one plugin's logs are held to (defaults: DEFAULT_LOG_LIMITS, from lifecycle/limits.ts). */
export interface PluginLogLimits {
  /** Lines stored per minute; the rest of the minute's lines are dropped and counted. */
  linesPerMinute: number;
  /** Bytes (message + meta JSON) stored per minute; likewise. */
  bytesPerMinute: number;
  /** Of the stored lines, how many per minute are also written to the host's log (0: none). */
  mirrorLinesPerMinute: number;
  /** Bytes kept in the database for the plugin; the retention deletes the oldest entries beyond it. */
  maxStoredBytes: number;
}

export const DEFAULT_LOG_LIMITS: Readonly<PluginLogLimits> = Object.freeze({
  linesPerMinute: DEFAULT_PLUGIN_LIMITS.logLinesPerMinute,
  bytesPerMinute: DEFAULT_PLUGIN_LIMITS.logBytesPerMinute,
  mirrorLinesPerMinute: DEFAULT_PLUGIN_LIMITS.logMirrorLinesPerMinute,
  maxStoredBytes: DEFAULT_PLUGIN_LIMITS.logMaxStoredBytes,
});

/** The log caps within a plugin's resource limits. */
export function logLimitsOf(limits: PluginLimits): PluginLogLimits {
  return {
    linesPerMinute: limits.logLinesPerMinute,
    bytesPerMinute: limits.logBytesPerMinute,
    mirrorLinesPerMinute: limits.logMirrorLinesPerMinute,
    maxStoredBytes: limits.logMaxStoredBytes,
  };
}

/** One plugin's log accounting since the host started (GET …/health and the plugin list show it). */
export interface PluginLogStats {
  limits: PluginLogLimits;
  /** Lines stored (or waiting to be) and their bytes. */
  storedLines: number;
  storedBytes: number;
  /** Lines dropped by the per-minute caps, and their bytes. */
  droppedLines: number;
  droppedBytes: number;
  /** When lines were last dropped (ISO), or null. */
  lastDroppedAt: string | null;
  /** Stored lines not mirrored to the host's log (over mirrorLinesPerMinute). */
  notMirrored: number;
  /** Entries deleted by the size retention (maxStoredBytes). */
  trimmedLines: number;
}

/** How append() treated one entry. */
export interface LogAdmission {
  stored: boolean;
  mirrored: boolean;
}

/** Ask append() to also write the entry to the host's log (within the plugin's mirror cap). */
export interface MirrorRequest {
  pluginKey: string;
  /** `stderr`: the line came from the worker's stderr (written as `[plugin <key> stderr] …`). */
  stream?: "stderr";
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
  /** Bytes held while writes fail or lag (same rule). Default 16 MiB. */
  maxBufferedBytes?: number;
  /** Caps of plugins without their own (setPluginLimits). Default DEFAULT_LOG_LIMITS. */
  limits?: Partial<PluginLogLimits>;
  /** Time source of the per-minute windows (ms). Default Date.now. */
  now?: () => number;
}

export const MAX_MESSAGE_CHARS = 10_000;
export const MAX_META_CHARS = 50_000;
/** Mirrored lines are cut to this many characters (the full entry is in the database). */
export const MAX_MIRROR_CHARS = 2_000;
const WINDOW_MS = 60_000;
/** Rough per-row cost of a log entry besides message and meta (ids, timestamps, index entries). */
export const LOG_ROW_OVERHEAD_BYTES = 100;
/** Levels mirrored to the host's log (metrics and telemetry are data, not messages). */
const MIRROR_LEVELS = new Set(["debug", "info", "warn", "error"]);

interface Pending {
  pluginId: string;
  companyId: string | null;
  level: string;
  message: string;
  meta: Record<string, unknown> | null;
  createdAt: string;
  /** Estimated stored size (not written). */
  bytes: number;
}

/** One plugin's per-minute window and totals. */
interface PluginAccount {
  limits: PluginLogLimits;
  windowStart: number;
  lines: number;
  bytes: number;
  mirrored: number;
  droppedInWindow: number;
  droppedBytesInWindow: number;
  stats: PluginLogStats;
  /** Bytes written since the last size trim of this plugin. */
  sinceTrim: number;
}

/** Written entries count towards each plugin's next size trim; one that wrote an eighth of its cap gets it now. */
const TRIM_FRACTION = 8;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The meta as stored (a JSON copy, or a truncation note when too large) and its JSON size in bytes. */
function boundedMeta(meta: Record<string, unknown> | null | undefined): {
  value: Record<string, unknown> | null;
  bytes: number;
} {
  if (meta === null || meta === undefined) return { value: null, bytes: 0 };
  let text: string;
  try {
    text = JSON.stringify(meta);
  } catch {
    return { value: { unserializable: true }, bytes: 21 };
  }
  if (text === undefined) return { value: null, bytes: 0 };
  if (text.length <= MAX_META_CHARS) {
    return { value: JSON.parse(text) as Record<string, unknown>, bytes: Buffer.byteLength(text) };
  }
  const value = { truncated: true, originalLength: text.length, preview: text.slice(0, 1_000) };
  return { value, bytes: Buffer.byteLength(JSON.stringify(value)) };
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
  private readonly maxBufferedBytes: number;
  private bufferedBytes = 0;
  private droppedCount = 0;
  private disposed = false;
  private readonly defaultLimits: PluginLogLimits;
  private readonly now: () => number;
  private readonly accounts = new Map<string, PluginAccount>();
  private readonly overrides = new Map<string, PluginLogLimits>();
  /** Plugins whose stored bytes should be trimmed to their cap soon (they wrote a lot since the last trim). */
  private readonly trimDue = new Set<string>();
  private trimming: Promise<void> = Promise.resolve();

  constructor(options: PluginLogServiceOptions) {
    this.db = options.db;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.batchSize = options.batchSize ?? 100;
    this.flushIntervalMs = options.flushIntervalMs ?? 1_000;
    this.maxBuffered = options.maxBuffered ?? 10_000;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 16 * 1024 * 1024;
    this.defaultLimits = { ...DEFAULT_LOG_LIMITS, ...options.limits };
    this.now = options.now ?? Date.now;
  }

  /** Entries dropped because the buffer was full. */
  get dropped(): number {
    return this.droppedCount;
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Caps of one plugin (from its resource limits when it is activated); null restores the defaults. */
  setPluginLimits(pluginId: string, limits: Partial<PluginLogLimits> | null): void {
    const resolved = { ...this.defaultLimits, ...limits };
    if (limits) this.overrides.set(pluginId, resolved);
    else this.overrides.delete(pluginId);
    const account = this.accounts.get(pluginId);
    if (account) {
      account.limits = resolved;
      account.stats.limits = resolved;
    }
  }

  /** The caps that apply to a plugin. */
  limitsFor(pluginId: string): PluginLogLimits {
    return this.overrides.get(pluginId) ?? this.defaultLimits;
  }

  /** A plugin's log accounting since the host started (zeros when it has logged nothing). */
  stats(pluginId: string): PluginLogStats {
    const account = this.accounts.get(pluginId);
    return account
      ? { ...account.stats, limits: { ...account.limits } }
      : {
          limits: { ...this.limitsFor(pluginId) },
          storedLines: 0,
          storedBytes: 0,
          droppedLines: 0,
          droppedBytes: 0,
          lastDroppedAt: null,
          notMirrored: 0,
          trimmedLines: 0,
        };
  }

  /**
   * Store one entry, within the plugin's per-minute caps (over them it is dropped and counted; the first drop
   * of a minute writes one warning entry, past the cap). With `mirror`, a stored entry is also written to the
   * host's log while the plugin's mirror cap allows.
   */
  append(input: PluginLogInput, mirror?: MirrorRequest): LogAdmission {
    if (this.disposed) return { stored: false, mirrored: false };
    const message =
      input.message.length > MAX_MESSAGE_CHARS
        ? `${input.message.slice(0, MAX_MESSAGE_CHARS)}… (truncated)`
        : input.message;
    const bounded = boundedMeta(input.meta);
    const meta = bounded.value;
    const bytes = Buffer.byteLength(message) + bounded.bytes;
    const account = this.account(input.pluginId);
    if (
      account.lines >= account.limits.linesPerMinute ||
      account.bytes + bytes > account.limits.bytesPerMinute
    ) {
      this.drop(account, input.pluginId, bytes, mirror);
      return { stored: false, mirrored: false };
    }
    account.lines++;
    account.bytes += bytes;
    account.stats.storedLines++;
    account.stats.storedBytes += bytes;
    this.push(input.pluginId, input.companyId ?? null, input.level, message, meta, bytes);
    const mirrored = mirror !== undefined && this.mirror(account, input.level, message, meta, mirror);
    return { stored: true, mirrored };
  }

  private account(pluginId: string): PluginAccount {
    const now = this.now();
    let account = this.accounts.get(pluginId);
    if (!account) {
      const limits = this.limitsFor(pluginId);
      account = {
        limits,
        windowStart: now,
        lines: 0,
        bytes: 0,
        mirrored: 0,
        droppedInWindow: 0,
        droppedBytesInWindow: 0,
        sinceTrim: 0,
        stats: {
          limits,
          storedLines: 0,
          storedBytes: 0,
          droppedLines: 0,
          droppedBytes: 0,
          lastDroppedAt: null,
          notMirrored: 0,
          trimmedLines: 0,
        },
      };
      this.accounts.set(pluginId, account);
    } else if (now - account.windowStart >= WINDOW_MS) {
      if (account.droppedInWindow > 0) this.reportWindowDrops(pluginId, account);
      account.windowStart = now;
      account.lines = 0;
      account.bytes = 0;
      account.mirrored = 0;
      account.droppedInWindow = 0;
      account.droppedBytesInWindow = 0;
    }
    return account;
  }

  private drop(account: PluginAccount, pluginId: string, bytes: number, mirror?: MirrorRequest): void {
    account.droppedInWindow++;
    account.droppedBytesInWindow += bytes;
    account.stats.droppedLines++;
    account.stats.droppedBytes += bytes;
    account.stats.lastDroppedAt = new Date(this.now()).toISOString();
    if (account.droppedInWindow !== 1) return;
    const { linesPerMinute, bytesPerMinute } = account.limits;
    const text =
      `Log cap reached: this plugin may store ${linesPerMinute} lines and ${bytesPerMinute} bytes of logs per ` +
      "minute (limits logLinesPerMinute / logBytesPerMinute); the rest of this minute's lines are dropped and " +
      "counted in its health";
    // Past the cap on purpose: the one line that says why the others are missing.
    this.push(pluginId, null, "warn", text, { logCap: { linesPerMinute, bytesPerMinute } }, text.length);
    this.logger?.warn(
      { pluginId, pluginKey: mirror?.pluginKey, linesPerMinute, bytesPerMinute },
      `Plugin ${mirror?.pluginKey ?? pluginId} reached its log cap (${linesPerMinute} lines / ${bytesPerMinute} bytes per minute); dropping the rest of this minute's lines`,
    );
  }

  private reportWindowDrops(pluginId: string, account: PluginAccount): void {
    const text = `Dropped ${account.droppedInWindow} log lines (${account.droppedBytesInWindow} bytes) over the per-minute log cap`;
    this.push(
      pluginId,
      null,
      "warn",
      text,
      { logCap: { dropped: account.droppedInWindow, droppedBytes: account.droppedBytesInWindow } },
      text.length,
    );
  }

  private mirror(
    account: PluginAccount,
    level: string,
    message: string,
    meta: Record<string, unknown> | null,
    request: MirrorRequest,
  ): boolean {
    if (!this.logger || !MIRROR_LEVELS.has(level)) return false;
    if (account.mirrored >= account.limits.mirrorLinesPerMinute) {
      account.stats.notMirrored++;
      // One notice per minute that the host log stops here (none when mirroring is off).
      if (account.mirrored === account.limits.mirrorLinesPerMinute && account.mirrored > 0) {
        account.mirrored++;
        this.logger.warn(
          { pluginKey: request.pluginKey, mirrorLinesPerMinute: account.limits.mirrorLinesPerMinute },
          `[plugin ${request.pluginKey}] more than ${account.limits.mirrorLinesPerMinute} log lines this minute; ` +
            "the rest are in its plugin logs only (paperclip plugin logs)",
        );
      }
      return false;
    }
    account.mirrored++;
    const text = message.length > MAX_MIRROR_CHARS ? `${message.slice(0, MAX_MIRROR_CHARS)}… (cut)` : message;
    const prefix =
      request.stream === "stderr" ? `[plugin ${request.pluginKey} stderr]` : `[plugin ${request.pluginKey}]`;
    const metaText = meta === null ? null : JSON.stringify(meta);
    const fields: Record<string, unknown> = { pluginKey: request.pluginKey };
    if (request.stream) fields.stream = request.stream;
    if (metaText !== null)
      fields.meta =
        metaText.length > MAX_MIRROR_CHARS ? { cut: true, preview: metaText.slice(0, 500) } : meta;
    this.logger[level as "debug" | "info" | "warn" | "error"](fields, `${prefix} ${text}`);
    return true;
  }

  private push(
    pluginId: string,
    companyId: string | null,
    level: string,
    message: string,
    meta: Record<string, unknown> | null,
    bytes: number,
  ): void {
    this.buffer.push({
      pluginId,
      companyId: companyId && UUID_RE.test(companyId) ? companyId : null,
      level,
      message,
      meta,
      createdAt: this.clock.now().toISOString(),
      bytes,
    });
    this.bufferedBytes += bytes;
    this.enforceBufferBound();
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
    this.bufferedBytes = 0;
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

  /**
   * Size retention: delete a plugin's oldest entries beyond `maxBytes` (message + meta + a row overhead
   * estimate, newest kept). Returns how many went.
   */
  async trimToSize(pluginId: string, maxBytes = this.limitsFor(pluginId).maxStoredBytes): Promise<number> {
    const rows = await this.db.query(
      "plugin_logs_trim_size",
      `DELETE FROM plugin_logs WHERE seq IN (
         SELECT seq FROM (
           SELECT seq, sum(octet_length(message) + coalesce(octet_length(meta::text), 0) + $3)
                  OVER (ORDER BY created_at DESC, seq DESC) AS kept
           FROM plugin_logs WHERE plugin_id = $1
         ) ranked WHERE kept > $2)
       RETURNING seq`,
      [pluginId, maxBytes, LOG_ROW_OVERHEAD_BYTES],
    );
    const account = this.accounts.get(pluginId);
    if (account) {
      account.stats.trimmedLines += rows.length;
      account.sinceTrim = 0;
    }
    return rows.length;
  }

  /** Size retention for every plugin that has logs (the retention job). Returns how many entries went. */
  async trimAllToSize(): Promise<number> {
    const plugins = await this.db.query("plugin_logs_trim_plugins", "SELECT id FROM plugins", []);
    let total = 0;
    for (const row of plugins) total += await this.trimToSize(String(row.id));
    return total;
  }

  /** Bytes a plugin has stored now (the same measure as trimToSize). */
  async storedBytes(pluginId: string): Promise<number> {
    const [row] = await this.db.query(
      "plugin_logs_stored_bytes",
      `SELECT coalesce(sum(octet_length(message) + coalesce(octet_length(meta::text), 0) + $2), 0) AS bytes
       FROM plugin_logs WHERE plugin_id = $1`,
      [pluginId, LOG_ROW_OVERHEAD_BYTES],
    );
    return Number(row?.bytes ?? 0);
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
    await this.trimming;
    this.disposed = true;
  }

  private enforceBufferBound(): void {
    let excess = Math.max(0, this.buffer.length - this.maxBuffered);
    let bytes = this.bufferedBytes;
    while (excess < this.buffer.length - 1 && bytes > this.maxBufferedBytes) {
      bytes -= (this.buffer[excess] as Pending).bytes;
      excess++;
    }
    if (excess === 0) return;
    for (const dropped of this.buffer.splice(0, excess)) this.bufferedBytes -= dropped.bytes;
    this.droppedCount += excess;
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      await this.db.query("plugin_logs_insert", INSERT_SQL, [
        JSON.stringify(batch, (key, value) => (key === "bytes" ? undefined : value)),
      ]);
      this.noteWritten(batch);
    } catch (error) {
      if (this.disposed) return;
      // Keep them for the next attempt (bounded by maxBuffered and maxBufferedBytes).
      this.buffer = [...batch, ...this.buffer];
      this.bufferedBytes = this.buffer.reduce((sum, entry) => sum + entry.bytes, 0);
      this.enforceBufferBound();
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

  private noteWritten(batch: Pending[]): void {
    for (const entry of batch) {
      const account = this.accounts.get(entry.pluginId);
      if (!account) continue;
      account.sinceTrim += entry.bytes + LOG_ROW_OVERHEAD_BYTES;
      if (account.sinceTrim * TRIM_FRACTION >= account.limits.maxStoredBytes)
        this.trimDue.add(entry.pluginId);
    }
    if (this.trimDue.size === 0) return;
    const due = [...this.trimDue];
    this.trimDue.clear();
    this.trimming = this.trimming.then(async () => {
      for (const pluginId of due) {
        try {
          await this.trimToSize(pluginId);
        } catch (error) {
          this.logger?.warn({ err: error, pluginId }, "Trimming plugin logs to their size cap failed");
        }
      }
    });
  }
}
