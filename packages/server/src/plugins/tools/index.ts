/**
 * Agent tools of plugins: the registry and the checks of a tool call. The routes (`GET /api/plugins/tools`,
 * `POST /api/plugins/tools/execute`) belong to the HTTP layer (tool-routes.ts).
 */
export {
  checkRunContext,
  type ToolExecuteInput,
  ToolParameterValidator,
} from "./execute-request.js";
export {
  type AgentToolDescriptor,
  describeTool,
  namespacedToolName,
  PluginToolRegistry,
  parseToolName,
  type RegisteredTool,
  TOOL_NAME_SEPARATOR,
} from "./tool-registry.js";
