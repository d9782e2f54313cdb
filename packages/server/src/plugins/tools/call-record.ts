// What a tool call leaves on its run: one `tool_call` run event, payload `{tool, parameters, ok, error?, durationMs}`.
// The parameters are the agent's input, kept for the run's history only as far as it is safe and small: values
// under secret-looking keys are masked, long strings cut, deep or wide containers summarised, and the whole
// replaced by a preview when it is still too large.
import type { NewRunEvent } from "../../agents/run-events.js";
import { storableText } from "../../json-values.js";

export const SECRET_KEY =
  /(secret|token|password|passwd|api[_-]?key|authorization|credential|cookie|private[_-]?key)/i;
export const REDACTED_VALUE = "[REDACTED]";
const MAX_STRING = 1_000;
const MAX_DEPTH = 6;
const MAX_ITEMS = 50;
const MAX_JSON = 8_000;

function cut(text: string): string {
  const safe = storableText(text);
  return safe.length <= MAX_STRING
    ? safe
    : `${safe.slice(0, MAX_STRING)}… [${safe.length - MAX_STRING} more chars]`;
}

function shrink(value: unknown, depth: number): unknown {
  if (typeof value === "string") return cut(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? "[array]" : "[object]";
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => shrink(item, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`[${value.length - MAX_ITEMS} more items]`);
    return items;
  }
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (const key of keys.slice(0, MAX_ITEMS)) {
    const item = (value as Record<string, unknown>)[key];
    Object.defineProperty(out, cut(key), {
      value:
        SECRET_KEY.test(key) && item !== null && item !== undefined
          ? REDACTED_VALUE
          : shrink(item, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  if (keys.length > MAX_ITEMS) out["…"] = `[${keys.length - MAX_ITEMS} more keys]`;
  return out;
}

/** The parameters as the run keeps them: secrets masked, sizes bounded. */
export function recordedParameters(parameters: unknown): unknown {
  const small = shrink(parameters, 0);
  const json = JSON.stringify(small) ?? "null";
  if (json.length <= MAX_JSON) return small;
  return { truncated: true, preview: `${json.slice(0, MAX_JSON)}…` };
}

export interface ToolCallSummary {
  tool: string;
  parameters: unknown;
  ok: boolean;
  error?: string;
  durationMs: number;
}

/** The run event a tool call becomes. */
export function toolCallEvent(call: ToolCallSummary): NewRunEvent {
  const payload: Record<string, unknown> = {
    tool: call.tool,
    parameters: recordedParameters(call.parameters),
    ok: call.ok,
    durationMs: call.durationMs,
  };
  if (call.error !== undefined) payload.error = cut(call.error);
  return {
    eventType: "tool_call",
    stream: "system",
    level: call.ok ? "info" : "warn",
    message: call.ok
      ? `Tool ${call.tool} succeeded`
      : `Tool ${call.tool} failed: ${cut(call.error ?? "error")}`,
    payload,
  };
}
