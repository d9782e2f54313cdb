// Matching a request below `/api/plugins/:pluginId/api` to a declared `apiRoutes` entry: same method, same
// number of segments, literal segments equal, `:name` segments captured (percent-decoded). Paths are split on
// the raw URL, so an encoded `/` (%2F) stays inside its segment. The first declared route that matches wins.
import type { PluginApiRouteDeclaration } from "@paperclipai/plugin-sdk/types";
import { badRequest } from "../../errors.js";

export interface MatchedApiRoute {
  route: PluginApiRouteDeclaration;
  params: Record<string, string>;
}

/** Raw (still encoded) segments of a path; a trailing slash adds no segment. */
export function rawSegments(subpath: string): string[] {
  const trimmed = subpath.replace(/^\/+/, "").replace(/\/+$/, "");
  return trimmed === "" ? [] : trimmed.split("/");
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`Malformed percent-encoding in path segment "${segment}"`);
  }
}

/** Whether the declared route's shape matches the path, ignoring the method. */
function matchPath(
  route: PluginApiRouteDeclaration,
  segments: readonly string[],
): Record<string, string> | null {
  const declared = rawSegments(route.path);
  if (declared.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < declared.length; i++) {
    const pattern = declared[i]!;
    const actual = segments[i]!;
    if (actual === "") return null;
    if (pattern.startsWith(":")) params[pattern.slice(1)] = decodeSegment(actual);
    else if (pattern !== decodeSegment(actual)) return null;
  }
  return params;
}

export function matchApiRoute(
  routes: readonly PluginApiRouteDeclaration[],
  method: string,
  subpath: string,
): MatchedApiRoute | null {
  const segments = rawSegments(subpath);
  for (const route of routes) {
    if (route.method.toUpperCase() !== method) continue;
    const params = matchPath(route, segments);
    if (params) return { route, params };
  }
  return null;
}

/** The part of a request URL below `/api/plugins/<pluginId>/api`, without the query; null if it is not one. */
export function apiSubpathOf(url: string): { subpath: string; query: string } | null {
  const queryAt = url.indexOf("?");
  const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? "" : url.slice(queryAt + 1);
  const parts = pathname.split("/");
  // ["", "api", "plugins", "<pluginId>", "api", ...]
  if (parts.length < 5 || parts[1] !== "api" || parts[2] !== "plugins" || parts[4] !== "api") return null;
  return { subpath: `/${parts.slice(5).join("/")}`, query };
}

/** Query string → `{key: value | value[]}` (repeated keys become arrays, as the original passes them). */
export function queryRecord(query: string): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    const existing = record[key];
    if (existing === undefined) record[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else record[key] = [existing, value];
  }
  return record;
}
