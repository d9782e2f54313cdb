// Which file `GET /_plugins/:pluginId/ui/<path>` may serve, and with which caching headers. The requested path
// is checked twice: textually (no `..` segment, no NUL, no backslash) and after resolving symlinks (the real
// file must lie inside the real UI folder, which must lie inside the real package folder). Anything that
// leaves the folder is 403; anything missing is 404.

import type { Stats } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { PluginRecord } from "../../plugins/registry/index.js";
import { contentTypeOf } from "../content-types.js";

export type UiFileResolution =
  | { kind: "file"; filePath: string; stats: Stats }
  | { kind: "denied"; status: 403 | 404; message: string };

/** `name.3f9a2c1d.js`, `chunk-0a1b2c3d4e.css`: names that change whenever the content does. */
const CONTENT_HASHED = /[.-][a-fA-F0-9]{8,}\.\w+$/;

export const IMMUTABLE_CACHE = "public, max-age=31536000, immutable";
export const REVALIDATE_CACHE = "public, max-age=0, must-revalidate";

function inside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

const leavesFolder = (requested: string): UiFileResolution => ({
  kind: "denied",
  status: 403,
  message: `Path "${requested}" leaves the plugin's UI folder`,
});
const missing = (requested: string): UiFileResolution => ({
  kind: "denied",
  status: 404,
  message: `File "${requested}" not found in the plugin's UI folder`,
});

async function realOrNull(target: string): Promise<string | null> {
  try {
    return await realpath(target);
  } catch {
    return null;
  }
}

/** Resolve the request path (already percent-decoded by the router) to a file of the plugin's UI folder. */
export async function resolveUiFile(record: PluginRecord, requested: string): Promise<UiFileResolution> {
  const declared = record.manifestJson.entrypoints?.ui;
  if (typeof declared !== "string" || declared.trim() === "") {
    return {
      kind: "denied",
      status: 404,
      message: `Plugin ${record.pluginKey} declares no UI (entrypoints.ui)`,
    };
  }
  if (requested.includes("\0") || requested.includes("\\")) return leavesFolder(requested);
  const segments = requested.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) return leavesFolder(requested);
  if (segments.length === 0) return missing(requested);

  const packageRoot = await realOrNull(path.resolve(record.packageDir));
  const uiRoot = await realOrNull(path.resolve(record.packageDir, declared));
  if (!packageRoot || !uiRoot) {
    return { kind: "denied", status: 404, message: `The UI folder of plugin ${record.pluginKey} is missing` };
  }
  if (!inside(packageRoot, uiRoot)) return leavesFolder(requested);
  const target = path.resolve(uiRoot, ...segments);
  if (!inside(uiRoot, target)) return leavesFolder(requested);
  const real = await realOrNull(target);
  if (!real) return missing(requested);
  // A symlink inside the folder that points outside it.
  if (!inside(uiRoot, real)) return leavesFolder(requested);
  const stats = await stat(real).catch(() => null);
  if (!stats?.isFile()) return missing(requested);
  return { kind: "file", filePath: real, stats };
}

/** Weak validator from size and modification time (cheap: no hashing of the file). */
export function etagOf(stats: Stats): string {
  return `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
}

export function cacheControlOf(requested: string): string {
  return CONTENT_HASHED.test(requested) ? IMMUTABLE_CACHE : REVALIDATE_CACHE;
}

/** If-None-Match: `*`, or a list of (weak or strong) tags compared weakly. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = etag.replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => {
    const candidate = tag.trim();
    return candidate === "*" || candidate.replace(/^W\//, "") === bare;
  });
}

export function headersFor(requested: string, filePath: string, stats: Stats): Record<string, string> {
  return {
    "content-type": contentTypeOf(filePath),
    "cache-control": cacheControlOf(requested),
    etag: etagOf(stats),
    "last-modified": stats.mtime.toUTCString(),
    "access-control-allow-origin": "*",
    "x-content-type-options": "nosniff",
  };
}
