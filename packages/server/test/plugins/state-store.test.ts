// Plugin state and entities: all eight scope kinds through a real worker, null values, namespaces, the
// NULLS NOT DISTINCT key, deletion, and entity upserts with filters and paging.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PluginIdentity } from "../../src/plugins/host-services/index.js";
import { STATE_SCOPE_KINDS } from "../../src/plugins/state/index.js";
import { ENGINES } from "../support/database.js";
import { ServicesBed, type TestWorker } from "./fixtures/services/bed.js";

describe.each(ENGINES)("plugin state and entities (%s)", (engine) => {
  let bed: ServicesBed;
  let company: { id: string };
  let plugin: PluginIdentity;
  let worker: TestWorker;

  const ok = async (path: string, args: unknown[], companyId: string | null = company.id) => {
    const outcome = await worker.ctx(path, args, companyId);
    if (outcome.caught) throw new Error(`ctx.${path} failed: ${outcome.caught.message}`);
    return outcome.result;
  };

  beforeAll(async () => {
    bed = await ServicesBed.open(engine);
    company = await bed.company();
    plugin = await bed.plugin({ capabilities: ["plugin.state.read", "plugin.state.write"] });
    worker = await bed.worker(plugin);
  });

  afterAll(async () => {
    await bed?.close();
  });

  it("stores and reads a value in each of the eight scope kinds, separately", async () => {
    for (const scopeKind of STATE_SCOPE_KINDS) {
      const scopeId =
        scopeKind === "instance" ? undefined : scopeKind === "company" ? company.id : `${scopeKind}-1`;
      await ok("state.set", [
        { scopeKind, scopeId, stateKey: "counter" },
        { kind: scopeKind, n: 1 },
      ]);
    }
    for (const scopeKind of STATE_SCOPE_KINDS) {
      const scopeId =
        scopeKind === "instance" ? undefined : scopeKind === "company" ? company.id : `${scopeKind}-1`;
      expect(await ok("state.get", [{ scopeKind, scopeId, stateKey: "counter" }])).toEqual({
        kind: scopeKind,
        n: 1,
      });
    }
    const rows = await bed.factory.state.list(plugin.pluginId);
    expect(new Set(rows.map((row) => row.scopeKind))).toEqual(new Set(STATE_SCOPE_KINDS));
  });

  it("upserts instance keys (no scope id) instead of duplicating them", async () => {
    await ok("state.set", [{ scopeKind: "instance", stateKey: "cursor" }, "a"]);
    await ok("state.set", [{ scopeKind: "instance", stateKey: "cursor" }, "b"]);
    expect(await ok("state.get", [{ scopeKind: "instance", stateKey: "cursor" }])).toBe("b");
    const cursors = (await bed.factory.state.list(plugin.pluginId, { scopeKind: "instance" })).filter(
      (r) => r.stateKey === "cursor",
    );
    expect(cursors).toHaveLength(1);
  });

  it("saves null as a value: the worker reads null, the host still tells it from a missing key", async () => {
    await ok("state.set", [{ scopeKind: "project", scopeId: "p1", stateKey: "maybe" }, null]);
    expect(await ok("state.get", [{ scopeKind: "project", scopeId: "p1", stateKey: "maybe" }])).toBeNull();
    expect(
      await bed.factory.state.get(plugin.pluginId, {
        scopeKind: "project",
        scopeId: "p1",
        stateKey: "maybe",
      }),
    ).toEqual({
      found: true,
      value: null,
    });
    expect(
      await bed.factory.state.get(plugin.pluginId, {
        scopeKind: "project",
        scopeId: "p1",
        stateKey: "never",
      }),
    ).toEqual({
      found: false,
      value: null,
    });
  });

  it("keeps namespaces apart and deletes idempotently", async () => {
    const key = { scopeKind: "issue", scopeId: "i1", stateKey: "k" };
    await ok("state.set", [{ ...key, namespace: "alpha" }, 1]);
    await ok("state.set", [key, 2]);
    expect(await ok("state.get", [{ ...key, namespace: "alpha" }])).toBe(1);
    expect(await ok("state.get", [{ ...key, namespace: "default" }])).toBe(2);
    await ok("state.delete", [{ ...key, namespace: "alpha" }]);
    await ok("state.delete", [{ ...key, namespace: "alpha" }]);
    expect(await ok("state.get", [{ ...key, namespace: "alpha" }])).toBeNull();
    expect(await ok("state.get", [key])).toBe(2);
  });

  it("keeps plugins' state apart", async () => {
    const second = await bed.plugin({ capabilities: ["plugin.state.read"] });
    const secondWorker = await bed.worker(second);
    await ok("state.set", [{ scopeKind: "instance", stateKey: "mine" }, "first plugin"]);
    const read = await secondWorker.ctx(
      "state.get",
      [{ scopeKind: "instance", stateKey: "mine" }],
      company.id,
    );
    expect(read.result).toBeNull();
  });

  it("refuses a value whose scope kind is unknown or whose key is empty, naming the field", async () => {
    const badKind = await worker.ctx("state.set", [{ scopeKind: "planet", stateKey: "k" }, 1], company.id);
    expect(badKind.caught?.message).toContain("state.set: params.scopeKind must be one of");
    const emptyKey = await worker.ctx("state.get", [{ scopeKind: "instance", stateKey: "" }], company.id);
    expect(emptyKey.caught?.message).toContain("state.get: params.stateKey");
  });

  it("upserts entities on their identity and lists them with filters and paging", async () => {
    const first = await bed.factory.entities.upsert(plugin.pluginId, {
      entityType: "ticket",
      scopeKind: "company",
      scopeId: company.id,
      externalId: "T-1",
      title: "One",
      status: "open",
      data: { n: 1 },
    });
    const again = await bed.factory.entities.upsert(plugin.pluginId, {
      entityType: "ticket",
      scopeKind: "company",
      scopeId: company.id,
      externalId: "T-1",
      title: "One (renamed)",
      status: "closed",
      data: { n: 2 },
    });
    expect(again.id).toBe(first.id);
    expect(again).toMatchObject({ title: "One (renamed)", status: "closed", data: { n: 2 } });
    expect(typeof again.createdAt).toBe("string");
    for (let i = 2; i <= 5; i++) {
      await bed.factory.entities.upsert(plugin.pluginId, {
        entityType: "ticket",
        scopeKind: "instance",
        externalId: `T-${i}`,
        data: {},
      });
    }
    await bed.factory.entities.upsert(plugin.pluginId, {
      entityType: "note",
      scopeKind: "instance",
      data: {},
    });

    const viaWorker = await worker.ctx(
      "entities.list",
      [{ entityType: "ticket", limit: 2, offset: 0 }],
      company.id,
    );
    expect(viaWorker.result).toHaveLength(2);
    const page2 = await worker.ctx(
      "entities.list",
      [{ entityType: "ticket", limit: 2, offset: 2 }],
      company.id,
    );
    const page3 = await worker.ctx(
      "entities.list",
      [{ entityType: "ticket", limit: 2, offset: 4 }],
      company.id,
    );
    const ids = [...viaWorker.result, ...page2.result, ...page3.result].map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(5);
    const byExternal = await worker.ctx("entities.list", [{ externalId: "T-1" }], company.id);
    expect(byExternal.result.map((e: { title: string }) => e.title)).toEqual(["One (renamed)"]);
    const upserted = await worker.ctx(
      "entities.upsert",
      [
        {
          entityType: "ticket",
          scopeKind: "company",
          scopeId: company.id,
          externalId: "T-9",
          data: { via: "worker" },
        },
      ],
      company.id,
    );
    expect(upserted.result).toMatchObject({
      externalId: "T-9",
      scopeId: company.id,
      data: { via: "worker" },
    });
  });
});
