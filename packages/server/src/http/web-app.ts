// The board (packages/web, built by Vite) served at `/`. Files come straight from the build folder: hashed files
// under /assets/ are cached for a year (their names change with their content), index.html is revalidated on
// every load, and every other GET/HEAD path that names no file answers index.html so that deep links such as
// /ACME/issues/ACME-1 open the board, which routes in the browser. Paths under /api and /_plugins never fall
// back: a wrong API path keeps its JSON 404. With no build folder, `/` answers a page that says how to build it.
//
// The requested path is checked textually (no `..` segment, no NUL, no backslash) and after resolving symlinks
// (the real file must lie inside the real build folder); the folder is looked at on every request, so a board
// built while the host runs is served without a restart.
import { createReadStream, existsSync, type Stats } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { contentTypeOf } from "./content-types.js";
import { etagOf, IMMUTABLE_CACHE, matchesEtag, REVALIDATE_CACHE } from "./plugins/ui-files.js";

/** packages/web/dist beside this package (the same from src/http and dist/http). */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL("../../../web/dist/", import.meta.url));

/** The command that builds the board, shown when it is missing. */
export const BUILD_COMMAND = "npm run build -w packages/web";

export const INDEX_CACHE = "no-cache";

export interface WebAppOptions {
  /** The build folder (holding index.html). Default DEFAULT_WEB_DIR. */
  dir?: string | null;
}

/** Prefixes that belong to the API and plugin files: never answered with the board. */
const RESERVED = ["/api", "/_plugins"];

function reserved(urlPath: string): boolean {
  return RESERVED.some((prefix) => urlPath === prefix || urlPath.startsWith(`${prefix}/`));
}

function inside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

type Resolution =
  | { kind: "file"; filePath: string; stats: Stats; root: string }
  | { kind: "missing" }
  | { kind: "no-build" }
  | { kind: "denied"; message: string };

/** Map a decoded request path onto a file of the build folder. */
async function resolveFile(root: string, requested: string): Promise<Resolution> {
  if (requested.includes("\0") || requested.includes("\\")) {
    return { kind: "denied", message: "Path contains a forbidden character" };
  }
  const segments = requested.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) return { kind: "denied", message: "Path leaves the board folder" };
  const realRoot = await realpath(root).catch(() => null);
  if (!realRoot) return { kind: "no-build" };
  if (segments.length === 0) return { kind: "missing" };
  const target = path.resolve(realRoot, ...segments);
  if (!inside(realRoot, target)) return { kind: "denied", message: "Path leaves the board folder" };
  const real = await realpath(target).catch(() => null);
  if (!real) return { kind: "missing" };
  // A symlink inside the folder that points outside it.
  if (!inside(realRoot, real)) return { kind: "denied", message: "Path leaves the board folder" };
  const stats = await stat(real).catch(() => null);
  if (!stats?.isFile()) return { kind: "missing" };
  return { kind: "file", filePath: real, stats, root: realRoot };
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

/** The page `/` shows while the board is not built (503: the host runs, the board is not available). */
export function notBuiltPage(dir: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Paperclip — board not built</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 42rem; margin: 4rem auto; padding: 0 1rem; color: #1f2328; }
  code, pre { font-family: ui-monospace, monospace; background: #f3f4f6; border-radius: 4px; }
  pre { padding: .75rem 1rem; }
  code { padding: 0 .25rem; }
</style>
</head>
<body>
<h1>The Paperclip board is not built</h1>
<p>The host is running and its API answers at <a href="/api/health"><code>/api/health</code></a>, but the board
(the web app) has not been built yet: there is no <code>index.html</code> in <code>${escapeHtml(dir)}</code>.</p>
<p>Build it from the repository root, then reload this page (no restart needed):</p>
<pre>${escapeHtml(BUILD_COMMAND)}</pre>
<p><code>npm start</code> builds it for you when it is missing or out of date. To serve a board built elsewhere,
set <code>PAPERCLIP_WEB_DIR</code> (or <code>webDir</code> in the instance's <code>config.json</code>).</p>
</body>
</html>
`;
}

export interface WebAppInfo {
  /** The build folder served. */
  dir: string;
  /** Whether it held index.html at registration (it is looked at again on every request). */
  built: boolean;
}

export function registerWebApp(app: FastifyInstance, options: WebAppOptions = {}): WebAppInfo {
  const root = path.resolve(options.dir ?? DEFAULT_WEB_DIR);

  const sendFile = (
    request: FastifyRequest,
    reply: FastifyReply,
    file: { filePath: string; stats: Stats },
    cacheControl: string,
  ) => {
    const etag = etagOf(file.stats);
    reply.headers({
      "content-type": contentTypeOf(file.filePath),
      "cache-control": cacheControl,
      etag,
      "last-modified": file.stats.mtime.toUTCString(),
      "x-content-type-options": "nosniff",
    });
    // The sandboxed plugin UI frame is opaque-origin: it loads the frame runtime and its chunks as CORS module
    // scripts (docs/plugin-ui-sandbox.md). Public build files, no credentials: any origin may read them.
    if (/^\/(assets|plugin-frame)\//.test(request.url)) reply.header("access-control-allow-origin", "*");
    if (matchesEtag(request.headers["if-none-match"], etag)) return reply.code(304).send();
    reply.header("content-length", file.stats.size);
    if (request.method === "HEAD") return reply.send();
    return reply.send(createReadStream(file.filePath));
  };

  const sendIndex = async (request: FastifyRequest, reply: FastifyReply) => {
    const index = await resolveFile(root, "index.html");
    if (index.kind !== "file") {
      return reply
        .code(503)
        .headers({ "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
        .send(request.method === "HEAD" ? undefined : notBuiltPage(root));
    }
    // Small and read per request: a rebuilt board shows up on the next load.
    const etag = etagOf(index.stats);
    reply.headers({
      "content-type": "text/html; charset=utf-8",
      "cache-control": INDEX_CACHE,
      etag,
      "x-content-type-options": "nosniff",
    });
    if (matchesEtag(request.headers["if-none-match"], etag)) return reply.code(304).send();
    const html = await readFile(index.filePath);
    reply.header("content-length", html.length);
    return reply.send(request.method === "HEAD" ? undefined : html);
  };

  // A wildcard route ranks below every registered route, so it only sees paths nothing else answers. HEAD is
  // its own route: Fastify's automatic one would read a file stream to the end only to drop it.
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const urlPath = request.url.split("?")[0] ?? "/";
    if (reserved(urlPath)) return reply.callNotFound();
    const requested = (request.params as { "*"?: string })["*"] ?? "";
    const resolved = await resolveFile(root, requested);
    switch (resolved.kind) {
      case "denied":
        return reply.code(403).send({ error: resolved.message, details: { path: urlPath } });
      case "file":
        if (resolved.filePath === path.join(resolved.root, "index.html")) return sendIndex(request, reply);
        return sendFile(
          request,
          reply,
          resolved,
          urlPath.startsWith("/assets/") ? IMMUTABLE_CACHE : REVALIDATE_CACHE,
        );
      default:
        // A missing hashed asset is a stale page asking for an old build: a 404, not the HTML of the board.
        if (resolved.kind === "missing" && urlPath.startsWith("/assets/")) {
          return reply.code(404).send({ error: "Not found", details: { path: urlPath } });
        }
        return sendIndex(request, reply);
    }
  };
  app.get("/*", { schema: { hide: true }, exposeHeadRoute: false }, handler);
  app.head("/*", { schema: { hide: true } }, handler);
  return { dir: root, built: existsSync(path.join(root, "index.html")) };
}
