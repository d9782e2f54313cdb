// Registers every delivery route of this folder family at once — bridge, streams (SSE), UI contributions and
// files, agent tools, scoped API routes — over one shared context. The host calls this after creating the
// plugin runtime; the stream bus must be the one the host services factory was wrapped with (withStreamBus).
import type { FastifyInstance } from "fastify";
import type { DomainServices } from "../../domain/services.js";
import { registerApiRoutes } from "../api-routes/routes.js";
import { registerStreamRoutes, type StreamRouteOptions } from "../streams/routes.js";
import type { StreamBus } from "../streams/stream-bus.js";
import { registerToolRoutes, type ToolRouteOptions } from "../tools/routes.js";
import type { PluginToolRegistry } from "../tools/tool-registry.js";
import { registerUiRoutes } from "../ui/routes.js";
import type { CompanyAccessOptions } from "./company-access.js";
import { createPluginHttpContext, type DeliveryRuntime, type PluginHttpContext } from "./context.js";
import type { PluginCatalogOptions } from "./plugin-catalog.js";
import { registerBridgeRoutes } from "./routes.js";

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
