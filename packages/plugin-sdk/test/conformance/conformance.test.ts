// The compatibility contract: the same probe plugin, built once with the published
// @paperclipai/plugin-sdk@2026.916.1 and once with ours, runs as a real child process through the same
// scripted host conversation. The normalised transcripts must match message by message, the published one
// must match the reviewed golden file, and a few key facts are asserted directly on both so the comparison
// can never pass by both sides being equally wrong or empty.
//
// Regenerate the golden file after a deliberate change to the conversation or the probe plugin with
//   UPDATE_CONFORMANCE_TRANSCRIPT=1 npx vitest run packages/plugin-sdk/test/conformance

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { CONVERSATION } from "./conversation.js";
import { recordTranscript } from "./driver.js";
import { readGoldenTranscript, writeGoldenTranscript } from "./golden-file.js";
import { diffTranscripts, type NormalisedTranscript, normaliseTranscript } from "./normalise.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const PUBLISHED_ENTRY = join(HERE, "fixture", "published-worker.mjs");
const OUR_ENTRY = join(HERE, "fixture", "our-worker.mjs");
const GOLDEN_FILE = join(HERE, "published-transcript.json");
const UPDATE_GOLDEN = process.env.UPDATE_CONFORMANCE_TRANSCRIPT === "1";

interface Run {
  transcript: NormalisedTranscript;
  stderr: string;
}

async function recordNormalised(entryFile: string): Promise<Run> {
  const raw = await recordTranscript(entryFile, CONVERSATION);
  const paths = { [entryFile]: "<worker-entry>", [HERE]: "<conformance-dir>" };
  return { transcript: normaliseTranscript(raw, { paths }), stderr: raw.stderr };
}

function failureReport(differences: string[], stderr: string): string {
  const tail = stderr.length > 4000 ? `…${stderr.slice(-4000)}` : stderr;
  return `${differences.length} difference(s):\n\n${differences.join("\n\n")}\n\nworker stderr:\n${tail}`;
}

type Message = Record<string, any>;

/** Read-only queries over one normalised transcript, by step name. */
class TranscriptView {
  constructor(private readonly transcript: NormalisedTranscript) {}

  step(name: string) {
    const step = this.transcript.steps.find((s) => s.name === name);
    if (!step) throw new Error(`Transcript has no step named "${name}"`);
    return step;
  }

  sent(name: string, from: "host" | "worker"): Message[] {
    return this.step(name)
      .messages.filter((m) => m.from === from)
      .map((m) => m.message as Message);
  }

  /** The worker's response to the host request the step sent. */
  response(name: string): Message {
    const request = this.sent(name, "host")[0]!;
    const reply = this.sent(name, "worker").find((m) => m.id === request.id && !("method" in m));
    if (!reply) throw new Error(`Step "${name}" has no worker response to ${request.id}`);
    return reply;
  }

  errorCode(name: string): number | undefined {
    return this.response(name).error?.code;
  }
}

/** Facts every conforming worker shows; asserted on the published and on our transcript alike. */
function assertKeyFacts(transcript: NormalisedTranscript): void {
  const view = new TranscriptView(transcript);

  expect(view.response("initialize").result).toEqual({
    ok: true,
    supportedMethods: ["validateConfig", "configChanged", "health", "shutdown"],
  });
  // setup() talks to the host before the initialize response goes out.
  const setupCalls = view.sent("initialize", "worker").filter((m) => typeof m.method === "string");
  expect(setupCalls.slice(0, 2).map((m) => [m.method, m.params])).toEqual([
    ["events.subscribe", { eventPattern: "issue.created", filter: null }],
    ["events.subscribe", { eventPattern: "issue.*", filter: { companyId: "company-a" } }],
  ]);
  expect(setupCalls.map((m) => m.method)).toEqual(expect.arrayContaining(["state.get", "config.get"]));

  expect(view.errorCode("initialize again")).toBe(-32002);
  expect(view.errorCode("getData missing key")).toBe(-32002);
  expect(view.errorCode("performAction fail-coded")).toBe(4290);
  expect(view.errorCode("performAction fail-plain")).toBe(-32002);
  expect(view.errorCode("performAction denied")).toBe(-32001);
  expect(view.response("performAction unknown-host-method").result.caught.code).toBe(-32601);
  expect(view.errorCode("runJob unknown")).toBe(-32002);
  expect(view.errorCode("configChanged company-c, different config")).toBe(-32006);
  expect(view.errorCode("handleApiRequest without hook")).toBe(-32004);
  expect(view.errorCode("unknown method")).toBe(-32601);
  for (const name of ["malformed line", "non-object JSON", "JSON array", "wrong jsonrpc version"]) {
    expect(view.sent(name, "worker"), name).toEqual([
      { jsonrpc: "2.0", id: null, error: expect.objectContaining({ code: -32700 }) },
    ]);
  }
  expect(view.sent("response to unknown id", "worker")).toEqual([]);

  // Every worker→host message made while serving an invocation echoes that invocation's id, across
  // timers and microtasks; job runs have no invocation and carry none.
  const deferredInvocation = view.sent("performAction deferred", "host")[0]!.paperclipInvocation.id;
  const deferredCalls = view.sent("performAction deferred", "worker").filter((m) => "method" in m);
  expect(deferredCalls.map((m) => m.method)).toEqual(["state.get", "log", "metrics.write"]);
  for (const call of deferredCalls) expect(call.paperclipInvocationId).toBe(deferredInvocation);
  for (const call of view.sent("runJob nightly-sync", "worker"))
    expect(call).not.toHaveProperty("paperclipInvocationId");

  // The companyId filter: company-b's event reaches only the unfiltered handler.
  const companyBLogs = view
    .sent("onEvent notification, company-b", "worker")
    .filter((m) => m.method === "log");
  expect(companyBLogs.map((m) => m.params.message)).toEqual(["issue.created handled"]);

  expect(transcript.exit).toEqual({ code: 0, signal: null });
}

let published: NormalisedTranscript;
let publishedStderr: string;

beforeAll(async () => {
  ({ transcript: published, stderr: publishedStderr } = await recordNormalised(PUBLISHED_ENTRY));
});

describe("published SDK (2026.916.1) transcript", () => {
  it("matches the golden transcript in published-transcript.json", () => {
    if (UPDATE_GOLDEN || !existsSync(GOLDEN_FILE)) {
      writeGoldenTranscript(GOLDEN_FILE, published);
      if (!UPDATE_GOLDEN) throw new Error(`Golden transcript was missing; wrote ${GOLDEN_FILE}, review it`);
    }
    const golden = readGoldenTranscript(GOLDEN_FILE);
    const differences = diffTranscripts(golden, published, { expected: "golden", actual: "published" });
    expect(differences, failureReport(differences, publishedStderr)).toEqual([]);
  });

  it("shows the key protocol facts", () => {
    assertKeyFacts(published);
  });
});

describe("our SDK transcript", () => {
  let ours: NormalisedTranscript;
  let ourStderr: string;

  beforeAll(async () => {
    ({ transcript: ours, stderr: ourStderr } = await recordNormalised(OUR_ENTRY));
  });

  it("matches the published transcript message by message", () => {
    const differences = diffTranscripts(published, ours, { expected: "published", actual: "ours" });
    expect(differences, failureReport(differences, ourStderr)).toEqual([]);
  });

  it("shows the key protocol facts", () => {
    assertKeyFacts(ours);
  });
});
