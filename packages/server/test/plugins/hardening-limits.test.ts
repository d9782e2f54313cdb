// Resource limits of plugin workers on a real host (issue 18, items 3 and 7): an action result over the 16 MiB
// line limit fails at once with a size error; the default and per-plugin heap caps, and a worker that dies of
// its cap says so; log floods are capped, counted and shown in health; the plugin list shows the worker's state
// (backoff, hung) beside the stored status; strictly serial event delivery per plugin.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "../support/database.js";
import { eventually, type RuntimeHost, startRuntimeHost } from "./fixtures/runtime/support.js";

const LIMITS_PLUGIN = fileURLToPath(new URL("./fixtures/hardening/limits-plugin", import.meta.url));
const engine = ENGINES[0]!;

async function install(host: RuntimeHost, folder = LIMITS_PLUGIN): Promise<string> {
  const response = await host.request("POST", "/api/plugins/install", {
    packageName: folder,
    isLocalPath: true,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  expect(response.body.status, response.body.lastError).toBe("ready");
  return response.body.id as string;
}

const action = (host: RuntimeHost, key: string, params: Record<string, unknown> = {}) =>
  host.request("POST", `/api/plugins/hardening.limits/actions/${key}`, { params });

describe(`worker limits on a real host (${engine})`, () => {
  let host: RuntimeHost;
  let pluginId: string;

  beforeAll(async () => {
    host = await startRuntimeHost(engine, {
      start: true,
      runtime: {
        workerDefaults: {
          timeouts: { shutdownMs: 2_000, sigtermGraceMs: 1_000, healthIntervalMs: 0 },
          crashPolicy: { backoffBaseMs: 50, backoffMaxMs: 200, maxConsecutiveCrashes: 3 },
        },
      },
    });
    pluginId = await install(host);
  });
  afterAll(async () => {
    await host?.close();
  });

  it("fails an action whose result is over the 16 MiB line limit at once, naming the limit", async () => {
    const started = Date.now();
    const response = await action(host, "big", { mb: 20 });
    const elapsed = Date.now() - started;
    expect(response.status).toBe(502);
    expect(response.body.message).toContain(
      'The response to "performAction" exceeded the 16 MiB (16777216 bytes) message limit',
    );
    // Not the 30 s call timeout: the host read the id of the oversize line and failed that call.
    expect(elapsed).toBeLessThan(10_000);
    // Only that call: the worker is untouched and answers the next one.
    expect((await action(host, "echo", { value: "still here" })).body).toEqual({
      data: { echo: "still here" },
    });
    const dashboard = (await host.request("GET", `/api/plugins/${pluginId}/dashboard`)).body;
    expect(dashboard.worker).toMatchObject({ status: "running", totalCrashes: 0 });
  });

  it("runs workers with a 512 MB heap cap by default; a plugin's own memoryLimitMb replaces it", async () => {
    const stats = await host.request("POST", `/api/plugins/${pluginId}/data/stats`, { params: {} });
    // V8's heap limit is the old-space cap plus its young generation: a little over the cap.
    expect(stats.body.data.heapLimitMb).toBeGreaterThanOrEqual(512);
    expect(stats.body.data.heapLimitMb).toBeLessThan(600);
    expect((await host.request("GET", `/api/plugins/${pluginId}/dashboard`)).body.worker.heapLimitMb).toBe(
      512,
    );

    const bad = await host.request("PATCH", `/api/plugins/${pluginId}/settings`, {
      limits: { memoryLimitMb: -5 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain("memoryLimitMb");

    const patched = await host.request("PATCH", `/api/plugins/${pluginId}/settings`, {
      limits: { memoryLimitMb: 64 },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ status: "ready", limits: { memoryLimitMb: 64 } });
    expect((await host.request("GET", `/api/plugins/${pluginId}/dashboard`)).body.worker.heapLimitMb).toBe(
      64,
    );
  });

  it("a worker that dies of its heap cap is reported as out of memory, not as a bare exit code", async () => {
    const response = await action(host, "allocate");
    expect(response.status).toBe(502);
    expect(response.body.code).toBe("WORKER_UNAVAILABLE");
    const dashboard = await eventually(async () => {
      const body = (await host.request("GET", `/api/plugins/${pluginId}/dashboard`)).body;
      return body.worker?.totalCrashes >= 1 ? body : null;
    }, "the crash recorded");
    expect(dashboard.worker.lastError).toContain("out of memory: exceeded the 64 MB heap limit");

    // Twice more: the crash policy gives up and the plugin's status and lastError carry the cause.
    for (const crashesBefore of [1, 2]) {
      await eventually(async () => {
        const worker = (await host.request("GET", `/api/plugins/${pluginId}/dashboard`)).body.worker;
        return worker?.status === "running" && worker.totalCrashes === crashesBefore;
      }, `worker restarted after crash ${crashesBefore}`);
      await action(host, "allocate");
    }
    const record = await eventually(async () => {
      const body = (await host.request("GET", `/api/plugins/${pluginId}`)).body;
      return body.status === "error" ? body : null;
    }, "plugin in error after the crash loop");
    expect(record.lastError).toContain("out of memory: exceeded the 64 MB heap limit");
    const health = (await host.request("GET", `/api/plugins/${pluginId}/health`)).body;
    expect(health).toMatchObject({ status: "error", healthy: false });
    expect(health.lastError).toContain("out of memory: exceeded the 64 MB heap limit");

    // Back to the default cap and running again.
    await host.request("PATCH", `/api/plugins/${pluginId}/settings`, { limits: {} });
    const enabled = await host.request("POST", `/api/plugins/${pluginId}/enable`);
    expect(enabled.body.status).toBe("ready");
  }, 90_000);

  it("caps a log flood per plugin: stored lines and bytes stay bounded, drops are counted and shown", async () => {
    const patched = await host.request("PATCH", `/api/plugins/${pluginId}/settings`, {
      limits: { logLinesPerMinute: 500, logBytesPerMinute: 256 * 1024 },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const flood = await action(host, "log-flood", { count: 20_000, size: 1024 });
    expect(flood.body).toEqual({ data: { logged: 20_000 } });
    await host.runtime.workers.call(pluginId, "health", {}, null);
    const health = await eventually(async () => {
      const body = (await host.request("GET", `/api/plugins/${pluginId}/health`)).body;
      return body.logs?.droppedLines > 0 ? body : null;
    }, "drops counted");
    expect(health.logs.limits).toMatchObject({ linesPerMinute: 500, bytesPerMinute: 256 * 1024 });
    // Stored: at most the byte cap's worth of ~1 KB lines (plus the cap's own warning line).
    expect(health.logs.storedBytes).toBeLessThanOrEqual(256 * 1024);
    expect(health.logs.storedLines).toBeLessThanOrEqual(500);
    expect(health.logs.storedLines + health.logs.droppedLines).toBeGreaterThan(1_000);
    expect(health.warnings.join("\n")).toContain("Log cap reached");

    const listed = (await host.request("GET", "/api/plugins")).body.find(
      (plugin: { id: string }) => plugin.id === pluginId,
    );
    expect(listed.warnings.join("\n")).toContain("Log cap reached");

    const rows = Number(
      (
        await host.database.db.query(
          "t_flood_rows",
          "SELECT count(*) AS n FROM plugin_logs WHERE plugin_id = $1",
          [pluginId],
        )
      )[0]!.n,
    );
    expect(rows).toBeLessThanOrEqual(502);
    const logs = (await host.request("GET", `/api/plugins/${pluginId}/logs?level=warn&limit=10`)).body;
    expect(logs.map((entry: { message: string }) => entry.message).join("\n")).toContain("Log cap reached");
  });
});

describe(`plugin status reflects the worker (${engine})`, () => {
  let host: RuntimeHost;
  let pluginId: string;

  beforeAll(async () => {
    host = await startRuntimeHost(engine, {
      start: true,
      runtime: {
        workerDefaults: {
          // Pings every 100 ms that a hung worker misses; the threshold is high so it is not killed meanwhile.
          timeouts: { shutdownMs: 2_000, sigtermGraceMs: 1_000, healthIntervalMs: 100, healthTimeoutMs: 100 },
          crashPolicy: {
            backoffBaseMs: 4_000,
            backoffMaxMs: 4_000,
            backoffJitter: 0,
            healthFailureThreshold: 1_000,
          },
        },
      },
    });
    pluginId = await install(host);
  });
  afterAll(async () => {
    await host?.close();
  });

  const listed = async () =>
    (await host.request("GET", "/api/plugins")).body.find((plugin: { id: string }) => plugin.id === pluginId);

  it("a running, answering worker: ready and healthy", async () => {
    await eventually(async () => (await listed()).healthy === true, "healthy");
    expect(await listed()).toMatchObject({
      status: "ready",
      workerStatus: "running",
      healthy: true,
      degraded: false,
      warnings: [],
    });
  });

  it("a hung worker: still ready (reference statuses) but degraded, with the reason", async () => {
    const hang = action(host, "hang", { ms: 1_500 });
    const during = await eventually(async () => {
      const record = await listed();
      return record.degraded ? record : null;
    }, "degraded while hung");
    expect(during).toMatchObject({
      status: "ready",
      workerStatus: "running",
      healthy: false,
      degraded: true,
    });
    expect(during.warnings[0]).toContain("missed its last");
    await hang;
    await eventually(async () => (await listed()).healthy === true, "healthy again");
  });

  it("a worker in backoff: degraded with the crash and the next restart; the single record agrees", async () => {
    await action(host, "exit");
    const during = await eventually(async () => {
      const record = await listed();
      return record.workerStatus === "backoff" ? record : null;
    }, "backoff");
    expect(during).toMatchObject({ status: "ready", healthy: false, degraded: true });
    expect(during.warnings[0]).toMatch(
      /^Worker is backoff: Worker for plugin "hardening.limits" exited unexpectedly \(code 3\); next restart at /,
    );
    const single = (await host.request("GET", `/api/plugins/${pluginId}`)).body;
    expect(single).toMatchObject({ status: "ready", workerStatus: "backoff", degraded: true });
    await eventually(async () => (await listed()).healthy === true, "restarted and healthy", 15_000);
  });
});

describe(`strictly serial event delivery for one plugin (${engine})`, () => {
  let host: RuntimeHost;
  let temp: string;

  beforeAll(async () => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), "pc-serial-"));
    host = await startRuntimeHost(engine, { start: true });
  });
  afterAll(async () => {
    await host?.close();
    fs.rmSync(temp, { recursive: true, force: true });
  });

  it("eventMaxInFlight 1: one handler at a time, so a read-then-write counter counts every event", async () => {
    const pluginId = await install(host);
    const patched = await host.request("PATCH", `/api/plugins/${pluginId}/settings`, {
      limits: { eventMaxInFlight: 1 },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    await eventually(async () => {
      const status = (await host.request("GET", `/api/plugins/${pluginId}/events/status`)).body;
      return status?.subscriptions?.length === 1 && status.lease?.heldByThisNode;
    }, "stream live");
    const company = (await host.request("POST", "/api/companies", { name: "Serial Co" })).body;
    const total = 120;
    await Promise.all(
      Array.from({ length: total }, (_, i) =>
        host.request("POST", `/api/companies/${company.id}/issues`, { title: `serial ${i}` }),
      ),
    );
    const stats = await eventually(
      async () => {
        const data = (await host.request("POST", `/api/plugins/${pluginId}/data/stats`, { params: {} })).body
          .data;
        return data.count >= total ? data : null;
      },
      "all counted",
      60_000,
    );
    expect(stats).toMatchObject({ count: total, maxConcurrent: 1 });
    const status = (await host.request("GET", `/api/plugins/${pluginId}/events/status`)).body;
    expect(status.thisNode.maxInFlight).toBe(1);
  }, 90_000);
});
