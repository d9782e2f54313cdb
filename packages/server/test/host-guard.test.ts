// DNS-rebinding protection over real HTTP: a request whose Host or Origin names a foreign site is refused with 403
// before any route runs (nothing is created), while the names a person really uses — loopback, the bind address,
// configured public names, the Vite dev server's origin — keep working.
import http from "node:http";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { createServices } from "../src/domain/services.js";
import { buildApp } from "../src/http/app.js";
import { hostnameOf, isOpaqueOriginStaticRequest, rebindingRefusal } from "../src/http/host-guard.js";
import { openTestDatabase, type TestDatabase } from "./support/database.js";

interface RawResponse {
  status: number;
  body: any;
}

/** node:http, because fetch does not let a caller choose the Host header. */
function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
  setHost = true,
): Promise<RawResponse> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        setHost,
        headers: payload ? { "content-type": "application/json", ...headers } : headers,
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => {
          text += chunk;
        });
        response.on("end", () => {
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {}
          resolve({ status: response.statusCode ?? 0, body: parsed });
        });
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

describe("DNS-rebinding protection", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    app = await buildApp({
      db: database.db,
      config: {
        deploymentMode: "local_trusted",
        bodyLimitBytes: 64 * 1024,
        host: "127.0.0.1",
        allowedHostnames: ["board.example.com"],
      },
      logger: false,
      services: createServices(database.db),
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    port = typeof address === "object" && address ? address.port : 0;
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  const companyNames = async (): Promise<string[]> => {
    const listed = await send(port, "GET", "/api/companies", { host: `127.0.0.1:${port}` });
    return listed.body.map((company: { name: string }) => company.name);
  };

  it("refuses a rebound name with 403 that says how to allow it, and creates nothing", async () => {
    const response = await send(
      port,
      "POST",
      "/api/companies",
      { host: "evil.example:3100", origin: "http://evil.example:3100" },
      { name: "Rebound Inc" },
    );
    expect(response.status).toBe(403);
    expect(response.body.error).toContain(
      'Host "evil.example:3100" is not a name of this Paperclip instance',
    );
    expect(response.body.error).toContain("PAPERCLIP_ALLOWED_HOSTNAMES");
    expect(response.body.details).toEqual({ code: "HOST_NOT_ALLOWED" });
    expect(await companyNames()).not.toContain("Rebound Inc");
  });

  it("refuses reads too, and unknown paths, so a rebound page learns nothing", async () => {
    for (const path of ["/api/companies", "/api/plugins", "/api/nope", "/"]) {
      const response = await send(port, "GET", path, { host: "evil.example" });
      expect(response.status, path).toBe(403);
    }
  });

  it("refuses a loopback Host with a foreign Origin (a cross-site form post or fetch)", async () => {
    const response = await send(
      port,
      "POST",
      "/api/companies",
      { host: `127.0.0.1:${port}`, origin: "https://attacker.example" },
      { name: "Cross Site Co" },
    );
    expect(response.status).toBe(403);
    expect(response.body.error).toContain(
      'Origin "https://attacker.example" is not a page of this Paperclip instance',
    );
    const sandboxed = await send(port, "GET", "/api/companies", {
      host: `127.0.0.1:${port}`,
      origin: "null",
    });
    expect(sandboxed.status).toBe(403);
    expect(await companyNames()).not.toContain("Cross Site Co");
  });

  it("refuses Origin: null (a sandboxed plugin frame) on the API and every write; static files are served", async () => {
    // docs/plugin-ui-sandbox.md: the frame is opaque-origin; even if its CSP let a request out, the host refuses it.
    const host = `127.0.0.1:${port}`;
    const before = (await companyNames()).length;
    const refused: Array<[string, string]> = [
      ["POST", "/api/companies"],
      ["GET", "/api/companies"],
      ["GET", "/api/plugins/ui-contributions"],
      ["POST", "/api/plugins/some-plugin/data/secrets"],
      ["GET", "/api/plugins/some-plugin/bridge/stream/events?companyId=x"],
      ["GET", "/"],
      ["GET", "/_plugins/some-plugin/ui-frame"],
      ["GET", "/_plugins/some-plugin/ui/index.js?companyId=00000000-0000-4000-8000-000000000000"],
      ["POST", "/assets/index-4f9a2c1d.js"],
      ["DELETE", "/_plugins/some-plugin/ui/index.js"],
    ];
    for (const [method, path] of refused) {
      const response = await send(
        port,
        method,
        path,
        { host, origin: "null" },
        method === "GET" ? undefined : {},
      );
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body.error, `${method} ${path}`).toContain('Origin "null"');
    }
    expect((await companyNames()).length).toBe(before);
    // The frame's module scripts pass the guard (here no board or plugin is registered: 404, not 403).
    for (const path of [
      "/plugin-frame/runtime.js",
      "/assets/index-4f9a2c1d.js",
      "/_plugins/some-plugin/ui/index.js?v=1",
    ]) {
      const response = await send(port, "GET", path, { host, origin: "null" });
      expect(response.status, path).toBe(404);
    }
  });

  it("refuses a request without a Host header", async () => {
    // Node's HTTP parser already answers 400 to an HTTP/1.1 request without Host; the guard covers the rest.
    const response = await send(port, "GET", "/api/health", {}, undefined, false);
    expect(response.status).toBe(400);
    expect(rebindingRefusal({}, new Set(["localhost"]))).toBe("The request has no valid Host header.");
  });

  it("serves loopback names, other 127.x addresses, configured names and same-site origins", async () => {
    const allowed: Array<Record<string, string>> = [
      { host: `127.0.0.1:${port}` },
      { host: `localhost:${port}`, origin: `http://localhost:${port}` },
      { host: `[::1]:${port}`, origin: `http://[::1]:${port}` },
      { host: "127.0.0.2" },
      { host: "board.example.com", origin: "https://board.example.com" },
      { host: `127.0.0.1:${port}`, origin: "http://localhost:5173" },
    ];
    for (const headers of allowed) {
      const response = await send(port, "POST", "/api/companies", headers, {
        name: `Allowed ${headers.host}`,
      });
      expect(response.status, JSON.stringify(headers)).toBe(201);
    }
    expect(await companyNames()).toContain("Allowed board.example.com");
  });
});

describe("host name parsing", () => {
  it("takes the name out of Host values and refuses malformed ones", () => {
    expect(hostnameOf("Example.COM:8080")).toBe("example.com");
    expect(hostnameOf("[::1]:3100")).toBe("::1");
    expect(hostnameOf("localhost")).toBe("localhost");
    expect(hostnameOf("::1")).toBeNull();
    expect(hostnameOf("a:b")).toBeNull();
    expect(hostnameOf("[::1]x")).toBeNull();
    expect(hostnameOf("")).toBeNull();
  });

  it("serves Origin: null only GET/HEAD of the frame runtime, the board's assets and plugin UI files", () => {
    expect(isOpaqueOriginStaticRequest("GET", "/plugin-frame/runtime.js")).toBe(true);
    expect(isOpaqueOriginStaticRequest("HEAD", "/assets/vendor-abc123.js")).toBe(true);
    expect(isOpaqueOriginStaticRequest("GET", "/_plugins/p/ui/index.js?v=2026")).toBe(true);
    expect(isOpaqueOriginStaticRequest("GET", "/_plugins/p/ui/index.js?v=1&companyId=c")).toBe(false);
    expect(isOpaqueOriginStaticRequest("POST", "/assets/x.js")).toBe(false);
    expect(isOpaqueOriginStaticRequest("GET", "/assets/")).toBe(false);
    expect(isOpaqueOriginStaticRequest("GET", "/assets//x")).toBe(false);
    expect(isOpaqueOriginStaticRequest("GET", "/_plugins/p/ui-frame")).toBe(false);
    expect(isOpaqueOriginStaticRequest("GET", "/api/plugins/p/ui/x")).toBe(false);
    expect(isOpaqueOriginStaticRequest("GET", "/")).toBe(false);
    const allowed = new Set(["localhost"]);
    expect(
      rebindingRefusal({ host: "localhost", origin: "null" }, allowed, { allowNullOrigin: true }),
    ).toBeNull();
    expect(rebindingRefusal({ host: "localhost", origin: "null" }, allowed)).toContain('Origin "null"');
    // The Host check still applies to the files a frame loads.
    expect(
      rebindingRefusal({ host: "evil.example", origin: "null" }, allowed, { allowNullOrigin: true }),
    ).toContain("is not a name of this Paperclip instance");
  });

  it("refuses an origin that is not a URL", () => {
    expect(rebindingRefusal({ host: "localhost", origin: "not a url" }, new Set(["localhost"]))).toContain(
      'Origin "not a url" is not a valid origin',
    );
  });
});

describe("allowedHostnames setting", () => {
  it("reads a comma-separated list from PAPERCLIP_ALLOWED_HOSTNAMES, trimmed and lower-cased", () => {
    const config = loadConfig(
      { dataDir: "/tmp/pc-host-guard-config-test" },
      { PAPERCLIP_ALLOWED_HOSTNAMES: " Board.Example.com, tunnel.example.net ," },
    );
    expect(config.allowedHostnames).toEqual(["board.example.com", "tunnel.example.net"]);
  });

  it("refuses a URL where a host name belongs, naming the setting", () => {
    expect(() =>
      loadConfig(
        { dataDir: "/tmp/pc-host-guard-config-test" },
        { PAPERCLIP_ALLOWED_HOSTNAMES: "https://board.example.com" },
      ),
    ).toThrow(ConfigError);
    expect(() =>
      loadConfig(
        { dataDir: "/tmp/pc-host-guard-config-test" },
        { PAPERCLIP_ALLOWED_HOSTNAMES: "https://board.example.com" },
      ),
    ).toThrow(/allowedHostnames.*bare host name/);
  });
});
