// `http`: POSTs the run to `adapterConfig.url` and streams the reply into the run. The reply is SSE (`data:` lines,
// one message per event) or NDJSON / plain lines; a message that is a JSON object with `type` is structured —
// {type:"chunk", text, stream?}, {type:"result", text, status?, error?}, {type:"usage", inputTokens, …} —
// anything else is an output line. A non-2xx status fails the run with that status.
import { parseObject, parseUsage, ResultCollector } from "./output.js";
import { type AdapterResult, type AgentAdapter, configString, configStringRecord } from "./types.js";

const ERROR_BODY = 300;

export const httpAdapter: AgentAdapter = {
  type: "http",
  async execute(context) {
    const config = context.agent.adapterConfig;
    let url: URL;
    let headers: Record<string, string>;
    try {
      const raw = configString(config, "url");
      if (!raw) throw new Error("adapterConfig.url is required (http adapter)");
      url = new URL(raw);
      if (url.protocol !== "http:" && url.protocol !== "https:")
        throw new Error("adapterConfig.url must be http(s)");
      headers = configStringRecord(config, "headers");
    } catch (error) {
      return { status: "failed", error: (error as Error).message, errorCode: "adapter_config_invalid" };
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "text/event-stream, application/x-ndjson",
          ...headers,
        },
        body: JSON.stringify({
          runId: context.run.id,
          agentId: context.run.agentId,
          companyId: context.run.companyId,
          prompt: context.run.prompt,
          context: context.run.context,
          wakeReason: context.run.wakeReason,
          apiUrl: context.apiUrl,
          apiKey: context.token,
        }),
        signal: context.signal,
      });
    } catch (error) {
      return {
        status: "failed",
        error: `POST ${url.origin}${url.pathname} failed: ${(error as Error).message}`,
      };
    }
    if (!response.ok) {
      const body = (await response.text().catch(() => "")).slice(0, ERROR_BODY);
      return {
        status: "failed",
        error: `POST ${url.origin}${url.pathname} answered HTTP ${response.status}${body ? `: ${body}` : ""}`,
        errorCode: "http_status",
      };
    }
    const sse = (response.headers.get("content-type") ?? "").includes("text/event-stream");
    const reply = new ReplyReader(context);
    try {
      await readLines(response, (line) => (sse ? reply.sseLine(line) : reply.message(line)));
      if (sse) reply.sseLine("");
    } catch (error) {
      if (context.signal.aborted) return { status: "failed", error: "aborted" };
      return {
        status: "failed",
        error: `Reading the reply of ${url.origin}${url.pathname} failed: ${(error as Error).message}`,
      };
    }
    return reply.result();
  },
};

async function readLines(response: Response, onLine: (line: string) => void): Promise<void> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(chunk, { stream: true });
    let index = pending.indexOf("\n");
    while (index !== -1) {
      onLine(pending.slice(0, index).replace(/\r$/, ""));
      pending = pending.slice(index + 1);
      index = pending.indexOf("\n");
    }
  }
  pending += decoder.decode();
  if (pending) onLine(pending);
}

class ReplyReader {
  private readonly collector = new ResultCollector();
  private data: string[] = [];
  private finalText: string | null = null;
  private failure: string | null = null;

  constructor(private readonly context: Parameters<AgentAdapter["execute"]>[0]) {}

  /** SSE framing: `data:` lines gather until a blank line ends the message; comments and other fields are skipped. */
  sseLine(line: string): void {
    if (line === "") {
      if (this.data.length) this.message(this.data.join("\n"));
      this.data = [];
    } else if (line.startsWith("data:")) this.data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
  }

  message(text: string): void {
    const object = text.startsWith("{") ? parseObject(text) : null;
    if (!object || typeof object.type !== "string") {
      for (const line of text.split("\n")) this.out("stdout", line);
      return;
    }
    const body = [object.text, object.message, object.result, object.finalText].find(
      (v) => typeof v === "string",
    );
    if (object.type === "chunk") {
      const stream = object.stream === "stderr" ? "stderr" : "stdout";
      for (const line of String(body ?? "").split("\n")) this.out(stream, line);
    } else if (object.type === "result") {
      this.finalText = typeof body === "string" ? body : this.finalText;
      if (object.status === "failed")
        this.failure = typeof object.error === "string" ? object.error : "Agent reported failure";
      const usage = parseUsage((object.usage as Record<string, unknown>) ?? null);
      if (usage) this.collector.usage = usage;
    } else if (object.type === "usage") {
      this.collector.usage = parseUsage(object) ?? this.collector.usage;
    } else {
      this.context.event({
        eventType: "system",
        stream: "system",
        message: text.slice(0, 2000),
        payload: object,
      });
    }
  }

  result(): AdapterResult {
    const finalText = this.finalText ?? this.collector.finalText();
    const usage = this.collector.usage;
    if (this.failure)
      return { status: "failed", error: this.failure, errorCode: "agent_failed", finalText, usage };
    return { status: "succeeded", finalText, usage };
  }

  private out(stream: "stdout" | "stderr", line: string): void {
    if (stream === "stdout") this.collector.stdout(line);
    this.context.line(stream, line);
  }
}
