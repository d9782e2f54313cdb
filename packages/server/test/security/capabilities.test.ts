// Adversarial: plugins call host methods whose capability their manifest does not declare. Table-driven over the
// whole worker→host contract (the SDK's METHOD_CAPABILITY_MAP) with a worker that speaks the wire protocol itself,
// then per ctx namespace with a plugin built as published plugins are. Every attempt fails with a clear error
// (CAPABILITY_DENIED naming the plugin, method and capability; or METHOD_NOT_FOUND for what this host does not
// serve), nothing is written, and a well-behaved plugin on the same host keeps answering during and after.
import { createHostClientHandlers, getRequiredCapability } from "@paperclipai/plugin-sdk";
import type { WorkerToHostMethodName } from "@paperclipai/plugin-sdk/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RuntimeHost, startRuntimeHost } from "../plugins/fixtures/runtime/support.js";
import { ENGINES } from "../support/database.js";
import {
  attack,
  bridgeAction,
  bystander,
  copyAdversary,
  createCompany,
  installFolder,
  rawCalls,
  tempFolders,
} from "./fixtures/adversary-support.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());

/** Every worker→host method of the contract (the SDK's host-client has one handler per method)… */
const CONTRACT = Object.keys(
  createHostClientHandlers({ pluginId: "contract", capabilities: [], services: {} as never }),
) as WorkerToHostMethodName[];
/** …and those a capability guards. */
const GUARDED = CONTRACT.filter((method) => getRequiredCapability(method) !== null);

describe.each(ENGINES)("plugins without the capability (%s)", (engine) => {
  let host: RuntimeHost;
  let companyId: string;
  let raw: { id: string };
  let sdk: { id: string };
  let victim: { id: string };

  beforeAll(async () => {
    host = await startRuntimeHost(engine);
    companyId = (await createCompany(host.services, "Acme")).id;
    const parent = temp.make(`capabilities-${engine}`);
    victim = await installFolder(host, copyAdversary("adversary-victim", parent));
    raw = await installFolder(
      host,
      copyAdversary("adversary-raw", parent, { manifest: { capabilities: ["ui.action.register"] } }),
    );
    // One harmless capability, so "has some" is not confused with "has none".
    sdk = await installFolder(
      host,
      copyAdversary("adversary-sdk", parent, { manifest: { capabilities: ["companies.read"] } }),
    );
  }, 60_000);

  afterAll(async () => {
    await host?.close();
  });

  it(`refuses each of the ${GUARDED.length} guarded methods of the contract, sent raw, naming method and capability`, async () => {
    const watcher = bystander(host, victim.id, companyId);
    const answers = await rawCalls(
      host,
      raw.id,
      GUARDED.map((method) => ({ method, params: { companyId } })),
      companyId,
    );
    const seen = await watcher.stop();

    const denied: WorkerToHostMethodName[] = [];
    const notServed: WorkerToHostMethodName[] = [];
    GUARDED.forEach((method, index) => {
      const answer = answers[index]!;
      expect(answer.result, `${method} must not succeed`).toBeUndefined();
      if (answer.error?.code === -32601) {
        // What this host does not serve is refused before the capability matters, saying so.
        expect(answer.error.message).toMatch(
          new RegExp(`^Host does not handle method "${method.replace(".", "\\.")}": `),
        );
        notServed.push(method);
        return;
      }
      expect(answer.error, method).toEqual({
        code: -32001,
        message: `Plugin "adversary.raw" is missing required capability "${getRequiredCapability(method)}" for method "${method}"`,
      });
      denied.push(method);
    });
    // The table really reached the capability gate for the namespaces the issue names.
    for (const method of [
      "state.get",
      "state.set",
      "secrets.resolve",
      "http.fetch",
      "issues.create",
      "agents.invoke",
      "events.emit",
    ]) {
      expect(denied).toContain(method);
    }
    expect(denied.length + notServed.length).toBe(GUARDED.length);
    expect(seen.failures).toEqual([]);

    // "Not served" must mean not served to anyone: a plugin that declares every one of those capabilities gets the
    // same answer, so no -32601 above hides a capability the gate skipped.
    const full = await installFolder(
      host,
      copyAdversary("adversary-raw", temp.make(`full-${engine}`), {
        manifest: {
          id: "adversary.raw-full",
          capabilities: [...new Set(notServed.map((method) => getRequiredCapability(method)))],
        },
      }),
    );
    const again = await rawCalls(
      host,
      full.id,
      notServed.map((method) => ({ method, params: { companyId } })),
      companyId,
    );
    expect(again.map((answer) => answer.error?.code)).toEqual(notServed.map(() => -32601));
    expect(seen.answered).toBeGreaterThan(0);
    // Still alive: the adversary gets no special treatment for trying, and the victim answers after.
    await expect(bridgeAction(host, raw.id, "pid", {}, companyId)).resolves.toMatchObject({
      pid: expect.any(Number),
    });
    await expect(bridgeAction(host, victim.id, "ping", {}, companyId)).resolves.toMatchObject({
      pong: expect.any(Number),
    });
  });

  it("refuses the same methods whatever the params say, and unknown methods as not in the protocol", async () => {
    const answers = await rawCalls(
      host,
      raw.id,
      [
        { method: "state.set", params: { scopeKind: "instance", stateKey: "k", value: 1 } },
        { method: "state.set", params: "not even an object" },
        { method: "secrets.resolve", params: { secretRef: "00000000-0000-4000-8000-000000000000" } },
        { method: "issues.create", params: { companyId, title: "planted" }, invocation: "none" },
        { method: "host.shell", params: { command: "id" } },
      ],
      companyId,
    );
    expect(answers.map((answer) => answer.error?.code)).toEqual([-32001, -32001, -32001, -32001, -32601]);
    expect(answers[4]!.error!.message).toBe(
      'Host does not handle method "host.shell": it is not a worker→host method of the Paperclip plugin protocol',
    );
    const issues = await host.services.issues.list(companyId, { limit: 50 });
    expect(issues.find((issue: { title: string }) => issue.title === "planted")).toBeUndefined();
  });

  const NAMESPACES: Array<
    [
      namespace: string,
      path: string,
      args: (companyId: string) => unknown[],
      method: string,
      capability: string,
    ]
  > = [
    [
      "state (read)",
      "state.get",
      () => [{ scopeKind: "instance", stateKey: "k" }],
      "state.get",
      "plugin.state.read",
    ],
    [
      "state (write)",
      "state.set",
      () => [{ scopeKind: "instance", stateKey: "k" }, 1],
      "state.set",
      "plugin.state.write",
    ],
    [
      "secrets",
      "secrets.resolve",
      (id) => ["00000000-0000-4000-8000-000000000000", { companyId: id }],
      "secrets.resolve",
      "secrets.read-ref",
    ],
    ["http", "http.fetch", () => ["https://example.com/"], "http.fetch", "http.outbound"],
    ["issues (read)", "issues.list", (id) => [{ companyId: id }], "issues.list", "issues.read"],
    [
      "issues (create)",
      "issues.create",
      (id) => [{ companyId: id, title: "planted" }],
      "issues.create",
      "issues.create",
    ],
    ["agents (read)", "agents.list", (id) => [{ companyId: id }], "agents.list", "agents.read"],
    [
      "agents (invoke)",
      "agents.invoke",
      (id) => ["00000000-0000-4000-8000-000000000000", id, { prompt: "hi" }],
      "agents.invoke",
      "agents.invoke",
    ],
    ["events.emit", "events.emit", (id) => ["stolen", id, { x: 1 }], "events.emit", "events.emit"],
    [
      "activity",
      "activity.log",
      (id) => [{ companyId: id, message: "forged" }],
      "activity.log",
      "activity.log.write",
    ],
    ["goals", "goals.list", (id) => [{ companyId: id }], "goals.list", "goals.read"],
    ["projects", "projects.list", (id) => [{ companyId: id }], "projects.list", "projects.read"],
    ["metrics", "metrics.write", () => ["stolen.count", 1], "metrics.write", "metrics.write"],
  ];

  it.each(NAMESPACES)(
    "ctx.%s from a published-style plugin: CAPABILITY_DENIED, the host keeps serving",
    async (_namespace, ctxPath, args, method, capability) => {
      const watcher = bystander(host, victim.id, companyId);
      const outcome = await attack(host, sdk.id, ctxPath, args(companyId), companyId);
      const seen = await watcher.stop();
      expect(outcome).toEqual({
        caught: {
          code: -32001,
          message: `Plugin "adversary.sdk" is missing required capability "${capability}" for method "${method}"`,
        },
      });
      expect(seen.failures).toEqual([]);
      // Its one declared capability still works: the refusal is per method, not a blanket block.
      const allowed = await attack(host, sdk.id, "companies.get", [companyId], companyId);
      expect(allowed.result).toMatchObject({ id: companyId });
    },
  );
});
