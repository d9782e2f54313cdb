// The built-in echo adapter, and the http adapter against a real local server answering SSE, NDJSON and errors.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "../support/database.js";
import { type AgentTestHost, createAgent, createCompany, finished, startAgentHost, wake } from "./support.js";

/** The agent server: the reply style is the path; every request body is kept. */
function agentServer(received: unknown[]): Server {
  return createServer(async (request: IncomingMessage, response) => {
    let text = "";
    for await (const chunk of request) text += chunk;
    const body = JSON.parse(text);
    received.push({ body, headers: request.headers });
    if (request.url === "/sse") {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(": hello\n\n");
      for (const line of String(body.prompt).split("\n")) response.write(`data: saw ${line}\n\n`);
      response.write(
        `data: ${JSON.stringify({ type: "usage", inputTokens: 5, outputTokens: 2, model: "h-1", provider: "acme" })}\n\n`,
      );
      response.end(`data: ${JSON.stringify({ type: "result", text: `answered ${body.runId}` })}\n\n`);
    } else if (request.url === "/ndjson") {
      response.writeHead(200, { "content-type": "application/x-ndjson" });
      response.write("plain line\n");
      response.write(`${JSON.stringify({ type: "chunk", text: "structured", stream: "stderr" })}\n`);
      response.end(`${JSON.stringify({ type: "result", text: "ndjson done" })}\n`);
    } else {
      response.writeHead(503, { "content-type": "text/plain" });
      response.end("agent overloaded");
    }
  });
}

describe.each(ENGINES)("echo and http adapters (%s)", (engine) => {
  let host: AgentTestHost;
  let companyId: string;
  let server: Server;
  let agentUrl: string;
  const received: any[] = [];

  beforeAll(async () => {
    host = await startAgentHost(engine);
    companyId = (await createCompany(host)).id;
    server = agentServer(received);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    agentUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await host.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it("echo: prints every prompt line back and succeeds with the prompt as final text", async () => {
    const agent = await createAgent(host, companyId, { adapterType: "echo", adapterConfig: { delayMs: 1 } });
    const { run, events } = await finished(host, (await wake(host, agent.id, { prompt: "hello\nworld" })).id);
    expect(run).toMatchObject({ status: "succeeded", resultJson: { finalText: "hello\nworld" } });
    expect(events.map((event) => [event.seq, event.eventType, event.message])).toEqual([
      [1, "status", "running"],
      [2, "chunk", "echo: hello"],
      [3, "chunk", "echo: world"],
      [4, "status", "succeeded"],
    ]);
    expect(events[3].payload).toEqual({ status: "succeeded", exitCode: 0, finalText: "hello\nworld" });
  });

  it("http: posts the run and streams an SSE reply, with result and usage", async () => {
    const agent = await createAgent(host, companyId, {
      adapterType: "http",
      adapterConfig: { url: `${agentUrl}/sse`, headers: { "x-agent-secret": "s3" } },
    });
    const queued = await wake(host, agent.id, { prompt: "a\nb" });
    const { run, events } = await finished(host, queued.id);
    expect(run).toMatchObject({ status: "succeeded", resultJson: { finalText: `answered ${queued.id}` } });
    expect(run.usageJson).toMatchObject({ inputTokens: 5, outputTokens: 2, model: "h-1" });
    expect(events.filter((event) => event.eventType === "chunk").map((event) => event.message)).toEqual([
      "saw a",
      "saw b",
    ]);
    const request = received.find((item) => item.body.runId === queued.id);
    expect(request.headers["x-agent-secret"]).toBe("s3");
    expect(request.body).toMatchObject({
      agentId: agent.id,
      companyId,
      prompt: "a\nb",
      context: { prompt: "a\nb" },
    });
  });

  it("http: reads NDJSON lines, plain or structured", async () => {
    const agent = await createAgent(host, companyId, {
      adapterType: "http",
      adapterConfig: { url: `${agentUrl}/ndjson` },
    });
    const { run, events } = await finished(host, (await wake(host, agent.id, { prompt: "x" })).id);
    expect(run).toMatchObject({ status: "succeeded", resultJson: { finalText: "ndjson done" } });
    expect(
      events.filter((event) => event.eventType === "chunk").map((event) => [event.stream, event.message]),
    ).toEqual([
      ["stdout", "plain line"],
      ["stderr", "structured"],
    ]);
  });

  it("http: an error status fails the run naming the status", async () => {
    const agent = await createAgent(host, companyId, {
      adapterType: "http",
      adapterConfig: { url: `${agentUrl}/busy` },
    });
    const { run, events } = await finished(host, (await wake(host, agent.id)).id);
    expect(run).toMatchObject({ status: "failed", errorCode: "http_status" });
    expect(run.error).toBe(`POST ${agentUrl}/busy answered HTTP 503: agent overloaded`);
    expect(events.at(-1).payload).toMatchObject({ status: "failed", error: run.error });
  });
});
