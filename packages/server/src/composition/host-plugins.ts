// The plugin system of one host process, wired in one place: host services (gate, state, config, secrets,
// logs), the runtime (registry, lifecycle, workers), jobs, webhooks, streams and event delivery. src/host.ts
// creates it before the app listens, hands it to registerPluginRoutes (src/http/plugins), starts it once
// listening, and stops it on shutdown.
import type { Logger } from "pino";
import {
  ClusterBus,
  NODE_CHANGED_TOPIC,
  NodeAdmin,
  NodeDrain,
  NodeRegistry,
  nodeIdOf,
} from "../cluster/index.js";
import { leaseSettingsFromEnv } from "../cluster/leases.js";
import type { Database } from "../db/database.js";
import type { DomainServices } from "../domain/services.js";
import type { HostObservability } from "../observability/index.js";
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
import {
  ClusterStreamBus,
  LocalStreamBus,
  type StreamBus,
  streamBusSinks,
} from "../plugins/streams/index.js";
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
  /** This node's heartbeat in cluster_nodes (default PAPERCLIP_NODE_HEARTBEAT_MS, else 5 s). */
  nodeHeartbeatMs?: number;
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
  /** Metrics and traces of worker calls, job runs and webhook deliveries (src/observability). */
  observability?: Pick<
    HostObservability,
    "workerObserver" | "hostServicesObserver" | "jobObserver" | "webhookObserver"
  >;
}

export interface HostPlugins {
  /** This node's link to the other host nodes (node id, messages). */
  readonly cluster: ClusterBus;
  /** This node's row in cluster_nodes: registered at start, heartbeat, `stopped` at the end of stop(). */
  readonly node: NodeRegistry;
  /** Stops this node claiming work (the drain route, and the first step of stop()). */
  readonly drain: NodeDrain;
  /** The nodes page: every node with what it holds, and draining one (GET/POST /api/instance/nodes…). */
  readonly nodes: NodeAdmin;
  readonly runtime: PluginRuntime;
  readonly hostServices: ReturnType<typeof createPluginHostServicesFactory>;
  /** Job scheduler and job service (docs/plugin-jobs.md). */
  readonly jobs: HostJobs;
  /** Webhook intake and its retry loop (docs/plugin-webhooks.md). */
  readonly webhooks: HostWebhooks;
  /** Worker streams of every node, served as SSE by the bridge routes (docs/plugin-bridge.md, docs/scale-out.md). */
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
  // Leases name this node (cluster.nodeId); their lengths may be set in the environment (cluster/leases.ts).
  const leases = leaseSettingsFromEnv();
  // Frames this node's workers publish reach SSE clients on every node (plugins/streams/cluster-stream-bus.ts).
  const streams = new ClusterStreamBus(new LocalStreamBus(), cluster, logger);
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
    observer: options.observability?.hostServicesObserver,
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
    // Installed versions packed for the other nodes, changes applied on every node (docs/scale-out.md).
    cluster,
    health: {
      recentActivity: async (pluginId) => ({
        jobRuns: (await jobs?.service.recentRuns(pluginId)) ?? [],
        webhookDeliveries: (await webhooks?.service.recent(pluginId)) ?? [],
      }),
      logStats: (pluginId) => hostServices.logs.stats(pluginId),
    },
    pluginLimits: options.pluginLimits,
    onLimits: (pluginId, limits) => hostServices.logs.setPluginLimits(pluginId, logLimitsOf(limits)),
    workerObserver: options.observability?.workerObserver,
    ...options.runtime,
    // After the overrides: a test's sandbox settings add to the host's, the data folder stays protected.
    sandbox: { ...options.sandbox, hostDataDir: options.dataDir, ...options.runtime?.sandbox },
  });
  sessionRelay?.bind((pluginId, event) => runtime.workers.notify(pluginId, "agents.sessions.event", event));
  jobs = createHostJobs({
    db,
    logger,
    runtime,
    runLogs,
    observer: options.observability?.jobObserver,
    scheduler: { nodeId: cluster.nodeId, ...(leases.jobLeaseMs && { leaseMs: leases.jobLeaseMs }) },
  });
  webhooks = createHostWebhooks({
    db,
    logger,
    runtime,
    dataDir: options.dataDir,
    observer: options.observability?.webhookObserver,
    service: { nodeId: cluster.nodeId, ...(leases.webhookLeaseMs && { leaseMs: leases.webhookLeaseMs }) },
    ...(leases.webhookLeaseMs && { retries: { leaseMs: leases.webhookLeaseMs } }),
  });
  const events = createPluginEventDelivery({
    db,
    notifier: services.notifier,
    runtime,
    subscriptions: { list: (pluginId) => hostServices.listSubscriptions(pluginId) },
    logger,
    appender: outbox,
    nodeId: cluster.nodeId,
    // Each plugin's own eventMaxInFlight (its limits) wins over this host-wide value.
    options: { maxInFlight: hostLimits.eventMaxInFlight, ...leases.eventDelivery, ...options.eventDelivery },
  });
  const hostJobs = jobs;
  const hostWebhooks = webhooks;
  const node = new NodeRegistry({
    db,
    logger,
    nodeId: cluster.nodeId,
    version: HOST_VERSION,
    heartbeatMs: options.nodeHeartbeatMs,
    // The other nodes hear of a start, drain or stop at once and log it (the nodes page polls the table).
    announce: (change) =>
      void cluster.publish(NODE_CHANGED_TOPIC, change).catch((error: Error) => {
        logger.warn(
          { err: error },
          `Could not announce node ${change.nodeId} ${change.status}: ${error.message}`,
        );
      }),
    onDrainRequested: () => void nodeDrain.begin("its row was marked draining on another node"),
  });
  // Each loop's stop() stops claiming, waits for its work in flight and gives its leases up.
  const nodeDrain: NodeDrain = new NodeDrain({
    nodeId: cluster.nodeId,
    logger,
    markDraining: () => node.markDraining(),
    steps: [
      { name: "job ticks", stop: () => hostJobs.stop() },
      { name: "webhook deliveries", stop: () => hostWebhooks.stop() },
      { name: "event delivery", stop: () => events.stop() },
    ],
  });
  const nodes = new NodeAdmin({ db, registry: node, drain: nodeDrain, cluster, logger });
  let stopListening: (() => void) | null = null;
  let stopping: Promise<void> | null = null;
  return {
    cluster,
    node,
    drain: nodeDrain,
    nodes,
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
      // First: a second live process under this node id is refused before it starts anything.
      await node.register();
      // Listening before anything starts: a change another node makes meanwhile is not missed.
      await cluster.start();
      stopListening = nodes.listen();
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
        // Drain first (jobs, webhooks, then event delivery, before the workers stop): claims stop, work in flight
        // finishes (job runs still going after the grace period are recorded failed), cursors are written and
        // leases go to other nodes at once.
        await nodeDrain.drain("the host is stopping");
        await runtime.stop();
        await hostJobs.drain();
        await hostServices.dispose();
        streams.close();
        stopListening?.();
        await node.markStopped();
        await cluster.stop();
      })();
      return stopping;
    },
  };
}
