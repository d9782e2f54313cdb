// Checks on untrusted JSON values (HTTP bodies, worker→host params, plugin results) that PostgreSQL or V8 would
// otherwise trip over later, far from the field that caused it:
// - nesting deeper than MAX_JSON_DEPTH levels (JSON.stringify, drizzle and every recursive walk overflow the stack
//   somewhere past a few thousand levels: "Maximum call stack size exceeded");
// - strings (values and keys) PostgreSQL refuses: NUL (U+0000) in text and jsonb (22021, 22P05), and lone UTF-16
//   surrogates, which jsonb refuses as escapes and text silently turns into U+FFFD.
// Every walk here is iterative (an explicit stack), so a value nested a million levels deep is just a long loop.

/** How deep a JSON value may nest: `{}` and `[]` are one level, `{"a": []}` two. */
export const MAX_JSON_DEPTH = 64;

export type JsonPathSegment = string | number;

export type JsonProblemKind = "depth" | "nul" | "surrogate";

export interface JsonProblem {
  kind: JsonProblemKind;
  /** Where: keys and indexes from the root. For a key that is itself bad, the path of its object plus the key. */
  path: JsonPathSegment[];
  /** True when the bad string is an object key rather than a value. */
  inKey: boolean;
}

// Without the `u` flag a regex sees UTF-16 code units, so a surrogate without its partner is visible.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The problem of one string, or null when PostgreSQL can store it as it is. */
export function stringProblem(value: string): "nul" | "surrogate" | null {
  if (value.includes("\u0000")) return "nul";
  if (LONE_SURROGATE.test(value)) return "surrogate";
  return null;
}

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | null;
  key: JsonPathSegment | null;
}

function pathOf(frame: Frame | null): JsonPathSegment[] {
  const path: JsonPathSegment[] = [];
  for (let at = frame; at !== null && at.key !== null; at = at.parent) path.push(at.key);
  return path.reverse();
}

/**
 * The first problem of `value` in document order (depth, NUL, lone surrogate), or null. `maxDepth` counts
 * container levels; `checkStrings: false` checks the depth only.
 */
export function findJsonProblem(
  value: unknown,
  options: { maxDepth?: number; checkStrings?: boolean } = {},
): JsonProblem | null {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const checkStrings = options.checkStrings ?? true;
  const stack: Frame[] = [{ value, depth: 0, parent: null, key: null }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const current = frame.value;
    if (typeof current === "string") {
      if (!checkStrings) continue;
      const kind = stringProblem(current);
      if (kind) return { kind, path: pathOf(frame), inKey: false };
      continue;
    }
    if (current === null || typeof current !== "object") continue;
    const depth = frame.depth + 1;
    if (depth > maxDepth) return { kind: "depth", path: pathOf(frame), inKey: false };
    if (Array.isArray(current)) {
      // Pushed last-first so they come off the stack in document order.
      for (let index = current.length - 1; index >= 0; index--) {
        const item = current[index];
        if (item !== null && (typeof item === "object" || (checkStrings && typeof item === "string"))) {
          stack.push({ value: item, depth, parent: frame, key: index });
        }
      }
      continue;
    }
    const keys = Object.keys(current);
    if (checkStrings) {
      for (const key of keys) {
        const kind = stringProblem(key);
        if (kind) return { kind, path: [...pathOf(frame), key], inKey: true };
      }
    }
    for (let index = keys.length - 1; index >= 0; index--) {
      const key = keys[index]!;
      const item = (current as Record<string, unknown>)[key];
      if (item !== null && (typeof item === "object" || (checkStrings && typeof item === "string"))) {
        stack.push({ value: item, depth, parent: frame, key });
      }
    }
  }
  return null;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_PATH_CHARS = 80;

/** `$.a.b[0]["odd key"]`, cut with "…" past a readable length. */
export function formatJsonPath(path: readonly JsonPathSegment[], root = "$"): string {
  let out = root;
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += `.${segment}`;
    // JSON.stringify already escapes C0 controls; C1 controls, line separators and lone surrogates are escaped here.
    else
      out += `[${JSON.stringify(segment).replace(/[\u007f-\u009f\u2028\u2029\ud800-\udfff]/g, escapeChar)}]`;
    if (out.length > MAX_PATH_CHARS) return `${out.slice(0, MAX_PATH_CHARS)}…`;
  }
  return out;
}

function escapeChar(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** `title`, `metadata.a.0.b`: the dotted field form the validation errors use ("(root)" for the whole value). */
export function dottedField(path: readonly JsonPathSegment[]): string {
  if (path.length === 0) return "(root)";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping NUL on purpose
  const text = path.map((segment) => String(segment).replace(/[\u0000\ud800-\udfff]/g, escapeChar)).join(".");
  return text.length > MAX_PATH_CHARS ? `${text.slice(0, MAX_PATH_CHARS)}…` : text;
}

/** What is wrong, in words, after the name of the place ("body.title must …"). */
export function describeJsonProblem(problem: JsonProblem, maxDepth = MAX_JSON_DEPTH): string {
  switch (problem.kind) {
    case "depth":
      return `is JSON nested deeper than ${maxDepth} levels`;
    case "nul":
      return problem.inKey
        ? "has a key containing the NUL character (\\u0000), which cannot be stored"
        : "must not contain the NUL character (\\u0000), which cannot be stored";
    case "surrogate":
      return problem.inKey
        ? "has a key containing a lone UTF-16 surrogate (not valid Unicode), which cannot be stored"
        : "must be valid Unicode: it contains a lone UTF-16 surrogate (\\uD800-\\uDFFF without its pair)";
  }
}

/**
 * One sentence naming the limit or the rule and where it was broken, e.g.
 * `JSON nested deeper than 64 levels at $.a.a.a…` or `params.value.name must not contain the NUL character…`.
 */
export function jsonProblemMessage(problem: JsonProblem, root: string, maxDepth = MAX_JSON_DEPTH): string {
  const where = problem.inKey ? problem.path.slice(0, -1) : problem.path;
  if (problem.kind === "depth") {
    return `JSON nested deeper than ${maxDepth} levels at ${formatJsonPath(where, root)}`;
  }
  return `${formatJsonPath(where, root)} ${describeJsonProblem(problem, maxDepth)}`;
}

/**
 * Cheap pre-checks on JSON text, so the common body (no deep nesting, no suspicious escapes) is never walked:
 * depth can only exceed `maxDepth` when the text has more than `maxDepth` opening brackets, and a NUL or a lone
 * surrogate can only come from a `\u0000` or `\uD8xx`–`\uDFxx` escape (raw ones are not valid JSON or UTF-8).
 */
export function jsonTextNeedsCheck(text: string, maxDepth = MAX_JSON_DEPTH): boolean {
  return SUSPICIOUS_ESCAPE.test(text) || moreOpenersThan(text, maxDepth);
}

const SUSPICIOUS_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

function moreOpenersThan(text: string, limit: number): boolean {
  let count = 0;
  for (const opener of ["{", "["]) {
    let at = text.indexOf(opener);
    while (at !== -1) {
      if (++count > limit) return true;
      at = text.indexOf(opener, at + 1);
    }
  }
  return false;
}

/** Replace what PostgreSQL cannot store (NUL, lone surrogates) with U+FFFD: for text that cannot be refused (logs). */
export function storableText(value: string): string {
  if (stringProblem(value) === null) return value;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing NUL on purpose
  return value.replace(/\u0000/g, "\uFFFD").replace(new RegExp(LONE_SURROGATE.source, "g"), "\uFFFD");
}

/**
 * A copy of a JSON value with `mapString` applied to every string, value and key (iteratively: any depth is safe).
 * Containers deeper than `maxDepth` levels are replaced by `tooDeep`. Non-JSON objects are copied as plain objects.
 */
export function mapJsonStrings(
  value: unknown,
  mapString: (text: string) => string,
  options: { maxDepth?: number; tooDeep?: unknown } = {},
): unknown {
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const tooDeep = options.tooDeep ?? null;
  if (typeof value === "string") return mapString(value);
  if (value === null || typeof value !== "object") return value;
  if (maxDepth < 1) return tooDeep;
  const make = (source: object): Record<string | number, unknown> =>
    (Array.isArray(source) ? new Array(source.length) : {}) as Record<string | number, unknown>;
  const root = make(value);
  const tasks: Array<{ source: object; target: Record<string | number, unknown>; depth: number }> = [
    { source: value, target: root, depth: 1 },
  ];
  while (tasks.length > 0) {
    const { source, target, depth } = tasks.pop()!;
    const put = (key: string | number, item: unknown) => {
      let out: unknown;
      if (typeof item === "string") out = mapString(item);
      else if (item === null || typeof item !== "object") out = item;
      else if (depth + 1 > maxDepth) out = tooDeep;
      else {
        const child = make(item);
        tasks.push({ source: item, target: child, depth: depth + 1 });
        out = child;
      }
      // A "__proto__" key from JSON.parse is an own property: keep it one (plain assignment would set the prototype).
      if (key === "__proto__") {
        Object.defineProperty(target, key, {
          value: out,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else target[key] = out;
    };
    if (Array.isArray(source)) {
      for (let index = 0; index < source.length; index++) put(index, source[index]);
    } else {
      for (const key of Object.keys(source)) put(mapString(key), (source as Record<string, unknown>)[key]);
    }
  }
  return root;
}

/**
 * What PostgreSQL can store of a value that cannot be refused (a log line's meta): bad strings become U+FFFD,
 * containers past MAX_JSON_DEPTH a note. Returns the value itself when nothing needed changing.
 */
export function storableJson<T>(value: T, mapString: (text: string) => string = (text) => text): T {
  return mapJsonStrings(value, (text) => storableText(mapString(text)), {
    maxDepth: MAX_JSON_DEPTH,
    tooDeep: `[nested deeper than ${MAX_JSON_DEPTH} levels]`,
  }) as T;
}
