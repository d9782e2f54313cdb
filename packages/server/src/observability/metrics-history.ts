// The short per-plugin history the board's Metrics tab draws (GET /api/plugins/:pluginId/metrics): one sample per
// interval (default every 10 s, the last 30 minutes), kept in memory only — Prometheus keeps the long history.
import type { WebhookDeliveryOutcome } from "../plugins/webhooks/host-webhooks.js";

/** Call latencies kept per plugin and interval for the percentiles (a uniform sample beyond this many). */
const MAX_INTERVAL_DURATIONS = 2_000;
/** Methods counted per plugin in the tab's table; calls of further methods count under "other". */
const MAX_METHODS = 50;

type Outcome = "ok" | "error" | "timeout";

/** What is read (not counted) when a sample is taken. */
export interface Readings {
  workerUp: boolean;
  rssBytes: number | null;
  cpuSeconds: number | null;
  eventBacklog: number;
  eventLagSeconds: number;
  deadLetters: number;
  streamSubscribers: number;
}

export interface HistorySample extends Readings {
  /** End of the interval (epoch ms). */
  at: number;
  callsPerSecond: number;
  /** Failed calls (errors and timeouts) in the interval. */
  errors: number;
  /** Latency percentiles of the interval's calls (ms); null without calls. */
  p50Ms: number | null;
  p95Ms: number | null;
  /** Worker restarts so far (since the host started). */
  restarts: number;
}

/** Counts since the host started. */
export interface LiveTotals {
  calls: number;
  errors: number;
  timeouts: number;
  restarts: number;
  jobRuns: { succeeded: number; failed: number };
  webhookDeliveries: Record<WebhookDeliveryOutcome, number>;
  methods: Array<{ method: string; calls: number; errors: number; timeouts: number }>;
}

export class PluginTotals {
  calls = 0;
  errors = 0;
  timeouts = 0;
  restarts = 0;
  readonly jobRuns = { succeeded: 0, failed: 0 };
  readonly webhookDeliveries: Record<WebhookDeliveryOutcome, number> = {
    success: 0,
    failed: 0,
    worker_unavailable: 0,
  };
  private readonly methods = new Map<string, { calls: number; errors: number; timeouts: number }>();
  /** This interval's call latencies (seconds) and how many calls it saw. */
  private durations: number[] = [];
  private intervalCalls = 0;
  private intervalFailures = 0;

  call(method: string, outcome: Outcome, seconds: number): void {
    this.calls++;
    this.intervalCalls++;
    if (outcome !== "ok") this.intervalFailures++;
    if (outcome === "error") this.errors++;
    if (outcome === "timeout") this.timeouts++;
    const name = this.methods.has(method) || this.methods.size < MAX_METHODS ? method : "other";
    let counts = this.methods.get(name);
    if (!counts) {
      counts = { calls: 0, errors: 0, timeouts: 0 };
      this.methods.set(name, counts);
    }
    counts.calls++;
    if (outcome === "error") counts.errors++;
    if (outcome === "timeout") counts.timeouts++;
    if (this.durations.length < MAX_INTERVAL_DURATIONS) this.durations.push(seconds);
    else {
      // Reservoir sampling: every call of the interval has the same chance to be kept.
      const slot = Math.floor(Math.random() * this.intervalCalls);
      if (slot < MAX_INTERVAL_DURATIONS) this.durations[slot] = seconds;
    }
  }

  /** The interval so far, as a sample; `commit` starts the next interval. */
  interval(at: number, seconds: number, readings: Readings, commit: boolean): HistorySample {
    const sorted = [...this.durations].sort((a, b) => a - b);
    const sample: HistorySample = {
      at,
      callsPerSecond: seconds > 0 ? this.intervalCalls / seconds : 0,
      errors: this.intervalFailures,
      p50Ms: percentileMs(sorted, 0.5),
      p95Ms: percentileMs(sorted, 0.95),
      restarts: this.restarts,
      ...readings,
    };
    if (commit) {
      this.durations = [];
      this.intervalCalls = 0;
      this.intervalFailures = 0;
    }
    return sample;
  }

  live(): LiveTotals {
    return {
      calls: this.calls,
      errors: this.errors,
      timeouts: this.timeouts,
      restarts: this.restarts,
      jobRuns: { ...this.jobRuns },
      webhookDeliveries: { ...this.webhookDeliveries },
      methods: [...this.methods].map(([method, counts]) => ({ method, ...counts })),
    };
  }
}

function percentileMs(sorted: number[], quantile: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)]! * 100_000) / 100;
}

export class MetricsHistory {
  private readonly totals = new Map<string, PluginTotals>();
  private readonly samples = new Map<string, HistorySample[]>();
  private readonly intervalStart = new Map<string, number>();
  private readonly started = Date.now();

  constructor(
    readonly intervalMs: number,
    readonly keep: number,
  ) {}

  totalsOf(pluginKey: string): PluginTotals {
    let totals = this.totals.get(pluginKey);
    if (!totals) {
      totals = new PluginTotals();
      this.totals.set(pluginKey, totals);
    }
    return totals;
  }

  /** Close the plugin's interval: one more sample, the oldest dropped beyond the kept number. */
  sample(pluginKey: string, readings: Readings): void {
    const now = Date.now();
    const sample = this.totalsOf(pluginKey).interval(now, this.elapsed(pluginKey, now), readings, true);
    this.intervalStart.set(pluginKey, now);
    let list = this.samples.get(pluginKey);
    if (!list) {
      list = [];
      this.samples.set(pluginKey, list);
    }
    list.push(sample);
    if (list.length > this.keep) list.splice(0, list.length - this.keep);
  }

  /** The interval still open, as a sample (nothing is committed). */
  peek(pluginKey: string, readings: Readings): HistorySample {
    const now = Date.now();
    return this.totalsOf(pluginKey).interval(now, this.elapsed(pluginKey, now), readings, false);
  }

  samplesOf(pluginKey: string): HistorySample[] {
    return [...(this.samples.get(pluginKey) ?? [])];
  }

  private elapsed(pluginKey: string, now: number): number {
    return (now - (this.intervalStart.get(pluginKey) ?? this.started)) / 1000;
  }
}
