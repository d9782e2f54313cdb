// The process adapter with real child processes: output order and seq, environment and stdin, exit codes, the
// result/usage convention, timeout and cancel killing the whole process tree, a crash, an unknown adapter type.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "../support/database.js";
import {
  type AgentTestHost,
  createAgent,
  createCompany,
  finished,
  pidAlive,
  runOf,
  scriptAgent,
  startAgentHost,
  until,
  wake,
} from "./support.js";

describe.each(ENGINES)("process adapter (%s)", (engine) => {
  let host: AgentTestHost;
  let companyId: string;

  beforeAll(async () => {
    host = await startAgentHost(engine);
    companyId = (await createCompany(host)).id;
  });
  afterAll(() => host.close());

  it("streams stdout/stderr lines as numbered events and passes env and stdin context", async () => {
    process.env.HOST_SECRET = "must-not-leak";
    const agent = await createAgent(
      host,
      companyId,
      scriptAgent("report", { lines: ["one", "two", "three"], errors: ["warn!"] }),
    );
    const queued = await wake(
      host,
      agent.id,
      { prompt: "Fix the bug\nthen test", issueKey: "X-1" },
      "issue_assigned",
    );
    const { run, events } = await finished(host, queued.id);
    delete process.env.HOST_SECRET;
    expect(run).toMatchObject({ status: "succeeded", exitCode: 0, error: null });
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events[0]).toMatchObject({
      eventType: "status",
      payload: { status: "running" },
      runId: run.id,
      agentId: agent.id,
      companyId,
    });
    const stdout = events
      .filter((event) => event.eventType === "chunk" && event.stream === "stdout")
      .map((event) => event.message);
    expect(stdout.slice(2)).toEqual(["one", "two", "three"]);
    expect(events.filter((event) => event.stream === "stderr").map((event) => event.message)).toEqual([
      "warn!",
    ]);
    const env = JSON.parse(stdout[0].slice(4));
    expect(env).toMatchObject({
      PAPERCLIP_RUN_ID: run.id,
      PAPERCLIP_AGENT_ID: agent.id,
      PAPERCLIP_COMPANY_ID: companyId,
      PAPERCLIP_API_URL: host.baseUrl,
      PAPERCLIP_WAKE_REASON: "issue_assigned",
      PAPERCLIP_PROMPT: "Fix the bug\nthen test",
      HOST_SECRET: null,
    });
    expect(env.PAPERCLIP_API_KEY).toMatch(/^pcr_[0-9a-f]{48}$/);
    expect(env.cwd).toBe(join(host.dataDir, "agents", agent.id, "workspace"));
    const stdin = JSON.parse(stdout[1].slice(6));
    expect(stdin).toMatchObject({
      runId: run.id,
      prompt: "Fix the bug\nthen test",
      context: { issueKey: "X-1", wakeReason: "issue_assigned" },
    });
    const terminal = events.at(-1);
    expect(terminal).toMatchObject({ eventType: "status", payload: { status: "succeeded", exitCode: 0 } });
    expect(run.resultJson.finalText).toContain("three");
    // The token worked only while the run ran.
    expect(await host.runtime.keys.authenticate(env.PAPERCLIP_API_KEY)).toBeNull();
  });

  it("a non-zero exit fails the run with the code; a crash fails it too", async () => {
    const exiting = await createAgent(
      host,
      companyId,
      scriptAgent("report", { errors: ["bad input"], exitCode: 3 }),
    );
    const exited = await finished(host, (await wake(host, exiting.id)).id);
    expect(exited.run).toMatchObject({
      status: "failed",
      exitCode: 3,
      error: "Process exited with code 3: bad input",
    });
    expect(exited.events.at(-1).payload).toMatchObject({ status: "failed", exitCode: 3 });

    const crashing = await createAgent(host, companyId, scriptAgent("crash"));
    const crashed = await finished(host, (await wake(host, crashing.id)).id);
    expect(crashed.run).toMatchObject({ status: "failed", exitCode: 1 });
    expect(
      crashed.events.some(
        (event) => event.stream === "stderr" && /the agent crashed on purpose/.test(event.message),
      ),
    ).toBe(true);
  });

  it("takes the final text and usage from PAPERCLIP_RESULT / PAPERCLIP_USAGE and records a cost event", async () => {
    const agent = await createAgent(host, companyId, scriptAgent("result"));
    const { run, events } = await finished(host, (await wake(host, agent.id)).id);
    expect(run.status).toBe("succeeded");
    expect(run.resultJson).toEqual({ finalText: "all done" });
    expect(run.usageJson).toMatchObject({
      inputTokens: 120,
      outputTokens: 30,
      costCents: 7,
      model: "m-1",
      provider: "acme",
    });
    expect(events.at(-1).payload.finalText).toBe("all done");
    const costs = (await host.request("GET", `/api/companies/${companyId}/cost-events`)).body as any[];
    expect(costs.find((cost) => cost.heartbeatRunId === run.id)).toMatchObject({
      costCents: 7,
      inputTokens: 120,
      model: "m-1",
    });
  });

  it("a timeout kills the whole process tree and ends timed_out", async () => {
    const pidFile = join(host.dataDir, `timeout-${engine}.json`);
    const agent = await createAgent(host, companyId, scriptAgent("hang", { pidFile }, 1));
    const { run, events } = await finished(host, (await wake(host, agent.id)).id);
    expect(run).toMatchObject({ status: "timed_out", error: "Timed out after 1s" });
    expect(events.at(-1).payload).toMatchObject({ status: "timed_out" });
    const pids = JSON.parse(readFileSync(pidFile, "utf8"));
    await until(
      "the agent's process tree to be gone",
      async () => !pidAlive(pids.parent) && !pidAlive(pids.child),
    );
  });

  it("a cancel kills the running process tree promptly and ends cancelled", async () => {
    const pidFile = join(host.dataDir, `cancel-${engine}.json`);
    const agent = await createAgent(host, companyId, scriptAgent("hang", { pidFile }));
    const queued = await wake(host, agent.id);
    await until("the agent to be ready", async () => {
      const events = (await host.request("GET", `/api/heartbeat-runs/${queued.id}/events`)).body as any[];
      return events.some((event) => event.message === "ready") && existsSync(pidFile);
    });
    const pids = JSON.parse(readFileSync(pidFile, "utf8"));
    const cancel = await host.request("POST", `/api/heartbeat-runs/${queued.id}/cancel`);
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe("cancelled");
    const { run, events } = await finished(host, queued.id);
    expect(run.status).toBe("cancelled");
    expect(events.at(-1).payload).toMatchObject({ status: "cancelled" });
    await until(
      "the agent's process tree to be gone",
      async () => !pidAlive(pids.parent) && !pidAlive(pids.child),
    );
  });

  it("fails with a clear error for an unknown adapter type or a missing command", async () => {
    const unknown = await createAgent(host, companyId, { adapterType: "warp_drive" });
    const failed = await finished(host, (await wake(host, unknown.id)).id);
    expect(failed.run.status).toBe("failed");
    expect(failed.run.error).toBe('Unknown adapter type "warp_drive": this host has no adapter of that type');

    const noCommand = await createAgent(host, companyId, { adapterType: "process", adapterConfig: {} });
    const missing = await finished(host, (await wake(host, noCommand.id)).id);
    expect(missing.run.error).toBe("adapterConfig.command is required (process adapter)");

    const noBinary = await createAgent(host, companyId, {
      adapterType: "process",
      adapterConfig: { command: "/nonexistent/agent-bin", args: [] },
    });
    const absent = await finished(host, (await wake(host, noBinary.id)).id);
    expect(absent.run.error).toMatch(
      /Could not start "\/nonexistent\/agent-bin": spawn \/nonexistent\/agent-bin ENOENT/,
    );
  });

  it("runs in the project workspace folder the run names", async () => {
    const project = (
      await host.request("POST", `/api/companies/${companyId}/projects`, { name: `P-${engine}` })
    ).body;
    const workspace = (
      await host.request("POST", `/api/projects/${project.id}/workspaces`, {
        name: "main",
        sourceType: "local_path",
        cwd: host.dataDir,
      })
    ).body;
    expect(workspace.id).toBeTruthy();
    const agent = await createAgent(host, companyId, scriptAgent("report"));
    const { events } = await finished(
      host,
      (await wake(host, agent.id, { projectWorkspaceId: workspace.id })).id,
    );
    const env = JSON.parse(events.find((event) => event.message?.startsWith("ENV ")).message.slice(4));
    expect(env.cwd).toBe(host.dataDir);
    expect((await runOf(host, events[0].runId)).status).toBe("succeeded");
  });
});
