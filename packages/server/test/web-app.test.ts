// The board served at `/` from a build folder: index, deep-link fallback, caching, the API's JSON 404s kept,
// traversal refused, and the "not built" page when the folder is missing.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { createServices } from "../src/domain/services.js";
import { startHost } from "../src/host.js";
import { buildApp } from "../src/http/app.js";
import { BUILD_COMMAND, DEFAULT_WEB_DIR, registerWebApp } from "../src/http/web-app.js";
import { openTestDatabase, type TestDatabase } from "./support/database.js";

const INDEX_HTML =
  '<!doctype html><html><head><script type="module" src="/assets/index-4f9a2c1d.js"></script></head><body><div id="root"></div></body></html>';
const ASSET_JS = "console.log('board');\n";

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** node:http, so that paths such as /assets/../x reach the server as written (fetch normalises them). */
function send(port: number, urlPath: string, method = "GET", headers: Record<string, string> = {}) {
  return new Promise<Raw>((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path: urlPath, method, headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => {
        body += chunk;
      });
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    });
    request.on("error", reject);
    request.end();
  });
}

async function startApp(
  database: TestDatabase,
  dir: string,
): Promise<{ app: FastifyInstance; port: number }> {
  const app = await buildApp({
    db: database.db,
    config: { deploymentMode: "local_trusted", bodyLimitBytes: 64 * 1024 },
    logger: false,
    services: createServices(database.db),
  });
  registerWebApp(app, { dir });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  return { app, port: typeof address === "object" && address ? address.port : 0 };
}

describe("the board served at /", () => {
  let database: TestDatabase;
  let work: string;
  let dist: string;
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "paperclip-web-"));
    dist = path.join(work, "dist");
    mkdirSync(path.join(dist, "assets"), { recursive: true });
    writeFileSync(path.join(dist, "index.html"), INDEX_HTML);
    writeFileSync(path.join(dist, "assets", "index-4f9a2c1d.js"), ASSET_JS);
    writeFileSync(path.join(dist, "assets", "index-77aa00bb.css"), "body{margin:0}");
    writeFileSync(path.join(dist, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
    mkdirSync(path.join(dist, "plugin-frame"));
    writeFileSync(path.join(dist, "plugin-frame", "runtime.js"), "export {};\n");
    writeFileSync(path.join(work, "secret.txt"), "not for browsers");
    symlinkSync(path.join(work, "secret.txt"), path.join(dist, "escape.txt"));
    database = await openTestDatabase("pglite");
    ({ app, port } = await startApp(database, dist));
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it("answers index.html at / with no-cache", async () => {
    const response = await send(port, "/");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(response.headers["cache-control"]).toBe("no-cache");
    expect(response.body).toBe(INDEX_HTML);
    expect((await send(port, "/index.html")).body).toBe(INDEX_HTML);
  });

  it("answers deep links with index.html (the board routes in the browser)", async () => {
    for (const link of ["/ACME/issues/ACME-1", "/ACME/issues/ACME-1/", "/settings?tab=plugins", "/x.y/z"]) {
      const response = await send(port, link);
      expect(response.status, link).toBe(200);
      expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(response.headers["cache-control"]).toBe("no-cache");
      expect(response.body).toBe(INDEX_HTML);
    }
  });

  it("serves assets with their type and immutable caching, and 304 on a matching ETag", async () => {
    const js = await send(port, "/assets/index-4f9a2c1d.js");
    expect(js.status).toBe(200);
    expect(js.body).toBe(ASSET_JS);
    expect(js.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(js.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(js.headers["x-content-type-options"]).toBe("nosniff");
    const css = await send(port, "/assets/index-77aa00bb.css");
    expect(css.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect(css.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const again = await send(port, "/assets/index-4f9a2c1d.js", "GET", {
      "if-none-match": js.headers.etag as string,
    });
    expect(again.status).toBe(304);
    expect(again.body).toBe("");
    const index = await send(port, "/", "GET", {
      "if-none-match": (await send(port, "/")).headers.etag as string,
    });
    expect(index.status).toBe(304);
    const icon = await send(port, "/favicon.svg");
    expect(icon.headers["content-type"]).toBe("image/svg+xml");
    expect(icon.headers["cache-control"]).toBe("public, max-age=0, must-revalidate");
  });

  it("serves build files, not index.html, to the sandboxed plugin frame (Origin: null) with CORS", async () => {
    // docs/plugin-ui-sandbox.md: the opaque-origin frame loads its runtime and chunks as CORS module scripts.
    for (const file of ["/plugin-frame/runtime.js", "/assets/index-4f9a2c1d.js"]) {
      const response = await send(port, file, "GET", { origin: "null" });
      expect(response.status, file).toBe(200);
      expect(response.headers["access-control-allow-origin"], file).toBe("*");
    }
    expect((await send(port, "/plugin-frame/runtime.js")).headers["cache-control"]).toBe(
      "public, max-age=0, must-revalidate",
    );
    expect((await send(port, "/")).headers["access-control-allow-origin"]).toBeUndefined();
    expect((await send(port, "/favicon.svg")).headers["access-control-allow-origin"]).toBeUndefined();
    // Anything else from a sandboxed page is refused by the host guard: the board's HTML and the API.
    expect((await send(port, "/", "GET", { origin: "null" })).status).toBe(403);
    expect((await send(port, "/api/companies", "GET", { origin: "null" })).status).toBe(403);
  });

  it("answers HEAD like GET without a body", async () => {
    const head = await send(port, "/assets/index-4f9a2c1d.js", "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect(head.headers["content-length"]).toBe(String(Buffer.byteLength(ASSET_JS)));
    const deep = await send(port, "/ACME/issues/ACME-1", "HEAD");
    expect(deep.status).toBe(200);
    expect(deep.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(deep.body).toBe("");
  });

  it("a missing asset is a 404, not the board's HTML", async () => {
    const response = await send(port, "/assets/index-00000000.js");
    expect(response.status).toBe(404);
    expect(response.headers["content-type"]).toMatch(/application\/json/);
  });

  it("keeps the JSON 404 of /api and /_plugins paths", async () => {
    for (const link of [
      "/api/nope",
      "/api",
      "/api/companies/x/nope/deeper",
      "/_plugins/x/ui/nope",
      "/_plugins",
    ]) {
      const response = await send(port, link);
      expect(response.status, link).toBe(404);
      expect(response.headers["content-type"], link).toMatch(/application\/json/);
      expect(JSON.parse(response.body).error, link).toMatch(/not found/i);
    }
    const api = JSON.parse((await send(port, "/api/nope")).body);
    expect(api).toEqual({ error: "API route not found", details: { method: "GET", path: "/api/nope" } });
    // Real API routes are untouched.
    expect((await send(port, "/api/health")).status).toBe(200);
    // Other methods do not reach the board either.
    const post = await new Promise<number>((resolve, reject) => {
      const request = http.request({ host: "127.0.0.1", port, path: "/ACME", method: "POST" }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", reject);
      request.end();
    });
    expect(post).toBe(404);
  });

  it("refuses paths that leave the build folder", async () => {
    for (const link of [
      "/assets/../../secret.txt",
      "/..%2fsecret.txt",
      "/assets/..%2f..%2fsecret.txt",
      "/%2e%2e/secret.txt",
      "/assets%5c..%5c..%5csecret.txt",
      "/escape.txt",
    ]) {
      const response = await send(port, link);
      expect(response.status, link).toBe(403);
      expect(response.body, link).not.toContain("not for browsers");
    }
    const traversal = await send(port, "/..%2fsecret.txt");
    expect(traversal.status).toBe(403);
    expect(JSON.parse(traversal.body).error).toMatch(/leaves the board folder/);
    expect((await send(port, "/escape.txt")).status).toBe(403);
    expect((await send(port, "/a%00b")).status).toBeGreaterThanOrEqual(400);
  });
});

describe("the board when it is not built", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let port: number;
  let missing: string;

  beforeAll(async () => {
    missing = path.join(tmpdir(), `paperclip-web-missing-${process.pid}-${Date.now()}`);
    database = await openTestDatabase("pglite");
    ({ app, port } = await startApp(database, missing));
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
    rmSync(missing, { recursive: true, force: true });
  });

  it("answers / and deep links with a page that says how to build the board", async () => {
    for (const link of ["/", "/ACME/issues/ACME-1"]) {
      const response = await send(port, link);
      expect(response.status, link).toBe(503);
      expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(response.body).toContain("board is not built");
      expect(response.body).toContain(BUILD_COMMAND);
    }
    expect((await send(port, "/api/nope")).status).toBe(404);
    expect((await send(port, "/api/health")).status).toBe(200);
  });

  it("serves the board as soon as it is built, without a restart", async () => {
    mkdirSync(missing, { recursive: true });
    writeFileSync(path.join(missing, "index.html"), INDEX_HTML);
    const response = await send(port, "/ACME");
    expect(response.status).toBe(200);
    expect(response.body).toBe(INDEX_HTML);
  });
});

describe("the board in `paperclip start`", () => {
  it("takes its folder from PAPERCLIP_WEB_DIR (resolved) and defaults to packages/web/dist", () => {
    const dataDir = path.join(tmpdir(), "paperclip-web-config");
    expect(loadConfig({ dataDir }, {}).webDir).toBeNull();
    expect(loadConfig({ dataDir }, { PAPERCLIP_WEB_DIR: "some/dist" }).webDir).toBe(
      path.resolve("some/dist"),
    );
    expect(DEFAULT_WEB_DIR.replaceAll("\\", "/")).toMatch(/packages\/web\/dist\/?$/);
  });

  it("is served by a started host, after every API and plugin route", async () => {
    const work = mkdtempSync(path.join(tmpdir(), "paperclip-web-host-"));
    const dist = path.join(work, "dist");
    mkdirSync(dist);
    writeFileSync(path.join(dist, "index.html"), INDEX_HTML);
    const config = loadConfig(
      { dataDir: path.join(work, "instance"), port: 0, seedDemo: false, logLevel: "silent" },
      { PAPERCLIP_WEB_DIR: dist },
    );
    const host = await startHost(config, pino({ level: "silent" }));
    try {
      const port = Number(new URL(host.url).port);
      const deep = await send(port, "/ACME/issues/ACME-1");
      expect(deep.status).toBe(200);
      expect(deep.body).toBe(INDEX_HTML);
      expect((await send(port, "/api/plugins")).status).toBe(200);
      const pluginUi = await send(port, "/_plugins/nope/ui/index.js");
      expect(pluginUi.status).toBe(404);
      expect(pluginUi.headers["content-type"]).toMatch(/application\/json/);
    } finally {
      await host.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
