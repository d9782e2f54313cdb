import { createReadStream } from "node:fs";
import { mkdir, realpath, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import { watchUiFolder } from "./watcher.js";

export interface PluginDevServerOptions {
  /** The plugin project. Default `process.cwd()`. */
  rootDir?: string;
  /** The built UI, relative to `rootDir`. Default `dist/ui`. */
  uiDir?: string;
  /** Default 4177; 0 picks a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Compare snapshots every 500 ms instead of using recursive fs.watch. */
  forcePolling?: boolean;
}

export interface PluginDevServer {
  /** `http://<host>:<port>` — set it as the plugin's `devUiUrl` config for the host to proxy UI requests. */
  url: string;
  close(): Promise<void>;
}

/** One `reload` notification on the event stream. */
export interface PluginDevReloadEvent {
  type: "reload";
  /** The changed file, relative to the UI folder. */
  file: string;
  at: string;
}

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

/** Keeps idle event streams open through proxies (the host's devUiUrl proxy, a browser's idle timeout). */
const HEARTBEAT_MS = 15_000;

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(value));
}

type Resolved = { file: string } | { status: 403 | 404; error: string };

/**
 * The file a request names inside `uiDir`, or why not: an escape (`..`, an encoded one, a symlink pointing
 * outside) is 403, anything absent 404.
 */
async function resolveFile(uiDir: string, rawUrl: string): Promise<Resolved> {
  let pathname: string;
  try {
    // Decoded by hand: URL parsing would silently drop `..` segments, and an escape attempt deserves a 403.
    pathname = decodeURIComponent(rawUrl.split(/[?#]/)[0] ?? "/");
  } catch {
    return { status: 404, error: "Not found" };
  }
  if (pathname.includes("\0")) return { status: 403, error: "Path outside the UI folder" };
  const wanted = path.resolve(uiDir, `.${pathname === "/" ? "/index.js" : pathname}`);
  const inside = (candidate: string, base: string) => candidate.startsWith(`${base}${path.sep}`);
  if (!inside(wanted, uiDir)) return { status: 403, error: "Path outside the UI folder" };
  try {
    const real = await realpath(wanted);
    if (!inside(real, await realpath(uiDir))) return { status: 403, error: "Path outside the UI folder" };
    if (!(await stat(real)).isFile()) return { status: 404, error: "Not found" };
    return { file: real };
  } catch {
    return { status: 404, error: "Not found" };
  }
}

/**
 * Serves a plugin's built UI with live-reload notifications:
 * - `GET /__paperclip__/health` → `{ ok: true, rootDir, uiDir }`;
 * - `GET /__paperclip__/events` → server-sent events: `connected` at once, then one `reload` per changed file;
 * - any other path → the file under `uiDir` (`/` is `/index.js`), never a file outside it.
 */
export async function startPluginDevServer(options: PluginDevServerOptions = {}): Promise<PluginDevServer> {
  const rootDir = path.resolve(options.rootDir ?? process.cwd());
  const uiDir = path.resolve(rootDir, options.uiDir ?? "dist/ui");
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 4177;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`port must be an integer from 0 to 65535 (got ${port})`);
  }
  // Watching needs the folder; a plugin that was never built gets an empty one, filled by its first build.
  await mkdir(uiDir, { recursive: true });

  const clients = new Set<ServerResponse>();
  const broadcast = (files: string[]) => {
    for (const file of files) {
      const event: PluginDevReloadEvent = { type: "reload", file, at: new Date().toISOString() };
      for (const client of clients) client.write(`event: reload\ndata: ${JSON.stringify(event)}\n\n`);
    }
  };
  const watcher = await watchUiFolder(uiDir, broadcast, { forcePolling: options.forcePolling });
  const heartbeat = setInterval(() => {
    for (const client of clients) client.write(": heartbeat\n\n");
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // The board (another origin) loads modules and subscribes to events from here.
    res.setHeader("access-control-allow-origin", "*");
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendJson(res, 405, { error: `Method ${req.method} not allowed` });
      return;
    }
    const pathname = (req.url ?? "/").split("?")[0];
    if (pathname === "/__paperclip__/health") {
      sendJson(res, 200, { ok: true, rootDir, uiDir });
      return;
    }
    if (pathname === "/__paperclip__/events") {
      res.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
      });
      res.write('event: connected\ndata: {"ok":true}\n\n');
      clients.add(res);
      req.on("close", () => clients.delete(res));
      return;
    }
    const resolved = await resolveFile(uiDir, req.url ?? "/");
    if ("status" in resolved) {
      sendJson(res, resolved.status, { error: resolved.error });
      return;
    }
    res.writeHead(200, {
      "content-type": CONTENT_TYPES[path.extname(resolved.file)] ?? "application/octet-stream",
      // Every request sees the latest build.
      "cache-control": "no-cache",
    });
    if (req.method === "HEAD") res.end();
    else createReadStream(resolved.file).pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: (error as Error).message });
      else res.destroy();
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    watcher.close();
    clearInterval(heartbeat);
    throw error;
  }
  const address = server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${boundPort}`,
    async close() {
      watcher.close();
      clearInterval(heartbeat);
      for (const client of clients) client.end();
      clients.clear();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
