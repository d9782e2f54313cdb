/**
 * The framework-free parts of the board's plugin UI runtime, in Node: stable stringify (hook dependencies),
 * host href resolution, bridge errors and the data-read retry policy, the toast store, the stream client's
 * resume after dropped connections, and slot/launcher selection.
 */

import { describe, expect, it, vi } from "vitest";
import { bridgeErrorFromResponse, toPluginBridgeError } from "../src/plugin-ui/bridge-errors.js";
import {
  isPluginUiUpdatedEvent,
  launchersInZone,
  type PluginUiContribution,
  slotsOfType,
} from "../src/plugin-ui/contributions-select.js";
import { resolveHostHref, shouldRouteClick } from "../src/plugin-ui/navigation.js";
import { withBridgeRetry } from "../src/plugin-ui/retry.js";
import { stableStringify } from "../src/plugin-ui/stable-stringify.js";
import {
  type EventSourceLike,
  type MessageEventLike,
  PluginStreamClient,
  pluginStreamUrl,
} from "../src/plugin-ui/stream-client.js";
import { PluginToastStore } from "../src/plugin-ui/toast-store.js";

describe("stableStringify", () => {
  it("is independent of key order at every depth and matches JSON otherwise", () => {
    expect(stableStringify({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: "s" } })).toBe(
      stableStringify({ a: { c: "s", d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
    expect(stableStringify({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    const value = {
      s: "x",
      n: 1.5,
      t: true,
      z: null,
      u: undefined,
      arr: [undefined, () => 1],
      d: new Date(0),
    };
    expect(JSON.parse(stableStringify(value))).toEqual(JSON.parse(JSON.stringify(value)));
    expect(stableStringify(undefined)).toBe("null");
    expect(stableStringify(Number.NaN)).toBe("null");
  });

  it("survives cycles", () => {
    const looped: Record<string, unknown> = { a: 1 };
    looped.self = looped;
    expect(stableStringify(looped)).toBe('{"a":1,"self":"[Circular]"}');
  });
});

describe("resolveHostHref", () => {
  const origin = "http://board.test";
  it("adds the company prefix once, in upper case, keeping query and hash", () => {
    expect(resolveHostHref("/wiki", { companyPrefix: "PAP", origin })).toBe("/PAP/wiki");
    expect(resolveHostHref("/wiki?tab=browse#page", { companyPrefix: "pap", origin })).toBe(
      "/PAP/wiki?tab=browse#page",
    );
    expect(resolveHostHref("wiki", { companyPrefix: "PAP", origin })).toBe("/PAP/wiki");
    expect(resolveHostHref("/", { companyPrefix: "PAP", origin })).toBe("/PAP");
  });

  it("does not double-prefix, and leaves global paths, fragments and other origins alone", () => {
    expect(resolveHostHref("/PAP/wiki", { companyPrefix: "PAP", origin })).toBe("/PAP/wiki");
    expect(resolveHostHref("/pap/wiki", { companyPrefix: "PAP", origin })).toBe("/pap/wiki");
    expect(resolveHostHref("/instance/settings/plugins/x", { companyPrefix: "PAP", origin })).toBe(
      "/instance/settings/plugins/x",
    );
    expect(resolveHostHref("#section", { companyPrefix: "PAP", origin })).toBe("#section");
    expect(resolveHostHref("https://example.com/a", { companyPrefix: "PAP", origin })).toBe(
      "https://example.com/a",
    );
    expect(resolveHostHref("mailto:a@b.c", { companyPrefix: "PAP", origin })).toBe("mailto:a@b.c");
    expect(resolveHostHref("http://board.test/PAP/x?y=1", { companyPrefix: "PAP", origin })).toBe(
      "/PAP/x?y=1",
    );
    expect(resolveHostHref("/wiki", { companyPrefix: null, origin })).toBe("/wiki");
  });

  it("routes only plain same-origin left clicks", () => {
    const click = {
      defaultPrevented: false,
      button: 0,
      metaKey: false,
      altKey: false,
      ctrlKey: false,
      shiftKey: false,
    };
    expect(shouldRouteClick(click, "/PAP/wiki", origin)).toBe(true);
    expect(shouldRouteClick({ ...click, ctrlKey: true }, "/PAP/wiki", origin)).toBe(false);
    expect(shouldRouteClick({ ...click, button: 1 }, "/PAP/wiki", origin)).toBe(false);
    expect(shouldRouteClick(click, "/PAP/wiki", origin, "_blank")).toBe(false);
    expect(shouldRouteClick(click, "/PAP/wiki", origin, "_self")).toBe(true);
    expect(shouldRouteClick(click, "/file.zip", origin, null, true)).toBe(false);
    expect(shouldRouteClick(click, "https://example.com/wiki", origin)).toBe(false);
  });
});

describe("bridge errors", () => {
  it("passes PluginBridgeError bodies through and maps other failures", () => {
    expect(bridgeErrorFromResponse(502, { code: "TIMEOUT", message: "slow", details: { ms: 1 } })).toEqual({
      code: "TIMEOUT",
      message: "slow",
      details: { ms: 1 },
    });
    expect(bridgeErrorFromResponse(502, { code: "WORKER_UNAVAILABLE", message: "down" })).toEqual({
      code: "WORKER_UNAVAILABLE",
      message: "down",
    });
    expect(bridgeErrorFromResponse(404, { error: "Plugin not found" })).toEqual({
      code: "UNKNOWN",
      message: "Plugin not found",
      details: { status: 404, body: { error: "Plugin not found" } },
    });
    expect(bridgeErrorFromResponse(500, null).message).toBe("Request failed with status 500");
    expect(toPluginBridgeError(new Error("boom"))).toEqual({ code: "UNKNOWN", message: "boom" });
  });
});

describe("withBridgeRetry", () => {
  const unavailable = { code: "WORKER_UNAVAILABLE", message: "restarting" };

  it("retries WORKER_UNAVAILABLE and TIMEOUT twice, waiting 150 ms × attempt", async () => {
    const waits: number[] = [];
    const call = vi
      .fn()
      .mockRejectedValueOnce(unavailable)
      .mockRejectedValueOnce({ code: "TIMEOUT", message: "slow" })
      .mockResolvedValueOnce("data");
    await expect(withBridgeRetry(call, { sleep: async (ms) => void waits.push(ms) })).resolves.toBe("data");
    expect(call).toHaveBeenCalledTimes(3);
    expect(waits).toEqual([150, 300]);
  });

  it("gives up after 2 retries with the last error", async () => {
    const call = vi.fn().mockRejectedValue(unavailable);
    await expect(withBridgeRetry(call, { sleep: async () => undefined })).rejects.toEqual(unavailable);
    expect(call).toHaveBeenCalledTimes(3);
  });

  it("does not retry other codes", async () => {
    const denied = { code: "CAPABILITY_DENIED", message: "no" };
    const call = vi.fn().mockRejectedValue(denied);
    await expect(withBridgeRetry(call, { sleep: async () => undefined })).rejects.toEqual(denied);
    expect(call).toHaveBeenCalledTimes(1);
  });

  it("waits for real and stops when aborted", async () => {
    const controller = new AbortController();
    const call = vi.fn().mockRejectedValue(unavailable);
    const started = Date.now();
    const pending = withBridgeRetry(call, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("unmounted")), 50);
    await expect(pending).rejects.toThrow("unmounted");
    expect(call).toHaveBeenCalledTimes(1);
    expect(Date.now() - started).toBeLessThan(150);
  });
});

describe("PluginToastStore", () => {
  function store() {
    const timers: { run: () => void; ms: number; cleared: boolean }[] = [];
    const toasts = new PluginToastStore({
      setTimer: (run, ms) => {
        const timer = { run, ms, cleared: false };
        timers.push(timer);
        return timer;
      },
      clearTimer: (timer) => {
        (timer as { cleared: boolean }).cleared = true;
      },
    });
    return { toasts, timers };
  }

  it("shows toasts with defaults and expires them after ttlMs", () => {
    const { toasts, timers } = store();
    const id = toasts.show({ title: "Saved" }, "plugin-a");
    expect(id).toMatch(/^plugin-toast-/);
    expect(toasts.snapshot()).toMatchObject([
      { id, title: "Saved", tone: "info", ttlMs: 5000, pluginId: "plugin-a" },
    ]);
    expect(timers[0]!.ms).toBe(5000);
    toasts.show({ title: "Broke", tone: "error" });
    expect(timers[1]!.ms).toBe(8000);
    timers[0]!.run();
    expect(toasts.snapshot().map((toast) => toast.title)).toEqual(["Broke"]);
  });

  it("replaces a toast with the same dedupeKey (per plugin) and keeps its id", () => {
    const { toasts, timers } = store();
    const first = toasts.show({ title: "Syncing 1/3", dedupeKey: "sync", ttlMs: 1000 }, "a");
    const second = toasts.show({ title: "Syncing 2/3", dedupeKey: "sync", ttlMs: 1000 }, "a");
    toasts.show({ title: "Other plugin", dedupeKey: "sync" }, "b");
    expect(second).toBe(first);
    expect(toasts.snapshot().map((toast) => toast.title)).toEqual(["Syncing 2/3", "Other plugin"]);
    expect(timers[0]!.cleared).toBe(true);
  });

  it("returns null without a title, keeps action links and notifies subscribers", () => {
    const { toasts } = store();
    const listener = vi.fn();
    toasts.subscribe(listener);
    expect(toasts.show({ title: "  " })).toBeNull();
    const id = toasts.show({ title: "Done", action: { label: "Open", href: "/issues/1" }, ttlMs: 0 })!;
    expect(toasts.snapshot()[0]!.action).toEqual({ label: "Open", href: "/issues/1" });
    toasts.dismiss(id);
    expect(toasts.snapshot()).toEqual([]);
    expect(listener).toHaveBeenCalledTimes(2);
  });
});

class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = [];
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: MessageEventLike) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, ((event: MessageEventLike) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, listener: (event: MessageEventLike) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
    for (const listener of this.listeners.get("open") ?? []) listener({});
  }
  frame(id: string, data: unknown, type = "message"): void {
    const event = { data: JSON.stringify(data), lastEventId: id };
    if (type === "message") this.onmessage?.(event);
    else for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  fail(readyState: number): void {
    this.readyState = readyState;
    this.onerror?.({});
  }
}

describe("PluginStreamClient", () => {
  function client() {
    FakeEventSource.instances = [];
    const timers: { run: () => void; ms: number }[] = [];
    const stream = new PluginStreamClient<{ n: number }>({
      pluginId: "p 1",
      channel: "chat/stream",
      companyId: "c1",
      createEventSource: (url) => new FakeEventSource(url),
      onChange: () => undefined,
      setTimer: (run, ms) => {
        timers.push({ run, ms });
        return run;
      },
      clearTimer: () => undefined,
    });
    return { stream, timers };
  }

  it("opens the bridge stream route with companyId", () => {
    expect(pluginStreamUrl("p 1", "chat/stream", "c1")).toBe(
      "/api/plugins/p%201/bridge/stream/chat%2Fstream?companyId=c1",
    );
    expect(pluginStreamUrl("p", "ch", "c", "abc-4")).toBe(
      "/api/plugins/p/bridge/stream/ch?companyId=c&lastEventId=abc-4",
    );
  });

  it("collects events and tracks connection state", () => {
    const { stream } = client();
    stream.start();
    const source = FakeEventSource.instances[0]!;
    expect(stream.current).toMatchObject({ connecting: true, connected: false });
    source.open();
    expect(stream.current).toMatchObject({ connecting: false, connected: true, error: null });
    source.frame("g-1", null, "open");
    source.frame("g-2", { n: 1 });
    source.frame("g-3", { n: 2 });
    expect(stream.current.events).toEqual([{ n: 1 }, { n: 2 }]);
    expect(stream.current.lastEvent).toEqual({ n: 2 });
    expect(stream.resumeId).toBe("g-3");
  });

  it("leaves reconnecting to the browser while it retries by itself", () => {
    const { stream, timers } = client();
    stream.start();
    const source = FakeEventSource.instances[0]!;
    source.open();
    source.fail(0);
    expect(stream.current).toMatchObject({ connecting: true, connected: false });
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(timers).toHaveLength(0);
  });

  it("reopens after the browser gives up, resuming after the last event id, with backoff", () => {
    const { stream, timers } = client();
    stream.start();
    const first = FakeEventSource.instances[0]!;
    first.open();
    first.frame("g-7", { n: 7 });
    first.fail(2);
    expect(first.closed).toBe(true);
    expect(stream.current.error?.message).toContain("reconnecting");
    expect(timers.map((timer) => timer.ms)).toEqual([500]);
    timers[0]!.run();
    const second = FakeEventSource.instances[1]!;
    expect(second.url).toBe("/api/plugins/p%201/bridge/stream/chat%2Fstream?companyId=c1&lastEventId=g-7");
    second.fail(2);
    expect(timers.map((timer) => timer.ms)).toEqual([500, 1000]);
    timers[1]!.run();
    const third = FakeEventSource.instances[2]!;
    third.open();
    third.frame("g-8", { n: 8 });
    expect(stream.current.events).toEqual([{ n: 7 }, { n: 8 }]);
    expect(stream.current).toMatchObject({ connected: true, error: null });
  });

  it("ends on the worker's close frame and on stop(), ignoring a stale source", () => {
    const { stream } = client();
    stream.start();
    const source = FakeEventSource.instances[0]!;
    source.open();
    source.frame("g-2", { reason: "done" }, "close");
    expect(source.closed).toBe(true);
    expect(stream.current).toMatchObject({ connected: false, connecting: false });
    source.frame("g-3", { n: 3 });
    expect(stream.current.events).toEqual([]);
    stream.start();
    expect(FakeEventSource.instances).toHaveLength(1);
  });
});

describe("slot and launcher selection", () => {
  const contribution = (key: string, slots: object[], launchers: object[] = []) =>
    ({
      pluginId: `${key}-id`,
      pluginKey: key,
      displayName: key,
      version: "1.0.0",
      updatedAt: "2026-01-01T00:00:00.000Z",
      uiEntryFile: "index.js",
      slots,
      launchers,
    }) as PluginUiContribution;
  const list = [
    contribution("b", [
      { type: "detailTab", id: "t2", displayName: "Zed", exportName: "Z", entityTypes: ["issue"] },
      { type: "dashboardWidget", id: "w", displayName: "W", exportName: "W" },
    ]),
    contribution(
      "a",
      [
        {
          type: "detailTab",
          id: "t1",
          displayName: "Alpha",
          exportName: "A",
          entityTypes: ["project", "issue"],
          order: 5,
        },
        { type: "detailTab", id: "t3", displayName: "Any", exportName: "Y" },
      ],
      [
        {
          id: "l",
          displayName: "Sync",
          placementZone: "toolbarButton",
          entityTypes: ["project"],
          action: { type: "openModal", target: "M" },
        },
      ],
    ),
  ];

  it("filters by type and entity type, ordered by order then name", () => {
    expect(slotsOfType(list, "detailTab", "issue").map((mount) => mount.slot.id)).toEqual(["t1", "t3", "t2"]);
    expect(slotsOfType(list, "detailTab", "project").map((mount) => mount.slot.id)).toEqual(["t1", "t3"]);
    expect(slotsOfType(list, "dashboardWidget").map((mount) => mount.contribution.pluginKey)).toEqual(["b"]);
    expect(launchersInZone(list, "toolbarButton", "project").map((mount) => mount.launcher.id)).toEqual([
      "l",
    ]);
    expect(launchersInZone(list, "toolbarButton", "issue")).toEqual([]);
  });

  it("recognises plugin.ui.updated live events", () => {
    expect(
      isPluginUiUpdatedEvent({ type: "plugin.ui.updated", payload: { pluginId: "x", action: "enabled" } }),
    ).toBe(true);
    expect(isPluginUiUpdatedEvent({ type: "activity.logged", payload: {} })).toBe(false);
  });
});
