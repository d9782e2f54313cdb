/**
 * The plugin tools over the Model Context Protocol (`/api/mcp`, streamable HTTP); see routes.ts. The MCP server
 * itself (tool-server.ts) is loaded on the first request, so it is not re-exported here.
 */
export { MCP_PATH, type McpRouteOptions, PROJECT_ID_HEADER, registerMcpRoutes } from "./routes.js";
export { errorResult, toCallToolResult, toMcpTool } from "./tool-mapping.js";
export type { McpCaller } from "./tool-server.js";
