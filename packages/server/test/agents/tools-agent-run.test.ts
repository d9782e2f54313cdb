// Plugin tools for agents over REST with real credentials (reference §14.3): a process agent calls
// GET /api/plugins/tools and POST /api/plugins/tools/execute with its run token (PAPERCLIP_API_KEY) and gets the
// tool's result; every call that passed the run-context check is a `tool_call` event on the run (parameters
// masked); a run token acts only as its agent in its run (403 naming the field); the token dies with its run; agent
// API keys work until revoked; unknown tokens and other schemes are refused with 401.

import fs from "node:fs";
import path from "node:path";
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

describe.each(ENGINES)("plugin tools for agent runs over REST (%s)", (engine) => {
  let host: AgentHost;
  let acme: Awaited<ReturnType<typeof seedCompany>>;
  let globex: Awaited<ReturnType<typeof seedCompany>>;

  beforeAll(async () => {
    host = await startAgentHost(engine);
    acme = await seedCompany(host.services, "Acme");
    globex = await seedCompany(host.services, "Globex");
    await host.install(copyBridgeKit(temp.make("tools")));
  }, 60_000);
  afterAll(async () => {
    await host?.close();
  });

  const toolAgent = (name: string) =>
    host.services.agents.create(LOCAL_BOARD_ACTOR, acme.company.id, {
      name,
      role: "engineer",
      adapterType: "process",
      adapterConfig: { command: process.execPath, args: [path.join(AGENT_FIXTURES, "tool-agent.mjs")] },
    });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it("an agent script calls a plugin tool with its run token; the call is on the run's events", async () => {
    const agent = await toolAgent("Tool user");
    const echoRun = await host.services.runs.wakeup(LOCAL_BOARD_ACTOR, acme.echo.id, {
      payload: { prompt: "hi" },
    });
    await host.finished(echoRun.id);
    const tokenFile = path.join(temp.make("token"), "token");
    const run = await host.services.runs.wakeup(LOCAL_BOARD_ACTOR, agent.id, {
      reason: "use tools",
      payload: {
        prompt: JSON.stringify({
          projectId: acme.project.id,
          otherAgentId: acme.echo.id,
          otherRunId: echoRun.id,
          tokenFile,
        }),
      },
    });
    const finished = await host.finished(run.id);
    const results = await agentResults(host, run.id);
    expect(finished.status, JSON.stringify(results)).toBe("succeeded");
    const runContext = {
      agentId: agent.id,
      runId: run.id,
      companyId: acme.company.id,
      projectId: acme.project.id,
    };

    expect(results.list).toEqual({ status: 200, names: ["bridge.kit:echo", "bridge.kit:explode"] });
    expect(results.echo).toEqual({
      status: 200,
      body: {
        pluginId: "bridge.kit",
        toolName: "echo",
        result: { content: "from the agent", data: { runContext } },
      },
    });
    expect(results.explode.status).toBe(502);
    expect(results.explode.body).toMatchObject({
      code: "WORKER_ERROR",
      error: expect.stringMatching(/tool exploded/),
    });
    expect(results.badParameters.status).toBe(400);
    // A run token acts only as its own agent, in its own run: 403 naming the field.
    expect(results.asOtherAgent.status).toBe(403);
    expect(results.asOtherAgent.body.error).toMatch(
      /^runContext\.agentId: agent .* may only call tools as itself/,
    );
    expect(results.inOtherRun.status).toBe(403);
    expect(results.inOtherRun.body.error).toMatch(
      new RegExp(`^runContext\\.runId: agent ${agent.id} is acting in run ${run.id}, not ${echoRun.id}`),
    );

    // Calls that passed the run-context check are recorded on the run, in order; refused ones are not.
    const calls = (await host.runEvents(run.id)).filter((event) => event.eventType === "tool_call");
    expect(calls.map((event) => [event.payload?.tool, event.payload?.ok])).toEqual([
      ["bridge.kit:echo", true],
      ["bridge.kit:explode", false],
      ["bridge.kit:echo", false],
    ]);
    expect(calls[0]!.payload).toMatchObject({
      parameters: { text: "from the agent", apiKey: "[REDACTED]" },
      durationMs: expect.any(Number),
    });
    expect(calls[0]!.payload).not.toHaveProperty("error");
    expect(calls[1]!.payload?.error).toMatch(/WORKER_ERROR: .*tool exploded/);
    expect(calls[2]!.payload?.error).toMatch(
      /Invalid parameters for tool bridge\.kit:echo: parameters\.text must be string/,
    );
    expect(calls[1]!.level).toBe("warn");
    // Nothing was written to the other agent's run.
    expect((await host.runEvents(echoRun.id)).filter((event) => event.eventType === "tool_call")).toEqual([]);

    // The run is over: its token no longer authenticates.
    const token = fs.readFileSync(tokenFile, "utf8");
    expect(token).toMatch(/^pcr_/);
    const stale = await host.request("GET", "/api/plugins/tools", undefined, bearer(token));
    expect(stale.status).toBe(401);
    expect(stale.body.error).toMatch(/not a valid agent API key or run token/);
  });

  it("accepts agent API keys until revoked; an agent key acts as its agent only", async () => {
    const { token, id: keyId } = await host.agents.keys.createKey(acme.echo.id, "tools");
    const listed = await host.request("GET", "/api/plugins/tools", undefined, bearer(token));
    expect(listed.status).toBe(200);
    expect(listed.body.map((tool: { name: string }) => tool.name)).toContain("bridge.kit:echo");

    const run = await host.services.runs.wakeup(LOCAL_BOARD_ACTOR, globex.echo.id, {
      payload: { prompt: "x" },
    });
    const foreign = await host.request(
      "POST",
      "/api/plugins/tools/execute",
      {
        tool: "bridge.kit:echo",
        parameters: { text: "x" },
        runContext: {
          agentId: globex.echo.id,
          runId: run.id,
          companyId: globex.company.id,
          projectId: globex.project.id,
        },
      },
      bearer(token),
    );
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toMatch(/^runContext\.agentId: /);
    const otherCompany = await host.request(
      "POST",
      "/api/plugins/tools/execute",
      {
        tool: "bridge.kit:echo",
        parameters: { text: "x" },
        runContext: {
          agentId: acme.echo.id,
          runId: run.id,
          companyId: globex.company.id,
          projectId: globex.project.id,
        },
      },
      bearer(token),
    );
    expect(otherCompany.status).toBe(403);
    expect(otherCompany.body.error).toMatch(/may only act for its own company/);

    // With a key, X-Paperclip-Run-Id may only name a live run of the key's own agent.
    const foreignRun = await host.request("GET", "/api/plugins/tools", undefined, {
      ...bearer(token),
      "x-paperclip-run-id": run.id,
    });
    expect(foreignRun.status).toBe(401);
    expect(foreignRun.body.error).toMatch(/^x-paperclip-run-id: /);

    await host.agents.keys.revokeKey(acme.echo.id, keyId);
    const revoked = await host.request("GET", "/api/plugins/tools", undefined, bearer(token));
    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toMatch(/Bearer token is not a valid agent API key or run token/);
  });

  it("refuses unknown tokens and other schemes with 401, leaving requests without credentials to the board", async () => {
    for (const authorization of [
      `Bearer pcp_${"0".repeat(48)}`,
      "Bearer not-a-token",
      "Basic dXNlcjpwYXNz",
      "Bearer",
    ]) {
      const response = await host.request("GET", "/api/plugins/tools", undefined, { authorization });
      expect(response.status, authorization).toBe(401);
      expect(response.body.error).toMatch(/Bearer/);
    }
    const board = await host.request("GET", "/api/plugins/tools");
    expect(board.status).toBe(200);
  });
});
