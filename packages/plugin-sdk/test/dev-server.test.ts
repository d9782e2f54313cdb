// The UI dev server as a plugin author runs it: a real HTTP server on 127.0.0.1, a real event-stream client,
// real file writes; the bin as a real process.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  getUiBuildSnapshot,
  type PluginDevServer,
  type PluginDevServerOptions,
  startPluginDevServer,
} from "../src/dev-server/index.js";

const BIN = fileURLToPath(new URL("../dist/dev-server/cli.js", import.meta.url));
const made: string[] = [];
const servers: PluginDevServer[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const root = mkdtempSync(path.join(tmpdir(), "pc-dev-server-"));
  made.push(root);
  mkdirSync(path.join(root, "dist/ui/chunks"), { recursive: true });
  writeFileSync(path.join(root, "dist/ui/index.js"), "export const Widget = () => null;\n");
  return root;
}

async function start(options: PluginDevServerOptions): Promise<PluginDevServer> {
  const server = await startPluginDevServer({ port: 0, ...options });
  servers.push(server);
  return server;
}

interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads server-sent events from a real HTTP response; `next(predicate)` waits for a matching one. */
async function subscribe(url: string) {
  const controller = new AbortController();
  const response = await fetch(`${url}/__paperclip__/events`, { signal: controller.signal });
  const events: SseEvent[] = [];
  const waiters: Array<{ match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }> = [];
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (!event || data === undefined) continue;
          const parsed = { event, data: JSON.parse(data) };
          events.push(parsed);
          for (const waiter of waiters.filter((w) => w.match(parsed))) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(parsed);
          }
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    response,
    events,
    next(match: (e: SseEvent) => boolean): Promise<SseEvent> {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    close: () => controller.abort(),
  };
}

/** A GET with the path sent exactly as written (fetch would normalise `..` away). */
function rawGet(url: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: rawPath, method: "GET" }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe.each([
  ["recursive fs.watch", false],
  ["500 ms snapshot polling", true],
])("startPluginDevServer with %s", (_label, forcePolling) => {
  it("sends connected, then a reload naming each file a build rewrites", async () => {
    const root = project();
    const server = await start({ rootDir: root, forcePolling });
    const stream = await subscribe(server.url);
    expect(stream.response.headers.get("content-type")).toBe("text/event-stream");
    expect(await stream.next((e) => e.event === "connected")).toEqual({
      event: "connected",
      data: { ok: true },
    });
    expect(stream.events[0]?.event).toBe("connected");

    writeFileSync(path.join(root, "dist/ui/chunks/widget-1a2b.js"), "export const x = 1;\n");
    const reload = await stream.next((e) => e.event === "reload");
    expect(reload.data).toMatchObject({ type: "reload", file: "chunks/widget-1a2b.js" });
    expect(Number.isNaN(Date.parse((reload.data as { at: string }).at))).toBe(false);
    stream.close();
  });
});

describe("startPluginDevServer", () => {
  it("answers health with its folders and serves the build, / being index.js", async () => {
    const root = project();
    const server = await start({ rootDir: root });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${server.url}/__paperclip__/health`);
    expect(await health.json()).toEqual({ ok: true, rootDir: root, uiDir: path.join(root, "dist/ui") });

    const index = await fetch(`${server.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(index.headers.get("access-control-allow-origin")).toBe("*");
    expect(await index.text()).toBe("export const Widget = () => null;\n");
    expect(await (await fetch(`${server.url}/index.js?v=2`)).text()).toContain("Widget");

    const missing = await fetch(`${server.url}/nope.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "Not found" });
  });

  it("refuses paths that leave the UI folder, encoded or through a symlink", async () => {
    const root = project();
    writeFileSync(path.join(root, "secret.txt"), "do not serve");
    symlinkSync(path.join(root, "secret.txt"), path.join(root, "dist/ui/escape.txt"));
    const server = await start({ rootDir: root });
    for (const attempt of ["/../../secret.txt", "/%2e%2e/%2e%2e/secret.txt", "/..%2f..%2fsecret.txt"]) {
      const answer = await rawGet(server.url, attempt);
      expect(answer.status, attempt).toBe(403);
      expect(answer.body).not.toContain("do not serve");
    }
    const viaLink = await rawGet(server.url, "/escape.txt");
    expect(viaLink.status).toBe(403);
    expect(viaLink.body).toBe(JSON.stringify({ error: "Path outside the UI folder" }));
  });

  it("creates a missing UI folder and reports the first build into it", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "pc-dev-server-"));
    made.push(root);
    const server = await start({ rootDir: root, uiDir: "out/ui" });
    const stream = await subscribe(server.url);
    await stream.next((e) => e.event === "connected");
    writeFileSync(path.join(root, "out/ui/index.js"), "export {};\n");
    expect((await stream.next((e) => e.event === "reload")).data).toMatchObject({ file: "index.js" });
    stream.close();
  });

  it("fails clearly on a port in use or out of range", async () => {
    const root = project();
    const first = await start({ rootDir: root });
    const port = Number(new URL(first.url).port);
    await expect(startPluginDevServer({ rootDir: root, port })).rejects.toMatchObject({ code: "EADDRINUSE" });
    await expect(startPluginDevServer({ rootDir: root, port: 70_000 })).rejects.toThrow(
      "port must be an integer from 0 to 65535 (got 70000)",
    );
  });
});

describe("getUiBuildSnapshot", () => {
  it("lists every built file with its mtime, sorted, and an absent folder as empty", async () => {
    const root = project();
    writeFileSync(path.join(root, "dist/ui/chunks/a.js"), "");
    const rows = await getUiBuildSnapshot(root);
    expect(rows.map((row) => row.file)).toEqual(["chunks/a.js", "index.js"]);
    expect(rows.every((row) => row.mtimeMs > 0)).toBe(true);
    expect(await getUiBuildSnapshot(root, "missing/ui")).toEqual([]);
  });
});

describe("paperclip-plugin-dev-server bin", () => {
  const run = promisify(execFile);
  async function bin(args: string[]) {
    try {
      const { stdout, stderr } = await run(process.execPath, [BIN, ...args]);
      return { code: 0, stdout, stderr };
    } catch (error) {
      return error as { code: number; stdout: string; stderr: string };
    }
  }

  it("refuses unknown flags and bad ports naming them, and prints help", async () => {
    const unknown = await bin(["--prot", "4177"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("--prot");
    expect(unknown.stderr).toContain("Run paperclip-plugin-dev-server --help for usage.");
    const badPort = await bin(["--port", "abc"]);
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toBe(
      'paperclip-plugin-dev-server: --port must be a number from 0 to 65535 (got "abc")\n',
    );
    const help = await bin(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--ui-dir <dir>");
  });

  it("serves a folder on the port it is given", async () => {
    const root = project();
    const child = execFile(process.execPath, [BIN, "--root", root, "--port", "0"]);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (chunk) => {
          out += chunk;
          const match = / at (http:\/\/127\.0\.0\.1:\d+) /.exec(out);
          if (match) resolve(match[1]!);
        });
        child.once("exit", (code) => reject(new Error(`exited ${code}`)));
      });
      expect(await (await fetch(`${url}/index.js`)).text()).toContain("Widget");
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  });
});
