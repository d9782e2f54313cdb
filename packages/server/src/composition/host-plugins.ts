// The plugin system of one host process, wired in one place: host services (gate, state, config, secrets,
// logs), the runtime (registry, lifecycle, workers), and every plugin route. src/host.ts creates it before the
// app listens, registers its routes, starts it once listening, and stops it on shutdown.
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { Database } from "../db/database.js";
import type { DomainServices } from "../domain/services.js";
import { registerPluginDeliveryRoutes } from "../plugins/bridge/index.js";
import { namespacesFor } from "../plugins/database/lifecycle-hooks.js";
import {
  createPluginEventDelivery,
  type DeliveryOptions,
  DurablePluginEventSink,
  OutboxAppender,
  type PluginEventDelivery,
  registerPluginEventRoutes,
} from "../plugins/events/index.js";
import { createPluginHostServicesFactory } from "../plugins/host-services/index.js";
import { registerPluginConfigRoutes } from "../plugins/http/config-routes.js";
import { registerPluginLogRoutes } from "../plugins/http/log-routes.js";
import { registerPluginRoutes } from "../plugins/http/plugin-routes.js";
import { createHostJobs, type HostJobs, RunLogCapture } from "../plugins/jobs/index.js";
import { effectivePluginLimits, type PluginLimits } from "../plugins/lifecycle/limits.js";
import { logLimitsOf } from "../plugins/logs/index.js";
import {
  createPluginRuntime,
  type PluginRuntime,
  type PluginRuntimeOptions,
  pluginsDirOf,
} from "../plugins/runtime/plugin-runtime.js";
import { registerCompanySecretRoutes } from "../plugins/secrets/index.js";
import { LocalStreamBus, type StreamBus, withStreamBus } from "../plugins/streams/index.js";
import { createHostWebhooks, type HostWebhooks } from "../plugins/webhooks/index.js";
import { HOST_VERSION } from "../version.js";

export interface HostPluginsOptions {
  db: Database;
  services: DomainServices;
  logger: Logger;
  /** The instance folder: plugins/ and the secrets key file live here. */
  dataDir: string;
  deploymentMode: string;
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
}

export interface HostPlugins {
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
  /** Every plugin route: management, config, logs, company secrets. Call before the app listens. */
  registerRoutes(app: FastifyInstance): void;
  /** Activate ready plugins; on the first start, install the bundled examples. Call once listening. */
  start(): Promise<void>;
  /** Stop every worker gracefully, then flush logs and stop the services' timers. */
  stop(): Promise<void>;
}

export async function createHostPlugins(options: HostPluginsOptions): Promise<HostPlugins> {
  const { db, services, logger } = options;
  // ctx.events.emit writes to the outbox; the dispatcher delivers from it (docs/plugin-events.md).
  const outbox = new OutboxAppender(db, services.notifier);
  const hostLimits = effectivePluginLimits(options.pluginLimits, null);
  const hostServices = createPluginHostServicesFactory({
    db,
    services,
    logger,
    dataDir: options.dataDir,
    pluginEventSink: new DurablePluginEventSink(outbox),
    logLimits: logLimitsOf(hostLimits),
  });
  // Job runs keep the log lines their worker wrote during the run (see jobs/run-logs.ts).
  const runLogs = new RunLogCapture({ redact: (pluginId, text) => hostServices.redact(pluginId, text) });
  const streams = new LocalStreamBus();
  let jobs: HostJobs | null = null;
  let webhooks: HostWebhooks | null = null;
  const runtime = await createPluginRuntime({
    db,
    services,
    logger,
    hostServices: withStreamBus(runLogs.wrapFactory(hostServices), streams, logger),
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
  });
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
    runtime,
    hostServices,
    jobs: hostJobs,
    webhooks: hostWebhooks,
    streams,
    events,
    registerRoutes(app) {
      registerPluginRoutes(app, runtime);
      // plugin.ui.updated on every open company event stream of this node (lifecycle/ui-events.ts).
      if (app.hasDecorator("companyEvents")) {
        const stop = runtime.lifecycle.uiEvents.subscribe(({ pluginId, action }) =>
          app.companyEvents.broadcast(
            "plugin.ui.updated",
            { pluginId, action },
            { entityType: "plugin", entityId: pluginId },
          ),
        );
        app.addHook("onClose", (_instance, done) => {
          stop();
          done();
        });
      }
      registerPluginConfigRoutes(app, {
        store: hostServices.configStore,
        access: runtime.access,
        services,
        logger,
      });
      registerPluginLogRoutes(app, { logs: hostServices.logs, access: runtime.access });
      registerCompanySecretRoutes(app, { secrets: hostServices.secrets, services });
      hostJobs.registerRoutes(app);
      hostWebhooks.registerRoutes(app);
      // Bridge data/actions, SSE streams, UI files, agent tools, scoped API routes.
      registerPluginDeliveryRoutes(app, { runtime, services, bus: streams });
      registerPluginEventRoutes(app, {
        dispatcher: events.dispatcher,
        findPlugin: (idOrKey) => runtime.registry.find(idOrKey),
        subscriptions: { list: (pluginId) => hostServices.listSubscriptions(pluginId) },
      });
    },
    async start() {
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
      })();
      return stopping;
    },
  };
}
