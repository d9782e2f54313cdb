// Agent tool routes (reference §11, §14.3): `GET /api/plugins/tools[?pluginId=]` lists the tools of ready
// plugins; `POST /api/plugins/tools/execute` checks the body, the tool, the run context and the parameters,
// then calls the worker's executeTool in the run's company. Board users and agents may call both; this host
// has no tool gateway (policies, approvals) yet, so agents get the same answer as the board.
import type { FastifyInstance } from "fastify";
import { requireBoardOrAgent } from "../../domain/authorization.js";
import { notFound } from "../../errors.js";
import { checkRunContext, ToolParameterValidator } from "../../plugins/tools/execute-request.js";
import {
  type AgentToolDescriptor,
  describeTool,
  PluginToolRegistry,
} from "../../plugins/tools/tool-registry.js";
import type { PluginHttpContext } from "./context.js";
import { parseToolExecuteBody } from "./tool-request-body.js";
import { callReadyPlugin } from "./worker-call.js";

const tags = ["plugin tools"];

export interface ToolRouteOptions {
  /** executeTool deadline; default the worker's default call timeout (30 s). */
  timeoutMs?: number;
}

export function registerToolRoutes(
  app: FastifyInstance,
  ctx: PluginHttpContext,
  options: ToolRouteOptions = {},
): PluginToolRegistry {
  const registry = new PluginToolRegistry(ctx.catalog);
  const parameters = new ToolParameterValidator();

  app.get(
    "/api/plugins/tools",
    { schema: { tags, summary: "Agent tools of every ready plugin" } },
    async (request): Promise<AgentToolDescriptor[]> => {
      requireBoardOrAgent(request.actor);
      const { pluginId } = request.query as { pluginId?: unknown };
      const filter = typeof pluginId === "string" && pluginId !== "" ? pluginId : undefined;
      return (await registry.list(filter)).map(describeTool);
    },
  );

  app.post(
    "/api/plugins/tools/execute",
    { schema: { tags, summary: "Run a plugin tool for an agent run" } },
    async (request, reply) => {
      requireBoardOrAgent(request.actor);
      const input = parseToolExecuteBody(request.body);
      const tool = await registry.find(input.tool);
      if (!tool)
        throw notFound(`Tool "${input.tool}" not found (no ready plugin declares it)`, { tool: input.tool });
      await checkRunContext(ctx.services, ctx.companies, request.actor, input.runContext);
      parameters.check(tool, input.parameters);
      const outcome = await callReadyPlugin(
        ctx,
        tool.plugin,
        "executeTool",
        { toolName: tool.toolName, parameters: input.parameters, runContext: input.runContext },
        input.runContext.companyId,
        { timeoutMs: options.timeoutMs },
      );
      if (!outcome.ok) {
        // 502 with Paperclip's `{error}` plus the bridge's `code` (docs/conformance.md: Paperclip answers 500).
        const { code, message, details } = outcome.error;
        return reply.code(502).send({ error: message, code, ...(details === undefined ? {} : { details }) });
      }
      // Paperclip answers the plugin key here (the tool list's pluginId is the uuid); so do we.
      return { pluginId: tool.pluginKey, toolName: tool.toolName, result: outcome.result ?? {} };
    },
  );
  return registry;
}
