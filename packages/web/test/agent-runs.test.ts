/**
 * The framework-free parts of the board's agent runs: the run event stream client (replay, dedupe, end on the
 * terminal status event, catch-up and reconnect after a drop with afterSeq, finished runs read page by page),
 * the output model the run page draws, and the adapter form (config ↔ form, validation naming the field).
 */

import { describe, expect, it } from "vitest";
import {
  RUN_EVENTS_PAGE_SIZE,
  type RunEventSource,
  RunEventStream,
  runEventsStreamUrl,
} from "../src/api/run-stream.js";
import type { RunEvent } from "../src/api/types.js";
import {
  configFromForm,
  formFromConfig,
  newRow,
  REDACTED,
  validateAdapterForm,
} from "../src/pages/agents/adapter-form.js";
import { finalTextOf, runOutcome, toOutputEntries } from "../src/pages/runs/run-output.js";

const RUN = "11111111-1111-4111-8111-111111111111";

function event(seq: number, fields: Partial<RunEvent> = {}): RunEvent {
  return {
    id: `e${seq}`,
    companyId: "c",
    runId: RUN,
    agentId: "a",
    seq,
    eventType: "chunk",
    stream: "stdout",
    level: "info",
    message: `line ${seq}`,
    payload: null,
    createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, seq)).toISOString(),
    ...fields,
  };
}

const status = (seq: number, value: string, extra: Record<string, unknown> = {}) =>
  event(seq, { eventType: "status", stream: "system", message: null, payload: { status: value, ...extra } });

class FakeSource implements RunEventSource {
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data?: unknown }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  closed = false;
  private listeners = new Map<string, ((event: { data?: unknown }) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: { data?: unknown }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  send(value: RunEvent) {
    for (const listener of this.listeners.get("run.event") ?? []) listener({ data: JSON.stringify(value) });
  }
  fail() {
    this.readyState = 0;
    this.onerror?.({});
  }
}

function setup(options: { live: boolean; pages?: RunEvent[][]; fetchError?: Error }) {
  const sources: FakeSource[] = [];
  const fetches: number[] = [];
  const timers: Array<() => void> = [];
  const pages = [...(options.pages ?? [])];
  let ended = 0;
  const client = new RunEventStream({
    runId: RUN,
    live: options.live,
    createEventSource: (url) => {
      const source = new FakeSource(url);
      sources.push(source);
      return source;
    },
    fetchEvents: async (afterSeq) => {
      fetches.push(afterSeq);
      if (options.fetchError) throw options.fetchError;
      return pages.shift() ?? [];
    },
    onChange: () => {},
    onEnded: () => {
      ended++;
    },
    setTimer: (run) => {
      timers.push(run);
      return timers.length;
    },
    clearTimer: () => {},
  });
  return { client, sources, fetches, timers, ended: () => ended };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("RunEventStream", () => {
  it("streams a live run from seq 0, drops duplicates and ends on the terminal status event", () => {
    const { client, sources, ended } = setup({ live: true });
    client.start();
    expect(sources).toHaveLength(1);
    expect(sources[0]!.url).toBe(runEventsStreamUrl(RUN, 0));
    expect(sources[0]!.url).toBe(`/api/heartbeat-runs/${RUN}/events/stream?afterSeq=0`);
    expect(client.current.phase).toBe("loading");
    sources[0]!.open();
    expect(client.current.phase).toBe("live");
    sources[0]!.send(status(1, "running"));
    sources[0]!.send(event(2));
    sources[0]!.send(event(2));
    sources[0]!.send(event(3, { stream: "stderr" }));
    expect(client.current.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(client.current.lastSeq).toBe(3);
    sources[0]!.send(status(4, "succeeded", { finalText: "done" }));
    expect(client.current.phase).toBe("ended");
    expect(sources[0]!.closed).toBe(true);
    expect(ended()).toBe(1);
  });

  it("after a drop, reads what it missed and reopens the stream after the last seq", async () => {
    const { client, sources, fetches, timers } = setup({ live: true, pages: [[event(3), event(4)]] });
    client.start();
    sources[0]!.open();
    sources[0]!.send(event(1));
    sources[0]!.send(event(2));
    sources[0]!.fail();
    expect(sources[0]!.closed).toBe(true);
    expect(client.current.phase).toBe("reconnecting");
    await flush();
    expect(fetches).toEqual([2]);
    expect(client.current.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(timers).toHaveLength(1);
    timers[0]!();
    expect(sources).toHaveLength(2);
    expect(sources[1]!.url).toBe(runEventsStreamUrl(RUN, 4));
    sources[1]!.open();
    expect(client.current.phase).toBe("live");
    // The host replays from afterSeq: an overlap is ignored.
    sources[1]!.send(event(4));
    sources[1]!.send(event(5));
    expect(client.current.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it("ends without reopening when the missed events include the terminal status", async () => {
    const { client, sources, timers, ended } = setup({
      live: true,
      pages: [[event(2), status(3, "cancelled")]],
    });
    client.start();
    sources[0]!.open();
    sources[0]!.send(event(1));
    sources[0]!.fail();
    await flush();
    expect(client.current.phase).toBe("ended");
    expect(timers).toHaveLength(0);
    expect(ended()).toBe(1);
  });

  it("keeps retrying with a backoff while the host is unreachable", async () => {
    const { client, sources, timers } = setup({ live: true, fetchError: new Error("offline") });
    client.start();
    sources[0]!.fail();
    await flush();
    expect(client.current.phase).toBe("reconnecting");
    timers[0]!();
    expect(sources).toHaveLength(2);
    sources[1]!.fail();
    await flush();
    expect(timers).toHaveLength(2);
  });

  it("reads a finished run page by page without a stream", async () => {
    const full = Array.from({ length: RUN_EVENTS_PAGE_SIZE }, (_, index) => event(index + 1));
    const { client, sources, fetches, ended } = setup({
      live: false,
      pages: [full, [status(RUN_EVENTS_PAGE_SIZE + 1, "succeeded")]],
    });
    client.start();
    await flush();
    expect(sources).toHaveLength(0);
    expect(fetches).toEqual([0, RUN_EVENTS_PAGE_SIZE]);
    expect(client.current.count).toBe(RUN_EVENTS_PAGE_SIZE + 1);
    expect(client.current.phase).toBe("ended");
    expect(ended()).toBe(1);
  });

  it("shows an error for a finished run whose events cannot be read, and retries", async () => {
    const { client } = setup({ live: false, fetchError: new Error("boom") });
    client.start();
    await flush();
    expect(client.current.phase).toBe("error");
    expect(client.current.error?.message).toBe("boom");
  });

  it("settles when the run record turns terminal without a terminal event", async () => {
    const { client, sources, fetches, timers } = setup({ live: true, pages: [[event(2)]] });
    client.start();
    sources[0]!.open();
    sources[0]!.send(event(1));
    client.settle();
    // The open stream gets a moment to deliver the terminal event itself.
    expect(sources[0]!.closed).toBe(false);
    expect(timers).toHaveLength(1);
    timers[0]!();
    expect(sources[0]!.closed).toBe(true);
    await flush();
    expect(fetches).toEqual([1]);
    expect(client.current.phase).toBe("ended");
    expect(client.current.events.map((e) => e.seq)).toEqual([1, 2]);
  });

  it("does not read again when the stream delivers the terminal event during settle()", async () => {
    const { client, sources, fetches, timers, ended } = setup({ live: true });
    client.start();
    sources[0]!.open();
    client.settle();
    sources[0]!.send(status(1, "succeeded"));
    expect(client.current.phase).toBe("ended");
    timers[0]!();
    await flush();
    expect(fetches).toEqual([]);
    expect(ended()).toBe(1);
  });

  it("ignores frames after stop()", () => {
    const { client, sources } = setup({ live: true });
    client.start();
    sources[0]!.open();
    client.stop();
    sources[0]!.send(event(1));
    expect(client.current.count).toBe(0);
    expect(sources[0]!.closed).toBe(true);
  });
});

describe("run output", () => {
  it("turns events into lines, status rows, tool rows and system notes", () => {
    const entries = toOutputEntries([
      status(1, "running"),
      event(2, { message: "echo: hello\n" }),
      event(3, { stream: "stderr", message: "warning: slow" }),
      event(4, {
        eventType: "tool_call",
        stream: null,
        message: null,
        payload: { tool: "search", parameters: { q: "x" }, ok: false, error: "timeout", durationMs: 1500 },
      }),
      event(5, { eventType: "system", stream: "system", level: "warn", message: "retrying" }),
      event(6, { eventType: "system", stream: "system", message: null, payload: null }),
      status(7, "failed", { error: "boom", exitCode: 2 }),
    ]);
    expect(entries).toEqual([
      expect.objectContaining({ kind: "status", status: "running", tone: "neutral", detail: null }),
      expect.objectContaining({ kind: "line", stream: "stdout", text: "echo: hello" }),
      expect.objectContaining({ kind: "line", stream: "stderr", text: "warning: slow" }),
      expect.objectContaining({
        kind: "tool",
        tool: "search",
        ok: false,
        error: "timeout",
        durationMs: 1500,
        parameters: '{"q":"x"}',
      }),
      expect.objectContaining({ kind: "system", text: "retrying", level: "warn" }),
      expect.objectContaining({
        kind: "status",
        status: "failed",
        tone: "danger",
        detail: "boom · exit code 2",
      }),
    ]);
  });

  it("reads the outcome from the latest status event", () => {
    expect(runOutcome([event(1)])).toEqual({
      status: null,
      ended: false,
      finalText: null,
      error: null,
      exitCode: null,
    });
    expect(
      runOutcome([
        status(1, "running"),
        event(2),
        status(3, "succeeded", { finalText: "a\nb", exitCode: 0 }),
      ]),
    ).toEqual({ status: "succeeded", ended: true, finalText: "a\nb", error: null, exitCode: 0 });
    expect(runOutcome([status(1, "running")]).ended).toBe(false);
    expect(finalTextOf({ finalText: "x" })).toBe("x");
    expect(finalTextOf({ summary: "x" })).toBeNull();
    expect(finalTextOf(null)).toBeNull();
  });
});

describe("adapter form", () => {
  it("round-trips a process config and keeps keys it does not manage", () => {
    const config = {
      command: "node",
      args: ["-e", "console.log(1)\nconsole.log(2)"],
      cwd: "/srv",
      timeoutSec: 30,
      env: { LOG_LEVEL: "debug", BINDING: { type: "plain", value: "x" } },
      model: "m1",
    };
    const form = formFromConfig("process", config);
    expect(form.command).toBe("node");
    expect(form.args).toEqual(["-e", "console.log(1)\nconsole.log(2)"]);
    expect(form.timeoutSec).toBe("30");
    expect(validateAdapterForm(form)).toEqual({});
    expect(configFromForm(form, { type: "process", config })).toEqual(config);
  });

  it("drops the previous type's settings when the type changes", () => {
    const config = { command: "node", cwd: "/srv", extra: true };
    const form = { ...formFromConfig("process", config), type: "echo", delayMs: "25" };
    expect(configFromForm(form, { type: "process", config })).toEqual({ delayMs: 25 });
  });

  it("names the field in every validation message", () => {
    const process = { ...formFromConfig("process", {}), cwd: "two\nlines", timeoutSec: "1.5" };
    expect(validateAdapterForm(process)).toEqual({
      command: "Command is required",
      cwd: "Working directory must be a single-line path",
      timeoutSec: "Timeout must be a whole number of seconds from 1 to 86400",
    });
    expect(
      validateAdapterForm({ ...formFromConfig("process", { command: "x" }), cwd: "relative/dir" }),
    ).toEqual({});
    const http = {
      ...formFromConfig("http", {}),
      url: "ftp://x",
      headers: [newRow("X-A", "1"), newRow("x-a", "2")],
    };
    expect(validateAdapterForm(http)).toEqual({
      url: "URL must start with http:// or https://",
      headers: "Headers: x-a is given twice",
    });
    expect(validateAdapterForm({ ...formFromConfig("http", {}) }).url).toBe("URL is required");
    expect(validateAdapterForm({ ...formFromConfig("echo", {}), delayMs: "-1" }).delayMs).toBe(
      "Delay must be a whole number of milliseconds from 0 to 60000",
    );
    const env = { ...formFromConfig("echo", {}), env: [newRow("1BAD", "x")] };
    expect(validateAdapterForm(env).env).toMatch(/^Environment: variable 1BAD/);
    const unnamed = { ...formFromConfig("echo", {}), env: [newRow("", "value")] };
    expect(validateAdapterForm(unnamed).env).toBe("Environment: variable 1 needs a name");
    // Empty rows are ignored.
    expect(validateAdapterForm({ ...formFromConfig("echo", {}), env: [newRow()] })).toEqual({});
  });

  it("asks for redacted secrets again instead of saving the redaction marker", () => {
    const form = formFromConfig("process", { command: "x", env: { API_TOKEN: REDACTED } });
    expect(form.env[0]).toMatchObject({ key: "API_TOKEN", value: "", redacted: true });
    expect(validateAdapterForm(form).env).toMatch(/API_TOKEN is a secret/);
    const entered = { ...form, env: [{ ...form.env[0]!, value: "s3cret" }] };
    expect(validateAdapterForm(entered)).toEqual({});
    expect(configFromForm(entered, { type: "process", config: {} })).toEqual({
      command: "x",
      env: { API_TOKEN: "s3cret" },
    });
  });
});
