// Every plugin route of the host, registered at once: management, config, logs, company secrets, jobs, webhooks,
// event delivery, and the delivery routes (bridge, SSE streams, UI files, agent tools, scoped API routes). The
// routes get what they call as the interface below — the host's HostPlugins (src/composition/host-plugins.ts)
// satisfies it — so this layer never wires subsystems itself. src/host.ts calls it before the app listens.
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { DomainServices } from "../../domain/services.js";
import type { PluginConfigStore } from "../../plugins/config/store.js";
import type { EgressService } from "../../plugins/egress/index.js";
import type { SubscriptionSource } from "../../plugins/events/delivery-target.js";
import type { EventDispatcher } from "../../plugins/events/dispatcher.js";
import type { JobService } from "../../plugins/jobs/job-service.js";
import type { PluginLogService } from "../../plugins/logs/log-service.js";
import type { PluginRuntime } from "../../plugins/runtime/index.js";
import type { CompanySecretsStore } from "../../plugins/secrets/store.js";
import type { StreamBus } from "../../plugins/streams/stream-bus.js";
import type { WebhookService } from "../../plugins/webhooks/webhook-service.js";
import { type NodeRouteDeps, registerNodeRoutes } from "../routes/nodes.js";
import { registerPluginConfigRoutes } from "./config-routes.js";
import { registerPluginDeliveryRoutes } from "./delivery-routes.js";
import { registerPluginDevRoutes } from "./dev-routes.js";
import { registerPluginEgressRoutes } from "./egress-routes.js";
import { registerPluginEventRoutes } from "./event-routes.js";
import { registerPluginJobRoutes } from "./job-routes.js";
import { registerPluginLogRoutes } from "./log-routes.js";
import { registerPluginManagementRoutes } from "./management-routes.js";
import { registerPluginNodeRoutes } from "./node-routes.js";
import { registerPluginSandboxRoutes } from "./sandbox-routes.js";
import { registerCompanySecretRoutes } from "./secret-routes.js";
import { registerSupplyChainRoutes } from "./supply-chain-routes.js";
import { registerUiIsolationRoutes } from "./ui-isolation-routes.js";
import { registerPluginWebhookRoutes } from "./webhook-routes.js";

/** What the plugin routes use of the host's plugin system (HostPlugins has all of it). */
export interface PluginRouteDeps {
  readonly runtime: PluginRuntime;
  readonly hostServices: {
    readonly configStore: PluginConfigStore;
    readonly logs: PluginLogService;
    readonly secrets: CompanySecretsStore;
    readonly egress: EgressService;
    listSubscriptions: SubscriptionSource["list"];
  };
  readonly jobs: { readonly service: JobService };
  readonly webhooks: { readonly service: WebhookService; readonly bodyLimitBytes: number };
  /** The bus worker stream notifications reach (through the host services' stream sink): SSE clients subscribe to it. */
  readonly streams: StreamBus;
  readonly events: { readonly dispatcher: EventDispatcher };
  /** The host nodes on this database: the nodes page and the drain route (docs/scale-out.md). */
  readonly nodes: NodeRouteDeps;
  readonly services: DomainServices;
  readonly logger: Logger;
}

export function registerPluginRoutes(app: FastifyInstance, deps: PluginRouteDeps): void {
  const { runtime, hostServices, services } = deps;
  const subscriptions: SubscriptionSource = { list: (pluginId) => hostServices.listSubscriptions(pluginId) };
  registerPluginManagementRoutes(app, runtime);
  registerPluginNodeRoutes(app, runtime);
  registerPluginSandboxRoutes(app, { sandbox: runtime.sandbox });
  registerSupplyChainRoutes(app, runtime);
  registerPluginDevRoutes(app, runtime);
  broadcastUiUpdates(app, runtime);
  registerPluginConfigRoutes(app, {
    store: hostServices.configStore,
    access: runtime.access,
    services,
    logger: deps.logger,
  });
  registerPluginLogRoutes(app, { logs: hostServices.logs, access: runtime.access });
  registerPluginEgressRoutes(app, { egress: hostServices.egress, access: runtime.access });
  registerCompanySecretRoutes(app, { secrets: hostServices.secrets, services });
  registerPluginJobRoutes(app, { jobs: deps.jobs.service });
  registerPluginWebhookRoutes(app, {
    webhooks: deps.webhooks.service,
    bodyLimitBytes: deps.webhooks.bodyLimitBytes,
  });
  registerPluginDeliveryRoutes(app, {
    runtime,
    services,
    bus: deps.streams,
    devUiConfig: async (pluginId, companyId) =>
      (await hostServices.configStore.get(pluginId, companyId))?.configJson ?? null,
  });
  registerUiIsolationRoutes(app, { registry: runtime.registry, services });
  registerPluginEventRoutes(app, {
    dispatcher: deps.events.dispatcher,
    findPlugin: (idOrKey) => runtime.registry.find(idOrKey),
    subscriptions,
  });
  registerNodeRoutes(app, deps.nodes);
}

/** plugin.ui.updated on every open company event stream of this node (lifecycle/ui-events.ts). */
function broadcastUiUpdates(app: FastifyInstance, runtime: Pick<PluginRuntime, "lifecycle">): void {
  if (!app.hasDecorator("companyEvents")) return;
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
