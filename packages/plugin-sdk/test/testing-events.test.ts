import type { PaperclipPluginManifestV1, PluginEvent, PluginEventType } from "@paperclipai/plugin-sdk";
import { createTestHarness } from "@paperclipai/plugin-sdk/testing";
import { describe, expect, it } from "vitest";

const manifest: PaperclipPluginManifestV1 = {
  id: "acme.events",
  apiVersion: 1,
  version: "1.0.0",
  displayName: "Events",
  description: "Event matching tests",
  author: "Acme",
  categories: ["automation"],
  capabilities: ["events.subscribe", "events.emit"],
  entrypoints: { worker: "./dist/worker.js" },
};

/** Core wildcards like "issue.*" work at runtime but are outside the published `on()` name type. */
const pattern = (name: string) => name as PluginEventType;

/** A harness plus a list of `label → event` deliveries in order. */
function recordingHarness() {
  const harness = createTestHarness({ manifest });
  const seen: Array<[string, PluginEvent]> = [];
  const record = (label: string) => async (event: PluginEvent) => {
    seen.push([label, event]);
  };
  return { harness, seen, record, labels: () => seen.map(([label]) => label) };
}

describe("harness.emit: envelope", () => {
  it("builds the host envelope with a fresh id, a timestamp and the default test company", async () => {
    const { harness, seen, record } = recordingHarness();
    harness.ctx.events.on("issue.created", record("h"));
    await harness.emit("issue.created", { title: "T" });
    const [, event] = seen[0]!;
    expect(event).toMatchObject({
      eventType: "issue.created",
      companyId: "test-company",
      payload: { title: "T" },
    });
    expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(event.occurredAt))).toBe(false);
  });

  it("takes the company from base first, then from payload.companyId", async () => {
    const { harness, seen, record } = recordingHarness();
    harness.ctx.events.on("issue.updated", record("h"));
    await harness.emit("issue.updated", { companyId: "from-payload" });
    await harness.emit(
      "issue.updated",
      { companyId: "from-payload" },
      { companyId: "from-base", entityId: "i1" },
    );
    expect(seen.map(([, event]) => event.companyId)).toEqual(["from-payload", "from-base"]);
    expect(seen[1]![1].entityId).toBe("i1");
  });

  it("rejects unknown event types and malformed base values, naming the problem", async () => {
    const { harness } = recordingHarness();
    await expect(harness.emit("issue.crated" as "issue.created", {})).rejects.toThrow(
      'harness.emit: eventType "issue.crated" is neither a core event type (PLUGIN_EVENT_TYPES) nor a plugin event',
    );
    await expect(harness.emit("issue.created", {}, { companyId: "" })).rejects.toThrow(
      "harness.emit: base.companyId must be a non-empty string (got an empty string)",
    );
    await expect(harness.emit("issue.created", {}, [] as never)).rejects.toThrow(
      "harness.emit: base must be an object (got an array)",
    );
  });
});

describe("pattern matching", () => {
  it("delivers to exact and `.*` wildcard subscriptions, in registration order", async () => {
    const { harness, record, labels } = recordingHarness();
    harness.ctx.events.on(pattern("issue.*"), record("issue.*"));
    harness.ctx.events.on("issue.created", record("exact"));
    harness.ctx.events.on(pattern("issue.comment.*"), record("issue.comment.*"));
    harness.ctx.events.on(pattern("agent.*"), record("agent.*"));
    harness.ctx.events.on("plugin.*", record("plugin.*"));
    await harness.emit("issue.created", {});
    expect(labels()).toEqual(["issue.*", "exact"]);
    await harness.emit("issue.comment.created", {});
    expect(labels()).toEqual(["issue.*", "exact", "issue.*", "issue.comment.*"]);
    await harness.emit("plugin.acme.linear.sync-done", {});
    expect(labels().at(-1)).toBe("plugin.*");
    expect(labels()).not.toContain("agent.*");
  });

  it("does not treat a pattern without `.*` as a prefix", async () => {
    const { harness, record, labels } = recordingHarness();
    harness.ctx.events.on(pattern("issue"), record("bare"));
    harness.ctx.events.on(pattern("issue.create"), record("partial"));
    await harness.emit("issue.created", {});
    expect(labels()).toEqual([]);
  });

  it("stops delivering after the unsubscribe function is called", async () => {
    const { harness, record, labels } = recordingHarness();
    const off = harness.ctx.events.on("goal.created", record("first"));
    harness.ctx.events.on("goal.created", record("second"));
    await harness.emit("goal.created", {});
    off();
    off();
    await harness.emit("goal.created", {});
    expect(labels()).toEqual(["first", "second", "second"]);
  });
});

describe("filters (host semantics)", () => {
  it("matches companyId against the event's company", async () => {
    const { harness, record, labels } = recordingHarness();
    harness.ctx.events.on("issue.created", { companyId: "c1" }, record("c1"));
    await harness.emit("issue.created", {}, { companyId: "c2" });
    await harness.emit("issue.created", {}, { companyId: "c1" });
    await harness.emit("issue.created", { companyId: "c1" });
    expect(labels()).toEqual(["c1", "c1"]);
  });

  it("matches projectId against the entity for project events, else payload.projectId", async () => {
    const { harness, record, labels } = recordingHarness();
    harness.ctx.events.on("project.updated", { projectId: "p1" }, record("project"));
    harness.ctx.events.on("issue.created", { projectId: "p1" }, record("issue"));
    await harness.emit("project.updated", { projectId: "p1" }, { entityType: "project", entityId: "p2" });
    await harness.emit("project.updated", {}, { entityType: "project", entityId: "p1" });
    await harness.emit("issue.created", { projectId: "p2" });
    await harness.emit("issue.created", { projectId: "p1" }, { entityType: "issue", entityId: "i1" });
    expect(labels()).toEqual(["project", "issue"]);
  });

  it("matches agentId against the entity for agent events, else payload.agentId", async () => {
    const { harness, record, labels } = recordingHarness();
    harness.ctx.events.on("agent.status_changed", { agentId: "a1" }, record("entity"));
    harness.ctx.events.on("agent.run.finished", { agentId: "a1" }, record("payload"));
    await harness.emit("agent.status_changed", {}, { entityType: "agent", entityId: "a1" });
    await harness.emit("agent.status_changed", {}, { entityType: "agent", entityId: "a2" });
    await harness.emit(
      "agent.run.finished",
      { agentId: "a1" },
      { entityType: "heartbeat_run", entityId: "r1" },
    );
    await harness.emit(
      "agent.run.finished",
      { agentId: "a2" },
      { entityType: "heartbeat_run", entityId: "r2" },
    );
    expect(labels()).toEqual(["entity", "payload"]);
  });

  it("requires every filter key to match and ignores unknown keys", async () => {
    const { harness, record, labels } = recordingHarness();
    harness.ctx.events.on(
      "issue.created",
      { companyId: "c1", projectId: "p1", color: "blue" },
      record("both"),
    );
    await harness.emit("issue.created", { companyId: "c1", projectId: "p2" });
    await harness.emit("issue.created", { companyId: "c2", projectId: "p1" });
    await harness.emit("issue.created", { companyId: "c1", projectId: "p1" });
    expect(labels()).toEqual(["both"]);
  });

  it("rejects a malformed subscription, naming the argument", () => {
    const { harness } = recordingHarness();
    expect(() => harness.ctx.events.on(pattern(""), async () => {})).toThrow(
      "ctx.events.on: event name must be a non-empty string (got an empty string)",
    );
    expect(() => harness.ctx.events.on("issue.created", "c1" as never, async () => {})).toThrow(
      'ctx.events.on: filter must be an object (got the string "c1")',
    );
    expect(() => harness.ctx.events.on("issue.created", {}, undefined as never)).toThrow(
      "ctx.events.on: handler must be a function",
    );
  });
});

describe("handler failures", () => {
  it("runs the remaining handlers, logs the failure, then rejects with it", async () => {
    const { harness, record, labels } = recordingHarness();
    harness.ctx.events.on("issue.created", async () => {
      throw new Error("handler exploded");
    });
    harness.ctx.events.on("issue.created", record("after"));
    await expect(harness.emit("issue.created", {})).rejects.toThrow("handler exploded");
    expect(labels()).toEqual(["after"]);
    expect(harness.logs).toMatchObject([
      {
        level: "error",
        message: 'Event handler for "issue.created" failed on issue.created: handler exploded',
      },
    ]);
  });

  it("reports several failures together", async () => {
    const { harness } = recordingHarness();
    for (const name of ["one", "two"]) {
      harness.ctx.events.on(pattern("issue.*"), async () => {
        throw new Error(name);
      });
    }
    const error = await harness.emit("issue.updated", {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual(["one", "two"]);
  });
});

describe("ctx.events.emit (plugin-to-plugin)", () => {
  it("namespaces the event as plugin.<id>.<name> and delivers it to matching subscriptions", async () => {
    const { harness, seen, record } = recordingHarness();
    harness.ctx.events.on("plugin.acme.events.*", record("mine"));
    harness.ctx.events.on("plugin.acme.other.*", record("other"));
    await harness.ctx.events.emit("sync-done", "c1", { count: 3 });
    expect(seen).toHaveLength(1);
    expect(seen[0]![1]).toMatchObject({
      eventType: "plugin.acme.events.sync-done",
      companyId: "c1",
      actorType: "plugin",
      actorId: "acme.events",
      payload: { count: 3 },
    });
  });

  it("applies the host's name and company rules", async () => {
    const { harness } = recordingHarness();
    await expect(harness.ctx.events.emit("", "c1", {})).rejects.toThrow(
      "ctx.events.emit: name must be a non-empty string",
    );
    await expect(harness.ctx.events.emit("plugin.acme.events.x", "c1", {})).rejects.toThrow(
      'ctx.events.emit: name must be the bare event name; the host adds "plugin.acme.events." itself',
    );
    await expect(harness.ctx.events.emit("x", "", {})).rejects.toThrow(
      "ctx.events.emit: companyId must be a non-empty string",
    );
  });
});
