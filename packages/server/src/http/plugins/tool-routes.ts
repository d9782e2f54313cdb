// Agent tool routes (reference §11, §14.3): `GET /api/plugins/tools[?pluginId=]` lists the tools of ready
// plugins; `POST /api/plugins/tools/execute` checks the body, the tool, the run context and the parameters,
// then calls the worker's executeTool in the run's company, through the tool gateway (plugins/tools), which the MCP
// endpoint (http/mcp) shares. Board users and agents may call both; an agent (Bearer agent API key or run token,
// or X-Paperclip-Run-Id) only as itself, in its own run. Each call is recorded on its run as a `tool_call` event.
// This host has no tool policies or approvals yet, so agents get the same list as the board.
import type { FastifyInstance } from "fastify";
import { requireBoardOrAgent } from "../../domain/authorization.js";
import {
  type AgentToolDescriptor,
  describeTool,
  PluginToolRegistry,
  type ToolCallRecorder,
  ToolGateway,
} from "../../plugins/tools/index.js";
import type { PluginHttpContext } from "./context.js";
import { parseToolExecuteBody } from "./tool-request-body.js";
import { callReadyPlugin } from "./worker-call.js";

const tags = ["plugin tools"];

export interface ToolRouteOptions {
  /** executeTool deadline; default the worker's default call timeout (30 s). */
  timeoutMs?: number;
  /** Where tool calls are recorded on their runs (the agent run engine's event store); none: not recorded. */
  recorder?: ToolCallRecorder | null;
}

/** The tool gateway over a delivery context (the routes' and MCP's one path to a worker's executeTool). */
export function createToolGateway(ctx: PluginHttpContext, options: ToolRouteOptions = {}): ToolGateway {
  return new ToolGateway({
    registry: new PluginToolRegistry(ctx.catalog),
    services: ctx.services,
    companies: ctx.companies,
    recorder: options.recorder ?? null,
    call: (tool, params, companyId) =>
      callReadyPlugin(ctx, tool.plugin, "executeTool", params, companyId, { timeoutMs: options.timeoutMs }),
  });
}

export function registerToolRoutes(
  app: FastifyInstance,
  ctx: PluginHttpContext,
  options: ToolRouteOptions = {},
): ToolGateway {
  const gateway = createToolGateway(ctx, options);

  app.get(
    "/api/plugins/tools",
    { schema: { tags, summary: "Agent tools of every ready plugin" } },
    async (request): Promise<AgentToolDescriptor[]> => {
      requireBoardOrAgent(request.actor);
      const { pluginId } = request.query as { pluginId?: unknown };
      const filter = typeof pluginId === "string" && pluginId !== "" ? pluginId : undefined;
      return (await gateway.list(filter)).map(describeTool);
    },
  );

  app.post(
    "/api/plugins/tools/execute",
    { schema: { tags, summary: "Run a plugin tool for an agent run" } },
    async (request, reply) => {
      requireBoardOrAgent(request.actor);
      const input = parseToolExecuteBody(request.body);
      const tool = await gateway.find(input.tool);
      await gateway.checkRunContext(request.actor, input.runContext);
      const outcome = await gateway.execute(tool, input.parameters, input.runContext);
      if (!outcome.ok) {
        // 502 with Paperclip's `{error}` plus the bridge's `code` (docs/conformance.md: Paperclip answers 500).
        const { code, message, details } = outcome.error;
        return reply.code(502).send({ error: message, code, ...(details === undefined ? {} : { details }) });
      }
      // Paperclip answers the plugin key here (the tool list's pluginId is the uuid); so do we.
      return { pluginId: tool.pluginKey, toolName: tool.toolName, result: outcome.result };
    },
  );
  return gateway;
}
