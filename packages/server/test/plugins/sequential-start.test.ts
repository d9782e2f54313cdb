// A host (re)start — an upgrade included — starts the workers of its ready plugins one at a time: each worker is
// spawned after the previous one answered initialize. (A plugin that cannot start while the others do:
// runtime-crash.test.ts, "re-activates ready plugins when the host restarts".)
import { afterAll, describe, expect, it } from "vitest";
import { ENGINES, openTestDatabase } from "../support/database.js";
import { copyFixture, type RuntimeHost, startRuntimeHost, tempFolders } from "./fixtures/runtime/support.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());

describe.each(ENGINES)("worker start on a host restart (%s)", (engine) => {
  it("starts the workers one after another", async () => {
    const database = await openTestDatabase(engine);
    const hosts: RuntimeHost[] = [];
    try {
      const dataDir = temp.make("sequential-instance");
      const first = await startRuntimeHost(engine, { database, dataDir });
      hosts.push(first);
      const ids: string[] = [];
      for (const name of ["one", "two", "three", "four"]) {
        const folder = copyFixture("basic-plugin", temp.make(`sequential-${name}`), {
          id: `runtime.${name}`,
        });
        const installed = (
          await first.request("POST", "/api/plugins/install", { packageName: folder, isLocalPath: true })
        ).body;
        expect(installed.status).toBe("ready");
        ids.push(installed.id);
      }
      await first.close();
      hosts.pop();
      const second = await startRuntimeHost(engine, { database, dataDir, start: true });
      hosts.push(second);
      const running = ids
        .map((id) => second.runtime.workers.diagnostics(id))
        .filter((diagnostics) => diagnostics?.startedAt != null && diagnostics.readyAt != null)
        .map((diagnostics) => ({ startedAt: diagnostics!.startedAt!, readyAt: diagnostics!.readyAt! }))
        .sort((a, b) => a.startedAt - b.startedAt);
      expect(running).toHaveLength(4);
      for (let index = 1; index < running.length; index++)
        expect(running[index]!.startedAt).toBeGreaterThanOrEqual(running[index - 1]!.readyAt);
    } finally {
      for (const host of hosts) await host.close();
      await database.dispose();
    }
  }, 120_000);
});
