// Agent tools with a real worker (reference §14.3): the registry built from ready plugins' manifests
// (`<pluginKey>:<tool>`), listing with ?pluginId, execution with run-context checks against the domain, the
// parameters checked against the tool's schema, worker errors (502), and registrations that follow the
// plugin lifecycle.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseToolName } from "../../src/plugins/tools/index.js";
import { ENGINES } from "../support/database.js";
import {
  type BridgeHost,
  copyBridgeKit,
  seedCompany,
  startBridgeHost,
  tempFolders,
} from "./fixtures/bridge/support.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());

describe.each(ENGINES)("plugin agent tools on %s", (engine) => {
  let host: BridgeHost;
  let pluginId: string;
  let acme: Awaited<ReturnType<typeof seedCompany>>;
  let globex: Awaited<ReturnType<typeof seedCompany>>;

  beforeAll(async () => {
    host = await startBridgeHost(engine);
    acme = await seedCompany(host.services, "Acme");
    globex = await seedCompany(host.services, "Globex");
    pluginId = (await host.install(copyBridgeKit(temp.make("tools")))).id;
  });
  afterAll(async () => {
    await host?.close();
  });

  const runContextOf = (seed: typeof acme) => ({
    agentId: seed.agent.id,
    runId: seed.run.id,
    companyId: seed.company.id,
    projectId: seed.project.id,
  });
  const execute = (body: unknown, headers?: Record<string, string>) =>
    host.request("POST", "/api/plugins/tools/execute", body, headers);

  it("lists manifest tools as <pluginKey>:<tool> descriptors, filtered by ?pluginId (uuid or key)", async () => {
    const all = await host.request("GET", "/api/plugins/tools");
    expect(all.status).toBe(200);
    expect(all.body).toEqual([
      {
        name: "bridge.kit:echo",
        displayName: "Echo",
        description: "Returns its text and the run context.",
        parametersSchema: {
          type: "object",
          properties: { text: { type: "string", minLength: 1 } },
          required: ["text"],
        },
        pluginId,
      },
      {
        name: "bridge.kit:explode",
        displayName: "Explode",
        description: "Always throws.",
        parametersSchema: { type: "object" },
        pluginId,
      },
    ]);
    expect((await host.request("GET", `/api/plugins/tools?pluginId=${pluginId}`)).body).toHaveLength(2);
    expect((await host.request("GET", "/api/plugins/tools?pluginId=bridge.kit")).body).toHaveLength(2);
    expect((await host.request("GET", "/api/plugins/tools?pluginId=other.plugin")).body).toEqual([]);
    const asAgent = await host.request("GET", "/api/plugins/tools", undefined, {
      "x-paperclip-run-id": acme.run.id,
    });
    expect(asAgent.status).toBe(200);
    expect(asAgent.body).toHaveLength(2);
  });

  it("executes a tool for the board with the run context, answering {pluginId (the key), toolName, result}", async () => {
    const response = await execute({
      tool: "bridge.kit:echo",
      parameters: { text: "hi" },
      runContext: runContextOf(acme),
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      pluginId: "bridge.kit",
      toolName: "echo",
      result: { content: "hi", data: { runContext: runContextOf(acme) } },
    });
  });

  it("lets an agent execute tools as itself, in its own run, and nobody else", async () => {
    const headers = { "x-paperclip-run-id": acme.run.id };
    const own = await execute(
      { tool: "bridge.kit:echo", parameters: { text: "me" }, runContext: runContextOf(acme) },
      headers,
    );
    expect(own.status).toBe(200);
    const other = await execute(
      { tool: "bridge.kit:echo", parameters: { text: "x" }, runContext: runContextOf(globex) },
      headers,
    );
    expect(other.status).toBe(403);
    expect(other.body.error).toMatch(/may only call tools as itself/);
  });

  it("answers 403 when the run context does not hold together", async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ ...runContextOf(acme), agentId: globex.agent.id }, /agent .* does not belong to company/],
      [{ ...runContextOf(acme), runId: globex.run.id }, /run .* does not belong to agent/],
      [{ ...runContextOf(acme), projectId: globex.project.id }, /project .* does not belong to company/],
      [{ ...runContextOf(acme), projectId: "00000000-0000-4000-8000-000000000003" }, /project .* not found/],
      [{ ...runContextOf(acme), agentId: "00000000-0000-4000-8000-000000000004" }, /agent .* not found/],
      [{ ...runContextOf(acme), runId: "00000000-0000-4000-8000-000000000005" }, /run .* not found/],
      [{ ...runContextOf(acme), companyId: "00000000-0000-4000-8000-000000000006" }, /company .* not found/],
    ];
    for (const [runContext, message] of cases) {
      const response = await execute({ tool: "bridge.kit:echo", parameters: { text: "x" }, runContext });
      expect(response.status, JSON.stringify(runContext)).toBe(403);
      expect(response.body.error).toMatch(message);
    }
  });

  it("answers 400 for malformed requests and parameters that fail the tool's schema", async () => {
    const noTool = await execute({ runContext: runContextOf(acme) });
    expect(noTool.status).toBe(400);
    expect(noTool.body.error).toMatch(/^"tool" is required/);
    const noContext = await execute({ tool: "bridge.kit:echo" });
    expect(noContext.body.error).toMatch(/^"runContext" is required/);
    const { projectId: _omitted, ...partial } = runContextOf(acme);
    const noProject = await execute({ tool: "bridge.kit:echo", runContext: partial });
    expect(noProject.status).toBe(400);
    expect(noProject.body.error).toBe('"runContext.projectId" is required and must be a non-empty string');
    const badParameters = await execute({
      tool: "bridge.kit:echo",
      parameters: { text: 5 },
      runContext: runContextOf(acme),
    });
    expect(badParameters.status).toBe(400);
    expect(badParameters.body.error).toBe(
      "Invalid parameters for tool bridge.kit:echo: parameters.text must be string",
    );
    const missingParameter = await execute({ tool: "bridge.kit:echo", runContext: runContextOf(acme) });
    expect(missingParameter.body.error).toBe(
      "Invalid parameters for tool bridge.kit:echo: parameters.text is required",
    );
  });

  it("answers 404 for unknown tools and 502 for tools that fail in the worker", async () => {
    for (const tool of ["bridge.kit:nope", "nope", "other.plugin:echo"]) {
      const response = await execute({ tool, parameters: {}, runContext: runContextOf(acme) });
      expect(response.status, tool).toBe(404);
      expect(response.body.error).toBe(`Tool "${tool}" not found (no ready plugin declares it)`);
    }
    const failed = await execute({
      tool: "bridge.kit:explode",
      parameters: {},
      runContext: runContextOf(acme),
    });
    expect(failed.status).toBe(502);
    expect(failed.body).toEqual({ error: "tool exploded", code: "WORKER_ERROR" });
  });

  it("follows the lifecycle: a disabled plugin's tools disappear and come back on enable", async () => {
    await host.request("POST", `/api/plugins/${pluginId}/disable`, {});
    try {
      expect((await host.request("GET", "/api/plugins/tools")).body).toEqual([]);
      const gone = await execute({
        tool: "bridge.kit:echo",
        parameters: { text: "x" },
        runContext: runContextOf(acme),
      });
      expect(gone.status).toBe(404);
    } finally {
      await host.request("POST", `/api/plugins/${pluginId}/enable`);
    }
    expect((await host.request("GET", "/api/plugins/tools")).body).toHaveLength(2);
    const back = await execute({
      tool: "bridge.kit:echo",
      parameters: { text: "x" },
      runContext: runContextOf(acme),
    });
    expect(back.status).toBe(200);
  });
});

describe("tool names", () => {
  it("split at the last colon, refusing empty halves", () => {
    expect(parseToolName("acme.linear:create-issue")).toEqual({
      pluginKey: "acme.linear",
      toolName: "create-issue",
    });
    expect(parseToolName("a:b:c")).toEqual({ pluginKey: "a:b", toolName: "c" });
    expect(parseToolName("nocolon")).toBeNull();
    expect(parseToolName(":tool")).toBeNull();
    expect(parseToolName("plugin:")).toBeNull();
  });
});
