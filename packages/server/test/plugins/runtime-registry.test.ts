// The plugin registry: the §12.1 transition table enforced in one place, and optimistic concurrency on the
// `plugins` row (a writer holding a stale row version loses with a 409 instead of overwriting).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../../src/errors.js";
import {
  assertTransition,
  canTransition,
  type NewPluginRow,
  PLUGIN_STATUSES,
  PluginRegistry,
  type PluginStatus,
} from "../../src/plugins/registry/index.js";
import { ENGINES, openTestDatabase, type TestDatabase } from "../support/database.js";

/** reference §12.1, written out independently of the implementation's table. */
const ALLOWED: Record<PluginStatus, PluginStatus[]> = {
  installed: ["ready", "error", "uninstalled"],
  ready: ["ready", "disabled", "error", "upgrade_pending", "uninstalled"],
  disabled: ["ready", "uninstalled"],
  error: ["ready", "uninstalled"],
  upgrade_pending: ["ready", "error", "uninstalled"],
  uninstalled: ["installed"],
};

describe("lifecycle transition table", () => {
  it("has exactly the six published statuses", () => {
    expect([...PLUGIN_STATUSES].sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  for (const from of Object.keys(ALLOWED) as PluginStatus[]) {
    it(`allows exactly ${from} → {${ALLOWED[from].join(", ")}}`, () => {
      for (const to of Object.keys(ALLOWED) as PluginStatus[]) {
        expect(canTransition(from, to), `${from} → ${to}`).toBe(ALLOWED[from].includes(to));
      }
    });
  }

  it("refuses an illegal transition with a 400 naming both statuses and the plugin", () => {
    let caught: unknown;
    try {
      assertTransition("disabled", "disabled", "acme.linear");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).httpStatus).toBe(400);
    expect((caught as DomainError).message).toBe(
      "Invalid lifecycle transition: disabled → disabled for plugin acme.linear",
    );
    expect(() => assertTransition("uninstalled", "installed", "acme.linear")).not.toThrow();
  });
});

function newRow(pluginKey: string): NewPluginRow {
  return {
    pluginKey,
    packageName: `paperclip-plugin-${pluginKey}`,
    version: "1.0.0",
    apiVersion: 1,
    categories: ["automation"],
    manifestJson: { id: pluginKey, apiVersion: 1, version: "1.0.0", capabilities: ["plugin.state.read"] },
    status: "installed",
    packagePath: "/opt/plugins/x",
    packageDir: "/opt/plugins/x",
    source: "local",
    installSpec: { packageName: "/opt/plugins/x", isLocalPath: true },
    integrity: null,
    tarballPath: null,
  };
}

describe.each(ENGINES)("plugin registry on %s", (engine) => {
  let database: TestDatabase;
  let registry: PluginRegistry;

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    registry = new PluginRegistry(database.db);
  });
  afterAll(async () => database?.dispose());

  it("stores a record with the published fields and finds it by id or key", async () => {
    const created = await registry.insert(database.db, newRow("reg.one"));
    expect(created).toMatchObject({
      pluginKey: "reg.one",
      status: "installed",
      apiVersion: 1,
      categories: ["automation"],
      packagePath: "/opt/plugins/x",
      lastError: null,
      rowVersion: 1,
    });
    expect(typeof created.installOrder).toBe("number");
    expect(new Date(created.installedAt).toISOString()).toBe(created.installedAt);
    expect((await registry.find(created.id))?.pluginKey).toBe("reg.one");
    expect((await registry.find("reg.one"))?.id).toBe(created.id);
    expect(await registry.find("00000000-0000-4000-8000-000000000000")).toBeNull();
    expect(await registry.find("no.such.plugin")).toBeNull();
  });

  it("refuses a second row with the same plugin key (409)", async () => {
    await expect(registry.insert(database.db, newRow("reg.one"))).rejects.toMatchObject({
      httpStatus: 409,
      message: "Plugin reg.one is already installed",
    });
  });

  it("gives install orders in insertion order and lists uninstalled plugins only when asked", async () => {
    const second = await registry.insert(database.db, newRow("reg.two"));
    const first = await registry.require("reg.one");
    expect(second.installOrder!).toBeGreaterThan(first.installOrder!);
    await registry.update(database.db, second, { status: "uninstalled" });
    expect((await registry.list()).map((p) => p.pluginKey)).toEqual(["reg.one"]);
    expect((await registry.list({ status: "uninstalled" })).map((p) => p.pluginKey)).toEqual(["reg.two"]);
  });

  it("bumps the row version on each write and refuses a write from a stale read", async () => {
    const read = await registry.require("reg.one");
    const updated = await registry.update(database.db, read, { status: "ready", lastError: null });
    expect(updated.rowVersion).toBe(read.rowVersion + 1);
    const stale = registry.update(database.db, read, { status: "error", lastError: "late writer" });
    await expect(stale).rejects.toMatchObject({ httpStatus: 409 });
    await expect(stale).rejects.toThrow(
      /reg\.one was changed by another request \(expected row version \d+\)/,
    );
    expect((await registry.require("reg.one")).status).toBe("ready");
  });

  it("lets exactly one of two concurrent writers from the same read win", async () => {
    const read = await registry.require("reg.one");
    const results = await Promise.allSettled([
      database.db.transaction((tx) => registry.update(tx, read, { status: "disabled", lastError: "first" })),
      database.db.transaction((tx) => registry.update(tx, read, { status: "error", lastError: "second" })),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ httpStatus: 409 });
    const final = await registry.require("reg.one");
    expect(final.rowVersion).toBe(read.rowVersion + 1);
    const winner = (won[0] as PromiseFulfilledResult<{ status: string; lastError: string }>).value;
    expect({ status: final.status, lastError: final.lastError }).toEqual({
      status: winner.status,
      lastError: winner.lastError,
    });
  });

  it("deletes only at the version read", async () => {
    const read = await registry.require("reg.two");
    await registry.update(database.db, read, { lastError: "changed meanwhile" });
    await expect(registry.delete(database.db, read)).rejects.toMatchObject({ httpStatus: 409 });
    await registry.delete(database.db, await registry.require("reg.two"));
    expect(await registry.find("reg.two")).toBeNull();
  });

  it("claims a once-per-instance marker exactly once", async () => {
    const claims = await Promise.all([registry.claimMeta("marker", 1), registry.claimMeta("marker", 2)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect([1, 2]).toContain(await registry.getMeta("marker"));
  });
});
