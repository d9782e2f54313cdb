// The iterative checks on untrusted JSON: depth, NUL and lone surrogates found in document order at any depth
// (300,000 levels is a long loop, not a stack overflow), the cheap text pre-check, the body parser's 400s, and
// the walks of the host over user JSON (redaction, secret references) on values far deeper than the stack allows.
import { describe, expect, it } from "vitest";
import type { DomainError } from "../src/errors.js";
import { parseJsonBody } from "../src/http/json-body.js";
import {
  findJsonProblem,
  formatJsonPath,
  jsonProblemMessage,
  jsonTextNeedsCheck,
  MAX_JSON_DEPTH,
  mapJsonStrings,
  storableJson,
  storableText,
} from "../src/json-values.js";
import { findSecretRefs, validateConfig } from "../src/plugins/config/index.js";
import { checkParams } from "../src/plugins/host-services/params.js";
import { SecretRedactor } from "../src/plugins/secrets/index.js";

function nested(depth: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

function nestedArrays(depth: number): unknown {
  return JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`);
}

function bodyError(text: string): DomainError {
  try {
    parseJsonBody(text);
  } catch (error) {
    return error as DomainError;
  }
  throw new Error("expected a refusal");
}

describe("findJsonProblem", () => {
  it("allows exactly MAX_JSON_DEPTH levels and names the path of the first container past them", () => {
    expect(MAX_JSON_DEPTH).toBe(64);
    expect(findJsonProblem(nested(64))).toBeNull();
    const problem = findJsonProblem(nested(65));
    expect(problem?.kind).toBe("depth");
    expect(problem?.path).toHaveLength(64);
    expect(jsonProblemMessage(problem!, "$")).toMatch(
      /^JSON nested deeper than 64 levels at \$\.a\.a\.a.*…$/,
    );
  });

  it("walks 300,000 levels without recursion", () => {
    const deep = nestedArrays(300_000);
    expect(findJsonProblem(deep, { maxDepth: 1_000_000 })).toBeNull();
    expect(findJsonProblem(deep)?.kind).toBe("depth");
  });

  it("finds NUL and lone surrogates in values and keys, in document order", () => {
    expect(findJsonProblem({ a: "ok", b: ["fine", { c: "x\u0000" }], d: "\ud800" })).toEqual({
      kind: "nul",
      path: ["b", 1, "c"],
      inKey: false,
    });
    expect(findJsonProblem({ "bad\udc00key": 1 })).toEqual({
      kind: "surrogate",
      path: ["bad\udc00key"],
      inKey: true,
    });
    // Surrogate pairs (emoji) are fine; so are RTL marks and other odd but valid text.
    expect(findJsonProblem({ emoji: "😀", rtl: "\u202eabc\u202c", sep: "\u2028" })).toBeNull();
    expect(findJsonProblem({ a: "x\u0000" }, { checkStrings: false })).toBeNull();
  });

  it("formats paths readably, quoting odd keys and escaping what cannot be printed", () => {
    expect(formatJsonPath(["a", 0, "b c", "\u0000"], "$")).toBe('$.a[0]["b c"]["\\u0000"]');
  });
});

describe("the JSON text pre-check", () => {
  it("skips ordinary bodies and flags the ones that need the walk", () => {
    expect(jsonTextNeedsCheck(JSON.stringify({ title: "x", list: [1, 2, { a: "b" }] }))).toBe(false);
    expect(jsonTextNeedsCheck('{"a":"\\u0000"}')).toBe(true);
    expect(jsonTextNeedsCheck('{"a":"\\uD83D\\uDE00"}')).toBe(true); // a pair: walked, then accepted
    expect(jsonTextNeedsCheck("[".repeat(65) + "]".repeat(65))).toBe(true);
  });
});

describe("parseJsonBody", () => {
  it("refuses deep, NUL and lone-surrogate bodies with a 400 naming the place", () => {
    const deep = bodyError(`{"metadata":${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}}`);
    expect(deep.httpStatus).toBe(400);
    expect(deep.message).toMatch(
      /^Validation error: JSON nested deeper than 64 levels at \$\.metadata\.a\.a/,
    );
    expect(deep.details).toMatchObject([
      { field: expect.stringMatching(/^metadata\.a\.a/), rule: "maxDepth", limit: 64 },
    ]);

    const arrays = bodyError(`{"params":{"x":${"[".repeat(50_000)}${"]".repeat(50_000)}}}`);
    expect(arrays.message).toMatch(
      /^Validation error: JSON nested deeper than 64 levels at \$\.params\.x\[0\]\[0\]/,
    );

    const nul = bodyError('{"title":"a\\u0000b"}');
    expect(nul.message).toBe(
      "Validation error: body.title must not contain the NUL character (\\u0000), which cannot be stored",
    );
    expect(nul.details).toEqual([
      {
        field: "title",
        location: "body",
        rule: "noNul",
        message: "must not contain the NUL character (\\u0000), which cannot be stored",
        path: "$.title",
      },
    ]);
    const surrogate = bodyError('{"metadata":{"list":["ok","\\udc00"]}}');
    expect(surrogate.message).toContain("body.metadata.list.1 must be valid Unicode");
    const key = bodyError('{"metadata":{"\\u0000":1}}');
    expect(key.message).toContain("body.metadata has a key containing the NUL character");
  });

  it("accepts what PostgreSQL stores: escaped backslashes, surrogate pairs, empty bodies", () => {
    expect(parseJsonBody('{"a":"\\\\u0000"}')).toEqual({ a: "\\u0000" });
    expect(parseJsonBody('{"a":"\\uD83D\\uDE00"}')).toEqual({ a: "😀" });
    expect(parseJsonBody("  ")).toBeUndefined();
    expect(bodyError("{").message).toMatch(/^Malformed JSON body/);
  });
});

describe("worker params", () => {
  it("are refused past 64 levels or with NUL text with -32602, at any depth", () => {
    const attempt = (params: unknown, options?: { rawText?: boolean }) => {
      try {
        checkParams("state.set", { type: "object" }, params, options);
        return null;
      } catch (error) {
        return error as { code: number; message: string };
      }
    };
    const deep = attempt({ value: nestedArrays(100_000) });
    expect(deep?.code).toBe(-32602);
    expect(deep?.message).toMatch(
      /^state\.set: JSON nested deeper than 64 levels at params\.value\[0\]\[0\]/,
    );
    expect(attempt({ value: { text: "\u0000" } })?.message).toBe(
      "state.set: params.value.text must not contain the NUL character (\\u0000), which cannot be stored",
    );
    expect(attempt({ body: "\u0000 binary" }, { rawText: true })).toBeNull();
    expect(attempt({ value: nested(63) })).toBeNull();
  });
});

describe("walks over user JSON at any depth", () => {
  it("redacts remembered secrets however deep they sit (the old walk stopped at 50 levels)", () => {
    const redactor = new SecretRedactor();
    redactor.remember("s3cret-value");
    const out = redactor.redactValue({
      deep: nested(10_000, "token s3cret-value"),
      "key s3cret-value": 1,
    }) as any;
    let leaf = out.deep;
    for (let level = 0; level < 10_000; level++) leaf = leaf.a;
    expect(leaf).toBe("token [REDACTED]");
    expect(Object.keys(out)).toContain("key [REDACTED]");
  });

  it("finds secret references in configs far deeper than the stack, in document order", () => {
    const ref = { type: "secret_ref", secretId: "s-1" };
    const refs = findSecretRefs(undefined, {
      first: ref,
      deep: nested(20_000, { type: "secret_ref", secretId: "s-2" }),
    });
    expect(refs.map((r) => r.secretId)).toEqual(["s-1", "s-2"]);
    expect(refs[1]!.configPath.split(".")).toHaveLength(20_001);
    // A schema whose secret-ref field sits inside anyOf branches is still widened.
    const schema = {
      type: "object",
      properties: { key: { anyOf: [{ type: "string", format: "secret-ref" }] } },
    };
    expect(validateConfig(schema, { key: { type: "secret_ref", secretId: "abc" } })).toEqual({ valid: true });
    expect(findSecretRefs(schema, { key: "plain-id" })).toEqual([
      { configPath: "key", secretId: "plain-id", version: null },
    ]);
  });

  it("copies values without recursion, keeping __proto__ keys as data", () => {
    const copy = mapJsonStrings(JSON.parse('{"__proto__":{"x":"y"},"list":["a"]}'), (text) =>
      text.toUpperCase(),
    ) as any;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, "__PROTO__")).toBe(true);
    expect(copy.LIST).toEqual(["A"]);
    expect(mapJsonStrings(nestedArrays(200_000), (t) => t)).toBeDefined();
  });

  it("turns what cannot be refused (log lines) into storable text", () => {
    expect(storableText("a\u0000b\ud800c😀")).toBe("a\uFFFDb\uFFFDc😀");
    const meta = storableJson({ deep: nested(100), bad: "\u0000" }) as any;
    expect(meta.bad).toBe("\uFFFD");
    expect(findJsonProblem(meta)).toBeNull();
    expect(JSON.stringify(meta)).toContain("[nested deeper than 64 levels]");
  });
});
