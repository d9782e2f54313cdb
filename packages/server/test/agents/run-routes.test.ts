// The run REST routes over real runs: events pages, the log by byte offset, live runs, the SSE stream (replay,
// live, end after the terminal event), bad input; agent API keys and run tokens.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "../support/database.js";
import {
  type AgentTestHost,
  createAgent,
  createCompany,
  finished,
  scriptAgent,
  startAgentHost,
  until,
  wake,
} from "./support.js";

/** Reads a whole SSE response: its frames (id, event, data) and whether the server ended it. */
async function readSse(url: string, onFrame?: (frame: { id: number; data: any }) => void) {
  const response = await fetch(url);
  const frames: Array<{ id: number; event: string; data: any }> = [];
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const field = (name: string) =>
        block
          .split("\n")
          .find((line) => line.startsWith(`${name}: `))
          ?.slice(name.length + 2);
      if (field("data") !== undefined) {
        const frame = { id: Number(field("id")), event: field("event")!, data: JSON.parse(field("data")!) };
        frames.push(frame);
        onFrame?.(frame);
      }
      end = buffer.indexOf("\n\n");
    }
  }
  return { status: response.status, contentType: response.headers.get("content-type"), frames };
}

describe.each(ENGINES)("run routes (%s)", (engine) => {
  let host: AgentTestHost;
  let companyId: string;

  beforeAll(async () => {
    host = await startAgentHost(engine);
    companyId = (await createCompany(host)).id;
  });
  afterAll(() => host.close());

  it("pages events by afterSeq/limit and serves the log by byte offset", async () => {
    const lines = Array.from({ length: 30 }, (_, index) => `line ${index} — ü`);
    const agent = await createAgent(host, companyId, scriptAgent("report", { lines }));
    const { run } = await finished(host, (await wake(host, agent.id)).id);
    const page = (await host.request("GET", `/api/heartbeat-runs/${run.id}/events?afterSeq=3&limit=5`))
      .body as any[];
    expect(page.map((event) => event.seq)).toEqual([4, 5, 6, 7, 8]);

    const whole = await host.request("GET", `/api/heartbeat-runs/${run.id}/log`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("cache-control")).toBe("no-store");
    expect(whole.body).toMatchObject({
      runId: run.id,
      store: "database",
      logRef: `heartbeat_run_events:${run.id}`,
    });
    expect(whole.body.nextOffset).toBeUndefined();
    expect(whole.body.content.endsWith(`${lines.join("\n")}\n`)).toBe(true);
    // Small pages (cutting inside "ü") put together give the same text.
    let offset = 0;
    let text = "";
    for (;;) {
      const part = (
        await host.request("GET", `/api/heartbeat-runs/${run.id}/log?offset=${offset}&limitBytes=7`)
      ).body;
      text += part.content;
      if (part.nextOffset === undefined) break;
      expect(part.nextOffset).toBeGreaterThan(offset);
      offset = part.nextOffset;
    }
    expect(text).toBe(whole.body.content);
  });

  it("streams a run: replays after afterSeq, then live events, and ends after the terminal status", async () => {
    const gate = join(host.dataDir, `gate-${engine}`);
    const agent = await createAgent(host, companyId, scriptAgent("gate", { gate }));
    const queued = await wake(host, agent.id);
    const token = await until("the run token line", async () => {
      const events = (await host.request("GET", `/api/heartbeat-runs/${queued.id}/events`)).body as any[];
      return events.find((event) => event.message?.startsWith("TOKEN "))?.message.slice(6) as
        | string
        | undefined;
    });
    expect(await host.runtime.keys.authenticate(token)).toMatchObject({
      runId: queued.id,
      agentId: agent.id,
      companyId,
    });

    const live = (await host.request("GET", `/api/companies/${companyId}/live-runs`)).body as any[];
    expect(live.find((item) => item.id === queued.id)).toMatchObject({
      status: "running",
      agentName: expect.any(String),
      adapterType: "process",
    });

    const stream = readSse(
      `${host.baseUrl}/api/heartbeat-runs/${queued.id}/events/stream?afterSeq=1`,
      (frame) => {
        // Open the gate once the replay arrived: what follows is live.
        if (frame.data.message?.startsWith("TOKEN ")) writeFileSync(gate, "");
      },
    );
    const { status, contentType, frames } = await stream;
    expect(status).toBe(200);
    expect(contentType).toBe("text/event-stream");
    expect(frames.map((frame) => frame.id)).toEqual(frames.map((_, index) => index + 2));
    expect(frames.every((frame) => frame.event === "run.event" && frame.data.seq === frame.id)).toBe(true);
    expect(frames.map((frame) => frame.data.message)).toEqual([
      "started",
      `TOKEN ${token}`,
      "done",
      "succeeded",
    ]);
    expect(frames.at(-1)!.data).toMatchObject({ eventType: "status", payload: { status: "succeeded" } });
    expect(await host.runtime.keys.authenticate(token)).toBeNull();

    // A finished run: everything at once, then the end.
    const replay = await readSse(`${host.baseUrl}/api/heartbeat-runs/${queued.id}/events/stream`);
    expect(replay.frames.map((frame) => frame.id)).toEqual([1, 2, 3, 4, 5]);

    const padded = (await host.request("GET", `/api/companies/${companyId}/live-runs?minCount=3`))
      .body as any[];
    expect(padded.length).toBeGreaterThanOrEqual(2);
    expect(padded.find((item) => item.id === queued.id)?.status).toBe("succeeded");
  });

  it("ends the stream of a queued run that is cancelled", async () => {
    const gate = join(host.dataDir, `gate-queued-${engine}`);
    const agent = await createAgent(host, companyId, scriptAgent("gate", { gate }));
    const first = await wake(host, agent.id);
    await until(
      "the first run to run",
      async () => (await host.request("GET", `/api/heartbeat-runs/${first.id}`)).body.status === "running",
    );
    // The agent runs one run at a time: the second waits queued.
    const second = await wake(host, agent.id);
    expect(second.id).not.toBe(first.id);
    const stream = readSse(`${host.baseUrl}/api/heartbeat-runs/${second.id}/events/stream`);
    expect((await host.request("POST", `/api/heartbeat-runs/${second.id}/cancel`)).body.status).toBe(
      "cancelled",
    );
    const { frames } = await stream;
    expect(frames.map((frame) => [frame.id, frame.data.eventType, frame.data.payload?.status])).toEqual([
      [1, "status", "cancelled"],
    ]);
    writeFileSync(gate, "");
    expect((await finished(host, first.id)).run.status).toBe("succeeded");
  });

  it("refuses bad input with the problem named", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect((await host.request("GET", `/api/heartbeat-runs/${unknown}/events`)).body).toEqual({
      error: "Heartbeat run not found",
    });
    expect((await host.request("GET", `/api/heartbeat-runs/${unknown}/events`)).status).toBe(404);
    const log = await host.request("GET", `/api/heartbeat-runs/${unknown}/log`);
    expect(log).toMatchObject({ status: 404, body: { error: "Run log not found" } });
    expect((await host.request("GET", `/api/heartbeat-runs/not-a-uuid/log`)).status).toBe(404);
    expect((await host.request("GET", `/api/heartbeat-runs/${unknown}/events/stream`)).status).toBe(404);
    const agent = await createAgent(host, companyId, { adapterType: "echo" });
    const { run } = await finished(host, (await wake(host, agent.id, { prompt: "x" })).id);
    for (const query of ["afterSeq=abc", "afterSeq=-1", "limit=0", "limit=x"]) {
      const response = await host.request("GET", `/api/heartbeat-runs/${run.id}/events?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error, query).toMatch(/afterSeq|limit/);
    }
    expect((await host.request("GET", `/api/heartbeat-runs/${run.id}/events/stream?afterSeq=x`)).status).toBe(
      400,
    );
    expect((await host.request("GET", `/api/heartbeat-runs/${run.id}/log?limitBytes=0`)).status).toBe(400);
    expect((await host.request("GET", `/api/companies/${unknown}/live-runs`)).status).toBe(404);
  });

  it("creates, lists and revokes agent API keys; the token is shown once and stops working when revoked", async () => {
    const agent = await createAgent(host, companyId, { adapterType: "echo" });
    const created = await host.request("POST", `/api/agents/${agent.id}/keys`, { name: "ci" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      name: "ci",
      token: expect.stringMatching(/^pcp_[0-9a-f]{48}$/),
    });
    expect(await host.runtime.keys.authenticate(created.body.token)).toEqual({
      keyId: created.body.id,
      agentId: agent.id,
      companyId,
      runId: null,
    });
    const defaulted = await host.request("POST", `/api/agents/${agent.id}/keys`);
    expect(defaulted.body.name).toBe("default");
    const list = await host.request("GET", `/api/agents/${agent.id}/keys`);
    expect(list.body.map((key: any) => key.name).sort()).toEqual(["ci", "default"]);
    expect(JSON.stringify(list.body)).not.toContain("pcp_");
    expect((await host.request("DELETE", `/api/agents/${agent.id}/keys/${created.body.id}`)).body).toEqual({
      ok: true,
    });
    expect(await host.runtime.keys.authenticate(created.body.token)).toBeNull();
    const after = (await host.request("GET", `/api/agents/${agent.id}/keys`)).body as any[];
    expect(after.find((key) => key.id === created.body.id).revokedAt).toEqual(expect.any(String));
    const missing = await host.request("DELETE", `/api/agents/${agent.id}/keys/${agent.id}`);
    expect(missing).toMatchObject({ status: 404, body: { error: "Key not found" } });
    expect(await host.runtime.keys.authenticate("pcp_not-a-token")).toBeNull();
  });
});
