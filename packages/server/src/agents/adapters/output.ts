// Shared output handling: byte streams → lines, and the stdout conventions that report a result or usage.
//   PAPERCLIP_RESULT: <text>        the run's final text (the last such line wins)
//   PAPERCLIP_USAGE: <json>         {inputTokens, outputTokens, costCents, model, provider}
//   {"type":"result","result":…}    Claude Code's stream-json result line (final text, usage, total_cost_usd)
// Without a result line, the final text is the last stdout lines.
import { StringDecoder } from "node:string_decoder";
import type { AdapterUsage } from "./types.js";

/** Longest line kept as one event; longer lines are split (a runaway line must not become one huge row). */
const MAX_LINE = 16_384;
const TAIL_LINES = 20;

export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private pending = "";

  constructor(private readonly onLine: (line: string) => void) {}

  write(chunk: Buffer | string): void {
    this.pending += typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    let index = this.pending.indexOf("\n");
    while (index !== -1) {
      this.emit(this.pending.slice(0, index).replace(/\r$/, ""));
      this.pending = this.pending.slice(index + 1);
      index = this.pending.indexOf("\n");
    }
    while (this.pending.length > MAX_LINE) {
      this.emit(this.pending.slice(0, MAX_LINE));
      this.pending = this.pending.slice(MAX_LINE);
    }
  }

  end(): void {
    this.pending += this.decoder.end();
    if (this.pending.length > 0) this.emit(this.pending.replace(/\r$/, ""));
    this.pending = "";
  }

  private emit(line: string): void {
    if (line.length <= MAX_LINE) this.onLine(line);
    else for (let at = 0; at < line.length; at += MAX_LINE) this.onLine(line.slice(at, at + MAX_LINE));
  }
}

/** Watches stdout lines for the result and usage conventions. */
export class ResultCollector {
  private readonly tail: string[] = [];
  private result: string | null = null;
  usage: AdapterUsage | null = null;

  stdout(line: string): void {
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    if (line.startsWith("PAPERCLIP_RESULT:")) {
      this.result = line.slice("PAPERCLIP_RESULT:".length).trim();
      return;
    }
    if (line.startsWith("PAPERCLIP_USAGE:")) {
      const usage = parseUsage(parseObject(line.slice("PAPERCLIP_USAGE:".length)));
      if (usage) this.usage = usage;
      return;
    }
    if (line.startsWith("{")) this.claudeResult(parseObject(line));
  }

  finalText(): string {
    return this.result ?? this.tail.join("\n").trim();
  }

  private claudeResult(message: Record<string, unknown> | null): void {
    if (message?.type !== "result") return;
    if (typeof message.result === "string") this.result = message.result;
    const usage = (message.usage ?? {}) as Record<string, unknown>;
    const cost =
      typeof message.total_cost_usd === "number" ? Math.round(message.total_cost_usd * 100) : undefined;
    this.usage = {
      inputTokens: numberOr(usage.input_tokens),
      outputTokens: numberOr(usage.output_tokens),
      cachedInputTokens: numberOr(usage.cache_read_input_tokens),
      ...(cost !== undefined ? { costCents: cost } : {}),
      model: typeof message.model === "string" ? message.model : "claude",
      provider: "anthropic",
    };
  }
}

export function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Usage in the adapter convention, or null when nothing in it is usable. */
export function parseUsage(value: Record<string, unknown> | null): AdapterUsage | null {
  if (!value) return null;
  const usage: AdapterUsage = {
    inputTokens: numberOr(value.inputTokens),
    outputTokens: numberOr(value.outputTokens),
    cachedInputTokens: numberOr(value.cachedInputTokens),
    costCents: numberOr(value.costCents),
    ...(typeof value.model === "string" ? { model: value.model } : {}),
    ...(typeof value.provider === "string" ? { provider: value.provider } : {}),
  };
  return Object.values(usage).some((item) => item !== undefined) ? usage : null;
}

function numberOr(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}
