// `/api/mcp`: the plugin tools over the Model Context Protocol's streamable HTTP transport, for agents
// (`Authorization: Bearer <agent API key or run token>`; see docs/agent-tools.md).
//
// Stateless: every POST gets its own MCP server and transport (no Mcp-Session-Id), so any host node can answer any
// request and nothing is kept between them; responses are plain JSON (no SSE stream is needed: tool calls answer
// once). The route authenticates through the host's actor resolver like every route, then hands Fastify's raw
// request and response, with the body Fastify already parsed and checked, to the SDK's transport (reply.hijack()).
// GET (a server-initiated SSE stream) and DELETE (end a session) have nothing to serve without sessions: 405.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { unauthorized } from "../../errors.js";
import type { ToolGateway } from "../../plugins/tools/index.js";

/** The MCP SDK (≈1 s of imports on a busy machine) is loaded on the first MCP request, not at every host start. */
let sdk: Promise<{
  StreamableHTTPServerTransport: typeof import("@modelcontextprotocol/sdk/server/streamableHttp.js").StreamableHTTPServerTransport;
  createToolServer: typeof import("./tool-server.js").createToolServer;
}> | null = null;
function loadSdk() {
  sdk ??= Promise.all([
    import("@modelcontextprotocol/sdk/server/streamableHttp.js"),
    import("./tool-server.js"),
  ]).then(([transport, server]) => ({
    StreamableHTTPServerTransport: transport.StreamableHTTPServerTransport,
    createToolServer: server.createToolServer,
  }));
  return sdk;
}

export const MCP_PATH = "/api/mcp";
export const PROJECT_ID_HEADER = "x-paperclip-project-id";

const tags = ["mcp"];

export interface McpRouteOptions {
  gateway: ToolGateway;
  logger?: Pick<Logger, "error"> | null;
}

function jsonRpcError(reply: FastifyReply, status: number, code: number, message: string) {
  return reply.code(status).send({ jsonrpc: "2.0", error: { code, message }, id: null });
}

/** Only agents use MCP here; the board (no credentials in local trusted mode) is told what to send. */
function requireAgentCaller(request: FastifyRequest, reply: FastifyReply): void {
  if (request.actor.type === "agent") return;
  reply.header("www-authenticate", 'Bearer realm="paperclip"');
  throw unauthorized(
    "MCP needs agent credentials: send `Authorization: Bearer <agent API key or run token>` " +
      "(POST /api/agents/:id/keys creates a key; a run gets its token as PAPERCLIP_API_KEY)",
  );
}

export function registerMcpRoutes(app: FastifyInstance, options: McpRouteOptions): void {
  const { gateway } = options;

  app.post(
    MCP_PATH,
    { schema: { tags, summary: "Plugin tools over MCP (streamable HTTP, stateless)" } },
    async (request, reply) => {
      requireAgentCaller(request, reply);
      const { StreamableHTTPServerTransport, createToolServer } = await loadSdk();
      const header = request.headers[PROJECT_ID_HEADER];
      const server = createToolServer(gateway, {
        actor: request.actor,
        projectId: typeof header === "string" && header.length > 0 ? header : null,
      });
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      reply.hijack();
      const res = reply.raw;
      res.on("close", () => {
        void transport.close().catch(() => undefined);
        void server.close().catch(() => undefined);
      });
      try {
        await server.connect(transport);
        await transport.handleRequest(request.raw, res, request.body);
      } catch (error) {
        options.logger?.error({ err: error }, "MCP request failed");
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(
            JSON.stringify({
              jsonrpc: "2.0",
              error: { code: -32603, message: "Internal server error" },
              id: null,
            }),
          );
        } else if (!res.writableEnded) res.end();
      }
    },
  );

  const notAllowed = async (request: FastifyRequest, reply: FastifyReply) => {
    requireAgentCaller(request, reply);
    reply.header("allow", "POST");
    return jsonRpcError(
      reply,
      405,
      -32000,
      `Method not allowed: this MCP endpoint is stateless; send JSON-RPC requests with POST ${MCP_PATH}`,
    );
  };
  app.get(MCP_PATH, { schema: { tags, summary: "Not served (stateless MCP endpoint): 405" } }, notAllowed);
  app.delete(MCP_PATH, { schema: { tags, summary: "Not served (stateless MCP endpoint): 405" } }, notAllowed);
}
