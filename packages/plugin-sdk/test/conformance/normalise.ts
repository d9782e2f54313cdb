// Normalisation and comparison of transcripts. Two workers that speak the same protocol still differ in
// things that carry no meaning: the JSON-RPC ids each side picks, the uuids the host generates per run,
// timestamps, durations and stack traces. Those are replaced by stable placeholders; everything else must
// match exactly. Correlation survives: a response keeps the label of the request it answers, and each
// distinct uuid keeps its own numbered placeholder, so echoing the wrong invocation id is still a difference.

import type { RecordedMessage, Sender, Transcript, WorkerExit } from "./driver.js";

export interface NormalisedStep {
  name: string;
  purpose: string;
  messages: RecordedMessage[];
}

export interface NormalisedTranscript {
  steps: NormalisedStep[];
  exit: WorkerExit | null;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const ISO_TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g;
const DURATION_KEY = /^(?:duration|elapsed|latency)(?:Ms|Millis|Seconds)?$/i;
const STACK_FRAME = /\n\s+at [\s\S]*$/;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The two sides of the JSON-RPC conversation (driver notes carry no ids). */
type Peer = Exclude<Sender, "driver">;

/** Per-transcript placeholder tables, shared by every message so numbering follows first appearance. */
class Placeholders {
  private readonly requestIds: Record<Peer, Map<unknown, string>> = { host: new Map(), worker: new Map() };
  private readonly uuids = new Map<string, string>();

  /** A request's id becomes `<sender>:<n>`, numbered per direction in the order requests were sent. */
  labelRequest(from: Peer, id: unknown): string {
    const table = this.requestIds[from];
    let label = table.get(id);
    if (label === undefined) {
      label = `${from}:${table.size + 1}`;
      table.set(id, label);
    }
    return label;
  }

  /** A response's id is looked up among the other side's requests; an id nobody sent stays as it was. */
  labelResponse(from: Peer, id: unknown): unknown {
    const requester: Peer = from === "host" ? "worker" : "host";
    return this.requestIds[requester].get(id) ?? id;
  }

  uuid(value: string): string {
    const key = value.toLowerCase();
    let label = this.uuids.get(key);
    if (label === undefined) {
      label = `<uuid-${this.uuids.size + 1}>`;
      this.uuids.set(key, label);
    }
    return label;
  }
}

export interface NormaliseOptions {
  /** Absolute paths (e.g. the worker entry file) replaced by a placeholder wherever they appear. */
  paths?: Record<string, string>;
}

export function normaliseTranscript(
  transcript: Transcript,
  options: NormaliseOptions = {},
): NormalisedTranscript {
  const placeholders = new Placeholders();
  const paths = Object.entries(options.paths ?? {}).sort(([a], [b]) => b.length - a.length);
  const normaliseString = (value: string): string => {
    let text = value.replace(STACK_FRAME, "\n<stack>");
    for (const [path, placeholder] of paths) text = text.split(path).join(placeholder);
    return text.replace(UUID, (match) => placeholders.uuid(match)).replace(ISO_TIMESTAMP, "<timestamp>");
  };
  const normaliseValue = (value: unknown, key?: string): unknown => {
    if (typeof value === "string") return key === "stack" ? "<stack>" : normaliseString(value);
    if (typeof value === "number" && key !== undefined && DURATION_KEY.test(key)) return "<duration>";
    if (Array.isArray(value)) return value.map((item) => normaliseValue(item));
    if (isObject(value)) {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) out[k] = normaliseValue(v, k);
      return out;
    }
    return value;
  };
  const normaliseMessage = ({ from, message }: RecordedMessage): RecordedMessage => {
    if (from === "driver" || !isObject(message)) return { from, message: normaliseValue(message) };
    const out = normaliseValue(message) as JsonObject;
    if ("id" in message && message.id !== null) {
      out.id =
        typeof message.method === "string"
          ? placeholders.labelRequest(from, message.id)
          : placeholders.labelResponse(from, message.id);
    }
    return { from, message: out };
  };
  return {
    steps: transcript.steps.map((step) => ({
      name: step.name,
      purpose: step.purpose,
      messages: step.messages.map(normaliseMessage),
    })),
    exit: transcript.exit,
  };
}

/** JSON with object keys sorted, so key order (which carries no meaning in JSON-RPC) never differs. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

/**
 * Compares two transcripts message by message and returns one readable entry per difference (empty when
 * they match). Steps are compared pairwise, so an extra message in one step does not shift every later one.
 * Each entry names the global message index (counted in `expected`), the step and both versions.
 */
export function diffTranscripts(
  expected: NormalisedTranscript,
  actual: NormalisedTranscript,
  labels: { expected: string; actual: string } = { expected: "expected", actual: "actual" },
): string[] {
  const differences: string[] = [];
  const width = Math.max(labels.expected.length, labels.actual.length);
  const show = (label: string, entry: RecordedMessage | undefined) =>
    `    ${label.padEnd(width)}: ${entry ? `${entry.from}→ ${canonicalJson(entry.message)}` : "(no message)"}`;
  let globalIndex = 0;
  for (let s = 0; s < Math.max(expected.steps.length, actual.steps.length); s++) {
    const left = expected.steps[s];
    const right = actual.steps[s];
    if (left?.name !== right?.name) {
      differences.push(
        `step ${s}: ${labels.expected} "${left?.name ?? "(none)"}", ${labels.actual} "${right?.name ?? "(none)"}"`,
      );
      globalIndex += left?.messages.length ?? 0;
      continue;
    }
    const count = Math.max(left!.messages.length, right!.messages.length);
    for (let m = 0; m < count; m++) {
      const a = left!.messages[m];
      const b = right!.messages[m];
      const same = a && b && a.from === b.from && canonicalJson(a.message) === canonicalJson(b.message);
      if (!same) {
        differences.push(
          [
            `message #${globalIndex + m} (step ${s} "${left!.name}", message ${m} of the step)`,
            show(labels.expected, a),
            show(labels.actual, b),
          ].join("\n"),
        );
      }
    }
    globalIndex += left!.messages.length;
  }
  if (canonicalJson(expected.exit) !== canonicalJson(actual.exit)) {
    differences.push(
      `worker exit: ${labels.expected} ${canonicalJson(expected.exit)}, ${labels.actual} ${canonicalJson(actual.exit)}`,
    );
  }
  return differences;
}
