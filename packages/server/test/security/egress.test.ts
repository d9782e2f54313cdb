// Adversarial: a real plugin on a real host tries to reach what its egress policy does not allow. The DNS step
// is scripted (public-looking names answering private addresses, a name that rebinds), the connections are real
// (test servers on 127.0.0.1 and 127.0.0.2 count what reaches them). Every refusal is a clear error at the worker
// (message naming host, address and rule; data.code egress_refused or egress_failed), shows in the plugin's
// outbound log, and the host keeps serving: the same plugin's next calls work.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "../support/database.js";
import { copyEgressPlugin, type EgressHost, ScriptedDns, startEgressHost } from "./fixtures/egress-host.js";

interface Seen {
  url: string;
  host: string;
}

async function countingServer(
  address: string,
): Promise<{ port: number; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    seen.push({ url: request.url ?? "", host: request.headers.host ?? "" });
    if (request.url?.startsWith("/big")) {
      response.end("z".repeat(256 * 1024));
    } else if (request.url?.startsWith("/slow")) {
      response.writeHead(200);
      response.write("first bytes");
    } else {
      response.end(`${address} says hi to ${request.url}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface FetchOutcome {
  ok: boolean;
  status?: number;
  body?: string;
  error?: { message: string; code: number | null; data: { code?: string } | null };
}

describe.each(ENGINES)("egress under attack (%s)", (engine) => {
  const dns = new ScriptedDns({
    "intranet.example.com": [["127.0.0.1"]],
    "api.example.com": [["127.0.0.1"]],
    // First answer granted (127.0.0.2), every later one the rebinding target (127.0.0.1).
    "rebind.example.com": [["127.0.0.2"], ["127.0.0.1"]],
    "split.example.com": [["93.184.216.34", "127.0.0.1"]],
  });
  let host: EgressHost;
  let pluginId: string;
  let target: Awaited<ReturnType<typeof countingServer>>;
  let decoy: Awaited<ReturnType<typeof countingServer>>;
  let folder: string;

  const fetchAs = async (url: string, init?: Record<string, unknown>): Promise<FetchOutcome> => {
    const response = await host.request("POST", `/api/plugins/${pluginId}/actions/fetch`, {
      companyId: host.companyId,
      params: { url, ...(init ? { init } : {}) },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.data as FetchOutcome;
  };
  const setPolicy = async (policy: Record<string, unknown>) => {
    const response = await host.request("PUT", `/api/plugins/${pluginId}/egress`, policy);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };
  /** The host keeps serving: the plugin answers, and the routes answer. */
  const stillServing = async () => {
    const ping = await host.request("POST", `/api/plugins/${pluginId}/actions/ping`, { params: {} });
    expect(ping.status).toBe(200);
    expect(ping.body.data.pong).toBe(true);
    expect((await host.request("GET", `/api/plugins/${pluginId}`)).body.status).toBe("ready");
  };
  const refusedLog = async () =>
    (await host.request("GET", `/api/plugins/${pluginId}/outbound?outcome=refused&limit=500`)).body
      .items as Array<{
      host: string;
      path: string;
      address: string | null;
      reason: string;
    }>;
  const expectRefused = (outcome: FetchOutcome, message: RegExp) => {
    expect(outcome.ok).toBe(false);
    expect(outcome.error!.message).toMatch(/^http\.fetch: /);
    expect(outcome.error!.message).toMatch(message);
    expect(outcome.error!.code).toBe(-32603);
    expect(outcome.error!.data).toEqual({ code: "egress_refused" });
  };

  beforeAll(async () => {
    target = await countingServer("127.0.0.1");
    decoy = await countingServer("127.0.0.2");
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "pc-security-egress-"));
    host = await startEgressHost(engine, dns);
    const install = await host.request("POST", "/api/plugins/install", {
      packageName: copyEgressPlugin(folder),
      isLocalPath: true,
    });
    expect(install.status, JSON.stringify(install.body)).toBe(200);
    pluginId = install.body.id;
  }, 60_000);

  afterAll(async () => {
    await host?.close();
    await target?.close();
    await decoy?.close();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it("refuses a public-looking name that resolves to 127.0.0.1, and never connects", async () => {
    const outcome = await fetchAs(`http://intranet.example.com:${target.port}/admin?key=secret`);
    expectRefused(
      outcome,
      /refusing to connect to intranet\.example\.com \(127\.0\.0\.1\): loopback \(127\.0\.0\.0\/8\) is not a public address; .* need a private grant/,
    );
    expect(target.seen).toEqual([]);
    const [logged] = await refusedLog();
    expect(logged).toMatchObject({
      host: `intranet.example.com:${target.port}`,
      path: "/admin",
      address: "127.0.0.1",
    });
    expect(JSON.stringify(logged)).not.toContain("secret");
    await stillServing();
  });

  it("refuses literal private addresses, v4-mapped IPv6, split answers and the metadata address", async () => {
    const cases: Array<[string, RegExp]> = [
      [`http://127.0.0.1:${target.port}/`, /127\.0\.0\.1 \(127\.0\.0\.1\): loopback/],
      [
        `http://[::ffff:127.0.0.1]:${target.port}/`,
        /::ffff:7f00:1 \(::ffff:7f00:1\): loopback .*carried in ::ffff:7f00:1/,
      ],
      [`http://[::1]:${target.port}/`, /::1 \(::1\): unspecified, loopback/],
      ["http://169.254.169.254/latest/meta-data/", /link-local \(169\.254\.0\.0\/16\)/],
      ["http://10.1.2.3/", /private \(RFC 1918\)/],
      ["http://100.100.100.200/", /carrier-grade NAT/],
      ["http://[fd00::1]/", /unique local \(ULA\)/],
      ["http://[64:ff9b::a9fe:a9fe]/", /link-local .*carried in 64:ff9b::a9fe:a9fe/],
      [`http://split.example.com:${target.port}/`, /split\.example\.com \(127\.0\.0\.1\): loopback/],
    ];
    for (const [url, message] of cases) expectRefused(await fetchAs(url), message);
    expect(target.seen).toEqual([]);
    const logged = await refusedLog();
    expect(logged.length).toBeGreaterThanOrEqual(cases.length + 1);
    await stillServing();
  });

  it("pins the connection to the checked address: a rebinding name reaches 127.0.0.2 only", async () => {
    await setPolicy({ mode: "any-public", privateGrants: ["127.0.0.2"] });
    const before = dns.count("rebind.example.com");
    const first = await fetchAs(`http://rebind.example.com:${decoy.port}/first`);
    expect(first).toMatchObject({ ok: true, status: 200, body: "127.0.0.2 says hi to /first" });
    expect(dns.count("rebind.example.com")).toBe(before + 1);
    expect(decoy.seen.at(-1)).toEqual({ url: "/first", host: `rebind.example.com:${decoy.port}` });
    // The next lookup rebinds to 127.0.0.1: refused before any connection.
    const second = await fetchAs(`http://rebind.example.com:${target.port}/second`);
    expectRefused(second, /rebind\.example\.com \(127\.0\.0\.1\): loopback/);
    expect(target.seen).toEqual([]);
    const calls = (await host.request("GET", `/api/plugins/${pluginId}/outbound?limit=2`)).body.items;
    expect(calls[0]).toMatchObject({ path: "/second", outcome: "refused", address: "127.0.0.1" });
    expect(calls[1]).toMatchObject({
      path: "/first",
      outcome: "completed",
      address: "127.0.0.2",
      status: 200,
    });
    await stillServing();
  });

  it("lets an operator's private grant reach a test server on 127.0.0.1, from the next call on", async () => {
    expectRefused(await fetchAs(`http://127.0.0.1:${target.port}/granted`), /loopback/);
    await setPolicy({ mode: "any-public", privateGrants: ["127.0.0.1"] });
    const granted = await fetchAs(`http://127.0.0.1:${target.port}/granted`);
    expect(granted).toMatchObject({ ok: true, status: 200, body: "127.0.0.1 says hi to /granted" });
    expect(target.seen.map((request) => request.url)).toEqual(["/granted"]);
  });

  it("enforces the allow-list and path prefixes on the normalized path", async () => {
    await setPolicy({
      mode: "allow-list",
      allow: [`api.example.com:${target.port}/v1`],
      privateGrants: ["api.example.com"],
    });
    const allowed = await fetchAs(`http://api.example.com:${target.port}/v1/items?page=2`);
    expect(allowed).toMatchObject({ ok: true, status: 200, body: "127.0.0.1 says hi to /v1/items?page=2" });
    const refusals: Array<[string, RegExp]> = [
      [`http://other.example.com:${target.port}/v1`, /other\.example\.com:\d+ is not on its allow-list/],
      [
        `http://api.example.com:${target.port}/admin`,
        /path "\/admin" of api\.example\.com:\d+ is outside the allowed path prefixes \(\/v1\)/,
      ],
      [`http://api.example.com:${target.port}/v1/../admin`, /path "\/admin"/],
      [`http://api.example.com:${target.port}/v1/%2e%2e/admin`, /path "\/admin"/],
      [`http://api.example.com:${target.port}/v1/..%2Fadmin`, /encoded slash/],
      [`http://api.example.com:${target.port}/v10`, /path "\/v10"/],
      [`http://127.0.0.1:${target.port}/v1`, /127\.0\.0\.1:\d+ is not on its allow-list/],
    ];
    const seenBefore = target.seen.length;
    for (const [url, message] of refusals) expectRefused(await fetchAs(url), message);
    expect(target.seen.length).toBe(seenBefore);
    // A Host header naming another site is refused too (it would let an allowed address serve it).
    expectRefused(
      await fetchAs(`http://api.example.com:${target.port}/v1/x`, { headers: { Host: "internal.corp" } }),
      /the Host header must name the URL's host/,
    );
    await stillServing();
  });

  it("caps the response size and ends slow responses, as failures in the log", async () => {
    await setPolicy({
      mode: "any-public",
      privateGrants: ["127.0.0.1"],
      maxResponseBytes: 4_096,
      timeoutMs: 400,
    });
    const big = await fetchAs(`http://127.0.0.1:${target.port}/big`);
    expect(big.ok).toBe(false);
    expect(big.error!.message).toBe(
      `http.fetch: the response from 127.0.0.1:${target.port} is larger than 4096 bytes`,
    );
    expect(big.error!.data).toEqual({ code: "egress_failed" });
    const started = Date.now();
    const slow = await fetchAs(`http://127.0.0.1:${target.port}/slow`);
    expect(slow.error!.message).toBe(
      `http.fetch: GET http://127.0.0.1:${target.port}/slow timed out after 400 ms`,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    const failed = (await host.request("GET", `/api/plugins/${pluginId}/outbound?outcome=failed&limit=2`))
      .body.items;
    expect(failed.map((call: { path: string }) => call.path)).toEqual(["/slow", "/big"]);
    expect(failed[0].durationMs).toBeGreaterThanOrEqual(390);
    // Both ended; the plugin and the host go on.
    const after = await fetchAs(`http://127.0.0.1:${target.port}/after`);
    expect(after).toMatchObject({ ok: true, status: 200 });
    await stillServing();
  });
});
