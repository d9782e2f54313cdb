// Prometheus metrics of one host (GET /metrics, docs/observability.md) and the short in-memory history behind the
// board's per-plugin Metrics tab (GET /api/plugins/:pluginId/metrics). Every host has its own prom-client Registry
// (tests run several hosts in one process; the library's global registry is never used).
//
// What happens once per event is counted by the observers (worker calls, restarts, job runs, webhook deliveries,
// ctx.metrics.write, HTTP requests); what is cheap to read when asked (worker memory and CPU, event backlog and lag,
// dead letters, stream subscribers, the database pool, the outbox) is read at scrape time. Plugins are labelled by
// their key (`plugin`); every label set is bounded (docs/observability.md, "Cardinality").
import { readFile } from "node:fs/promises";
import { PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import type { FastifyInstance } from "fastify";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "../db/database.js";
import type { HostServicesObserver } from "../plugins/host-services/observer.js";
import type { JobRunObserver } from "../plugins/jobs/host-jobs.js";
import type { PluginWorkerObserver } from "../plugins/runtime/plugin-workers.js";
import type { WebhookDeliveryObserver, WebhookDeliveryOutcome } from "../plugins/webhooks/host-webhooks.js";
import { type HistorySample, type LiveTotals, MetricsHistory } from "./metrics-history.js";

/** ctx.metrics.write series kept per plugin; later new name/tag combinations are dropped (and counted). */
export const MAX_PLUGIN_METRIC_SERIES = 200;
/** Longest `tags` label value of a plugin metric (the sorted `key=value,…` list is cut there). */
const MAX_TAGS_LABEL_CHARS = 200;
/** Latency buckets (seconds) of worker calls, job runs and HTTP requests. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900];

export type CallOutcome = "ok" | "error" | "timeout";

/** What the metrics read at scrape time: the plugin system of this host and its database. */
export interface MetricsSources {
  db: Pick<Database, "query" | "pool">;
  workers: {
    runningIds(): string[];
    runningRecord(pluginId: string): { pluginKey: string } | null;
    diagnostics(pluginId: string): { pid: number | null; status: string } | null;
  };
  registry: { list(): Promise<Array<{ id: string; pluginKey: string }>> };
  streams: { subscriberCounts(): Map<string, number> };
}

export interface HostMetricsOptions {
  /** One history sample per plugin this often (ms). Default 10 000. */
  sampleIntervalMs?: number;
  /** Samples kept per plugin. Default 180 (30 minutes at 10 s). */
  historySamples?: number;
}

/** The latest numbers read at scrape (or sample) time, per plugin id. */
interface ReadState {
  worker: Map<string, { up: boolean; rssBytes: number | null; cpuSeconds: number | null }>;
  events: Map<string, { backlog: number; lagSeconds: number }>;
  deadLetters: Map<string, number>;
  subscribers: Map<string, number>;
  outboxDepth: number;
}

/** A plugin's worker process usage from /proc (Linux); null where it cannot be read. */
export async function readProcessUsage(
  pid: number,
): Promise<{ rssBytes: number; cpuSeconds: number } | null> {
  try {
    const [status, stat] = await Promise.all([
      readFile(`/proc/${pid}/status`, "utf8"),
      readFile(`/proc/${pid}/stat`, "utf8"),
    ]);
    const rss = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in ticks.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    if (!rss || !Number.isFinite(ticks)) return null;
    // USER_HZ is 100 on every Linux the host supports.
    return { rssBytes: Number(rss[1]) * 1024, cpuSeconds: ticks / 100 };
  } catch {
    return null;
  }
}

/** The `tags` label of a plugin metric: its tags sorted by key, `key=value` joined by commas, bounded. */
export function tagsLabel(tags: Record<string, string>): string {
  return Object.keys(tags)
    .sort()
    .map((key) => `${key}=${tags[key]}`)
    .join(",")
    .slice(0, MAX_TAGS_LABEL_CHARS);
}

export class HostMetrics {
  readonly registry = new Registry();
  readonly history: MetricsHistory;
  private sources: MetricsSources | null = null;
  private read: ReadState = {
    worker: new Map(),
    events: new Map(),
    deadLetters: new Map(),
    subscribers: new Map(),
    outboxDepth: 0,
  };
  private readonly keys = new Map<string, string>();
  private readonly metricSeries = new Map<string, Set<string>>();
  private sampler: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | null = null;

  private readonly rpcCalls: Counter<"plugin" | "method" | "outcome">;
  private readonly rpcDuration: Histogram<"plugin" | "method">;
  private readonly restarts: Counter<"plugin">;
  private readonly jobRuns: Counter<"plugin" | "job" | "status">;
  private readonly jobDuration: Histogram<"plugin" | "job">;
  private readonly webhooks: Counter<"plugin" | "endpoint" | "outcome">;
  private readonly pluginMetric: Gauge<"plugin" | "name" | "tags">;
  private readonly droppedSeries: Counter<"plugin">;
  private readonly httpRequests: Counter<"method" | "route" | "status">;
  private readonly httpDuration: Histogram<"method" | "route">;

  constructor(options: HostMetricsOptions = {}) {
    this.history = new MetricsHistory(options.sampleIntervalMs ?? 10_000, options.historySamples ?? 180);
    const registers = [this.registry];
    this.rpcCalls = new Counter({
      name: "paperclip_plugin_rpc_calls_total",
      help: "Host→worker calls by plugin, method and outcome (ok, error, timeout)",
      labelNames: ["plugin", "method", "outcome"],
      registers,
    });
    this.rpcDuration = new Histogram({
      name: "paperclip_plugin_rpc_duration_seconds",
      help: "Host→worker call latency by plugin and method",
      labelNames: ["plugin", "method"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.restarts = new Counter({
      name: "paperclip_plugin_worker_restarts_total",
      help: "Times a running plugin's worker came back after a crash or a restart",
      labelNames: ["plugin"],
      registers,
    });
    this.jobRuns = new Counter({
      name: "paperclip_plugin_job_runs_total",
      help: "Job runs on this node by plugin, job and status (succeeded, failed)",
      labelNames: ["plugin", "job", "status"],
      registers,
    });
    this.jobDuration = new Histogram({
      name: "paperclip_plugin_job_duration_seconds",
      help: "Job run duration by plugin and job",
      labelNames: ["plugin", "job"],
      buckets: JOB_BUCKETS,
      registers,
    });
    this.webhooks = new Counter({
      name: "paperclip_plugin_webhook_deliveries_total",
      help: "Webhook deliveries handed to workers by plugin, endpoint and outcome",
      labelNames: ["plugin", "endpoint", "outcome"],
      registers,
    });
    this.pluginMetric = new Gauge({
      name: "paperclip_plugin_metric",
      help: `Latest value a plugin wrote with ctx.metrics.write (at most ${MAX_PLUGIN_METRIC_SERIES} series per plugin)`,
      labelNames: ["plugin", "name", "tags"],
      registers,
    });
    this.droppedSeries = new Counter({
      name: "paperclip_plugin_metric_series_dropped_total",
      help: `ctx.metrics.write values dropped because the plugin already has ${MAX_PLUGIN_METRIC_SERIES} series`,
      labelNames: ["plugin"],
      registers,
    });
    this.httpRequests = new Counter({
      name: "paperclip_http_requests_total",
      help: "HTTP requests by method, route pattern and status",
      labelNames: ["method", "route", "status"],
      registers,
    });
    this.httpDuration = new Histogram({
      name: "paperclip_http_request_duration_seconds",
      help: "HTTP request latency by method and route pattern",
      labelNames: ["method", "route"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.registerReadGauges();
  }

  // ── observers (called where the numbers are produced) ──────────────────────────────────────

  readonly workerObserver: PluginWorkerObserver = {
    call: async (pluginKey, method, _invocationId, send) => {
      const started = performance.now();
      let outcome: CallOutcome = "error";
      try {
        const result = await send();
        outcome = "ok";
        return result;
      } catch (error) {
        if ((error as { code?: unknown }).code === PLUGIN_RPC_ERROR_CODES.TIMEOUT) outcome = "timeout";
        throw error;
      } finally {
        this.callFinished(pluginKey, method, outcome, (performance.now() - started) / 1000);
      }
    },
    workerRestarted: (pluginKey) => {
      this.restarts.inc({ plugin: pluginKey });
      this.history.totalsOf(pluginKey).restarts++;
    },
  };

  readonly jobObserver: JobRunObserver = {
    jobRunFinished: (pluginId, jobKey, status, seconds) => {
      const plugin = this.keyOf(pluginId);
      this.jobRuns.inc({ plugin, job: jobKey, status });
      this.jobDuration.observe({ plugin, job: jobKey }, seconds);
      this.history.totalsOf(plugin).jobRuns[status]++;
    },
  };

  readonly webhookObserver: WebhookDeliveryObserver = {
    webhookDelivered: (pluginId, endpointKey, outcome: WebhookDeliveryOutcome) => {
      const plugin = this.keyOf(pluginId);
      this.webhooks.inc({ plugin, endpoint: endpointKey, outcome });
      this.history.totalsOf(plugin).webhookDeliveries[outcome]++;
    },
  };

  /** ctx.metrics.write: the latest value as a gauge, at most MAX_PLUGIN_METRIC_SERIES series per plugin. */
  metricWritten: HostServicesObserver["metricWritten"] = (pluginKey, name, value, tags) => {
    const labels = { plugin: pluginKey, name, tags: tagsLabel(tags) };
    let series = this.metricSeries.get(pluginKey);
    if (!series) {
      series = new Set();
      this.metricSeries.set(pluginKey, series);
    }
    const seriesKey = `${labels.name}\u0000${labels.tags}`;
    if (!series.has(seriesKey)) {
      if (series.size >= MAX_PLUGIN_METRIC_SERIES) {
        this.droppedSeries.inc({ plugin: pluginKey });
        return;
      }
      series.add(seriesKey);
    }
    this.pluginMetric.set(labels, value);
  };

  /** Requests counted by route pattern (never the raw URL) and status, timed from arrival to response. */
  installHttpHooks(app: FastifyInstance): void {
    app.addHook("onResponse", (request, reply, done) => {
      const route = request.routeOptions.url ?? "unmatched";
      const method = request.method;
      this.httpRequests.inc({ method, route, status: String(reply.statusCode) });
      this.httpDuration.observe({ method, route }, reply.elapsedTime / 1000);
      done();
    });
  }

  // ── scrape-time numbers ────────────────────────────────────────────────────────────────────

  /** Read the plugin system at scrape time from now on, and sample the history every interval. */
  attach(sources: MetricsSources): void {
    this.sources = sources;
    this.sampler = setInterval(() => void this.sample(), this.history.intervalMs);
    this.sampler.unref();
  }

  stop(): void {
    clearInterval(this.sampler);
    this.sampler = undefined;
  }

  /** The Prometheus text exposition, numbers read now. */
  async render(): Promise<string> {
    await this.refresh();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** One plugin's current numbers and its history (the board's Metrics tab). */
  async pluginView(plugin: { id: string; pluginKey: string }): Promise<{
    pluginKey: string;
    sampleIntervalMs: number;
    /** How far back the history reaches when full (interval × samples kept). */
    historyMs: number;
    current: HistorySample & LiveTotals;
    history: HistorySample[];
  }> {
    this.keys.set(plugin.id, plugin.pluginKey);
    await this.refresh();
    const totals = this.history.totalsOf(plugin.pluginKey);
    return {
      pluginKey: plugin.pluginKey,
      sampleIntervalMs: this.history.intervalMs,
      historyMs: this.history.intervalMs * this.history.keep,
      current: { ...this.history.peek(plugin.pluginKey, this.readingsOf(plugin.id)), ...totals.live() },
      history: this.history.samplesOf(plugin.pluginKey),
    };
  }

  private callFinished(pluginKey: string, method: string, outcome: CallOutcome, seconds: number): void {
    this.rpcCalls.inc({ plugin: pluginKey, method, outcome });
    this.rpcDuration.observe({ plugin: pluginKey, method }, seconds);
    this.history.totalsOf(pluginKey).call(method, outcome, seconds);
  }

  private keyOf(pluginId: string): string {
    const key = this.sources?.workers.runningRecord(pluginId)?.pluginKey ?? this.keys.get(pluginId);
    if (key) this.keys.set(pluginId, key);
    return key ?? pluginId;
  }

  private readingsOf(pluginId: string) {
    const worker = this.read.worker.get(pluginId);
    const events = this.read.events.get(pluginId);
    return {
      rssBytes: worker?.rssBytes ?? null,
      cpuSeconds: worker?.cpuSeconds ?? null,
      workerUp: worker?.up ?? false,
      eventBacklog: events?.backlog ?? 0,
      eventLagSeconds: events?.lagSeconds ?? 0,
      deadLetters: this.read.deadLetters.get(pluginId) ?? 0,
      streamSubscribers: this.read.subscribers.get(pluginId) ?? 0,
    };
  }

  private async sample(): Promise<void> {
    await this.refresh();
    for (const [pluginId, pluginKey] of this.keys) this.history.sample(pluginKey, this.readingsOf(pluginId));
  }

  /** One read of everything scrape-time at once; concurrent scrapes share it. */
  private refresh(): Promise<void> {
    this.refreshing ??= this.readSources().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async readSources(): Promise<void> {
    const sources = this.sources;
    if (!sources) return;
    const next: ReadState = {
      worker: new Map(),
      events: new Map(),
      deadLetters: new Map(),
      subscribers: sources.streams.subscriberCounts(),
      outboxDepth: 0,
    };
    // Every installed plugin gets its series (a stopped worker shows as down), not only the running ones.
    const installed = await sources.registry.list().catch(() => []);
    for (const plugin of installed) this.keys.set(plugin.id, plugin.pluginKey);
    await Promise.all(
      [...this.keys.keys()].map(async (pluginId) => {
        const diagnostics = sources.workers.diagnostics(pluginId);
        const pid = diagnostics?.status === "running" ? diagnostics.pid : null;
        const usage = pid ? await readProcessUsage(pid) : null;
        next.worker.set(pluginId, {
          up: pid !== null,
          rssBytes: usage?.rssBytes ?? null,
          cpuSeconds: usage?.cpuSeconds ?? null,
        });
      }),
    );
    try {
      await this.readEventState(sources, next);
    } catch {
      // The database may be closing or briefly away: keep the previous event numbers rather than fail the scrape.
      next.events = this.read.events;
      next.deadLetters = this.read.deadLetters;
      next.outboxDepth = this.read.outboxDepth;
    }
    this.read = next;
  }

  private async readEventState(sources: MetricsSources, next: ReadState): Promise<void> {
    const cursors = await sources.db.query<{ plugin_id: string; backlog: string; lag: string | null }>(
      "observability_event_cursors",
      `SELECT c.plugin_id, h.head - c.last_seq AS backlog,
              extract(epoch FROM clock_timestamp() - (
                SELECT e.occurred_at FROM domain_events e WHERE e.seq > c.last_seq ORDER BY e.seq LIMIT 1
              )) AS lag
         FROM plugin_event_cursors c, (SELECT coalesce(max(seq), 0) AS head FROM domain_events) h`,
      [],
    );
    let slowest = 0;
    for (const row of cursors) {
      const backlog = Math.max(0, Number(row.backlog));
      slowest = Math.max(slowest, backlog);
      next.events.set(row.plugin_id, { backlog, lagSeconds: Math.max(0, Number(row.lag ?? 0)) });
    }
    next.outboxDepth = slowest;
    const dead = await sources.db.query<{ plugin_id: string; count: string }>(
      "observability_dead_letters",
      "SELECT plugin_id, count(*) AS count FROM plugin_event_dead_letters WHERE status = 'dead' GROUP BY plugin_id",
      [],
    );
    for (const row of dead) next.deadLetters.set(row.plugin_id, Number(row.count));
  }

  /** Gauges filled from the latest read when the registry is collected (render() reads first). */
  private registerReadGauges(): void {
    const registers = [this.registry];
    const perPlugin = (
      name: string,
      help: string,
      value: (pluginId: string) => number | null,
    ): Gauge<"plugin"> => {
      const keys = this.keys;
      return new Gauge({
        name,
        help,
        labelNames: ["plugin"],
        registers,
        collect() {
          this.reset();
          for (const [pluginId, plugin] of keys) {
            const current = value(pluginId);
            if (current !== null) this.set({ plugin }, current);
          }
        },
      });
    };
    perPlugin("paperclip_plugin_worker_up", "1 when the plugin's worker runs on this node", (id) =>
      this.read.worker.get(id)?.up ? 1 : 0,
    );
    perPlugin(
      "paperclip_plugin_worker_resident_memory_bytes",
      "Resident memory of the plugin's worker process",
      (id) => this.read.worker.get(id)?.rssBytes ?? null,
    );
    perPlugin(
      "paperclip_plugin_worker_cpu_seconds",
      "CPU time (user + system) of the plugin's current worker process; starts again at 0 after a restart",
      (id) => this.read.worker.get(id)?.cpuSeconds ?? null,
    );
    perPlugin(
      "paperclip_plugin_event_backlog",
      "Outbox events the plugin's delivery cursor has not passed yet",
      (id) => this.read.events.get(id)?.backlog ?? null,
    );
    perPlugin(
      "paperclip_plugin_event_lag_seconds",
      "Age of the oldest outbox event the plugin's cursor has not passed (0 when caught up)",
      (id) => this.read.events.get(id)?.lagSeconds ?? null,
    );
    perPlugin(
      "paperclip_plugin_event_dead_letters",
      "Events that failed delivery to the plugin for good (dead letters not replayed)",
      (id) => this.read.deadLetters.get(id) ?? 0,
    );
    perPlugin(
      "paperclip_plugin_stream_subscribers",
      "SSE clients of this node listening to the plugin's streams",
      (id) => this.read.subscribers.get(id) ?? 0,
    );
    const read = () => this.read;
    const pool = () => this.sources?.db.pool;
    new Gauge({
      name: "paperclip_outbox_depth",
      help: "Outbox events not yet passed by the slowest plugin delivery cursor",
      registers,
      collect() {
        this.set(read().outboxDepth);
      },
    });
    new Gauge({
      name: "paperclip_db_pool_connections",
      help: "Database pool connections by state (total, idle)",
      labelNames: ["state"],
      registers,
      collect() {
        const current = pool();
        if (!current) return;
        this.set({ state: "total" }, current.totalCount);
        this.set({ state: "idle" }, current.idleCount);
      },
    });
    new Gauge({
      name: "paperclip_db_pool_waiting",
      help: "Queries waiting for a database pool connection",
      registers,
      collect() {
        this.set(pool()?.waitingCount ?? 0);
      },
    });
  }
}

/** This host's metrics, or null when PAPERCLIP_METRICS=off. */
export function createHostMetrics(
  env: NodeJS.ProcessEnv = process.env,
  options: HostMetricsOptions = {},
): HostMetrics | null {
  if (metricsDisabled(env)) return null;
  const sampleMs = Number(env.PAPERCLIP_METRICS_SAMPLE_MS);
  return new HostMetrics({
    ...(Number.isInteger(sampleMs) && sampleMs >= 100 ? { sampleIntervalMs: sampleMs } : {}),
    ...options,
  });
}

export function metricsDisabled(env: NodeJS.ProcessEnv): boolean {
  const value = env.PAPERCLIP_METRICS?.toLowerCase();
  return value === "off" || value === "0" || value === "false";
}
