// A domain failure inside a host method reaches the worker through src/errors.ts `toRpc`: INTERNAL_ERROR (-32603)
// with the message prefixed by the method, as before, and now the domain code (and details) in `data`. Driven by a
// real worker (the raw NDJSON fixture, which answers with the JSON-RPC error exactly as it arrived).
import { JSONRPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_BOARD_ACTOR } from "../../src/domain/actor.js";
import { ENGINES } from "../support/database.js";
import { ServicesBed, type TestWorker } from "./fixtures/services/bed.js";

interface RawOutcome {
  result?: unknown;
  caught?: { code: number; message: string; data?: unknown };
}

describe.each(ENGINES)("domain errors to workers (%s)", (engine) => {
  let bed: ServicesBed;
  let worker: TestWorker;
  let companyId: string;

  /** One worker→host call made by the worker inside a performAction for the company. */
  const hostCall = (method: string, params: unknown) =>
    worker.invoke<RawOutcome>(
      "performAction",
      { key: "call", params: { method, params }, companyId },
      companyId,
    );

  beforeAll(async () => {
    bed = await ServicesBed.open(engine);
    companyId = (await bed.company("Errors")).id;
    const plugin = await bed.plugin({ capabilities: ["issues.create", "agents.resume"] });
    worker = await bed.worker(plugin, "forged-id-worker.mjs", {
      // The fixture stamps an id the host never issued; left off here, its call belongs to the one invocation in
      // flight (as for a worker that never echoes ids), so it runs in the company's scope.
      handleWorkerRequest: (method, params) => worker.services.handleRequest(method, params, {}),
    });
  });

  afterAll(async () => {
    await bed?.close();
  });

  it("sends a domain not_found as -32603 with data.code and the details", async () => {
    const missing = "00000000-0000-4000-8000-000000000001";
    const { caught } = await hostCall("issues.create", { companyId, title: "Orphan", projectId: missing });
    expect(caught).toEqual({
      code: JSONRPC_ERROR_CODES.INTERNAL_ERROR,
      message: "issues.create: projectId: Project not found",
      data: { code: "not_found", details: { field: "projectId" } },
    });
  });

  it("sends a domain conflict as -32603 with data.code", async () => {
    const agent = await bed.services.agents.create(LOCAL_BOARD_ACTOR, companyId, { name: "Busy Bee" });
    const { caught } = await hostCall("agents.resume", { agentId: agent.id, companyId });
    expect(caught?.code).toBe(JSONRPC_ERROR_CODES.INTERNAL_ERROR);
    expect(caught?.message).toBe(
      `agents.resume: Cannot resume an agent in status "${agent.status}"; only paused agents resume`,
    );
    expect(caught?.data).toEqual({ code: "conflict", details: { status: agent.status } });
  });

  it("keeps the gate's own codes: a method this host does not serve is -32601 with the reason", async () => {
    const { caught } = await hostCall("routines.managed.get", { routineKey: "r", companyId });
    expect(caught).toEqual({
      code: JSONRPC_ERROR_CODES.METHOD_NOT_FOUND,
      message:
        'Host does not handle method "routines.managed.get": managed routines are not available on this host ' +
        "(manifest.routines is refused at install)",
    });
  });
});
