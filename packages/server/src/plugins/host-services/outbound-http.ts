// http.fetch for workers: http/https only, the host name resolved once and every address checked against the
// network policy, the connection pinned to the checked address (no DNS rebinding between check and connect),
// a deadline for the whole exchange and a cap on the response size. Redirects are returned, not followed.
import { lookup as dnsLookup } from "node:dns/promises";
import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { isPrivateAddress, type NetworkAllowList } from "./network-policy.js";

export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface FetchResult {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
}

export interface OutboundHttpOptions {
  /** Whole-exchange deadline. Default 30 000 ms. */
  timeoutMs?: number;
  /** DNS deadline. Default 5 000 ms. */
  dnsTimeoutMs?: number;
  /** Longest response body accepted. Default 32 MiB. */
  maxResponseBytes?: number;
}

export class OutboundRequestError extends Error {
  override readonly name = "OutboundRequestError";
}

const METHOD_RE = /^[A-Z]{1,16}$/;

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

async function resolveAddresses(
  hostname: string,
  timeoutMs: number,
): Promise<Array<{ address: string; family: number }>> {
  const literal = hostname.replace(/^\[(.*)\]$/, "$1");
  if (isIP(literal)) return [{ address: literal, family: isIP(literal) }];
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new OutboundRequestError(`DNS lookup of "${hostname}" timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([dnsLookup(literal, { all: true, verbatim: true }), deadline]);
  } catch (error) {
    if (error instanceof OutboundRequestError) throw error;
    throw new OutboundRequestError(`could not resolve "${hostname}": ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

export class OutboundHttp {
  readonly timeoutMs: number;
  private readonly dnsTimeoutMs: number;
  private readonly maxResponseBytes: number;

  constructor(options: OutboundHttpOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.dnsTimeoutMs = options.dnsTimeoutMs ?? 5_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 32 * 1024 * 1024;
  }

  async fetch(rawUrl: string, init: FetchInit, allow: NetworkAllowList): Promise<FetchResult> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new OutboundRequestError(`"${rawUrl}" is not a valid absolute URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new OutboundRequestError(`only http: and https: URLs are allowed (got "${url.protocol}")`);
    }
    const method = (init.method ?? "GET").toUpperCase();
    if (!METHOD_RE.test(method)) throw new OutboundRequestError(`"${init.method}" is not an HTTP method`);
    const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
    const addresses = await resolveAddresses(url.hostname, this.dnsTimeoutMs);
    if (addresses.length === 0) throw new OutboundRequestError(`"${url.hostname}" has no addresses`);
    for (const { address } of addresses) {
      if (isPrivateAddress(address) && !allow.grants(url.hostname, port, address)) {
        throw new OutboundRequestError(
          `refusing to connect to ${url.hostname} (${address}): private, loopback, link-local or reserved addresses ` +
            "need a grant in the instance allow-list (PAPERCLIP_PLUGIN_ALLOWED_HOSTS) or the company config's " +
            "paperclipAllowedHosts",
        );
      }
    }
    const pinned = addresses[0]!;
    // Connect to the address that was checked, whatever DNS says a moment later.
    const lookup: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) {
        (callback as unknown as (err: null, list: Array<{ address: string; family: number }>) => void)(null, [
          pinned,
        ]);
      } else callback(null, pinned.address, pinned.family);
    };
    return this.exchange(url, method, init, lookup);
  }

  private exchange(url: URL, method: string, init: FetchInit, lookup: LookupFunction): Promise<FetchResult> {
    const transport = url.protocol === "https:" ? https : http;
    const body = init.body === undefined ? undefined : Buffer.from(init.body, "utf8");
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (body && !Object.keys(headers).some((h) => h.toLowerCase() === "content-length")) {
      headers["content-length"] = String(body.length);
    }
    return new Promise<FetchResult>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | null, result?: FetchResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(result!);
      };
      const request = transport.request(
        url,
        { method, headers, lookup, servername: url.hostname },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > this.maxResponseBytes) {
              request.destroy();
              finish(
                new OutboundRequestError(
                  `the response from ${url.host} is larger than ${this.maxResponseBytes} bytes`,
                ),
              );
              return;
            }
            chunks.push(chunk);
          });
          response.on("end", () =>
            finish(null, {
              status: response.statusCode ?? 0,
              statusText: response.statusMessage ?? "",
              headers: flattenHeaders(response.headers),
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          response.on("error", (error) =>
            finish(new OutboundRequestError(`reading the response failed: ${error.message}`)),
          );
        },
      );
      const timer = setTimeout(() => {
        request.destroy();
        finish(
          new OutboundRequestError(
            `${method} ${url.origin}${url.pathname} timed out after ${this.timeoutMs} ms`,
          ),
        );
      }, this.timeoutMs);
      request.on("error", (error) =>
        finish(new OutboundRequestError(`${method} ${url.origin}${url.pathname} failed: ${error.message}`)),
      );
      if (body) request.end(body);
      else request.end();
    });
  }
}
