// ctx.http → http.fetch
/*
 * Outbound HTTP through the host (which enforces the allow-list and blocks private networks). The
 * request is flattened to JSON for `http.fetch`; the answer comes back as a real `Response`, so
 * plugin code reads it like any fetch result.
 */
import type { PluginHttpClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

// A type alias, not an interface, so it fits the wire's `init?: Record<string, unknown>`.
type SerializedInit = {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
};

/** The wire result, read defensively: a host may leave out statusText/headers or send a null body. */
interface SerializedResponse {
  status: number;
  statusText?: string;
  headers?: Record<string, string>;
  body?: string | null;
}

/** Statuses whose Response must not carry a body (the constructor throws otherwise). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function headersToObject(headers: NonNullable<RequestInit["headers"]>): Record<string, string> {
  if (headers instanceof Headers) {
    const result: Record<string, string> = {};
    headers.forEach((value, key) => {
      result[key] = value;
    });
    return result;
  }
  if (Array.isArray(headers)) {
    const result: Record<string, string> = {};
    for (const [key, value] of headers) result[key as string] = value as string;
    return result;
  }
  return headers as Record<string, string>;
}

function serializeInit(init: RequestInit | undefined): SerializedInit | undefined {
  if (!init) return undefined;
  const serialized: SerializedInit = {};
  if (init.method) serialized.method = init.method;
  if (init.headers) serialized.headers = headersToObject(init.headers);
  if (init.body !== undefined && init.body !== null) {
    serialized.body = typeof init.body === "string" ? init.body : String(init.body);
  }
  return Object.keys(serialized).length > 0 ? serialized : undefined;
}

export function buildHttpClient(host: HostLink): PluginHttpClient {
  return {
    async fetch(url, init) {
      const result: SerializedResponse = await host.call("http.fetch", { url, init: serializeInit(init) });
      const body = NULL_BODY_STATUSES.has(result.status) ? null : (result.body ?? null);
      return new Response(body, {
        status: result.status,
        statusText: result.statusText,
        headers: result.headers,
      });
    },
  };
}
