/** Agent tools of plugins: the registry and `GET /api/plugins/tools`, `POST /api/plugins/tools/execute`. */
export {
  checkRunContext,
  parseToolExecuteBody,
  type ToolExecuteInput,
  ToolParameterValidator,
} from "./execute-request.js";
export { registerToolRoutes, type ToolRouteOptions } from "./routes.js";
export {
  type AgentToolDescriptor,
  describeTool,
  namespacedToolName,
  PluginToolRegistry,
  parseToolName,
  type RegisteredTool,
  TOOL_NAME_SEPARATOR,
} from "./tool-registry.js";
