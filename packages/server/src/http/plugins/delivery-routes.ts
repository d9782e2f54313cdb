// Registers every delivery route at once — bridge, streams (SSE), UI contributions and files, agent tools (REST
// and MCP), scoped API routes — over one shared context. registerPluginRoutes (index.ts) calls it; the stream bus
// must be the one the host services' stream sink publishes to (streamBusSinks in src/plugins/streams).
import type { FastifyInstance } from "fastify";
import type { DomainServices } from "../../domain/services.js";
import type { CompanyAccessOptions } from "../../plugins/bridge/company-access.js";
import type { PluginCatalogOptions } from "../../plugins/bridge/plugin-catalog.js";
import type { StreamBus } from "../../plugins/streams/stream-bus.js";
import type { ToolCallRecorder, ToolGateway } from "../../plugins/tools/tool-gateway.js";
import type { PluginToolRegistry } from "../../plugins/tools/tool-registry.js";
import { registerMcpRoutes } from "../mcp/index.js";
import { registerApiRoutes } from "./api-routes.js";
import { registerBridgeRoutes } from "./bridge-routes.js";
import { createPluginHttpContext, type DeliveryRuntime, type PluginHttpContext } from "./context.js";
import { registerStreamRoutes, type StreamRouteOptions } from "./stream-routes.js";
import { registerToolRoutes, type ToolRouteOptions } from "./tool-routes.js";
import type { DevUiConfigSource } from "./ui-dev-proxy.js";
import { registerUiRoutes } from "./ui-routes.js";

export interface DeliveryRoutesOptions {
  runtime: DeliveryRuntime;
  services: DomainServices;
  bus: StreamBus;
  streams?: StreamRouteOptions;
  tools?: ToolRouteOptions;
  catalog?: PluginCatalogOptions;
  companies?: CompanyAccessOptions;
  /** Company configs of plugins, for the UI files' `devUiUrl` dev proxy (ui-dev-proxy.ts). */
  devUiConfig?: DevUiConfigSource;
}

export interface DeliveryRoutes {
  readonly context: PluginHttpContext;
  readonly tools: PluginToolRegistry;
  /** The one path of agent tool calls (REST execute and MCP `/api/mcp`). */
  readonly toolGateway: ToolGateway;
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
  registerUiRoutes(app, context, options.devUiConfig);
  // Tool calls are recorded on their runs in the app's run event store (buildApp's agent runtime).
  const recorder =
    options.tools?.recorder ?? (app as { agentRuntime?: { events?: ToolCallRecorder } }).agentRuntime?.events;
  const toolGateway = registerToolRoutes(app, context, { ...options.tools, recorder });
  registerMcpRoutes(app, { gateway: toolGateway });
  registerApiRoutes(app, context);
  return { context, tools: toolGateway.registry, toolGateway };
}
