// The Kitchen Sink worker in the SDK's in-memory harness: manifest validity (ours and the published schema),
// data keys, actions, the issue.created counter, the tick job, the ping webhook and the counter stream.
import type { PaperclipPlugin } from "@paperclipai/plugin-sdk";
import { createTestHarness, type TestHarness } from "@paperclipai/plugin-sdk/testing";
import {
  getRequiredManifestCapabilities,
  PLUGIN_LAUNCHER_ACTIONS,
  PLUGIN_LAUNCHER_BOUNDS,
  PLUGIN_LAUNCHER_RENDER_ENVIRONMENTS,
  PLUGIN_UI_SLOT_TYPES,
  validateManifest,
} from "@paperclipai/plugin-sdk/types";
import { pluginManifestV1Schema as publishedManifestSchema } from "@paperclipai/shared/validators/plugin";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { COUNTER_CHANNEL } from "../src/counter.js";
import manifest from "../src/manifest.js";
import { createKitchenSinkPlugin, MAX_NOTES, type Note } from "../src/worker.js";

const started: PaperclipPlugin[] = [];

/** A fresh plugin (own counters) set up in a fresh harness, as the host does right after initialize. */
async function startPlugin(): Promise<{ harness: TestHarness; plugin: PaperclipPlugin }> {
  const plugin = createKitchenSinkPlugin();
  const harness = createTestHarness({ manifest });
  await plugin.definition.setup(harness.ctx);
  started.push(plugin);
  return { harness, plugin };
}

afterEach(async () => {
  for (const plugin of started.splice(0)) await plugin.definition.onShutdown?.();
  vi.useRealTimers();
});

describe("kitchen-sink manifest", () => {
  it("passes our validator with no missing capability", () => {
    const result = validateManifest(manifest);
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(getRequiredManifestCapabilities(manifest)).toEqual([]);
  });

  it("passes the published 2026.916.1 manifest schema unchanged", () => {
    const parsed = publishedManifestSchema.safeParse(manifest);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(parsed.data).toEqual(manifest);
  });

  it("declares every slot type, with page/routeSidebar/companySettingsPage on routePath kitchen-sink", () => {
    const slots = manifest.ui?.slots ?? [];
    expect(new Set(slots.map((slot) => slot.type))).toEqual(new Set(PLUGIN_UI_SLOT_TYPES));
    for (const type of ["page", "routeSidebar", "companySettingsPage"] as const) {
      expect(slots.find((slot) => slot.type === type)?.routePath).toBe("kitchen-sink");
    }
    expect(slots.find((slot) => slot.type === "detailTab")?.entityTypes).toEqual([
      "project",
      "issue",
      "agent",
      "goal",
      "run",
    ]);
    const widgets = slots.filter((slot) => slot.type === "dashboardWidget");
    expect(widgets.map((slot) => [slot.displayName, slot.exportName])).toEqual([
      ["Kitchen Sink widget", "KitchenSinkDashboardWidget"],
      ["Broken widget", "Broken"],
    ]);
  });

  it("has launchers covering every action, render environment and bounds in several zones", () => {
    const launchers = manifest.ui?.launchers ?? [];
    expect(new Set(launchers.map((launcher) => launcher.action.type))).toEqual(
      new Set(PLUGIN_LAUNCHER_ACTIONS),
    );
    expect(new Set(launchers.flatMap((launcher) => launcher.render?.environment ?? []))).toEqual(
      new Set(PLUGIN_LAUNCHER_RENDER_ENVIRONMENTS),
    );
    expect(new Set(launchers.flatMap((launcher) => launcher.render?.bounds ?? []))).toEqual(
      new Set(PLUGIN_LAUNCHER_BOUNDS),
    );
    expect(new Set(launchers.map((launcher) => launcher.placementZone))).toEqual(
      new Set([
        "globalToolbarButton",
        "toolbarButton",
        "contextMenuItem",
        "detailTab",
        "dashboardWidget",
        "projectSidebarItem",
        "commentContextMenuItem",
      ]),
    );
    const ping = launchers.find((launcher) => launcher.action.type === "performAction");
    expect(ping?.action.target).toBe("launcher-ping");
  });

  it("declares the tick job every minute and the ping webhook", () => {
    expect(manifest.jobs).toEqual([expect.objectContaining({ jobKey: "tick", schedule: "* * * * *" })]);
    expect(manifest.webhooks?.map((webhook) => webhook.endpointKey)).toEqual(["ping"]);
    expect(manifest.entrypoints).toEqual({ worker: "./dist/worker.js", ui: "./dist/ui" });
  });
});

describe("issue.created counter", () => {
  it("counts issues per company in state and reports them through the overview data", async () => {
    const { harness } = await startPlugin();
    const base = { entityType: "issue", occurredAt: "2026-01-01T00:00:00.000Z" };
    await harness.emit(
      "issue.created",
      { title: "First" },
      { ...base, companyId: "acme", entityId: "iss-1" },
    );
    await harness.emit(
      "issue.created",
      { title: "Second" },
      { ...base, companyId: "acme", entityId: "iss-2" },
    );
    await harness.emit(
      "issue.created",
      { title: "Other" },
      { ...base, companyId: "globex", entityId: "iss-3" },
    );
    await harness.emit(
      "issue.updated",
      { title: "ignored" },
      { ...base, companyId: "acme", entityId: "iss-1" },
    );

    expect(harness.getState({ scopeKind: "company", scopeId: "acme", stateKey: "issues-created" })).toBe(2);
    expect(harness.getState({ scopeKind: "company", scopeId: "globex", stateKey: "issues-created" })).toBe(1);
    expect(harness.getState({ scopeKind: "company", scopeId: "acme", stateKey: "last-issue" })).toEqual({
      id: "iss-2",
      title: "Second",
      at: base.occurredAt,
    });
    await expect(harness.getData("overview", { companyId: "acme" })).resolves.toMatchObject({
      companyId: "acme",
      issuesCreated: 2,
      lastIssue: { id: "iss-2", title: "Second" },
    });
    expect(
      harness.logs.filter((entry) => entry.message === "Kitchen Sink counted issue.created"),
    ).toHaveLength(3);
  });
});

describe("data keys", () => {
  it("answers overview with zeroes on a fresh install and refuses a call without company", async () => {
    const { harness } = await startPlugin();
    await expect(harness.getData("overview", { companyId: "acme" })).resolves.toEqual({
      companyId: "acme",
      issuesCreated: 0,
      lastIssue: null,
      notes: 0,
      jobTicks: 0,
      lastTick: null,
      webhookDeliveries: 0,
      lastWebhook: null,
      counter: { streaming: false, value: null },
    });
    await expect(harness.getData("overview", {})).rejects.toThrow("overview needs a companyId");
  });

  it("echoes the context the bridge delivered", async () => {
    const { harness } = await startPlugin();
    const renderEnvironment = { environment: "hostOverlay", launcherId: "ks-open-drawer", bounds: "wide" };
    await expect(
      harness.getData("context", {
        companyId: "acme",
        entityId: "iss-9",
        entityType: "issue",
        renderEnvironment,
      }),
    ).resolves.toEqual({ companyId: "acme", entityId: "iss-9", entityType: "issue", renderEnvironment });
    await expect(harness.getData("context", {})).resolves.toEqual({
      companyId: null,
      entityId: null,
      entityType: null,
      renderEnvironment: null,
    });
  });

  it("serves the config the host holds", async () => {
    const { harness } = await startPlugin();
    harness.setConfig({ greeting: "hi" });
    await expect(harness.getData("config", { companyId: "acme" })).resolves.toEqual({
      companyId: "acme",
      config: { greeting: "hi" },
    });
  });
});

describe("actions", () => {
  it("adds notes for the authorized company and lists them through the notes data", async () => {
    const { harness } = await startPlugin();
    const note = await harness.performAction<Note>(
      "add-note",
      { text: "  Buy milk  ", companyId: "someone-else" },
      { companyId: "acme", actor: { type: "user", userId: "user-1" } },
    );
    expect(note).toMatchObject({ text: "Buy milk", actor: "user-1" });
    expect(Number.isNaN(Date.parse(note.createdAt))).toBe(false);

    await expect(harness.getData("notes", { companyId: "acme" })).resolves.toEqual({
      companyId: "acme",
      notes: [note],
    });
    // The bridge's company wins over the params: nothing was written for "someone-else".
    await expect(harness.getData("notes", { companyId: "someone-else" })).resolves.toEqual({
      companyId: "someone-else",
      notes: [],
    });
    await expect(harness.getData("overview", { companyId: "acme" })).resolves.toMatchObject({ notes: 1 });
  });

  it("rejects empty and oversized notes and keeps only the newest ones", async () => {
    const { harness } = await startPlugin();
    const options = { companyId: "acme" };
    await expect(harness.performAction("add-note", { text: "   " }, options)).rejects.toThrow(
      "non-empty 'text'",
    );
    await expect(harness.performAction("add-note", { text: "x".repeat(501) }, options)).rejects.toThrow(
      "at most 500 characters",
    );
    for (let index = 1; index <= MAX_NOTES + 2; index++) {
      await harness.performAction("add-note", { text: `note ${index}` }, options);
    }
    const { notes } = await harness.getData<{ notes: Note[] }>("notes", { companyId: "acme" });
    expect(notes).toHaveLength(MAX_NOTES);
    expect(notes[0]?.text).toBe("note 3");
    expect(notes.at(-1)?.text).toBe(`note ${MAX_NOTES + 2}`);
  });

  it("answers the performAction launcher with what it received", async () => {
    const { harness } = await startPlugin();
    const reply = await harness.performAction(
      "launcher-ping",
      { source: "context-menu", entityId: "iss-1", entityType: "issue" },
      { companyId: "acme", actor: { type: "user", userId: "user-1" } },
    );
    expect(reply).toMatchObject({
      ok: true,
      message: "Kitchen Sink pong (context-menu)",
      companyId: "acme",
      entityId: "iss-1",
      entityType: "issue",
      actor: "user",
    });
  });
});

describe("tick job", () => {
  it("counts runs and records the last one in instance state", async () => {
    const { harness } = await startPlugin();
    await harness.runJob("tick", {
      runId: "run-1",
      trigger: "schedule",
      scheduledAt: "2026-01-01T00:01:00.000Z",
    });
    await harness.runJob("tick", { runId: "run-2", trigger: "manual" });
    expect(harness.getState({ scopeKind: "instance", stateKey: "job-ticks" })).toBe(2);
    expect(harness.getState({ scopeKind: "instance", stateKey: "last-tick" })).toMatchObject({
      runId: "run-2",
      trigger: "manual",
    });
    await expect(harness.getData("overview", { companyId: "acme" })).resolves.toMatchObject({
      jobTicks: 2,
      lastTick: { runId: "run-2" },
    });
  });
});

describe("ping webhook", () => {
  it("counts deliveries and keeps the last body", async () => {
    const { harness, plugin } = await startPlugin();
    const deliver = (requestId: string, parsedBody: unknown) =>
      plugin.definition.onWebhook?.({
        endpointKey: "ping",
        headers: { "content-type": "application/json" },
        rawBody: JSON.stringify(parsedBody),
        parsedBody,
        requestId,
      });
    await deliver("req-1", { hello: "world" });
    await deliver("req-2", { n: 2 });
    expect(harness.getState({ scopeKind: "instance", stateKey: "webhook-deliveries" })).toBe(2);
    expect(harness.getState({ scopeKind: "instance", stateKey: "last-webhook" })).toMatchObject({
      requestId: "req-2",
      body: { n: 2 },
    });
    await expect(harness.getData("overview", { companyId: "acme" })).resolves.toMatchObject({
      webhookDeliveries: 2,
      lastWebhook: { requestId: "req-2" },
    });
  });

  it("fails a delivery to an endpoint it does not declare", async () => {
    const { harness, plugin } = await startPlugin();
    await expect(
      plugin.definition.onWebhook!({ endpointKey: "other", headers: {}, rawBody: "", requestId: "req-1" }),
    ).rejects.toThrow('Unknown webhook endpoint "other"');
    expect(harness.getState({ scopeKind: "instance", stateKey: "webhook-deliveries" })).toBeUndefined();
  });
});

/** What reached each company's `counter` channel, following the SDK's one-company-per-channel rule. */
function recordStreams(harness: TestHarness) {
  const received = new Map<string, Array<{ type: "message" | "close"; value?: number }>>();
  let current = "";
  const streams = harness.ctx.streams;
  const open = streams.open.bind(streams);
  vi.spyOn(streams, "open").mockImplementation((channel, companyId) => {
    expect(channel).toBe(COUNTER_CHANNEL);
    current = companyId;
    open(channel, companyId);
  });
  vi.spyOn(streams, "emit").mockImplementation((channel, event) => {
    expect(channel).toBe(COUNTER_CHANNEL);
    const { companyId, value } = event as { companyId: string; value: number };
    expect(companyId).toBe(current);
    received.set(current, [...(received.get(current) ?? []), { type: "message", value }]);
  });
  vi.spyOn(streams, "close").mockImplementation((channel) => {
    expect(channel).toBe(COUNTER_CHANNEL);
    received.set(current, [...(received.get(current) ?? []), { type: "close" }]);
    current = "";
  });
  return received;
}

describe("counter stream", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00.000Z") });
  });

  it("emits an incrementing counter every second for each company that opened it", async () => {
    const { harness } = await startPlugin();
    const received = recordStreams(harness);

    await expect(harness.performAction("counter.start", {}, { companyId: "acme" })).resolves.toEqual({
      companyId: "acme",
      value: 0,
    });
    vi.advanceTimersByTime(2_000);
    await harness.performAction("counter.start", {}, { companyId: "globex" });
    vi.advanceTimersByTime(3_000);

    const values = (companyId: string) => (received.get(companyId) ?? []).map((entry) => entry.value);
    expect(values("acme")).toEqual([0, 1, 2, 3, 4, 5]);
    expect(values("globex")).toEqual([0, 1, 2, 3]);
    await expect(harness.getData("overview", { companyId: "acme" })).resolves.toMatchObject({
      counter: { streaming: true, value: 5 },
    });

    await expect(harness.performAction("counter.stop", {}, { companyId: "acme" })).resolves.toEqual({
      companyId: "acme",
      stopped: true,
      value: 5,
    });
    vi.advanceTimersByTime(2_000);
    expect(received.get("acme")?.at(-1)).toEqual({ type: "close" });
    expect(values("acme")).toHaveLength(7);
    expect(values("globex")).toEqual([0, 1, 2, 3, 4, 5]);
    await expect(harness.performAction("counter.stop", {}, { companyId: "acme" })).resolves.toMatchObject({
      stopped: false,
      value: null,
    });
  });

  it("keeps a renewed stream going, closes an abandoned one, and stops the timer when none is left", async () => {
    const { harness } = await startPlugin();
    const received = recordStreams(harness);
    await harness.performAction("counter.start", {}, { companyId: "acme" });
    for (let second = 0; second < 30; second += 5) {
      vi.advanceTimersByTime(5_000);
      // The page renews every 5 s; the value carries on.
      await expect(harness.performAction("counter.start", {}, { companyId: "acme" })).resolves.toMatchObject({
        value: second + 5,
      });
    }
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(20_000); // no renewal: closed once idle for more than 15 s
    const entries = received.get("acme") ?? [];
    expect(entries.at(-1)).toEqual({ type: "close" });
    expect(entries.filter((entry) => entry.type === "message").at(-1)?.value).toBe(45);
    expect(vi.getTimerCount()).toBe(0);
    await expect(harness.getData("overview", { companyId: "acme" })).resolves.toMatchObject({
      counter: { streaming: false, value: null },
    });
  });

  it("closes every stream on shutdown", async () => {
    const { harness, plugin } = await startPlugin();
    const received = recordStreams(harness);
    await harness.performAction("counter.start", {}, { companyId: "acme" });
    await harness.performAction("counter.start", {}, { companyId: "globex" });
    await plugin.definition.onShutdown?.();
    expect(received.get("acme")?.at(-1)).toEqual({ type: "close" });
    expect(received.get("globex")?.at(-1)).toEqual({ type: "close" });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("refuses to start without a company", async () => {
    const { harness } = await startPlugin();
    await expect(harness.performAction("counter.start", {})).rejects.toThrow(
      "counter.start needs a companyId",
    );
  });
});
