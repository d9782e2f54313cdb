// Fuzzing every route of the OpenAPI document of a running host (the full host app: domain and plugin routes, with
// the bridge-kit fixture plugin installed and ready). For each operation it sends values built from the route's own
// schemas, with any part swapped for something odd — NUL, lone surrogates, RTL marks, 1 MB strings, numbers as
// strings, arrays for objects, bodies nested 100 / 5,000 / 50,000 levels, missing and unknown properties — plus a
// fixed list of malformed bodies. fast-check draws the cases from a fixed seed, a bounded number per route.
//
// It asserts: no 5xx at all; every status is one the document declares for that route, with a body of the declared
// shape (`{error}`, or the bridge's PluginBridgeError); and the "protected" company created before the run — its
// rows in every table, its plugin config, the plugin's status — is byte-for-byte the same afterwards. Requests name
// only the ids of a separate sandbox company (or garbage), so whatever they change legitimately stays there.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BridgeHost,
  copyBridgeKit,
  startBridgeHost,
  tempFolders,
} from "./plugins/fixtures/bridge/support.js";
import { ENGINES } from "./support/database.js";

// CI runs the fixed seed and count; PAPERCLIP_FUZZ_SEED / PAPERCLIP_FUZZ_RUNS explore further by hand.
const SEED = Number(process.env.PAPERCLIP_FUZZ_SEED ?? 20_260_918);
/** Random cases per operation (the fixed malformed bodies come on top). */
const RUNS_PER_OPERATION = Number(process.env.PAPERCLIP_FUZZ_RUNS ?? 14);
const REQUEST_TIMEOUT_MS = 15_000;

type Schema = Record<string, any>;

interface Operation {
  method: string;
  /** OpenAPI path, `{param}` form */
  path: string;
  parameters: Array<{ name: string; in: string; schema?: Schema; required?: boolean }>;
  body: Schema | null;
  responses: Record<string, Schema>;
}

// ── odd values ────────────────────────────────────────────────────────────────────────────────────

/** Nesting written straight into the JSON text (JSON.stringify itself overflows past a few thousand levels). */
class Deep {
  constructor(
    readonly depth: number,
    readonly kind: "object" | "array",
  ) {}
}
const MEGABYTE = "x".repeat(1024 * 1024);
class Huge {}

function toJsonText(value: unknown): string {
  if (value instanceof Deep) {
    return value.kind === "array"
      ? `${"[".repeat(value.depth)}${"]".repeat(value.depth)}`
      : `${'{"a":'.repeat(value.depth)}1${"}".repeat(value.depth)}`;
  }
  if (value instanceof Huge) return JSON.stringify(MEGABYTE);
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => `${JSON.stringify(key)}:${toJsonText(item)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

const ODD_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfff",
  "\udc00\ud800",
  "\u202eevil\u202c",
  "\u200f\u200e",
  "\u2028\u2029",
  "😀",
  "\ufeff",
  "\r\n",
  "'; DROP TABLE companies; --",
  "../../etc/passwd",
  "%00",
  "\\u0000",
  "null",
  "123",
  "-1",
  "1e309",
  "true",
  "{}",
  "[]",
  "00000000-0000-0000-0000-000000000000",
  "not-a-uuid",
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const oddString: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ODD_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: loneSurrogate, minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constant(new Huge()) },
);
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: oddString },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(-1, 0, 1.5, 2 ** 53, -(2 ** 63), 1e308) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant([]) },
  { weight: 1, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom("a", 1, null), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(new Deep(100, "object"), new Deep(5_000, "object")) },
  { weight: 1, arbitrary: fc.constantFrom(new Deep(100, "array"), new Deep(50_000, "array")) },
);

// ── values from the document's schemas ────────────────────────────────────────────────────────────

/** Mostly what the schema asks for; sometimes something odd in its place (at any level). */
function fromSchema(
  schema: Schema | undefined,
  ids: IdPools,
  depth = 0,
  oddWeight = 1,
): fc.Arbitrary<unknown> {
  const valid = validFromSchema(schema, ids, depth, oddWeight);
  if (oddWeight === 0) return valid;
  return fc.oneof({ weight: 6, arbitrary: valid }, { weight: oddWeight, arbitrary: oddValue });
}

/** Text a schema accepts, odd characters included: RTL marks, emoji, quotes, line separators. */
const acceptedText = (minLength: number, maxLength: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength, maxLength }) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.constantFrom("‮", "‏", "😀", "'", '"', "\\", " ", "é", "%", "<b>", "x"), {
          minLength: Math.max(minLength, 1),
          maxLength: Math.max(Math.min(maxLength, 12), 1),
        })
        .map((parts) => parts.join("").slice(0, maxLength)),
    },
  );

function validFromSchema(
  schema: Schema | undefined,
  ids: IdPools,
  depth: number,
  oddWeight = 1,
): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return fc.constantFrom("x", 1, null, {});
  if (schema.anyOf || schema.oneOf) {
    const branches = (schema.anyOf ?? schema.oneOf) as Schema[];
    return fc.oneof(...branches.map((branch) => validFromSchema(branch, ids, depth, oddWeight)));
  }
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const maybeNull = (arb: fc.Arbitrary<unknown>) =>
    schema.nullable
      ? fc.oneof({ weight: 5, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(null) })
      : arb;
  switch (type) {
    case "string": {
      if (schema.format === "uuid") return maybeNull(fc.oneof(fc.constantFrom(...ids.all), fc.uuid()));
      if (schema.format === "date-time")
        return maybeNull(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
      const max = Math.min(Number(schema.maxLength ?? 40), 40);
      const min = Math.min(Number(schema.minLength ?? 0), max);
      return maybeNull(acceptedText(Math.max(min, 1), Math.max(max, 1)));
    }
    case "integer":
      return maybeNull(
        fc.integer({
          min: Math.max(Number(schema.minimum ?? -1_000), -1_000_000),
          max: Math.min(Number(schema.maximum ?? 1_000_000), 1_000_000),
        }),
      );
    case "number":
      return maybeNull(fc.double({ min: 0, max: 1e6, noNaN: true }));
    case "boolean":
      return maybeNull(fc.boolean());
    case "array":
      return maybeNull(
        fc.array(fromSchema(schema.items as Schema, ids, depth + 1, oddWeight), { maxLength: 3 }),
      );
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, child] of Object.entries(properties)) {
        record[name] = fromSchema(child, ids, depth + 1, oddWeight);
      }
      // Required properties mostly present, so cases get past the first check.
      const required = ((schema.required ?? []) as string[]).filter((name) => name in record);
      const base = fc.oneof(
        { weight: 3, arbitrary: fc.record(record, { requiredKeys: required }) },
        { weight: 1, arbitrary: fc.record(record, { requiredKeys: [] }) },
      );
      if (oddWeight === 0) return maybeNull(base);
      // Sometimes a property the schema does not declare.
      return maybeNull(
        fc
          .tuple(base, fc.option(fc.constantFrom("bogus", "__proto__", "constructor", "id"), { freq: 4 }))
          .map(([value, extra]) => (extra === null ? value : { ...value, [extra]: "extra" })),
      );
    }
    default:
      return fc.oneof(fc.constant({}), fc.constant({ a: 1 }), fc.constant("x"), fc.constant([1]));
  }
}

// ── ids ───────────────────────────────────────────────────────────────────────────────────────────

interface IdPools {
  all: string[];
  byName: Record<string, string[]>;
}

/** Path parameters: the sandbox's ids for that kind of record, a random UUID, or an odd string. */
function pathParamArbitrary(op: Operation, name: string, ids: IdPools): fc.Arbitrary<string> {
  const segments = op.path.split("/");
  const before = segments[segments.indexOf(`{${name}}`) - 1] ?? "";
  let pool: string[] = ids.byName[name] ?? [];
  if (name === "id") pool = ids.byName[before] ?? [];
  if (name === "key") pool = before === "documents" ? ["plan"] : ["echo", "pid", "nope"];
  if (name === "pluginId" && destructivePluginRoute(op)) pool = ["no-such-plugin"];
  const odd = oddString.filter((value): value is string => typeof value === "string" && value.length < 600);
  const arbitraries: Array<fc.WeightedArbitrary<string>> = [
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: odd },
  ];
  if (pool.length > 0) arbitraries.push({ weight: 6, arbitrary: fc.constantFrom(...pool) });
  return fc.oneof(...arbitraries);
}

/**
 * Plugin routes that would uninstall, stop, re-install or reconfigure the fixture (admin changes are written to every
 * company's activity log, the protected one included): never given its id.
 */
function destructivePluginRoute(op: Operation): boolean {
  return (
    (op.method === "DELETE" && op.path === "/api/plugins/{pluginId}") ||
    (op.method !== "GET" &&
      /^\/api\/plugins\/\{pluginId\}\/(enable|disable|upgrade|settings|sandbox|egress|ui-isolation|verify|dev|dev\/reload)$/.test(
        op.path,
      )) ||
    /\/jobs\/\{jobId\}\/(trigger|runs\/\{runId\}\/retry)$/.test(op.path)
  );
}

// ── requests ──────────────────────────────────────────────────────────────────────────────────────

interface Case {
  pathParams: Record<string, string>;
  query: Record<string, unknown>;
  /** JSON value, or a raw body (malformed JSON, another content type) */
  body: { json: unknown } | { raw: string; contentType: string } | null;
}

/** Percent-encoding that also writes lone surrogates (as WTF-8 bytes, which are not valid UTF-8). */
function encodeComponent(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return Array.from({ length: value.length }, (_, index) => {
      const code = value.charCodeAt(index);
      if (code < 0xd800 || code > 0xdfff) return encodeURIComponent(value[index]!);
      return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join("");
    }).join("");
  }
}

function urlOf(op: Operation, testCase: Case): string {
  let url = op.path;
  for (const [name, value] of Object.entries(testCase.pathParams)) {
    // The wildcard of the scoped plugin API keeps its slashes.
    const encoded = name === "*" ? value.split("/").map(encodeComponent).join("/") : encodeComponent(value);
    url = url.replace(`{${name}}`, encoded);
  }
  const query = Object.entries(testCase.query)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => {
      // Query strings stay under Node's 16 KB header limit (past it Node answers 431 before any route runs).
      const shallow = value instanceof Deep ? new Deep(Math.min(value.depth, 100), value.kind) : value;
      const text =
        value instanceof Huge
          ? MEGABYTE.slice(0, 1_000)
          : typeof value === "string"
            ? value
            : toJsonText(shallow);
      return `${encodeComponent(name)}=${encodeComponent(text)}`;
    })
    .join("&");
  return query ? `${url}?${query}` : url;
}

interface Outcome {
  status: number;
  body: unknown;
  text: string;
}

async function send(host: BridgeHost, op: Operation, testCase: Case): Promise<Outcome> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (testCase.body && "json" in testCase.body) {
    headers["content-type"] = "application/json";
    body = toJsonText(testCase.body.json);
  } else if (testCase.body) {
    headers["content-type"] = testCase.body.contentType;
    body = testCase.body.raw;
  }
  const response = await fetch(host.baseUrl + urlOf(op, testCase), {
    method: op.method,
    headers,
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  // A stream that opened is a success: read no further.
  if ((response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    await response.body?.cancel();
    return { status: response.status, body: null, text: "" };
  }
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text };
}

/** Problems with one answer: a 5xx, a status the document does not declare, a body of the wrong shape. */
function judge(op: Operation, testCase: Case, outcome: Outcome): string | null {
  const where = `${op.method} ${op.path}`;
  const sent = () => {
    const text = JSON.stringify({
      url: urlOf(op, testCase),
      body: testCase.body ? summarize(testCase.body) : null,
    });
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  };
  if (outcome.status >= 500)
    return `${where} → ${outcome.status} ${outcome.text.slice(0, 200)} for ${sent()}`;
  if (outcome.status < 400) return null;
  const declared = op.responses[String(outcome.status)];
  if (!declared) {
    return `${where} → ${outcome.status} is not declared in the document (${outcome.text.slice(0, 120)}) for ${sent()}`;
  }
  const body = outcome.body as Record<string, unknown> | null | undefined;
  const ref = JSON.stringify(declared);
  const isBridge = ref.includes("PluginBridgeError") && !ref.includes('/Error"');
  const ok = isBridge
    ? typeof body?.code === "string" && typeof body?.message === "string"
    : typeof body?.error === "string";
  if (!ok)
    return `${where} → ${outcome.status} body does not match the declared shape: ${outcome.text.slice(0, 160)}`;
  return null;
}

function summarize(body: NonNullable<Case["body"]>): unknown {
  if ("raw" in body) return { raw: body.raw.slice(0, 60), contentType: body.contentType };
  const text = toJsonText(body.json);
  return text.length > 200 ? `${text.slice(0, 200)}… (${text.length} chars)` : text;
}

/** The fixed malformed bodies every operation that takes one gets. */
function fixedBodies(op: Operation): Array<Case["body"]> {
  const required = (op.body?.required ?? []) as string[];
  const properties = Object.keys(op.body?.properties ?? {});
  const withEvery = (value: unknown) => Object.fromEntries(properties.map((name) => [name, value]));
  return [
    { json: withEvery("a\u0000b") },
    { json: withEvery("\ud800") },
    { json: withEvery(new Huge()) },
    { json: withEvery("123") },
    { json: withEvery([]) },
    { json: withEvery({ a: [1] }) },
    { json: { ...withEvery("x"), unexpected: true } },
    { json: new Deep(5_000, "object") },
    { json: { [properties[0] ?? "a"]: new Deep(50_000, "array") } },
    { json: [withEvery("x")] },
    { json: "just a string" },
    { json: 42 },
    { json: null },
    { json: Object.fromEntries(required.slice(1).map((name) => [name, "x"])) },
    { raw: '{"unterminated": ', contentType: "application/json" },
    { raw: "a=1", contentType: "application/x-www-form-urlencoded" },
    { raw: "", contentType: "application/json" },
  ];
}

// ── the protected company ────────────────────────────────────────────────────────────────────────

async function snapshot(host: BridgeHost, companyId: string, pluginId: string): Promise<unknown> {
  const db = host.services.db;
  const tables = await db.query<{ table_name: string }>(
    "fuzz_tables",
    `SELECT table_name FROM information_schema.columns
      WHERE column_name = 'company_id' AND table_schema = current_schema() ORDER BY table_name`,
    [],
  );
  const out: Record<string, unknown> = {};
  out.companies = await db.query("fuzz_company", "SELECT * FROM companies WHERE id = $1", [companyId]);
  for (const { table_name: table } of tables) {
    if (!/^[a-z_0-9]+$/.test(table)) continue;
    out[table] = await db.query(
      `fuzz_${table}`,
      `SELECT * FROM ${table} WHERE company_id::text = $1 ORDER BY 1`,
      [companyId],
    );
  }
  out.pluginState = await db.query(
    "fuzz_plugin_state",
    "SELECT scope_kind, scope_id, namespace, state_key, value_json FROM plugin_state WHERE plugin_id = $1 ORDER BY state_key",
    [pluginId],
  );
  out.plugin = await db.query("fuzz_plugin", "SELECT status, plugin_key FROM plugins WHERE id = $1", [
    pluginId,
  ]);
  return JSON.parse(JSON.stringify(out));
}

// ── the test ──────────────────────────────────────────────────────────────────────────────────────

describe.each(ENGINES)("fuzzing every route of the OpenAPI document on %s", (engine) => {
  let host: BridgeHost;
  const temp = tempFolders();
  let pluginId: string;
  let protectedCompanyId: string;
  let ids: IdPools;

  beforeAll(async () => {
    host = await startBridgeHost(engine);
    pluginId = (await host.install(copyBridgeKit(temp.make("fuzz")))).id;
    const post = async (url: string, body: unknown) => {
      const response = await host.request("POST", url, body);
      if (response.status >= 300)
        throw new Error(`seeding ${url}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    };

    // Protected: created before the run, never named by a request.
    const kept = await post("/api/companies", { name: "Protected Co", description: "must survive" });
    protectedCompanyId = kept.id;
    const keptIssue = await post(`/api/companies/${kept.id}/issues`, {
      title: "Keep me",
      description: "body",
    });
    await post(`/api/issues/${keptIssue.id}/comments`, {
      body: "a comment",
      metadata: { nested: { list: [1, "two"] } },
    });
    await host.request("PUT", `/api/issues/${keptIssue.id}/documents/plan`, {
      format: "markdown",
      body: "# plan",
    });
    await post(`/api/companies/${kept.id}/agents`, { name: "Keeper", role: "engineer" });
    await post(`/api/companies/${kept.id}/goals`, {
      title: "Keep goals",
      level: "company",
      status: "active",
    });
    await post(`/api/companies/${kept.id}/secrets`, { name: "kept-secret", value: "s3cret-value" });
    await post(`/api/plugins/${pluginId}/config`, { companyId: kept.id, configJson: { greeting: "hello" } });

    // Sandbox: the ids requests may name.
    const company = await post("/api/companies", { name: "Sandbox Co" });
    const agent = await post(`/api/companies/${company.id}/agents`, { name: "Sandy", role: "engineer" });
    const goal = await post(`/api/companies/${company.id}/goals`, {
      title: "Sandbox goal",
      level: "company",
    });
    const project = await post(`/api/companies/${company.id}/projects`, { name: "Sandbox project" });
    const issue = await post(`/api/companies/${company.id}/issues`, { title: "Sandbox issue" });
    const comment = await post(`/api/issues/${issue.id}/comments`, { body: "sandbox comment" });
    await host.request("PUT", `/api/issues/${issue.id}/documents/plan`, { format: "markdown", body: "v1" });
    const approval = await post(`/api/companies/${company.id}/approvals`, {
      type: "hire_agent",
      payload: {},
    });
    const run = await post(`/api/agents/${agent.id}/wakeup`, {});
    const secret = await post(`/api/companies/${company.id}/secrets`, {
      name: "sandbox-secret",
      value: "sandbox-value",
    });
    await post(`/api/plugins/${pluginId}/config`, { companyId: company.id, configJson: { greeting: "hi" } });
    ids = {
      all: [company.id, agent.id, goal.id, project.id, issue.id, comment.id, approval.id, run.id, secret.id],
      byName: {
        companyId: [company.id],
        issues: [issue.id, issue.identifier],
        agents: [agent.id],
        goals: [goal.id],
        projects: [project.id],
        approvals: [approval.id],
        runId: [run.id],
        commentId: [comment.id],
        secretId: [secret.id],
        pluginId: [pluginId, "bridge.kit"],
        channel: ["updates"],
        endpointKey: ["inbound"],
        jobId: ["nightly"],
        "*": ["things/t-1", "things", "implicit", "mine", `issues/${issue.id}/work`, "no/such/route"],
      },
    };
  });

  afterAll(async () => {
    await host?.close();
    temp.cleanup();
  });

  it("answers every route without a 5xx, only with declared statuses, and loses nothing stored before", async () => {
    const started = Date.now();
    const document = (await host.request("GET", "/api/openapi.json")).body as Schema;
    const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
    const deref = (schema: Schema | undefined): Schema | undefined =>
      schema?.$ref ? schemas[String(schema.$ref).split("/").pop()!] : schema;
    const operations: Operation[] = [];
    for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Schema>>)) {
      for (const [method, spec] of Object.entries(methods)) {
        operations.push({
          method: method.toUpperCase(),
          path,
          parameters: (spec.parameters ?? []) as Operation["parameters"],
          body: deref(spec.requestBody?.content?.["application/json"]?.schema) ?? null,
          responses: spec.responses ?? {},
        });
      }
    }
    expect(operations.length).toBeGreaterThan(100);
    expect(operations.some((op) => op.path.startsWith("/api/plugins/{pluginId}/actions"))).toBe(true);
    // Deletions last, the sandbox company's own deletion and archive very last.
    const rank = (op: Operation) =>
      /^\/api\/companies\/\{companyId\}(\/archive)?$/.test(op.path) &&
      op.method !== "GET" &&
      op.method !== "PATCH"
        ? 2
        : op.method === "DELETE"
          ? 1
          : 0;
    operations.sort((a, b) => rank(a) - rank(b));

    const before = await snapshot(host, protectedCompanyId, pluginId);
    const problems: string[] = [];
    let requests = 0;
    const statuses = new Map<number, number>();

    for (const [index, op] of operations.entries()) {
      const pathParams = op.parameters.filter((p) => p.in === "path");
      const queryParams = op.parameters.filter((p) => p.in === "query");
      const pathArb = fc.record(
        Object.fromEntries(pathParams.map((p) => [p.name, pathParamArbitrary(op, p.name, ids)])),
      ) as fc.Arbitrary<Record<string, string>>;
      const queryArb = fc.record(
        Object.fromEntries(
          queryParams.map((p) => [
            p.name,
            p.name === "companyId"
              ? fc.oneof(fc.constantFrom(...ids.byName.companyId!), oddString)
              : fc.oneof(fromSchema(p.schema, ids, 0, 0), fromSchema(p.schema, ids)),
          ]),
        ),
        { requiredKeys: [] },
      );
      const isInstall = op.path === "/api/plugins/install";
      const bodyArb: fc.Arbitrary<Case["body"]> = op.body
        ? isInstall
          ? // Never a well-formed package name: the fuzzer must not make the host fetch packages.
            fc.constantFrom<Case["body"]>(
              { json: { packageName: 5 } },
              { json: { packageName: "a\u0000b" } },
              { json: { packageName: new Huge() } },
              { json: { packageName: ["x"] } },
              { json: { version: "1.0.0" } },
            )
          : fc.oneof(fromSchema(op.body, ids, 0, 0), fromSchema(op.body, ids)).map((json) => ({ json }))
        : op.method === "GET"
          ? fc.constant(null)
          : fc.oneof(
              fc.constant(null),
              oddValue.map((json) => ({ json })),
            );
      const cases: Case[] = fc.sample(fc.record({ pathParams: pathArb, query: queryArb, body: bodyArb }), {
        seed: SEED + index,
        numRuns: RUNS_PER_OPERATION,
      }) as Case[];
      if (op.body && !isInstall) {
        const validPath = fc.sample(pathArb, { seed: SEED - index, numRuns: 1 })[0]!;
        for (const body of fixedBodies(op)) cases.push({ pathParams: validPath, query: {}, body });
      }
      for (const testCase of cases) {
        let outcome: Outcome;
        try {
          outcome = await send(host, op, testCase);
        } catch (error) {
          problems.push(
            `${op.method} ${op.path}: request failed (${(error as Error).message}) for ${urlOf(op, testCase)}`,
          );
          continue;
        }
        requests++;
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
        const problem = judge(op, testCase, outcome);
        if (problem) problems.push(problem);
      }
    }

    const health = await host.request("GET", "/api/health");
    if (health.status !== 200)
      problems.push(`GET /api/health after the run → ${health.status} ${JSON.stringify(health.body)}`);
    expect([...new Set(problems)].slice(0, 40)).toEqual([]);
    const after = await snapshot(host, protectedCompanyId, pluginId);
    const elapsed = Date.now() - started;
    console.info(
      `fuzz: ${operations.length} operations, ${requests} requests in ${elapsed} ms; statuses ${JSON.stringify(
        Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
      )}`,
    );
    expect(after).toEqual(before);
  }, 600_000);
});
