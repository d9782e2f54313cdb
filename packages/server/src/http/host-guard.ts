// DNS-rebinding protection. local_trusted mode has no login, so the only thing standing between a web page the
// operator visits and the whole API (plugin install included) is the browser's same-origin policy — which a page
// defeats by re-pointing its own name at 127.0.0.1. The browser then sends that foreign name in Host (and Origin), so
// every request is refused unless both name a host this instance answers to.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export interface HostGuardOptions {
  /** the address the host binds (always allowed) */
  bindHost?: string;
  /** operator-configured public names (reverse proxy, tunnel) */
  allowedHostnames?: readonly string[];
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1", "[::1]"];

/** The host name part of a Host header value or URL authority: no port, lower case, IPv6 without brackets. */
export function hostnameOf(authority: string): string | null {
  const value = authority.trim().toLowerCase();
  if (value === "") return null;
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    if (end < 0) return null;
    const rest = value.slice(end + 1);
    if (rest !== "" && !/^:\d+$/.test(rest)) return null;
    return value.slice(1, end);
  }
  const colon = value.indexOf(":");
  if (colon < 0) return value;
  // More than one colon without brackets is a bare IPv6 literal, which is not a valid Host header.
  if (value.indexOf(":", colon + 1) >= 0) return null;
  if (!/^\d+$/.test(value.slice(colon + 1))) return null;
  return value.slice(0, colon);
}

export function allowedHostSet(options: HostGuardOptions): Set<string> {
  const names = new Set<string>();
  for (const name of [...LOOPBACK_NAMES, options.bindHost ?? "", ...(options.allowedHostnames ?? [])]) {
    const normalised = hostnameOf(name.includes(":") && !name.startsWith("[") ? `[${name}]` : name);
    if (normalised) names.add(normalised);
  }
  return names;
}

/** Every 127.x.y.z address is loopback, whichever one the host binds. */
function isAllowed(hostname: string, allowed: ReadonlySet<string>): boolean {
  return allowed.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

const HOW_TO_ALLOW =
  "If this is your own name for this instance (a reverse proxy or tunnel), add it to allowedHostnames in the instance " +
  "config.json or to PAPERCLIP_ALLOWED_HOSTNAMES (comma-separated) and restart the host.";

/**
 * Public static files a sandboxed plugin UI frame loads as module scripts (docs/plugin-ui-sandbox.md): the frame
 * runtime, the board's hashed assets and plugin UI files (without `?companyId=`, which checks company access).
 * The frame is opaque-origin, so those CORS requests carry `Origin: null`; they read nothing private and change
 * nothing, so GET and HEAD of these paths are served to it. Every other request with `Origin: null` is refused.
 */
export function isOpaqueOriginStaticRequest(method: string, url: string): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  const [pathname = "", query = ""] = url.split("?", 2);
  if (/^\/(plugin-frame|assets)\/[^/]/.test(pathname)) return true;
  return /^\/_plugins\/[^/]+\/ui\/[^/]/.test(pathname) && !new URLSearchParams(query).has("companyId");
}

/** Why the request must be refused, or null when its Host and Origin are both names of this instance. */
export function rebindingRefusal(
  headers: { host?: string | undefined; origin?: string | undefined },
  allowed: ReadonlySet<string>,
  options: { allowNullOrigin?: boolean } = {},
): string | null {
  const host = headers.host === undefined ? null : hostnameOf(headers.host);
  if (host === null) return "The request has no valid Host header.";
  if (!isAllowed(host, allowed)) return `Host "${headers.host}" is not a name of this Paperclip instance.`;
  const origin = headers.origin;
  if (origin === undefined || origin === "") return null;
  // "null" is what sandboxed frames and file:// pages send: no page of this instance does that.
  if (origin === "null") {
    if (options.allowNullOrigin) return null;
    return 'Origin "null" (a sandboxed or file page) may not call this instance.';
  }
  let originHost: string | null;
  try {
    originHost = hostnameOf(new URL(origin).host);
  } catch {
    return `Origin "${origin}" is not a valid origin.`;
  }
  if (originHost === null || !isAllowed(originHost, allowed)) {
    return `Origin "${origin}" is not a page of this Paperclip instance.`;
  }
  return null;
}

/** Refuse, with 403 and how to allow the name, every request whose Host or Origin is not a name of this instance. */
export function installHostGuard(app: FastifyInstance, options: HostGuardOptions): void {
  const allowed = allowedHostSet(options);
  app.addHook("onRequest", (request: FastifyRequest, reply: FastifyReply, done) => {
    const refusal = rebindingRefusal(
      { host: request.headers.host, origin: request.headers.origin as string | undefined },
      allowed,
      { allowNullOrigin: isOpaqueOriginStaticRequest(request.method, request.url) },
    );
    if (refusal === null) return done();
    reply.code(403).send({ error: `${refusal} ${HOW_TO_ALLOW}`, details: { code: "HOST_NOT_ALLOWED" } });
  });
}
