/**
 * Agent tools of plugins: the registry, the checks of a tool call, the gateway every call goes through (REST and
 * MCP) and the record it leaves on its run. The routes (`GET /api/plugins/tools`, `POST /api/plugins/tools/execute`,
 * `/api/mcp`) belong to the HTTP layer (http/plugins/tool-routes.ts, http/mcp/).
 */
export { recordedParameters, type ToolCallSummary, toolCallEvent } from "./call-record.js";
export {
  checkRunContext,
  type ToolExecuteInput,
  ToolParameterValidator,
} from "./execute-request.js";
export {
  type ToolCallOutcome,
  type ToolCallRecorder,
  ToolGateway,
  type ToolGatewayOptions,
  type ToolWorkerCall,
} from "./tool-gateway.js";
export {
  type AgentToolDescriptor,
  describeTool,
  namespacedToolName,
  PluginToolRegistry,
  parseToolName,
  type RegisteredTool,
  TOOL_NAME_SEPARATOR,
} from "./tool-registry.js";
