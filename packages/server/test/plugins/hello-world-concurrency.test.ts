// examples/hello-world on a real host under concurrent delivery (issue 18, item 7): the host sends up to 64
// `issue.created` events at once and handlers overlap; the example's counter must still count every issue once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "../support/database.js";
import {
  eventually,
  HELLO_WORLD_DIR,
  type RuntimeHost,
  startRuntimeHost,
} from "./fixtures/runtime/support.js";

describe.each(ENGINES)("hello-world counts every issue under concurrent delivery (%s)", (engine) => {
  let host: RuntimeHost;

  beforeAll(async () => {
    host = await startRuntimeHost(engine, { start: true });
  });
  afterAll(async () => {
    await host?.close();
  });

  it("300 issues created at once: issuesSeen is 300, and stays 300", async () => {
    const installed = await host.request("POST", "/api/plugins/install", {
      packageName: HELLO_WORLD_DIR,
      isLocalPath: true,
    });
    expect(installed.body.status, installed.body.lastError).toBe("ready");
    const pluginId = installed.body.id as string;
    await eventually(async () => {
      const status = (await host.request("GET", `/api/plugins/${pluginId}/events/status`)).body;
      return status?.subscriptions?.length === 1 && status.lease?.heldByThisNode;
    }, "hello-world's event stream is live");
    // The default delivery concurrency applies (no serial setting for this plugin).
    expect(installed.body.limits).toEqual({});

    const company = (await host.request("POST", "/api/companies", { name: "Busy Co" })).body;
    const total = 300;
    const created = await Promise.all(
      Array.from({ length: total }, (_, i) =>
        host.request("POST", `/api/companies/${company.id}/issues`, { title: `issue ${i}` }),
      ),
    );
    expect(created.every((response) => response.status === 201)).toBe(true);

    const seen = async () =>
      (await host.request("POST", `/api/plugins/${pluginId}/data/health`, { companyId: company.id })).body
        .data.issuesSeen as number;
    await eventually(async () => (await seen()) >= total, `issuesSeen reaches ${total}`, 60_000);
    const stream = (await host.request("GET", `/api/plugins/${pluginId}/events/status`)).body;
    expect(stream.thisNode.maxInFlight).toBe(64);
    await eventually(async () => {
      const status = (await host.request("GET", `/api/plugins/${pluginId}/events/status`)).body;
      return status.lag === 0 && status.thisNode.inFlight === 0;
    }, "every event acknowledged");
    expect(await seen()).toBe(total);
  }, 90_000);
});
