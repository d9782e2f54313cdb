// One MCP server over the plugin tools, for one authenticated agent: `tools/list` lists the tools of every ready
// plugin (installation is instance-wide, so every company may use them), `tools/call` runs one through the tool
// gateway, the same path as `POST /api/plugins/tools/execute`, with the run context derived from the agent's
// credentials (recorded on the run when a run token is used).
//
// Failures: an unknown tool or a run context that does not hold together is a JSON-RPC error (InvalidParams /
// InvalidRequest, the message naming what is wrong); parameters that fail the tool's schema, a tool that reports
// an error, and a worker that fails are tool results with `isError: true`, so the model can read and correct them.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from "@modelcontextprotocol/sdk/types.js";
import type { ToolRunContext } from "@paperclipai/plugin-sdk/types";
import type { Actor } from "../../domain/actor.js";
import { DomainError } from "../../errors.js";
import type { ToolGateway } from "../../plugins/tools/index.js";
import { HOST_VERSION } from "../../version.js";
import { errorResult, toCallToolResult, toMcpTool } from "./tool-mapping.js";

export interface McpCaller {
  actor: Actor;
  /** X-Paperclip-Project-Id: the project tool calls run in (else the project of the run's issue). */
  projectId: string | null;
}

export function createToolServer(gateway: ToolGateway, caller: McpCaller): Server {
  const server = new Server(
    { name: "paperclip-plugin-tools", version: HOST_VERSION },
    {
      capabilities: { tools: {} },
      instructions:
        "Tools of the Paperclip plugins installed on this host, named <pluginKey>:<tool>. Calls run as the agent " +
        "whose API key or run token authenticated this connection, and are recorded on its run.",
    },
  );
  let runContext: Promise<ToolRunContext> | null = null;

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: (await gateway.list()).map(toMcpTool),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const { name, arguments: args } = request.params;
    const tool = await gateway.registry.find(name);
    if (!tool) {
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool "${name}": no ready plugin declares it`);
    }
    runContext ??= gateway.agentRunContext(caller.actor, { projectId: caller.projectId });
    let context: ToolRunContext;
    try {
      context = await runContext;
    } catch (error) {
      throw asMcpError(error, ErrorCode.InvalidRequest);
    }
    try {
      const outcome = await gateway.execute(tool, args ?? {}, context);
      if (!outcome.ok) return errorResult(`${outcome.error.code}: ${outcome.error.message}`);
      return toCallToolResult(outcome.result);
    } catch (error) {
      if (error instanceof DomainError && error.code === "bad_request") return errorResult(error.message);
      throw asMcpError(error, ErrorCode.InternalError);
    }
  });
  return server;
}

function asMcpError(error: unknown, fallback: ErrorCode): McpError {
  if (error instanceof McpError) return error;
  if (error instanceof DomainError) {
    const code =
      error.code === "not_found" || error.code === "bad_request" ? ErrorCode.InvalidParams : fallback;
    return new McpError(code, error.message, { code: error.code });
  }
  return new McpError(fallback, error instanceof Error ? error.message : String(error));
}
