// Registers every delivery route at once — bridge, streams (SSE), UI contributions and files, agent tools,
// scoped API routes — over one shared context. registerPluginRoutes (index.ts) calls it; the stream bus must be
// the one the host services' stream sink publishes to (streamBusSinks in src/plugins/streams).
import type { FastifyInstance } from "fastify";
import type { DomainServices } from "../../domain/services.js";
import type { CompanyAccessOptions } from "../../plugins/bridge/company-access.js";
import type { PluginCatalogOptions } from "../../plugins/bridge/plugin-catalog.js";
import type { StreamBus } from "../../plugins/streams/stream-bus.js";
import type { PluginToolRegistry } from "../../plugins/tools/tool-registry.js";
import { registerApiRoutes } from "./api-routes.js";
import { registerBridgeRoutes } from "./bridge-routes.js";
import { createPluginHttpContext, type DeliveryRuntime, type PluginHttpContext } from "./context.js";
import { registerStreamRoutes, type StreamRouteOptions } from "./stream-routes.js";
import { registerToolRoutes, type ToolRouteOptions } from "./tool-routes.js";
import { registerUiRoutes } from "./ui-routes.js";

export interface DeliveryRoutesOptions {
  runtime: DeliveryRuntime;
  services: DomainServices;
  bus: StreamBus;
  streams?: StreamRouteOptions;
  tools?: ToolRouteOptions;
  catalog?: PluginCatalogOptions;
  companies?: CompanyAccessOptions;
}

export interface DeliveryRoutes {
  readonly context: PluginHttpContext;
  readonly tools: PluginToolRegistry;
}

export function registerPluginDeliveryRoutes(
  app: FastifyInstance,
  options: DeliveryRoutesOptions,
): DeliveryRoutes {
  const context = createPluginHttpContext({
    runtime: options.runtime,
    services: options.services,
    catalog: options.catalog,
    companies: options.companies,
  });
  registerBridgeRoutes(app, context);
  registerStreamRoutes(app, context, options.bus, options.streams);
  registerUiRoutes(app, context);
  const tools = registerToolRoutes(app, context, options.tools);
  registerApiRoutes(app, context);
  return { context, tools };
}
