// What the run page's output panel draws, derived from the run's events: one entry per output line (stdout,
// stderr), per status change, per tool call and per system note, plus the run's outcome as the events tell it
// (the terminal status, its error, exit code and final text). Pure, so it is unit-tested.

import type { RunEvent } from "../../api/types.js";

export type OutputEntry =
  | {
      kind: "line";
      seq: number;
      at: string;
      stream: "stdout" | "stderr";
      text: string;
    }
  | {
      kind: "status";
      seq: number;
      at: string;
      status: string;
      /** The error or exit code that came with the status, if any. */
      detail: string | null;
      tone: "neutral" | "success" | "danger";
    }
  | {
      kind: "tool";
      seq: number;
      at: string;
      tool: string;
      ok: boolean;
      error: string | null;
      durationMs: number | null;
      /** Compact one-line JSON of the parameters (empty when none). */
      parameters: string;
    }
  | {
      kind: "system";
      seq: number;
      at: string;
      text: string;
      level: "info" | "warn" | "error";
    };

export interface RunOutcome {
  /** The status of the last status event (terminal or not), null before any. */
  status: string | null;
  ended: boolean;
  finalText: string | null;
  error: string | null;
  exitCode: number | null;
}

const TERMINAL = new Set(["succeeded", "failed", "cancelled", "timed_out", "interrupted"]);
const FAILED = new Set(["failed", "timed_out", "interrupted"]);

const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const num = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

/** One line of JSON, cut at `max` characters. */
export function compactJson(value: unknown, max = 160): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "object" && Object.keys(value as object).length === 0) return "";
  let text: string;
  try {
    text = JSON.stringify(value) ?? "";
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The entry an event draws; null for events with nothing to show. */
export function toOutputEntry(event: RunEvent): OutputEntry | null {
  const base = { seq: event.seq, at: event.createdAt };
  const payload = event.payload ?? {};
  switch (event.eventType) {
    case "chunk": {
      const text = (event.message ?? "").replace(/\r?\n$/, "");
      if (event.stream === "stdout" || event.stream === "stderr") {
        return { ...base, kind: "line", stream: event.stream, text };
      }
      return { ...base, kind: "system", text, level: event.level ?? "info" };
    }
    case "status": {
      const status = str(payload.status) ?? "unknown";
      const error = str(payload.error);
      const exitCode = num(payload.exitCode);
      const message = str(event.message);
      const parts = [
        error,
        exitCode !== null && status !== "succeeded" ? `exit code ${exitCode}` : null,
        // The host's message repeats the status (and the error): show it only when it says something else.
        message && !message.startsWith(status) && message !== error ? message : null,
      ];
      const detail = parts.filter(Boolean).join(" · ");
      return {
        ...base,
        kind: "status",
        status,
        detail: detail || null,
        tone: status === "succeeded" ? "success" : FAILED.has(status) ? "danger" : "neutral",
      };
    }
    case "tool_call":
      return {
        ...base,
        kind: "tool",
        tool: str(payload.tool) ?? str(event.message) ?? "tool",
        ok: payload.ok !== false && !str(payload.error),
        error: str(payload.error),
        durationMs: num(payload.durationMs),
        parameters: compactJson(payload.parameters),
      };
    default: {
      const text = str(event.message) ?? compactJson(event.payload);
      if (!text) return null;
      const level = event.level ?? "info";
      return { ...base, kind: "system", text, level };
    }
  }
}

export function toOutputEntries(events: readonly RunEvent[]): OutputEntry[] {
  const entries: OutputEntry[] = [];
  for (const event of events) {
    const entry = toOutputEntry(event);
    if (entry) entries.push(entry);
  }
  return entries;
}

/** The run's outcome as its status events tell it (the latest status event wins). */
export function runOutcome(events: readonly RunEvent[]): RunOutcome {
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index]!;
    if (event.eventType !== "status") continue;
    const payload = event.payload ?? {};
    const status = str(payload.status);
    return {
      status,
      ended: status !== null && TERMINAL.has(status),
      finalText: typeof payload.finalText === "string" ? payload.finalText : null,
      error: str(payload.error),
      exitCode: num(payload.exitCode),
    };
  }
  return { status: null, ended: false, finalText: null, error: null, exitCode: null };
}

/** `resultJson.finalText` of a run record, when it has one. */
export function finalTextOf(resultJson: Record<string, unknown> | null | undefined): string | null {
  const value = resultJson?.finalText;
  return typeof value === "string" ? value : null;
}

const clockFormat = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** "14:04:31" in the viewer's time zone (output gutters). */
export function clockTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : clockFormat.format(date);
}
