import type { PluginCapability } from "@paperclipai/plugin-sdk";
import { createTestHarness, type TestHarness } from "@paperclipai/plugin-sdk/testing";
import { getRequiredManifestCapabilities, validateManifest } from "@paperclipai/plugin-sdk/types";
import { describe, expect, it } from "vitest";
import manifest from "../src/manifest.js";
import plugin from "../src/worker.js";

/** A harness with the plugin's setup() already run, as the host does right after initialize. */
async function startPlugin(capabilities?: PluginCapability[]): Promise<TestHarness> {
  const harness = createTestHarness({ manifest, ...(capabilities ? { capabilities } : {}) });
  await plugin.definition.setup(harness.ctx);
  return harness;
}

describe("hello-world manifest", () => {
  it("passes the SDK manifest validator with no missing capability", () => {
    const result = validateManifest(manifest);
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(getRequiredManifestCapabilities(manifest)).toEqual([]);
  });

  it("points the host at the built worker and declares the calculator tool", () => {
    expect(manifest.id).toBe("paperclip.hello-world");
    expect(manifest.entrypoints.worker).toBe("./dist/worker.js");
    expect(manifest.tools?.map((tool) => tool.name)).toEqual(["calculator"]);
    expect(manifest.tools?.[0]?.parametersSchema).toMatchObject({
      properties: { a: { type: "number" }, b: { type: "number" } },
      required: ["a", "b"],
    });
    expect(manifest.capabilities).toEqual(
      expect.arrayContaining([
        "events.subscribe",
        "agent.tools.register",
        "plugin.state.read",
        "plugin.state.write",
      ]),
    );
  });
});

describe("issue.created handler", () => {
  it("marks the issue as seen, counts it, and writes an activity entry", async () => {
    const harness = await startPlugin();
    await harness.emit(
      "issue.created",
      { title: "Broken build" },
      { companyId: "acme", entityType: "issue", entityId: "iss-1" },
    );
    await harness.emit(
      "issue.created",
      { title: "Flaky test" },
      { companyId: "acme", entityType: "issue", entityId: "iss-2" },
    );

    expect(harness.getState({ scopeKind: "issue", scopeId: "iss-1", stateKey: "seen" })).toBe(true);
    expect(harness.getState({ scopeKind: "issue", scopeId: "iss-2", stateKey: "seen" })).toBe(true);
    expect(harness.getState({ scopeKind: "issue", scopeId: "iss-3", stateKey: "seen" })).toBeUndefined();
    expect(harness.getState({ scopeKind: "instance", stateKey: "issues-seen" })).toBe(2);
    expect(harness.activity).toEqual([
      { companyId: "acme", message: "Hello World saw issue iss-1", entityType: "issue", entityId: "iss-1" },
      { companyId: "acme", message: "Hello World saw issue iss-2", entityType: "issue", entityId: "iss-2" },
    ]);
    expect(harness.logs.map((entry) => entry.message)).toEqual([
      "Observed issue.created",
      "Observed issue.created",
    ]);
  });

  it("counts each issue once when events overlap or are delivered again", async () => {
    const harness = await startPlugin();
    // The host runs up to 64 handlers at once and delivers at least once: overlap and a repeat.
    const ids = Array.from({ length: 50 }, (_, i) => `iss-${i}`);
    await Promise.all(
      [...ids, "iss-0", "iss-1"].map((id) =>
        harness.emit("issue.created", {}, { companyId: "acme", entityType: "issue", entityId: id }),
      ),
    );
    expect(harness.getState({ scopeKind: "instance", stateKey: "issues-seen" })).toBe(50);
    expect(harness.activity).toHaveLength(50);
  });

  it("ignores other events", async () => {
    const harness = await startPlugin();
    await harness.emit("issue.updated", {}, { entityType: "issue", entityId: "iss-1" });
    expect(harness.getState({ scopeKind: "instance", stateKey: "issues-seen" })).toBeUndefined();
    expect(harness.activity).toEqual([]);
  });
});

describe("data, action and tool", () => {
  it("reports health with the number of issues seen", async () => {
    const harness = await startPlugin();
    await expect(harness.getData("health")).resolves.toMatchObject({ status: "ok", issuesSeen: 0 });
    await harness.emit("issue.created", {}, { entityId: "iss-1" });
    const health = await harness.getData<{ issuesSeen: number; checkedAt: string }>("health");
    expect(health.issuesSeen).toBe(1);
    expect(Number.isNaN(Date.parse(health.checkedAt))).toBe(false);
  });

  it("answers ping with the caller's message and authorized company", async () => {
    const harness = await startPlugin();
    const reply = await harness.performAction<Record<string, unknown>>(
      "ping",
      { message: "hello" },
      { companyId: "acme", actor: { type: "user", userId: "u1" } },
    );
    expect(reply).toMatchObject({ pong: true, echo: "hello", companyId: "acme" });
    expect(harness.logs).toContainEqual({
      level: "info",
      message: "Ping action invoked",
      meta: { actor: "user" },
    });
  });

  it("adds two numbers with the calculator tool", async () => {
    const harness = await startPlugin();
    await expect(harness.executeTool("calculator", { a: 2, b: 3 })).resolves.toEqual({
      content: "Result: 5",
      data: { result: 5 },
    });
    await expect(
      harness.executeTool("paperclip.hello-world:calculator", { a: -1.5, b: 0.5 }),
    ).resolves.toEqual({
      content: "Result: -1",
      data: { result: -1 },
    });
  });

  it("returns a tool error for bad parameters instead of throwing", async () => {
    const harness = await startPlugin();
    const expected = { error: "calculator needs finite numbers in both 'a' and 'b'" };
    for (const params of [{ a: "2", b: 3 }, { a: 2 }, null, { a: Number.POSITIVE_INFINITY, b: 1 }]) {
      await expect(harness.executeTool("calculator", params)).resolves.toEqual(expected);
    }
  });
});

describe("capability checks", () => {
  it("fails setup when events.subscribe is withdrawn", async () => {
    const harness = createTestHarness({
      manifest,
      capabilities: manifest.capabilities.filter((capability) => capability !== "events.subscribe"),
    });
    await expect(plugin.definition.setup(harness.ctx)).rejects.toThrow(
      "Plugin 'paperclip.hello-world' is missing required capability 'events.subscribe' in test harness",
    );
  });

  it("fails the event handler when plugin.state.write is withdrawn", async () => {
    const harness = await startPlugin(
      manifest.capabilities.filter((capability) => capability !== "plugin.state.write"),
    );
    await expect(harness.emit("issue.created", {}, { entityId: "iss-1" })).rejects.toThrow(
      "Plugin 'paperclip.hello-world' is missing required capability 'plugin.state.write' in test harness",
    );
    expect(harness.activity).toEqual([]);
  });

  it("fails the calculator registration when agent.tools.register is withdrawn", async () => {
    const harness = createTestHarness({
      manifest,
      capabilities: manifest.capabilities.filter((capability) => capability !== "agent.tools.register"),
    });
    await expect(plugin.definition.setup(harness.ctx)).rejects.toThrow("'agent.tools.register'");
  });
});
