// The plugin system of one host process, wired in one place: host services (gate, state, config, secrets,
// logs), the runtime (registry, lifecycle, workers), jobs, webhooks, streams and event delivery. src/host.ts
// creates it before the app listens, hands it to registerPluginRoutes (src/http/plugins), starts it once
// listening, and stops it on shutdown.
import type { Logger } from "pino";
import { ClusterBus, nodeIdOf } from "../cluster/index.js";
import type { Database } from "../db/database.js";
import type { DomainServices } from "../domain/services.js";
import { namespacesFor } from "../plugins/database/lifecycle-hooks.js";
import type { EgressOptions } from "../plugins/egress/index.js";
import {
  createPluginEventDelivery,
  type DeliveryOptions,
  DurablePluginEventSink,
  OutboxAppender,
  type PluginEventDelivery,
} from "../plugins/events/index.js";
import { createPluginHostServicesFactory } from "../plugins/host-services/index.js";
import { type RunEventFeed, SessionRelay } from "../plugins/host-services/session-relay.js";
import { createHostJobs, type HostJobs, RunLogCapture } from "../plugins/jobs/index.js";
import { effectivePluginLimits, type PluginLimits } from "../plugins/lifecycle/limits.js";
import { logLimitsOf } from "../plugins/logs/index.js";
import {
  createPluginRuntime,
  type PluginRuntime,
  type PluginRuntimeOptions,
  pluginsDirOf,
} from "../plugins/runtime/plugin-runtime.js";
import { describeHostSandbox } from "../plugins/sandbox/index.js";
import { LocalStreamBus, type StreamBus, streamBusSinks } from "../plugins/streams/index.js";
import { createHostWebhooks, type HostWebhooks } from "../plugins/webhooks/index.js";
import { HOST_VERSION } from "../version.js";

export interface HostPluginsOptions {
  db: Database;
  services: DomainServices;
  logger: Logger;
  /** The instance folder: plugins/ and the secrets key file live here. */
  dataDir: string;
  deploymentMode: string;
  /**
   * Messages to and from the other host nodes on the same PostgreSQL (docs/scale-out.md); its node id names this
   * node. Default: a bus named after this process. Started by start(), stopped last by stop().
   */
  cluster?: ClusterBus;
  /** Install the bundled examples on the first start of this instance. */
  installExamples: boolean;
  /** Overrides for tests and benchmarks (examples folder, supervisor settings, installer settings). */
  runtime?: Partial<PluginRuntimeOptions>;
  /** Event delivery settings (docs/plugin-events.md). */
  eventDelivery?: Partial<DeliveryOptions>;
  /**
   * Resource limits of every plugin (config `pluginLimits`): worker heap, event concurrency, log caps. Each
   * plugin's own `limits` (PATCH /api/plugins/:id/settings) override them. Defaults in lifecycle/limits.ts.
   */
  pluginLimits?: Partial<PluginLimits>;
  /**
   * The worker sandbox (docs/sandbox.md): on unless `enabled` is false (PAPERCLIP_PLUGIN_SANDBOX=off, for debugging);
   * each plugin's data folder is `<dataDir>/plugin-data/<pluginKey>`.
   */
  sandbox?: { enabled?: boolean; disabledBy?: string };
  /** Outbound HTTP of plugins: client limits, the DNS step (tests), outbound log bounds (docs/egress.md). */
  egress?: EgressOptions;
  /**
   * The agent runtime's run hub and event store: with them, runs started by ctx.agents.sessions.sendMessage stream
   * back to the plugin's worker as agents.sessions.event notifications (host-services/session-relay.ts).
   */
  agentRuns?: {
    hub: Pick<RunEventFeed, "subscribe">;
    events: Pick<RunEventFeed, "list">;
  };
}

export interface HostPlugins {
  /** This node's link to the other host nodes (node id, messages). */
  readonly cluster: ClusterBus;
  readonly runtime: PluginRuntime;
  readonly hostServices: ReturnType<typeof createPluginHostServicesFactory>;
  /** Job scheduler and job service (docs/plugin-jobs.md). */
  readonly jobs: HostJobs;
  /** Webhook intake and its retry loop (docs/plugin-webhooks.md). */
  readonly webhooks: HostWebhooks;
  /** Worker streams, served as SSE by the bridge routes (docs/plugin-bridge.md). */
  readonly streams: StreamBus;
  /** Durable event delivery to workers and plugin-emitted events (docs/plugin-events.md). */
  readonly events: PluginEventDelivery;
  /** Agent-session runs streamed to workers (null without `agentRuns`). */
  readonly sessionRelay: SessionRelay | null;
  /** The domain services and logger the plugin system was built with (the plugin routes use them too). */
  readonly services: DomainServices;
  readonly logger: Logger;
  /** Activate ready plugins; on the first start, install the bundled examples. Call once listening. */
  start(): Promise<void>;
  /** Stop every worker gracefully, then flush logs and stop the services' timers. */
  stop(): Promise<void>;
}

export async function createHostPlugins(options: HostPluginsOptions): Promise<HostPlugins> {
  const { db, services, logger } = options;
  const cluster = options.cluster ?? new ClusterBus(db, logger, nodeIdOf(null, 0));
  // ctx.events.emit writes to the outbox; the dispatcher delivers from it (docs/plugin-events.md).
  const outbox = new OutboxAppender(db, services.notifier);
  const hostLimits = effectivePluginLimits(options.pluginLimits, null);
  // Job runs keep the log lines their worker wrote during the run (see jobs/run-logs.ts).
  const runLogs = new RunLogCapture({ redact: (pluginId, text) => hostServices.redact(pluginId, text) });
  const streams = new LocalStreamBus();
  const agentRuns = options.agentRuns;
  // Session runs stream to workers once the runtime below exists to notify them (bound after it is created).
  const sessionRelay = agentRuns
    ? new SessionRelay({
        feed: {
          subscribe: (runId, listener) => agentRuns.hub.subscribe(runId, listener),
          list: (runId, page) => agentRuns.events.list(runId, page),
        },
        logger,
      })
    : undefined;
  const hostServices = createPluginHostServicesFactory({
    db,
    services,
    logger,
    dataDir: options.dataDir,
    pluginEventSink: new DurablePluginEventSink(outbox),
    logLimits: logLimitsOf(hostLimits),
    // Worker streams reach the bus, and job runs capture their log lines, through these sinks.
    sinks: [streamBusSinks(streams), runLogs.sinks],
    sessionRelay,
    egress: options.egress,
  });
  let jobs: HostJobs | null = null;
  let webhooks: HostWebhooks | null = null;
  const runtime = await createPluginRuntime({
    db,
    services,
    logger,
    hostServices,
    configs: hostServices.configStore,
    namespaces: namespacesFor(hostServices.database),
    pluginsDir: pluginsDirOf(options.dataDir),
    hostVersion: HOST_VERSION,
    deploymentMode: options.deploymentMode,
    health: {
      recentActivity: async (pluginId) => ({
        jobRuns: (await jobs?.service.recentRuns(pluginId)) ?? [],
        webhookDeliveries: (await webhooks?.service.recent(pluginId)) ?? [],
      }),
      logStats: (pluginId) => hostServices.logs.stats(pluginId),
    },
    pluginLimits: options.pluginLimits,
    onLimits: (pluginId, limits) => hostServices.logs.setPluginLimits(pluginId, logLimitsOf(limits)),
    ...options.runtime,
    // After the overrides: a test's sandbox settings add to the host's, the data folder stays protected.
    sandbox: { ...options.sandbox, hostDataDir: options.dataDir, ...options.runtime?.sandbox },
  });
  sessionRelay?.bind((pluginId, event) => runtime.workers.notify(pluginId, "agents.sessions.event", event));
  jobs = createHostJobs({ db, logger, runtime, runLogs });
  webhooks = createHostWebhooks({ db, logger, runtime, dataDir: options.dataDir });
  const events = createPluginEventDelivery({
    db,
    notifier: services.notifier,
    runtime,
    subscriptions: { list: (pluginId) => hostServices.listSubscriptions(pluginId) },
    logger,
    appender: outbox,
    // Each plugin's own eventMaxInFlight (its limits) wins over this host-wide value.
    options: { maxInFlight: hostLimits.eventMaxInFlight, ...options.eventDelivery },
  });
  const hostJobs = jobs;
  const hostWebhooks = webhooks;
  let stopping: Promise<void> | null = null;
  return {
    cluster,
    runtime,
    hostServices,
    jobs: hostJobs,
    webhooks: hostWebhooks,
    streams,
    events,
    sessionRelay: sessionRelay ?? null,
    services,
    logger,
    async start() {
      // Listening before anything starts: a change another node makes meanwhile is not missed.
      await cluster.start();
      // Said once at start, before any worker runs: what the sandbox covers on this host, or that it is off.
      for (const line of describeHostSandbox(await runtime.sandbox.hostStatus())) {
        if (line.level === "ok") logger.info(line.message);
        else logger.warn(line.message);
      }
      await runtime.start();
      await events.start();
      if (options.installExamples) await runtime.installExamplesOnce();
      await hostJobs.start();
      hostWebhooks.start();
    },
    stop() {
      stopping ??= (async () => {
        // Stop claiming work first; runs still going when the workers stop are recorded failed.
        await hostJobs.stop();
        await hostWebhooks.stop();
        // Delivery stops before the workers: cursors written, leases released for other nodes.
        await events.stop();
        await runtime.stop();
        await hostJobs.drain();
        await hostServices.dispose();
        await cluster.stop();
      })();
      return stopping;
    },
  };
}
