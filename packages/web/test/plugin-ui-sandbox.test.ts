/**
 * The board's side of a sandboxed plugin frame (docs/plugin-ui-sandbox.md), in Node: the check of every frame
 * request (this plugin, this company, allowed methods and paths, well-formed params, PluginBridgeError refusals)
 * and the FrameHost that runs what passes — replies by id, stream relays, limits, the overlay close handlers — and
 * the frame's reading of plugin stream URLs. The browser test (e2e/plugin-ui-sandbox.e2e.ts) drives the real thing.
 */
import { describe, expect, it } from "vitest";
import { parseStreamUrl } from "../src/plugin-frame/stream-url.js";
import {
  FrameHost,
  type FrameHostDeps,
  MAX_STREAMS,
  type RelayedEventSource,
} from "../src/plugin-ui/sandbox/frame-host.js";
import {
  checkFrameRequest,
  FrameRequestRefused,
  type FrameScope,
} from "../src/plugin-ui/sandbox/frame-requests.js";
import {
  type BoardMessage,
  FRAME_PROTOCOL,
  frameDocumentUrl,
  parseFrameMessage,
} from "../src/plugin-ui/sandbox/protocol.js";
import { pluginStreamUrl } from "../src/plugin-ui/stream-client.js";

const ORIGIN = "http://127.0.0.1:3100";
const PLUGIN = "8d1f0c1e-5b7a-4c3e-9a51-0f6a3b2c1d00";
const OTHER_PLUGIN = "0b5c7e9d-1111-4222-8333-944455556666";
const COMPANY = "c0ffee00-0000-4000-8000-000000000001";
const OTHER_COMPANY = "c0ffee00-0000-4000-8000-000000000002";
const scope: FrameScope = { pluginId: PLUGIN, companyId: COMPANY, origin: ORIGIN };

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FrameRequestRefused);
    return (error as FrameRequestRefused).error;
  }
  throw new Error("the request was not refused");
}

const bridgeCall = (overrides: Record<string, unknown> = {}, body: Record<string, unknown> = {}) => ({
  pluginId: PLUGIN,
  kind: "data",
  key: "greeting",
  body: { companyId: COMPANY, params: { a: 1 }, renderEnvironment: null, ...body },
  ...overrides,
});

describe("checkFrameRequest", () => {
  it("refuses methods that are not in the list", () => {
    for (const method of ["fetch", "api.write", "__proto__", ""]) {
      const error = refusal(() => checkFrameRequest(scope, method, {}));
      expect(error.code).toBe("CAPABILITY_DENIED");
      expect(error.details).toEqual({ reason: "method_not_allowed", field: "method" });
      expect(error.message).toContain(`may not call "${method}"`);
    }
    expect(refusal(() => checkFrameRequest(scope, "bridge.call", "x")).message).toBe(
      "The params of bridge.call must be an object",
    );
  });

  it("runs bridge calls only for the frame's plugin, in the frame's company", () => {
    expect(checkFrameRequest(scope, "bridge.call", bridgeCall())).toEqual({
      method: "bridge.call",
      kind: "data",
      key: "greeting",
      body: { companyId: COMPANY, params: { a: 1 }, renderEnvironment: null },
    });
    const otherPlugin = refusal(() =>
      checkFrameRequest(scope, "bridge.call", bridgeCall({ pluginId: OTHER_PLUGIN })),
    );
    expect(otherPlugin).toEqual({
      code: "INVOCATION_SCOPE_DENIED",
      message: `This frame belongs to plugin ${PLUGIN}; it may not act for plugin ${OTHER_PLUGIN}`,
      details: { reason: "plugin_mismatch", field: "pluginId" },
    });
    const otherCompany = refusal(() =>
      checkFrameRequest(scope, "bridge.call", bridgeCall({}, { companyId: OTHER_COMPANY })),
    );
    expect(otherCompany.code).toBe("INVOCATION_SCOPE_DENIED");
    expect(otherCompany.details).toEqual({ reason: "company_mismatch", field: "body.companyId" });
    expect(
      refusal(() => checkFrameRequest(scope, "bridge.call", bridgeCall({}, { companyId: null }))).code,
    ).toBe("INVOCATION_SCOPE_DENIED");
    // An instance surface (no company) may not name one.
    const instance = { ...scope, companyId: null };
    expect(checkFrameRequest(instance, "bridge.call", bridgeCall({}, { companyId: null }))).toMatchObject({
      body: { companyId: null },
    });
    expect(refusal(() => checkFrameRequest(instance, "bridge.call", bridgeCall())).message).toContain(
      "mounted outside any company",
    );
    expect(
      refusal(() => checkFrameRequest(scope, "bridge.call", bridgeCall({ kind: "jobs" }))).details,
    ).toEqual({
      reason: "bad_request",
      field: "kind",
    });
    expect(
      refusal(() => checkFrameRequest(scope, "bridge.call", bridgeCall({ key: "" }))).details,
    ).toMatchObject({
      field: "key",
    });
    expect(
      refusal(() => checkFrameRequest(scope, "bridge.call", bridgeCall({}, { params: [1] }))).details,
    ).toMatchObject({ field: "body.params" });
  });

  it("loads only the frame's own plugin UI files, keeping just ?v", () => {
    const base = `${ORIGIN}/_plugins/${PLUGIN}/ui/`;
    expect(
      checkFrameRequest(scope, "module.source", { url: `${base}index.js?v=2026&companyId=${COMPANY}` }),
    ).toEqual({
      method: "module.source",
      url: `${base}index.js?v=2026`,
    });
    expect(checkFrameRequest(scope, "module.source", { url: `${base}chunks/a-1234abcd.js` })).toMatchObject({
      url: `${base}chunks/a-1234abcd.js`,
    });
    for (const url of [
      `${ORIGIN}/_plugins/${OTHER_PLUGIN}/ui/index.js`,
      `${base}../../../api/companies`,
      `${ORIGIN}/api/companies`,
      "http://evil.example/_plugins/x/ui/index.js",
      base,
    ]) {
      const error = refusal(() => checkFrameRequest(scope, "module.source", { url }));
      expect(error.code, url).toBe("CAPABILITY_DENIED");
      expect(error.details, url).toEqual({ reason: "path_not_allowed", field: "url" });
    }
    expect(refusal(() => checkFrameRequest(scope, "module.source", { url: "http://[" })).details).toEqual({
      reason: "bad_request",
      field: "url",
    });
  });

  it("reads only the shared components' lists of the frame's company", () => {
    for (const path of [
      `/api/companies/${COMPANY}/issues?q=x&status=todo`,
      `/api/companies/${COMPANY}/agents`,
      `/api/companies/${encodeURIComponent(COMPANY)}/projects?includeArchived=true`,
    ]) {
      expect(checkFrameRequest(scope, "api.read", { path })).toEqual({ method: "api.read", path });
    }
    expect(
      refusal(() => checkFrameRequest(scope, "api.read", { path: `/api/companies/${OTHER_COMPANY}/issues` }))
        .details,
    ).toEqual({ reason: "company_mismatch", field: "path" });
    for (const path of [
      "/api/companies",
      `/api/companies/${COMPANY}`,
      `/api/companies/${COMPANY}/secrets`,
      `/api/companies/${COMPANY}/issues/../secrets`,
      "/api/plugins/ui-contributions",
      `//evil.example/api/companies/${COMPANY}/issues`,
      `http://evil.example/api/companies/${COMPANY}/issues`,
    ]) {
      const error = refusal(() => checkFrameRequest(scope, "api.read", { path }));
      expect(error.details, path).toMatchObject({ reason: "path_not_allowed" });
    }
  });

  it("opens streams for the frame's plugin and company only", () => {
    const open = { streamId: "s1", pluginId: PLUGIN, channel: "ticks", companyId: COMPANY, lastEventId: "7" };
    expect(checkFrameRequest(scope, "stream.open", open)).toEqual({
      method: "stream.open",
      streamId: "s1",
      channel: "ticks",
      companyId: COMPANY,
      lastEventId: "7",
    });
    expect(
      refusal(() => checkFrameRequest(scope, "stream.open", { ...open, pluginId: OTHER_PLUGIN })).code,
    ).toBe("INVOCATION_SCOPE_DENIED");
    expect(
      refusal(() => checkFrameRequest(scope, "stream.open", { ...open, companyId: OTHER_COMPANY })).code,
    ).toBe("INVOCATION_SCOPE_DENIED");
    expect(
      refusal(() => checkFrameRequest(scope, "stream.open", { ...open, streamId: "a b" })).details,
    ).toEqual({
      reason: "bad_request",
      field: "streamId",
    });
  });

  it("shows toasts with checked fields and board or http(s) links only", () => {
    expect(
      checkFrameRequest(scope, "toast.show", {
        title: "Done",
        body: "It worked",
        tone: "success",
        id: "t1",
        action: { label: "Open", href: "/ACM/issues" },
        extra: "dropped",
      }),
    ).toEqual({
      method: "toast.show",
      input: {
        title: "Done",
        body: "It worked",
        tone: "success",
        id: "t1",
        action: { label: "Open", href: "/ACM/issues" },
      },
    });
    for (const href of ["javascript:alert(1)", "data:text/html,x", "//evil.example/x"]) {
      const error = refusal(() =>
        checkFrameRequest(scope, "toast.show", { title: "x", action: { label: "x", href } }),
      );
      expect(error.details, href).toEqual({ reason: "path_not_allowed", field: "action.href" });
    }
    expect(refusal(() => checkFrameRequest(scope, "toast.show", { title: "" })).details).toMatchObject({
      field: "title",
    });
    expect(
      refusal(() => checkFrameRequest(scope, "toast.show", { title: "x", tone: "loud" })).details,
    ).toMatchObject({
      field: "tone",
    });
  });

  it("navigates the board to its own paths only", () => {
    expect(checkFrameRequest(scope, "navigate", { href: "/ACM/issues?x=1#top", replace: true })).toEqual({
      method: "navigate",
      href: "/ACM/issues?x=1#top",
      replace: true,
      state: null,
    });
    for (const href of [
      "https://evil.example/",
      "//evil.example/",
      "/\\evil.example",
      "javascript:alert(1)",
      "ACM",
    ]) {
      expect(refusal(() => checkFrameRequest(scope, "navigate", { href })).details, href).toEqual({
        reason: "path_not_allowed",
        field: "href",
      });
    }
  });
});

class FakeEventSource implements RelayedEventSource {
  readyState = 0;
  closed = false;
  readonly listeners = new Map<string, Array<(event: { data?: unknown; lastEventId?: string }) => void>>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: { data?: unknown; lastEventId?: string }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  emit(type: string, event: { data?: unknown; lastEventId?: string } = {}, readyState = 1): void {
    this.readyState = readyState;
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  close(): void {
    this.closed = true;
  }
}

function hostWith(overrides: Partial<FrameHostDeps> = {}) {
  const posted: BoardMessage[] = [];
  const calls: unknown[][] = [];
  const sources: FakeEventSource[] = [];
  const deps: FrameHostDeps = {
    scope: () => scope,
    renderEnvironment: () => null,
    post: (message) => posted.push(message),
    fetchText: async (url) => `// ${url}`,
    callBridge: async (...args) => {
      calls.push(args);
      return { ok: true };
    },
    getJson: async () => [],
    openEventSource: (url) => {
      const source = new FakeEventSource(url);
      sources.push(source);
      return source;
    },
    showToast: () => "toast-1",
    navigate: () => undefined,
    copyText: async () => undefined,
    ...overrides,
  };
  return { host: new FrameHost(deps), posted, calls, sources };
}

describe("FrameHost", () => {
  it("runs a checked call as the frame's plugin and replies by id; a refusal never reaches the host", async () => {
    const { host, posted, calls } = hostWith();
    await host.handleRequest(7, "bridge.call", bridgeCall());
    expect(calls).toEqual([
      [PLUGIN, "data", "greeting", { companyId: COMPANY, params: { a: 1 }, renderEnvironment: null }],
    ]);
    expect(posted).toEqual([
      { protocol: FRAME_PROTOCOL, type: "reply", id: 7, ok: true, result: { ok: true } },
    ]);
    await host.handleRequest(8, "bridge.call", bridgeCall({ pluginId: OTHER_PLUGIN }));
    expect(calls).toHaveLength(1);
    expect(posted[1]).toMatchObject({ id: 8, ok: false, error: { code: "INVOCATION_SCOPE_DENIED" } });
  });

  it("carries the host's bridge errors and a read's failure back as PluginBridgeError", async () => {
    const { host, posted } = hostWith({
      callBridge: async () => {
        throw { code: "WORKER_ERROR", message: "boom", details: { status: 502 } };
      },
      getJson: async () => {
        throw new Error("GET /api/companies/x/issues failed with status 500");
      },
    });
    await host.handleRequest(1, "bridge.call", bridgeCall());
    await host.handleRequest(2, "api.read", { path: `/api/companies/${COMPANY}/agents` });
    expect(posted[0]).toMatchObject({
      ok: false,
      error: { code: "WORKER_ERROR", message: "boom", details: { status: 502 } },
    });
    expect(posted[1]).toMatchObject({
      ok: false,
      error: { code: "UNKNOWN", message: "GET /api/companies/x/issues failed with status 500" },
    });
  });

  it("relays a plugin stream opened with the board's URL, and closes it with the frame", async () => {
    const { host, posted, sources } = hostWith();
    await host.handleRequest(1, "stream.open", {
      streamId: "s1",
      pluginId: PLUGIN,
      channel: "ticks",
      companyId: COMPANY,
      lastEventId: "4",
    });
    expect(sources[0]?.url).toBe(pluginStreamUrl(PLUGIN, "ticks", COMPANY, "4"));
    sources[0]?.emit("open");
    sources[0]?.emit("message", { data: '{"n":5}', lastEventId: "5" });
    sources[0]?.emit("error", {}, 2);
    expect(posted.filter((message) => message.type === "stream")).toEqual([
      { protocol: FRAME_PROTOCOL, type: "stream", streamId: "s1", event: "open", readyState: 1 },
      {
        protocol: FRAME_PROTOCOL,
        type: "stream",
        streamId: "s1",
        event: "message",
        readyState: 1,
        data: '{"n":5}',
        lastEventId: "5",
      },
      { protocol: FRAME_PROTOCOL, type: "stream", streamId: "s1", event: "error", readyState: 2 },
    ]);
    await host.handleRequest(2, "stream.open", {
      streamId: "s1",
      pluginId: PLUGIN,
      channel: "ticks",
      companyId: COMPANY,
    });
    expect(posted.at(-1)).toMatchObject({
      id: 2,
      ok: false,
      error: { message: "Stream s1 is already open" },
    });
    host.dispose();
    expect(sources[0]?.closed).toBe(true);
    const before = posted.length;
    sources[0]?.emit("message", { data: "{}" });
    await host.handleRequest(3, "toast.show", { title: "late" });
    expect(posted.length).toBe(before);
  });

  it("holds at most MAX_STREAMS streams per frame", async () => {
    const { host, posted } = hostWith();
    for (let index = 0; index <= MAX_STREAMS; index++) {
      await host.handleRequest(index, "stream.open", {
        streamId: `s${index}`,
        pluginId: PLUGIN,
        channel: "c",
        companyId: COMPANY,
      });
    }
    expect(posted.filter((message) => message.type === "reply" && message.ok)).toHaveLength(MAX_STREAMS);
    expect(posted.at(-1)).toMatchObject({
      ok: false,
      error: { message: `A frame may hold at most ${MAX_STREAMS} streams open` },
    });
  });

  it("lets the frame's onBeforeClose keep an overlay open, asking it over the protocol", async () => {
    const before: Array<(event: { reason: string }) => unknown> = [];
    const lifecycle = {
      onBeforeClose: (handler: (event: { reason: string }) => unknown) => {
        before.push(handler);
        return () => before.splice(before.indexOf(handler), 1);
      },
      onClose: () => () => undefined,
    };
    const { host, posted } = hostWith({
      renderEnvironment: () =>
        ({
          environment: "hostOverlay",
          launcherId: "l",
          bounds: "default",
          closeLifecycle: lifecycle,
        }) as never,
    });
    await host.handleRequest(1, "overlay.watchClose", { before: true, close: false });
    expect(before).toHaveLength(1);
    const answer = before[0]!({ reason: "escapeKey" }) as Promise<unknown>;
    const asked = posted.find((message) => message.type === "request");
    expect(asked).toMatchObject({ method: "overlay.beforeClose", params: { reason: "escapeKey" } });
    host.handleReply((asked as { id: number }).id, { ok: true, result: false });
    await expect(answer).resolves.toBe(false);
    await host.handleRequest(2, "overlay.watchClose", { before: false, close: false });
    expect(before).toHaveLength(0);
    // Outside an overlay there is nothing to watch.
    const plain = hostWith();
    await plain.host.handleRequest(1, "overlay.watchClose", { before: true, close: true });
    expect(plain.posted[0]).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining("not in a host overlay") },
    });
  });
});

describe("the frame's protocol helpers", () => {
  it("reads only well-formed frame messages", () => {
    const base = { protocol: FRAME_PROTOCOL, token: "t" };
    expect(parseFrameMessage({ ...base, type: "ready" })).toEqual({ ...base, type: "ready" });
    expect(
      parseFrameMessage({ ...base, type: "request", id: 1, method: "navigate", params: {} }),
    ).not.toBeNull();
    for (const bad of [
      null,
      "ready",
      { ...base, protocol: "other", type: "ready" },
      { ...base, token: 1, type: "ready" },
      { ...base, type: "hack" },
      { ...base, type: "request", id: "1", method: "x" },
      { ...base, type: "size", height: Number.NaN },
    ]) {
      expect(parseFrameMessage(bad)).toBeNull();
    }
  });

  it("builds the frame URL with the token in its fragment, and reads plugin stream URLs back", () => {
    expect(frameDocumentUrl(PLUGIN, "2026-01-01T00:00:00Z", "abc")).toBe(
      `/_plugins/${PLUGIN}/ui-frame?v=2026-01-01T00%3A00%3A00Z#abc`,
    );
    expect(parseStreamUrl(pluginStreamUrl(PLUGIN, "a/b c", COMPANY, "9"))).toEqual({
      pluginId: PLUGIN,
      channel: "a/b c",
      companyId: COMPANY,
      lastEventId: "9",
    });
    expect(() => parseStreamUrl("/api/companies")).toThrow("Not a plugin stream URL");
  });
});
