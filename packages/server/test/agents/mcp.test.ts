// Plugin tools over MCP (`/api/mcp`, streamable HTTP, stateless) with the official client: an agent API key lists
// the tools (`<pluginKey>:<tool>`, JSON-schema input) and calls them through the same gateway as REST; a process
// agent does the same with its run token and the call is recorded on its run; tool failures are isError results,
// an unknown tool a protocol error; no or bad credentials are 401, GET/DELETE 405.
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_BOARD_ACTOR } from "../../src/domain/actor.js";
import { copyBridgeKit } from "../plugins/fixtures/bridge/support.js";
import { ENGINES } from "../support/database.js";
import {
  AGENT_FIXTURES,
  type AgentHost,
  agentResults,
  seedCompany,
  startAgentHost,
  tempFolders,
} from "./fixtures/agent-host.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());

describe.each(ENGINES)("plugin tools over MCP (%s)", (engine) => {
  let host: AgentHost;
  let acme: Awaited<ReturnType<typeof seedCompany>>;
  let token: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    host = await startAgentHost(engine);
    acme = await seedCompany(host.services, "Acme");
    await host.install(copyBridgeKit(temp.make("mcp")));
    token = (await host.agents.keys.createKey(acme.echo.id, "mcp")).token;
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    await host?.close();
  });

  const connect = async (headers: Record<string, string>) => {
    const client = new Client({ name: "paperclip-test", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${host.baseUrl}/api/mcp`), {
      requestInit: { headers },
    });
    await client.connect(transport);
    clients.push(client);
    return client;
  };

  it("lists and calls plugin tools with an agent API key", async () => {
    const client = await connect({ authorization: `Bearer ${token}` });
    expect(client.getServerCapabilities()?.tools).toBeDefined();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(["bridge.kit:echo", "bridge.kit:explode"]);
    expect(tools[0]).toMatchObject({
      title: "Echo",
      description: "Returns its text and the run context.",
      inputSchema: {
        type: "object",
        properties: { text: { type: "string", minLength: 1 } },
        required: ["text"],
      },
    });

    const runContext = { agentId: acme.echo.id, runId: "", companyId: acme.company.id, projectId: "" };
    const result = await client.callTool({ name: "bridge.kit:echo", arguments: { text: "over mcp" } });
    expect(result).toEqual({
      content: [
        { type: "text", text: "over mcp" },
        { type: "text", text: JSON.stringify({ runContext }) },
      ],
      structuredContent: { runContext },
    });
  });

  it("runs calls in the project named by X-Paperclip-Project-Id, refusing another company's project", async () => {
    const inProject = await connect({
      authorization: `Bearer ${token}`,
      "x-paperclip-project-id": acme.project.id,
    });
    const result = await inProject.callTool({ name: "bridge.kit:echo", arguments: { text: "p" } });
    expect(result.structuredContent).toMatchObject({ runContext: { projectId: acme.project.id } });

    const globex = await seedCompany(host.services, "Globex");
    const foreign = await connect({
      authorization: `Bearer ${token}`,
      "x-paperclip-project-id": globex.project.id,
    });
    await expect(foreign.callTool({ name: "bridge.kit:echo", arguments: { text: "p" } })).rejects.toThrow(
      /project .* not found in the company of agent/,
    );
  });

  it("answers tool failures as isError results and an unknown tool as a protocol error", async () => {
    const client = await connect({ authorization: `Bearer ${token}` });
    const badParameters = await client.callTool({ name: "bridge.kit:echo", arguments: { text: 5 } });
    expect(badParameters.isError).toBe(true);
    expect(badParameters.content).toEqual([
      { type: "text", text: "Invalid parameters for tool bridge.kit:echo: parameters.text must be string" },
    ]);
    const exploded = await client.callTool({ name: "bridge.kit:explode", arguments: {} });
    expect(exploded.isError).toBe(true);
    expect((exploded.content as Array<{ text: string }>)[0]!.text).toMatch(/^WORKER_ERROR: .*tool exploded/);
    await expect(client.callTool({ name: "bridge.kit:nope", arguments: {} })).rejects.toThrow(
      /Unknown tool "bridge\.kit:nope"/,
    );
  });

  it("refuses missing, unknown and revoked credentials with 401, and GET/DELETE with 405", async () => {
    const refused = (message: RegExp) => ({ code: 401, message: expect.stringMatching(message) });
    await expect(connect({})).rejects.toMatchObject(refused(/MCP needs agent credentials/));
    await expect(connect({ authorization: `Bearer pcp_${"1".repeat(48)}` })).rejects.toMatchObject(
      refused(/not a valid agent API key or run token/),
    );
    const key = await host.agents.keys.createKey(acme.echo.id, "short-lived");
    await host.agents.keys.revokeKey(acme.echo.id, key.id);
    await expect(connect({ authorization: `Bearer ${key.token}` })).rejects.toMatchObject(
      refused(/not a valid agent API key or run token/),
    );

    const get = await host.request("GET", "/api/mcp", undefined, { authorization: `Bearer ${token}` });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(get.body.error.message).toMatch(/stateless/);
    expect(
      (await host.request("DELETE", "/api/mcp", undefined, { authorization: `Bearer ${token}` })).status,
    ).toBe(405);
    const board = await host.request("POST", "/api/mcp", { jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect(board.status).toBe(401);
    expect(board.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("a process agent calls a tool over MCP with its run token; the call is recorded on its run", async () => {
    const agent = await host.services.agents.create(LOCAL_BOARD_ACTOR, acme.company.id, {
      name: "MCP user",
      role: "engineer",
      adapterType: "process",
      adapterConfig: { command: process.execPath, args: [path.join(AGENT_FIXTURES, "mcp-agent.mjs")] },
    });
    const run = await host.services.runs.wakeup(LOCAL_BOARD_ACTOR, agent.id, { payload: { prompt: "go" } });
    const finished = await host.finished(run.id);
    const results = await agentResults(host, run.id);
    expect(finished.status, JSON.stringify({ results, error: finished.error })).toBe("succeeded");
    expect(results.list).toEqual(["bridge.kit:echo", "bridge.kit:explode"]);
    expect(results.echo.structuredContent).toEqual({
      runContext: { agentId: agent.id, runId: run.id, companyId: acme.company.id, projectId: "" },
    });
    const calls = (await host.runEvents(run.id)).filter((event) => event.eventType === "tool_call");
    expect(calls.map((event) => event.payload)).toEqual([
      { tool: "bridge.kit:echo", parameters: { text: "over mcp" }, ok: true, durationMs: expect.any(Number) },
    ]);
  });
});
