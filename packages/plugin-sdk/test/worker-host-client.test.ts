/**
 * The host-client gate the host reuses: capability map, capability denial, invocation company
 * scope, and routing of each worker→host method to its host service. The routing and the map are
 * also checked against the published SDK (a conformance check, the one reason this test imports it).
 */
import {
  CapabilityDeniedError,
  createHostClientHandlers,
  getRequiredCapability,
  type HostServices,
  InvocationScopeDeniedError,
  PLUGIN_CAPABILITIES,
} from "@paperclipai/plugin-sdk";
import * as published from "published-plugin-sdk";
import { describe, expect, it } from "vitest";

interface Call {
  service: string;
  params: unknown;
  context: unknown;
}

/** Host services that record every call and answer with canned data. */
function recordingServices(calls: Call[]): HostServices {
  return new Proxy({} as HostServices, {
    get: (_target, group) =>
      new Proxy(
        {},
        {
          get: (_inner, fn) => async (params: unknown, context: unknown) => {
            calls.push({ service: `${String(group)}.${String(fn)}`, params, context });
            if (group === "companies" && fn === "list") return [{ id: "c1" }, { id: "c2" }];
            return { from: `${String(group)}.${String(fn)}` };
          },
        },
      ),
  });
}

const ALL_CAPABILITIES = [...PLUGIN_CAPABILITIES];
const scoped = (companyId: string) => ({ invocationScope: { companyId } });

function gate(capabilities: readonly string[] = ALL_CAPABILITIES) {
  const calls: Call[] = [];
  const handlers = createHostClientHandlers({
    pluginId: "acme.gate",
    capabilities: capabilities as never,
    services: recordingServices(calls),
  });
  return {
    handlers: handlers as unknown as Record<string, (p: unknown, c?: unknown) => Promise<unknown>>,
    calls,
  };
}

const publishedHandlers = published.createHostClientHandlers({
  pluginId: "acme.gate",
  capabilities: ALL_CAPABILITIES as never,
  services: recordingServices([]) as never,
});
const METHODS = Object.keys(publishedHandlers);

describe("capability map", () => {
  it("covers the same methods as the published SDK", () => {
    expect(Object.keys(gate().handlers).sort()).toEqual([...METHODS].sort());
  });

  it.each(METHODS)("%s needs the same capability as in the published SDK", (method) => {
    expect(getRequiredCapability(method as never)).toBe(published.getRequiredCapability(method as never));
  });
});

describe("routing", () => {
  it.each(METHODS)("%s reaches the same host service as in the published SDK", async (method) => {
    const params = { companyId: "c1", scopeKind: "instance" };
    const ours = gate();
    const theirsCalls: Call[] = [];
    const theirs = published.createHostClientHandlers({
      pluginId: "acme.gate",
      capabilities: ALL_CAPABILITIES as never,
      services: recordingServices(theirsCalls) as never,
    }) as unknown as Record<string, (p: unknown, c?: unknown) => Promise<unknown>>;
    const ourResult = await ours.handlers[method]!(params, scoped("c1"));
    const theirResult = await theirs[method]!(params, scoped("c1"));
    expect(ours.calls).toEqual(theirsCalls);
    expect(ourResult).toEqual(theirResult);
  });
});

describe("capability denial", () => {
  it("refuses a method whose capability is missing, naming plugin, capability and method", async () => {
    const { handlers, calls } = gate(["issues.read"]);
    const denied = handlers["issues.create"]!({ companyId: "c1", title: "x" }, scoped("c1"));
    await expect(denied).rejects.toBeInstanceOf(CapabilityDeniedError);
    await expect(denied).rejects.toMatchObject({
      code: -32001,
      message: 'Plugin "acme.gate" is missing required capability "issues.create" for method "issues.create"',
    });
    expect(calls).toEqual([]);
    await expect(handlers["issues.get"]!({ issueId: "i", companyId: "c1" }, scoped("c1"))).resolves.toEqual({
      from: "issues.get",
    });
  });

  it("lets every plugin call the methods that need no capability", async () => {
    const { handlers } = gate([]);
    await expect(handlers.log!({ level: "info", message: "m" })).resolves.toEqual({ from: "logger.log" });
    await expect(handlers["entities.list"]!({})).resolves.toEqual({ from: "entities.list" });
    await expect(handlers["localFolders.declarations"]!({})).resolves.toEqual({
      from: "localFolders.declarations",
    });
  });

  it("a comment in a human's name also needs issue.comments.create_human_attributed", async () => {
    const { handlers } = gate(["issue.comments.create"]);
    const params = { issueId: "i", body: "b", companyId: "c1" };
    await expect(handlers["issues.createComment"]!(params, scoped("c1"))).resolves.toEqual({
      from: "issues.createComment",
    });
    await expect(
      handlers["issues.createComment"]!({ ...params, actorUserId: "u1" }, scoped("c1")),
    ).rejects.toMatchObject({
      code: -32001,
      message:
        'Plugin "acme.gate" is missing required capability "issue.comments.create_human_attributed" for method "issues.createComment"',
    });
  });
});

describe("invocation company scope", () => {
  it("refuses a company other than the invocation's", async () => {
    const { handlers, calls } = gate();
    const denied = handlers["issues.list"]!({ companyId: "c2" }, scoped("c1"));
    await expect(denied).rejects.toBeInstanceOf(InvocationScopeDeniedError);
    await expect(denied).rejects.toMatchObject({
      code: -32005,
      message:
        'Plugin "acme.gate" is not allowed to perform "issues.list": requested company "c2" but the current invocation is scoped to company "c1"',
    });
    expect(calls).toEqual([]);
  });

  it("refuses a company-scoped call without invocation context", async () => {
    const { handlers } = gate();
    await expect(handlers["issues.list"]!({ companyId: "c1" })).rejects.toMatchObject({
      code: -32005,
      message: 'Plugin "acme.gate" is not allowed to perform "issues.list": company context is required',
    });
  });

  it("refuses a call that echoed an unknown invocation id", async () => {
    const { handlers } = gate();
    await expect(
      handlers["issues.list"]!({ companyId: "c1" }, { invalidInvocationScope: true, invocationScope: null }),
    ).rejects.toMatchObject({
      code: -32005,
      message:
        'Plugin "acme.gate" is not allowed to perform "issues.list": the worker referenced a missing, expired, or unknown invocation scope',
    });
  });

  it("reads the company of company-kind state from scopeId, and all companies when it is absent", async () => {
    const { handlers } = gate();
    await expect(
      handlers["state.get"]!({ scopeKind: "company", scopeId: "c1", stateKey: "k" }, scoped("c1")),
    ).resolves.toEqual({ from: "state.get" });
    await expect(
      handlers["state.get"]!({ scopeKind: "company", scopeId: "c2", stateKey: "k" }, scoped("c1")),
    ).rejects.toMatchObject({
      code: -32005,
    });
    await expect(
      handlers["state.get"]!({ scopeKind: "company", stateKey: "k" }, scoped("c1")),
    ).rejects.toMatchObject({
      message:
        'Plugin "acme.gate" is not allowed to perform "state.get": the current invocation is scoped to company "c1"',
    });
    await expect(handlers["state.get"]!({ scopeKind: "instance", stateKey: "k" })).resolves.toEqual({
      from: "state.get",
    });
  });

  it("checks an events.subscribe filter's company", async () => {
    const { handlers } = gate();
    await expect(
      handlers["events.subscribe"]!({ eventPattern: "issue.*", filter: { companyId: "c2" } }, scoped("c1")),
    ).rejects.toMatchObject({ code: -32005 });
    await expect(handlers["events.subscribe"]!({ eventPattern: "issue.*", filter: null })).resolves.toEqual({
      from: "events.subscribe",
    });
  });

  it("companies.list is allowed from any invocation but returns only the invocation's company", async () => {
    const { handlers } = gate();
    await expect(handlers["companies.list"]!({}, scoped("c2"))).resolves.toEqual([{ id: "c2" }]);
    await expect(handlers["companies.list"]!({})).resolves.toEqual([{ id: "c1" }, { id: "c2" }]);
  });

  it("config.get and secrets.resolve default to the invocation's company and need one", async () => {
    const { handlers, calls } = gate();
    await handlers["config.get"]!({}, scoped("c1"));
    expect(calls.at(-1)).toEqual({
      service: "config.get",
      params: { companyId: "c1" },
      context: scoped("c1"),
    });
    await expect(handlers["config.get"]!({})).rejects.toMatchObject({
      message: 'Plugin "acme.gate" is not allowed to perform "config.get": company context is required',
    });
    await handlers["secrets.resolve"]!({ secretRef: { type: "secret_ref", secretId: "s" } }, scoped("c1"));
    expect(calls.at(-1)).toMatchObject({ service: "secrets.resolve", params: { companyId: "c1" } });
    await expect(
      handlers["secrets.resolve"]!({ secretRef: "x", companyId: "c2" }, scoped("c1")),
    ).rejects.toMatchObject({ code: -32005 });
  });
});
