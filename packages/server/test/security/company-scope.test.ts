// Adversarial: a plugin invoked for company A reaches for company B — its issues (read, write, by id under A's
// name), its record, its state, its streams — or, outside any invocation, for a company it is not configured for;
// and a raw worker forges the invocation id that decides its scope. Every attempt fails with a clear error
// (INVOCATION_SCOPE_DENIED naming both companies, or a not-found that reveals nothing), company B's data is
// unchanged, and a well-behaved plugin on the same host keeps answering during and after.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSse } from "../plugins/fixtures/bridge/support.js";
import { eventually, type RuntimeHost, startRuntimeHost } from "../plugins/fixtures/runtime/support.js";
import { ENGINES } from "../support/database.js";
import {
  attack,
  bridgeAction,
  bystander,
  copyAdversary,
  createCompany,
  installFolder,
  type Outcome,
  rawCalls,
  tempFolders,
} from "./fixtures/adversary-support.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());

const CAPABILITIES = [
  "companies.read",
  "issues.read",
  "issues.create",
  "issues.update",
  "plugin.state.read",
  "plugin.state.write",
  "agents.read",
  "goals.read",
  "projects.read",
];

describe.each(ENGINES)("acting on another company (%s)", (engine) => {
  let host: RuntimeHost;
  let companyA: string;
  let companyB: string;
  let issueB: { id: string; title: string };
  let sdk: { id: string };
  let raw: { id: string };
  let victim: { id: string };
  let watcher: ReturnType<typeof bystander>;

  const denied = (outcome: Outcome, method: string) => {
    expect(outcome.result, `${method} must not succeed`).toBeUndefined();
    expect(outcome.caught).toEqual({
      code: -32005,
      message:
        `Plugin "adversary.sdk" is not allowed to perform "${method}": requested company "${companyB}" but the ` +
        `current invocation is scoped to company "${companyA}"`,
    });
  };

  beforeAll(async () => {
    host = await startRuntimeHost(engine);
    companyA = (await createCompany(host.services, "Alpha")).id;
    companyB = (await createCompany(host.services, "Beta")).id;
    const created = await host.request("POST", `/api/companies/${companyB}/issues`, {
      title: "Beta's secret plan",
    });
    expect(created.status).toBe(201);
    issueB = created.body;
    const parent = temp.make(`company-${engine}`);
    victim = await installFolder(host, copyAdversary("adversary-victim", parent));
    sdk = await installFolder(
      host,
      copyAdversary("adversary-sdk", parent, { manifest: { capabilities: CAPABILITIES } }),
    );
    raw = await installFolder(
      host,
      copyAdversary("adversary-raw", parent, { manifest: { capabilities: CAPABILITIES } }),
    );
    // Configured for company A only: outside an invocation, A is the one company it may touch.
    for (const plugin of [sdk, raw]) {
      const saved = await host.request("POST", `/api/plugins/${plugin.id}/config`, {
        companyId: companyA,
        configJson: {},
      });
      expect(saved.status).toBe(200);
    }
    watcher = bystander(host, victim.id, companyB);
  }, 60_000);

  afterAll(async () => {
    const seen = await watcher?.stop();
    await host?.close();
    // The victim answered for company B the whole time the adversaries worked on it.
    expect(seen?.failures).toEqual([]);
    expect(seen?.answered).toBeGreaterThan(0);
  });

  it("refuses reads of company B's issues, company, agents, goals and projects during an invocation for A", async () => {
    denied(await attack(host, sdk.id, "issues.list", [{ companyId: companyB }], companyA), "issues.list");
    denied(await attack(host, sdk.id, "issues.get", [issueB.id, companyB], companyA), "issues.get");
    denied(await attack(host, sdk.id, "companies.get", [companyB], companyA), "companies.get");
    denied(await attack(host, sdk.id, "agents.list", [{ companyId: companyB }], companyA), "agents.list");
    denied(await attack(host, sdk.id, "goals.list", [{ companyId: companyB }], companyA), "goals.list");
    denied(await attack(host, sdk.id, "projects.list", [{ companyId: companyB }], companyA), "projects.list");
    // The same calls for its own company work: the gate is about the company, not the method.
    expect((await attack(host, sdk.id, "issues.list", [{ companyId: companyA }], companyA)).result).toEqual(
      [],
    );
  });

  it("refuses writes to company B's issues, and leaves them untouched", async () => {
    denied(
      await attack(host, sdk.id, "issues.create", [{ companyId: companyB, title: "planted" }], companyA),
      "issues.create",
    );
    denied(
      await attack(host, sdk.id, "issues.update", [issueB.id, { title: "defaced" }, companyB], companyA),
      "issues.update",
    );
    const issues = (await host.request("GET", `/api/companies/${companyB}/issues`)).body as Array<{
      title: string;
    }>;
    expect(issues.map((issue) => issue.title)).toEqual(["Beta's secret plan"]);
  });

  it("does not find company B's issue by id when the plugin names its own company instead", async () => {
    const read = await attack(host, sdk.id, "issues.get", [issueB.id, companyA], companyA);
    const written = await attack(
      host,
      sdk.id,
      "issues.update",
      [issueB.id, { title: "defaced" }, companyA],
      companyA,
    );
    // Either a clean "nothing here" or a clear not-found: never B's issue, never a change to it.
    expect(read.result ?? null).toBeNull();
    if (read.caught) expect(read.caught.message).toMatch(/not found/i);
    expect(written.result).toBeUndefined();
    expect(written.caught?.message).toMatch(/issues\.update: .*not found/i);
    const stored = (await host.request("GET", `/api/issues/${issueB.id}`)).body;
    expect(stored.title).toBe("Beta's secret plan");
  });

  it("refuses company B's state, and a company key without its company", async () => {
    const key = { scopeKind: "company", scopeId: companyB, stateKey: "treasure" };
    denied(await attack(host, sdk.id, "state.get", [key], companyA), "state.get");
    denied(await attack(host, sdk.id, "state.set", [key, "mine now"], companyA), "state.set");
    const unscoped = await attack(
      host,
      sdk.id,
      "state.get",
      [{ scopeKind: "company", stateKey: "treasure" }],
      companyA,
    );
    expect(unscoped.caught?.code).toBe(-32005);
    expect(unscoped.caught?.message).toContain("a company-scoped key needs scopeId");
  });

  it("outside any invocation (a timer) reaches only the company it is configured for", async () => {
    const later = async (path: string, args: unknown[]) => {
      await bridgeAction(host, sdk.id, "ctx-later", { path, args }, companyA);
      return eventually(async () => {
        const answer = await bridgeAction<{ outcome?: Outcome }>(host, sdk.id, "later-result", {}, companyA);
        return answer.outcome ?? null;
      }, `the timer's ${path}`);
    };
    const other = await later("issues.list", [{ companyId: companyB }]);
    expect(other.caught?.code).toBe(-32005);
    expect(other.caught?.message).toContain(`company "${companyB}" has no saved config for this plugin`);
    const own = await later("issues.list", [{ companyId: companyA }]);
    expect(own).toEqual({ result: [] });
  });

  it("refuses a forged or unknown invocation id, whatever company the params name", async () => {
    const answers = await rawCalls(
      host,
      raw.id,
      [
        { method: "issues.list", params: { companyId: companyB } },
        {
          method: "issues.list",
          params: { companyId: companyB },
          invocation: "00000000-0000-4000-8000-000000000000",
        },
        { method: "issues.list", params: { companyId: companyA }, invocation: "forged-invocation" },
        { method: "issues.list", params: { companyId: companyB }, invocation: "none" },
      ],
      companyA,
    );
    expect(answers[0]!.error).toMatchObject({ code: -32005 });
    expect(answers[0]!.error!.message).toContain(`current invocation is scoped to company "${companyA}"`);
    for (const forged of [answers[1]!, answers[2]!]) {
      expect(forged.error).toEqual({
        code: -32005,
        message:
          'Plugin "adversary.raw" is not allowed to perform "issues.list": the worker referenced a missing, expired, ' +
          "or unknown invocation scope (paperclipInvocationId)",
      });
    }
    expect(answers[3]!.error?.code).toBe(-32005);
    expect(answers[3]!.error?.message).toContain(`company "${companyB}" has no saved config for this plugin`);
  });

  it("drops stream events for company B: B's subscribers see nothing, A's see theirs", async () => {
    const port = Number(new URL(host.baseUrl).port);
    const url = (companyId: string) => `/api/plugins/${sdk.id}/bridge/stream/loot?companyId=${companyId}`;
    const toB = await openSse(port, url(companyB));
    const toA = await openSse(port, url(companyA));
    try {
      await bridgeAction(host, sdk.id, "emit-stream", { channel: "loot", companyId: companyB }, companyA);
      await bridgeAction(host, sdk.id, "emit-stream", { channel: "loot", companyId: companyA }, companyA);
      await toA.waitFor(
        (client) => client.frames.some((frame) => frame.data.includes("stolen")),
        "A's event",
      );
      expect(toB.frames.filter((frame) => frame.data.includes("stolen"))).toEqual([]);
    } finally {
      toA.close();
      toB.close();
    }
    // Still up, and the victim answered for B all along (checked when the suite ends).
    await expect(bridgeAction(host, victim.id, "ping", {}, companyB)).resolves.toMatchObject({
      pong: expect.any(Number),
    });
  });
});
