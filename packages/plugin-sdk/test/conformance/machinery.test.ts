// Tests of the conformance machinery itself (driver, normaliser, diff, golden file, scripted host), so the
// conformance comparison cannot pass by hiding a real difference or by recording nothing.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ConversationStep } from "./conversation.js";
import { type RecordedMessage, recordTranscript, type Transcript } from "./driver.js";
import { formatJson, readGoldenTranscript } from "./golden-file.js";
import { diffTranscripts, normaliseTranscript } from "./normalise.js";
import { ScriptedHost } from "./scripted-host.js";

function transcriptOf(...messages: RecordedMessage[]): Transcript {
  return { steps: [{ name: "only", purpose: "", messages }], exit: { code: 0, signal: null }, stderr: "" };
}

const host = (message: unknown): RecordedMessage => ({ from: "host", message });
const worker = (message: unknown): RecordedMessage => ({ from: "worker", message });

describe("normaliseTranscript", () => {
  it("maps request ids per direction so differently numbered workers compare equal", () => {
    const first = transcriptOf(
      host({ jsonrpc: "2.0", id: 1, method: "getData", params: {} }),
      worker({ jsonrpc: "2.0", id: 1, method: "state.get", params: {} }),
      host({ jsonrpc: "2.0", id: 1, result: null }),
      worker({ jsonrpc: "2.0", id: 1, result: 5 }),
    );
    const second = transcriptOf(
      host({ jsonrpc: "2.0", id: 1, method: "getData", params: {} }),
      worker({ jsonrpc: "2.0", id: 40, method: "state.get", params: {} }),
      host({ jsonrpc: "2.0", id: 40, result: null }),
      worker({ jsonrpc: "2.0", id: 1, result: 5 }),
    );
    const a = normaliseTranscript(first);
    expect(a.steps[0]!.messages.map((m) => (m.message as { id: unknown }).id)).toEqual([
      "host:1",
      "worker:1",
      "worker:1",
      "host:1",
    ]);
    expect(diffTranscripts(a, normaliseTranscript(second))).toEqual([]);
  });

  it("keeps uuid correlation, so echoing the wrong invocation id is a difference", () => {
    const request = host({
      jsonrpc: "2.0",
      id: 1,
      method: "performAction",
      paperclipInvocation: { id: "11111111-2222-4333-8444-555555555555" },
    });
    const echoes = transcriptOf(
      request,
      worker({
        jsonrpc: "2.0",
        method: "log",
        paperclipInvocationId: "11111111-2222-4333-8444-555555555555",
      }),
    );
    const invents = transcriptOf(
      request,
      worker({
        jsonrpc: "2.0",
        method: "log",
        paperclipInvocationId: "99999999-2222-4333-8444-555555555555",
      }),
    );
    const differences = diffTranscripts(normaliseTranscript(echoes), normaliseTranscript(invents));
    expect(differences).toHaveLength(1);
    expect(differences[0]).toContain('"paperclipInvocationId":"<uuid-1>"');
    expect(differences[0]).toContain('"paperclipInvocationId":"<uuid-2>"');
  });

  it("replaces timestamps, durations, stack traces and given paths", () => {
    const normalised = normaliseTranscript(
      transcriptOf(
        worker({
          at: "2026-03-01T10:00:00.123Z",
          durationMs: 12.5,
          stack: "Error: x\n    at f (file.js:1:1)",
          message: "boom in /tmp/worker.mjs\n    at g (/tmp/worker.mjs:3:4)",
        }),
      ),
      { paths: { "/tmp/worker.mjs": "<worker-entry>" } },
    );
    expect(normalised.steps[0]!.messages[0]!.message).toEqual({
      at: "<timestamp>",
      durationMs: "<duration>",
      stack: "<stack>",
      message: "boom in <worker-entry>\n<stack>",
    });
  });
});

describe("diffTranscripts", () => {
  it("ignores key order but reports a changed value with index, step and both versions", () => {
    const published = normaliseTranscript(transcriptOf(worker({ a: 1, b: { c: 2, d: 3 } })));
    const reordered = normaliseTranscript(transcriptOf(worker({ b: { d: 3, c: 2 }, a: 1 })));
    const changed = normaliseTranscript(transcriptOf(worker({ a: 1, b: { c: 2, d: 4 } })));
    expect(diffTranscripts(published, reordered)).toEqual([]);
    expect(diffTranscripts(published, changed, { expected: "published", actual: "ours" })).toEqual([
      'message #0 (step 0 "only", message 0 of the step)\n' +
        '    published: worker→ {"a":1,"b":{"c":2,"d":3}}\n' +
        '    ours     : worker→ {"a":1,"b":{"c":2,"d":4}}',
    ]);
  });

  it("confines an extra message to its own step and reports a different exit", () => {
    const twoSteps = (extra: boolean, code: number): Transcript => ({
      steps: [
        {
          name: "first",
          purpose: "",
          messages: extra ? [worker({ x: 1 }), worker({ extra: true })] : [worker({ x: 1 })],
        },
        { name: "second", purpose: "", messages: [worker({ y: 2 })] },
      ],
      exit: { code, signal: null },
      stderr: "",
    });
    const differences = diffTranscripts(
      normaliseTranscript(twoSteps(false, 0)),
      normaliseTranscript(twoSteps(true, 1)),
    );
    expect(differences).toEqual([
      'message #1 (step 0 "first", message 1 of the step)\n' +
        "    expected: (no message)\n" +
        '    actual  : worker→ {"extra":true}',
      'worker exit: expected {"code":0,"signal":null}, actual {"code":1,"signal":null}',
    ]);
  });
});

describe("golden file layout", () => {
  it("round-trips any value and keeps short arrays of plain values on one line", () => {
    const value = { steps: [{ name: "s", list: ["a", "b"], nested: [{ k: [1, [2]] }], empty: {} }], n: null };
    const text = formatJson(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).toContain('"list": ["a", "b"]');
    expect(text).toContain('"k": [1, [2]]');
  });

  it("rejects a golden file without a steps array, naming the field", () => {
    const dir = mkdtempSync(join(tmpdir(), "conformance-golden-"));
    try {
      const file = join(dir, "golden.json");
      writeFileSync(file, JSON.stringify({ exit: null }));
      expect(() => readGoldenTranscript(file)).toThrow(/"steps" must be an array/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("ScriptedHost", () => {
  it("answers unknown methods with -32601 and ungranted capabilities with -32001", () => {
    const scripted = new ScriptedHost();
    expect(scripted.answer("goals.list", {})).toEqual({
      error: { code: -32601, message: 'Host does not handle method "goals.list"' },
    });
    expect(scripted.answer("agents.pause", { agentId: "a" })).toEqual({
      error: {
        code: -32001,
        message:
          'Plugin "conformance-probe" is missing required capability "agents.pause" for method "agents.pause"',
      },
    });
  });

  it("keeps plugin state per scope for the length of one conversation", () => {
    const scripted = new ScriptedHost();
    const key = { scopeKind: "company", scopeId: "c1", stateKey: "k" };
    expect(scripted.answer("state.get", key)).toEqual({ result: null });
    scripted.answer("state.set", { ...key, value: { n: 1 } });
    expect(scripted.answer("state.get", key)).toEqual({ result: { n: 1 } });
    expect(scripted.answer("state.get", { ...key, scopeId: "c2" })).toEqual({ result: null });
  });
});

describe("recordTranscript against misbehaving workers", () => {
  const dir = mkdtempSync(join(tmpdir(), "conformance-driver-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function workerFile(name: string, source: string): string {
    const file = join(dir, name);
    writeFileSync(file, source);
    return file;
  }

  const healthStep: ConversationStep = {
    name: "health",
    purpose: "",
    send: { kind: "request", method: "health", params: {} },
  };

  it("notes a worker that exits mid-step and leaves the remaining steps out", async () => {
    const entry = workerFile(
      "exits.mjs",
      "process.stdin.once('data', () => { process.stderr.write('dying now\\n'); process.exit(3); });",
    );
    const transcript = await recordTranscript(entry, [healthStep, { ...healthStep, name: "never played" }]);
    expect(transcript.exit).toEqual({ code: 3, signal: null });
    expect(transcript.stderr).toContain("dying now");
    expect(transcript.steps.map((s) => s.name)).toEqual(["health"]);
    expect(transcript.steps[0]!.messages.at(-1)).toEqual({
      from: "driver",
      message: { incomplete: "worker exited (code 3, signal null) during this step" },
    });
  });

  it("notes a step that never completes, keeps its unparsable output and plays the next step", async () => {
    const entry = workerFile(
      "silent.mjs",
      "process.stdin.on('data', () => process.stdout.write('not json\\n')); setInterval(() => {}, 1000);",
    );
    // Long enough for the worker process to start on a loaded machine: its one line must land in the first step.
    const transcript = await recordTranscript(entry, [healthStep, { ...healthStep, name: "second" }], {
      stepTimeoutMs: 1_500,
    });
    expect(transcript.exit).toBeNull();
    expect(transcript.steps.map((s) => s.name)).toEqual(["health", "second"]);
    expect(transcript.steps[0]!.messages.slice(1)).toEqual([
      worker({ rawLine: "not json" }),
      {
        from: "driver",
        message: { incomplete: "step did not complete within 1500ms: no response to request id 1" },
      },
    ]);
    expect(transcript.steps[1]!.messages.at(-1)).toEqual({
      from: "driver",
      message: { incomplete: "step did not complete within 1500ms: no response to request id 2" },
    });
  });

  it("records both directions in order and answers the worker's requests", async () => {
    const entry = workerFile(
      "echo.mjs",
      [
        "let buffer = '';",
        "process.stdin.setEncoding('utf8');",
        "process.stdin.on('data', (chunk) => {",
        "  buffer += chunk;",
        "  let at;",
        "  while ((at = buffer.indexOf('\\n')) >= 0) {",
        "    const message = JSON.parse(buffer.slice(0, at));",
        "    buffer = buffer.slice(at + 1);",
        "    const send = (m) => process.stdout.write(JSON.stringify(m) + '\\n');",
        "    if (message.method === 'health') send({ jsonrpc: '2.0', id: 70, method: 'state.get', params: { scopeKind: 'instance', stateKey: 'k' } });",
        "    else if (message.id === 70) { send({ jsonrpc: '2.0', id: 1, result: { status: 'ok', state: message.result } }); process.exit(0); }",
        "  }",
        "});",
      ].join("\n"),
    );
    const transcript = await recordTranscript(entry, [{ ...healthStep, expectExit: true }]);
    expect(transcript.exit).toEqual({ code: 0, signal: null });
    expect(transcript.steps[0]!.messages).toEqual([
      host({ jsonrpc: "2.0", id: 1, method: "health", params: {} }),
      worker({
        jsonrpc: "2.0",
        id: 70,
        method: "state.get",
        params: { scopeKind: "instance", stateKey: "k" },
      }),
      host({ jsonrpc: "2.0", id: 70, result: null }),
      worker({ jsonrpc: "2.0", id: 1, result: { status: "ok", state: null } }),
    ]);
  });
});
