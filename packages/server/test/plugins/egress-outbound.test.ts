// The outbound client against real HTTP servers on loopback. The DNS step is injected (a resolver answering what
// each test needs); the connection is always real, so where a request lands proves what the client pinned.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EgressRules, validateEgressPolicy } from "../../src/plugins/egress/index.js";
import {
  type OutboundCallRecord,
  OutboundHttp,
  type OutboundHttpOptions,
  OutboundRequestError,
  type ResolvedAddress,
} from "../../src/plugins/host-services/outbound-http.js";

interface TestServer {
  port: number;
  requests: Array<{ method: string; url: string; host: string; body: string }>;
  close(): Promise<void>;
}

async function serve(address: string, handler?: http.RequestListener): Promise<TestServer> {
  const requests: TestServer["requests"] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      requests.push({
        method: request.method ?? "",
        url: request.url ?? "",
        host: request.headers.host ?? "",
        body,
      });
      if (handler) handler(request, response);
      else response.end(`hello from ${address} ${request.url}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A resolver answering from a script: each call takes the next answer (the last one repeats). */
function scriptedResolver(answers: Record<string, string[][]>) {
  const calls: string[] = [];
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    calls.push(hostname);
    const script = answers[hostname];
    if (!script) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    const seen = calls.filter((name) => name === hostname).length;
    const answer = script[Math.min(seen, script.length) - 1]!;
    return answer.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return { resolve, calls };
}

const rules = (policy: Record<string, unknown> = { mode: "any-public" }, grants: string[] = []) =>
  new EgressRules(validateEgressPolicy(policy), grants);

async function attempt(
  client: OutboundHttp,
  url: string,
  ruleSet = rules(),
  init: Parameters<OutboundHttp["fetch"]>[1] = {},
) {
  const records: OutboundCallRecord[] = [];
  try {
    const result = await client.fetch(url, init, ruleSet, (entry) => records.push(entry));
    return { result, error: null, record: records[0]!, records };
  } catch (error) {
    return { result: null, error: error as OutboundRequestError, record: records[0]!, records };
  }
}

describe("outbound client", () => {
  let loopback: TestServer;
  let second: TestServer;
  const client = (options: OutboundHttpOptions) => new OutboundHttp(options);

  beforeAll(async () => {
    loopback = await serve("127.0.0.1", (request, response) => {
      if (request.url?.startsWith("/redirect")) {
        response.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" });
        response.end();
      } else if (request.url?.startsWith("/big-declared")) {
        response.writeHead(200, { "content-length": String(64 * 1024) });
        response.end("x".repeat(64 * 1024));
      } else if (request.url?.startsWith("/big-chunked")) {
        response.writeHead(200, { "content-type": "text/plain" });
        let sent = 0;
        const tick = () => {
          if (sent >= 64 * 1024 || response.destroyed) return response.end();
          sent += 4_096;
          response.write("y".repeat(4_096), tick);
        };
        tick();
      } else if (request.url?.startsWith("/slow")) {
        response.writeHead(200);
        response.write("partial");
        // never ends: the client's deadline must
      } else {
        response.setHeader("x-echo", request.method ?? "");
        response.end(`hello from 127.0.0.1 ${request.url}`);
      }
    });
    second = await serve("127.0.0.2");
  });
  afterAll(async () => {
    await loopback?.close();
    await second?.close();
  });

  it("refuses a public-looking name that resolves to loopback, without connecting", async () => {
    const dns = scriptedResolver({ "internal.example.test": [["127.0.0.1"]] });
    const before = loopback.requests.length;
    const { error, record } = await attempt(
      client({ resolve: dns.resolve }),
      `http://internal.example.test:${loopback.port}/secret?token=abc`,
    );
    expect(error).toBeInstanceOf(OutboundRequestError);
    expect(error!.outcome).toBe("refused");
    expect(error!.message).toMatch(
      /^refusing to connect to internal\.example\.test \(127\.0\.0\.1\): loopback \(127\.0\.0\.0\/8\) is not a public address/,
    );
    expect(loopback.requests.length).toBe(before);
    expect(record).toMatchObject({
      method: "GET",
      scheme: "http",
      host: `internal.example.test:${loopback.port}`,
      path: "/secret",
      address: "127.0.0.1",
      outcome: "refused",
      status: null,
    });
    expect(JSON.stringify(record)).not.toContain("token");
  });

  it("refuses when any of the answers is private, even after a public one", async () => {
    const dns = scriptedResolver({ "mixed.example.test": [["93.184.216.34", "10.0.0.5"]] });
    const { error } = await attempt(client({ resolve: dns.resolve }), "http://mixed.example.test/");
    expect(error?.message).toMatch(/mixed\.example\.test \(10\.0\.0\.5\): private \(RFC 1918\)/);
  });

  it("connects to a granted private name once, through the one DNS answer it checked", async () => {
    const dns = scriptedResolver({ "granted.example.test": [["127.0.0.1"]] });
    const { result, record } = await attempt(
      client({ resolve: dns.resolve }),
      `http://granted.example.test:${loopback.port}/hello?x=1`,
      rules({ mode: "any-public", privateGrants: ["granted.example.test"] }),
      { method: "post", body: "12345", headers: { "x-test": "1" } },
    );
    expect(result).toMatchObject({
      status: 200,
      body: "hello from 127.0.0.1 /hello?x=1",
      headers: { "x-echo": "POST" },
    });
    expect(dns.calls).toEqual(["granted.example.test"]);
    expect(loopback.requests.at(-1)).toMatchObject({
      method: "POST",
      host: `granted.example.test:${loopback.port}`,
      body: "12345",
    });
    expect(record).toMatchObject({
      method: "POST",
      outcome: "completed",
      status: 200,
      address: "127.0.0.1",
      requestBytes: 5,
      responseBytes: Buffer.byteLength("hello from 127.0.0.1 /hello?x=1"),
    });
    expect(record.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("pins the checked address: a resolver that rebinds to another address later is never asked again", async () => {
    // 127.0.0.2 is granted (the "public" answer of this test), 127.0.0.1 is not (the rebinding target).
    const dns = scriptedResolver({ "rebind.example.test": [["127.0.0.2"], ["127.0.0.1"]] });
    const ruleSet = rules({ mode: "any-public", privateGrants: ["127.0.0.2"] });
    const loopbackBefore = loopback.requests.length;
    const { result, record } = await attempt(
      client({ resolve: dns.resolve }),
      `http://rebind.example.test:${second.port}/first`,
      ruleSet,
    );
    expect(result?.body).toBe("hello from 127.0.0.2 /first");
    expect(record.address).toBe("127.0.0.2");
    expect(dns.calls).toEqual(["rebind.example.test"]);
    expect(loopback.requests.length).toBe(loopbackBefore);
    // The next call asks DNS again, gets the rebinding answer, and is refused before connecting.
    const next = await attempt(
      client({ resolve: dns.resolve }),
      `http://rebind.example.test:${loopback.port}/`,
      ruleSet,
    );
    expect(next.error?.message).toMatch(/rebind\.example\.test \(127\.0\.0\.1\): loopback/);
    expect(loopback.requests.length).toBe(loopbackBefore);
  });

  it("refuses literal private addresses in every spelling the URL parser accepts", async () => {
    for (const url of [
      `http://127.0.0.1:${loopback.port}/`,
      `http://0x7f.1:${loopback.port}/`,
      `http://2130706433:${loopback.port}/`,
      `http://[::ffff:127.0.0.1]:${loopback.port}/`,
      `http://[::1]:${loopback.port}/`,
      "http://169.254.169.254/latest/meta-data/",
      "http://[fd00::1]/",
      "http://100.64.0.1/",
    ]) {
      const { error } = await attempt(client({}), url);
      expect(error?.outcome, url).toBe("refused");
      expect(error?.message, url).toMatch(/^refusing to connect to .* is not a public address/);
    }
  });

  it("returns redirects instead of following them", async () => {
    const { result } = await attempt(
      client({}),
      `http://127.0.0.1:${loopback.port}/redirect`,
      rules({ mode: "any-public" }, ["127.0.0.1"]),
    );
    expect(result).toMatchObject({
      status: 302,
      headers: { location: "http://169.254.169.254/latest/meta-data/" },
    });
  });

  it("sends the normalized path the rules checked, and keeps the query string out of the record", async () => {
    const { result, record } = await attempt(
      client({}),
      `http://127.0.0.1:${loopback.port}/v1/%7euser/a/../b?q=%7e`,
      rules({ mode: "allow-list", allow: [`127.0.0.1:${loopback.port}/v1/~user`] }, ["127.0.0.1"]),
    );
    expect(result?.body).toBe("hello from 127.0.0.1 /v1/~user/b?q=%7e");
    expect(record.path).toBe("/v1/~user/b");
  });

  it("caps the response size, declared or streamed", async () => {
    const small = client({ maxResponseBytes: 16 * 1024 });
    const granted = rules({ mode: "any-public" }, ["127.0.0.1"]);
    const declared = await attempt(small, `http://127.0.0.1:${loopback.port}/big-declared`, granted);
    expect(declared.error?.outcome).toBe("failed");
    expect(declared.error?.message).toBe(
      `the response from 127.0.0.1:${loopback.port} is larger than 16384 bytes`,
    );
    const streamed = await attempt(small, `http://127.0.0.1:${loopback.port}/big-chunked`, granted);
    expect(streamed.error?.message).toMatch(/is larger than 16384 bytes/);
    expect(streamed.record.responseBytes).toBeGreaterThan(16 * 1024);
    expect(streamed.record.responseBytes).toBeLessThanOrEqual(16 * 1024 + 64 * 1024);
    // The plugin's own cap wins over the client's default.
    const policyCap = rules({ mode: "any-public", maxResponseBytes: 2048 }, ["127.0.0.1"]);
    const own = await attempt(client({}), `http://127.0.0.1:${loopback.port}/big-declared`, policyCap);
    expect(own.error?.message).toMatch(/is larger than 2048 bytes/);
  });

  it("ends a slow response at the deadline", async () => {
    const started = Date.now();
    const { error, record } = await attempt(
      client({}),
      `http://127.0.0.1:${loopback.port}/slow`,
      rules({ mode: "any-public", timeoutMs: 300 }, ["127.0.0.1"]),
    );
    expect(error?.outcome).toBe("failed");
    expect(error?.message).toBe(`GET http://127.0.0.1:${loopback.port}/slow timed out after 300 ms`);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(record.durationMs).toBeGreaterThanOrEqual(290);
  });

  it("gives up on DNS at its own deadline, and names unknown hosts", async () => {
    const hanging = client({ dnsTimeoutMs: 100, resolve: () => new Promise(() => {}) });
    const { error } = await attempt(hanging, "http://hangs.example.test/");
    expect(error?.message).toBe('DNS lookup of "hangs.example.test" timed out after 100 ms');
    const dns = scriptedResolver({});
    const unknown = await attempt(client({ resolve: dns.resolve }), "http://nowhere.example.test/");
    expect(unknown.error?.message).toMatch(
      /could not resolve "nowhere\.example\.test": getaddrinfo ENOTFOUND/,
    );
    expect(unknown.record.outcome).toBe("failed");
  });

  it("refuses bad input before any DNS or connection, naming the problem", async () => {
    const dns = scriptedResolver({ "ok.example.test": [["127.0.0.1"]] });
    const cases: Array<[string, Parameters<OutboundHttp["fetch"]>[1], RegExp]> = [
      ["not a url", {}, /"not a url" is not a valid absolute URL/],
      ["file:///etc/passwd", {}, /only http: and https: URLs are allowed \(got "file:"\)/],
      ["ftp://ok.example.test/", {}, /got "ftp:"/],
      ["http://ok.example.test/", { method: "GE T" }, /"GE T" is not an HTTP method/],
      [
        "http://ok.example.test/",
        { headers: { "bad header": "x" } },
        /request header "bad header" is not a valid HTTP header/,
      ],
      ["http://ok.example.test/", { headers: { "x-a": "line\nbreak" } }, /request header "x-a"/],
      [
        "http://ok.example.test/",
        { headers: { Host: "internal.corp" } },
        /the Host header must name the URL's host \(ok\.example\.test\)/,
      ],
    ];
    for (const [url, init, reason] of cases) {
      const { error, record } = await attempt(client({ resolve: dns.resolve }), url, rules(), init);
      expect(error?.outcome, url).toBe("refused");
      expect(error?.message, url).toMatch(reason);
      expect(record.outcome).toBe("refused");
    }
    expect(dns.calls).toEqual([]);
  });

  it("applies the allow-list before DNS", async () => {
    const dns = scriptedResolver({ "elsewhere.example.test": [["127.0.0.1"]] });
    const { error } = await attempt(
      client({ resolve: dns.resolve }),
      "https://elsewhere.example.test/x",
      rules({ mode: "allow-list", allow: ["api.example.test"] }),
    );
    expect(error?.message).toMatch(/elsewhere\.example\.test is not on its allow-list/);
    expect(dns.calls).toEqual([]);
  });
});
