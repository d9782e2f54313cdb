// The host's observability, wired in one place (docs/observability.md): Prometheus metrics (on unless
// PAPERCLIP_METRICS=off) and OpenTelemetry traces (off unless an OTLP endpoint or PAPERCLIP_OTEL_ENABLED=1 is set).
// src/host.ts creates it first, hands its observers to the plugin system and its HTTP hooks to the app, attaches the
// plugin system once it exists, and closes it last.
import type { FastifyInstance } from "fastify";
import type { HostServicesObserver } from "../plugins/host-services/observer.js";
import type { JobRunObserver } from "../plugins/jobs/host-jobs.js";
import type { PluginWorkerObserver } from "../plugins/runtime/plugin-workers.js";
import type { WebhookDeliveryObserver } from "../plugins/webhooks/host-webhooks.js";
import {
  createHostMetrics,
  type HostMetrics,
  type HostMetricsOptions,
  type MetricsSources,
} from "./metrics.js";
import { createHostTracing, type HostTracing, type HostTracingOptions } from "./tracing.js";

export interface HostObservabilityOptions {
  /** Default process.env (PAPERCLIP_METRICS, PAPERCLIP_METRICS_SAMPLE_MS, OTEL_*, PAPERCLIP_OTEL_ENABLED). */
  env?: NodeJS.ProcessEnv;
  metrics?: HostMetricsOptions;
  tracing?: Omit<HostTracingOptions, "env">;
}

export interface HostObservability {
  /** Null when PAPERCLIP_METRICS=off. */
  readonly metrics: HostMetrics | null;
  /** Null unless tracing is on. */
  readonly tracing: HostTracing | null;
  /** For the plugin system; each is absent when neither metrics nor traces need it. */
  readonly workerObserver?: PluginWorkerObserver;
  readonly hostServicesObserver?: HostServicesObserver;
  readonly jobObserver?: JobRunObserver;
  readonly webhookObserver?: WebhookDeliveryObserver;
  /** HTTP request metrics and spans (call right after the app is made, before its routes answer). */
  installHttpHooks(app: FastifyInstance): void;
  /** Read the plugin system at scrape time. */
  attach(sources: MetricsSources): void;
  close(): Promise<void>;
}

export function createHostObservability(options: HostObservabilityOptions = {}): HostObservability {
  const env = options.env ?? process.env;
  const metrics = createHostMetrics(env, options.metrics);
  const tracing = createHostTracing({ ...options.tracing, env });
  return {
    metrics,
    tracing,
    workerObserver: workerObserverOf(metrics, tracing),
    hostServicesObserver: hostServicesObserverOf(metrics, tracing),
    jobObserver: metrics?.jobObserver,
    webhookObserver: metrics?.webhookObserver,
    installHttpHooks(app) {
      metrics?.installHttpHooks(app);
      tracing?.installHttpHooks(app);
    },
    attach(sources) {
      metrics?.attach(sources);
    },
    async close() {
      metrics?.stop();
      await tracing?.shutdown();
    },
  };
}

/** The worker call timed by the metrics inside its trace span (whose traceparent the call sends). */
function workerObserverOf(
  metrics: HostMetrics | null,
  tracing: HostTracing | null,
): PluginWorkerObserver | undefined {
  if (!tracing) return metrics?.workerObserver;
  const timed = metrics?.workerObserver;
  return {
    call: (pluginKey, method, invocationId, send) =>
      tracing.workerCall(pluginKey, method, invocationId, (traceparent) =>
        timed ? timed.call(pluginKey, method, invocationId, () => send(traceparent)) : send(traceparent),
      ),
    workerRestarted: (pluginKey) => timed?.workerRestarted(pluginKey),
  };
}

function hostServicesObserverOf(
  metrics: HostMetrics | null,
  tracing: HostTracing | null,
): HostServicesObserver | undefined {
  if (!metrics && !tracing) return undefined;
  return {
    workerRequest: (pluginKey, invocationId, method, handle) =>
      tracing ? tracing.workerRequest(pluginKey, invocationId, method, handle) : handle(),
    spanRecorded: (pluginKey, invocationId, span) =>
      tracing?.recordWorkerSpan(pluginKey, invocationId ?? undefined, span) ?? false,
    metricWritten: (pluginKey, name, value, tags) => metrics?.metricWritten(pluginKey, name, value, tags),
  };
}
