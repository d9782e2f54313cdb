// better-auth's own routes under /api/auth/* (POST sign-in/email, POST sign-out, GET get-session, POST
// change-password, …), served by its Web Request handler: the Fastify request is rebuilt as a Request (JSON body
// re-serialised; the connection's address in CLIENT_IP_HEADER for the rate limiter, never a client's value) and the
// Response copied back. Two additions: a write carrying the session cookie or an Origin must come from this board
// (as on every other route), and errors gain our `{error}` field and a standard Retry-After on 429.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { forbidden } from "../../errors.js";
import {
  AUTH_BASE_PATH,
  CLIENT_IP_HEADER,
  type PaperclipAuth,
  SESSION_COOKIE_PREFIX,
} from "./better-auth.js";
import { crossSiteRefusal } from "./route-access.js";

/** Request headers not passed on: hop-by-hop ones, the length of a body we re-serialise, and our own IP header. */
const DROPPED_HEADERS = new Set([
  "connection",
  "content-length",
  "transfer-encoding",
  "keep-alive",
  CLIENT_IP_HEADER,
]);

function webRequestOf(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || DROPPED_HEADERS.has(name)) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, String(value));
  }
  headers.set(CLIENT_IP_HEADER, request.ip);
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  if (hasBody) headers.set("content-type", "application/json");
  const url = new URL(request.url, `${request.protocol}://${request.headers.host ?? "localhost"}`);
  return new Request(url, {
    method: request.method,
    headers,
    body: hasBody ? JSON.stringify(request.body ?? {}) : undefined,
  });
}

async function sendResponse(reply: FastifyReply, response: Response): Promise<FastifyReply> {
  reply.status(response.status);
  for (const [name, value] of response.headers) {
    if (name !== "set-cookie" && name !== "content-length") reply.header(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) reply.header("set-cookie", cookies);
  if (response.status === 429) reply.header("retry-after", response.headers.get("x-retry-after") ?? "60");
  const text = await response.text();
  if (response.status < 400) return reply.send(text);
  let body: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
      body = parsed as Record<string, unknown>;
  } catch {
    // not JSON: the status text below says what happened
  }
  const message =
    typeof body.message === "string" && body.message !== ""
      ? body.message
      : response.status === 404
        ? "Not found"
        : response.statusText || `Request failed (${response.status})`;
  return reply.type("application/json; charset=utf-8").send({ ...body, error: message });
}

export function registerAuthRoutes(
  app: FastifyInstance,
  auth: PaperclipAuth,
  options: { publicUrl?: string | null } = {},
): void {
  const sessionCookie = `${SESSION_COOKIE_PREFIX}.session_token=`;
  app.route({
    method: ["GET", "POST"],
    url: `${AUTH_BASE_PATH}/*`,
    schema: { hide: true },
    config: { access: { caller: "anyone" } },
    async handler(request, reply) {
      const signedIn = request.headers.cookie?.includes(sessionCookie) ?? false;
      if (request.method === "POST" && (signedIn || request.headers.origin !== undefined)) {
        const refusal = crossSiteRefusal(request, options.publicUrl ?? null);
        if (refusal) throw forbidden(refusal, { code: "CSRF_ORIGIN" });
      }
      return sendResponse(reply, await auth.handler(webRequestOf(request)));
    },
  });
}
