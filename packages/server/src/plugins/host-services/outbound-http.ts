// http.fetch for workers: http/https only; the URL checked against the plugin's rules (allow-list, path
// prefixes) on its normalized form; the host name resolved once and every address checked (private ones need a
// grant); the connection pinned to the checked address, so DNS cannot rebind between check and connect; a
// deadline and a cap on the response size. Redirects are returned, not followed. Every call, refused or not,
// ends in exactly one OutboundCallRecord (the egress log).
import { lookup as dnsLookup } from "node:dns/promises";
import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { privateRangeOf } from "./network-policy.js";

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

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** The DNS step: every address of a host name. Injected by tests; the connection itself is always real. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface OutboundHttpOptions {
  /** Whole-exchange deadline. Default 30 000 ms. */
  timeoutMs?: number;
  /** DNS deadline. Default 5 000 ms. */
  dnsTimeoutMs?: number;
  /** Longest response body accepted. Default 32 MiB. */
  maxResponseBytes?: number;
  /** Default: the system resolver (getaddrinfo, every address). */
  resolve?: HostResolver;
}

/** What the plugin's egress policy decides for one call (plugins/egress builds it). */
export interface OutboundRules {
  /** Why this URL may not be fetched at all (host or path outside the allow-list), or null. */
  refusal(target: OutboundTarget): string | null;
  /** May `hostname` (at `port`) be reached at the private address `address`? */
  grantsPrivate(hostname: string, port: number, address: string): boolean;
  /** This plugin's own limits (null: the client's defaults). */
  readonly timeoutMs: number | null;
  readonly maxResponseBytes: number | null;
}

/** The URL as the rules see it: normalized host and path (no query string). */
export interface OutboundTarget {
  url: URL;
  /** Lower case, punycode, no trailing dot, no IPv6 brackets. */
  hostname: string;
  port: number;
  /** Percent-encoding normalized, dot segments resolved. */
  path: string;
}

export type OutboundOutcome = "completed" | "refused" | "failed";

/** One http.fetch as the egress log keeps it (never the query string: it may hold secrets). */
export interface OutboundCallRecord {
  method: string;
  scheme: string;
  /** hostname[:port] as the URL gave it; "" when the URL could not be parsed. */
  host: string;
  path: string;
  /** The address connected to (pinned), when DNS got that far. */
  address: string | null;
  outcome: OutboundOutcome;
  status: number | null;
  /** The refusal or failure message. */
  reason: string | null;
  requestBytes: number;
  responseBytes: number;
  durationMs: number;
}

export class OutboundRequestError extends Error {
  override readonly name = "OutboundRequestError";
  constructor(
    readonly outcome: "refused" | "failed",
    message: string,
  ) {
    super(message);
  }
}

const METHOD_RE = /^[A-Z]{1,16}$/;
const UNRESERVED = /[A-Za-z0-9\-._~]/;

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/**
 * The path rules compare: what the URL parser made of it (dot segments, also %2e ones, resolved; backslashes
 * turned into slashes) with escapes of unreserved characters decoded and the others upper-cased, so "/%7Eapi" and
 * "/~api" are the same path.
 */
export function normalizePath(pathname: string): string {
  return pathname.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

const systemResolver: HostResolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export class OutboundHttp {
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  private readonly dnsTimeoutMs: number;
  private readonly resolver: HostResolver;

  constructor(options: OutboundHttpOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.dnsTimeoutMs = options.dnsTimeoutMs ?? 5_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 32 * 1024 * 1024;
    this.resolver = options.resolve ?? systemResolver;
  }

  /** Fetch under `rules`; `record` hears about every call once, whatever its outcome. */
  async fetch(
    rawUrl: string,
    init: FetchInit,
    rules: OutboundRules,
    record: (entry: OutboundCallRecord) => void = () => {},
  ): Promise<FetchResult> {
    const started = performance.now();
    const method = (init.method ?? "GET").toUpperCase();
    const body = init.body === undefined ? undefined : Buffer.from(init.body, "utf8");
    const entry: OutboundCallRecord = {
      method: method.slice(0, 16),
      scheme: "",
      host: "",
      path: "",
      address: null,
      outcome: "completed",
      status: null,
      reason: null,
      requestBytes: body?.length ?? 0,
      responseBytes: 0,
      durationMs: 0,
    };
    try {
      const result = await this.run(rawUrl, method, init.headers ?? {}, body, rules, entry);
      entry.status = result.status;
      return result;
    } catch (error) {
      const failure =
        error instanceof OutboundRequestError
          ? error
          : new OutboundRequestError("failed", `the request failed: ${(error as Error).message}`);
      entry.outcome = failure.outcome;
      entry.reason = failure.message;
      throw failure;
    } finally {
      entry.durationMs = Math.round(performance.now() - started);
      record(entry);
    }
  }

  private async run(
    rawUrl: string,
    method: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    rules: OutboundRules,
    entry: OutboundCallRecord,
  ): Promise<FetchResult> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new OutboundRequestError("refused", `"${rawUrl.slice(0, 200)}" is not a valid absolute URL`);
    }
    entry.scheme = url.protocol.replace(/:$/, "");
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new OutboundRequestError(
        "refused",
        `only http: and https: URLs are allowed (got "${url.protocol}")`,
      );
    }
    const path = normalizePath(url.pathname);
    entry.host = url.host;
    entry.path = path;
    if (!METHOD_RE.test(method)) {
      throw new OutboundRequestError("refused", `"${method.slice(0, 40)}" is not an HTTP method`);
    }
    const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
    const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
    const problem = checkHeaders(headers, url);
    if (problem) throw new OutboundRequestError("refused", problem);
    const refusal = rules.refusal({ url, hostname, port, path });
    if (refusal) throw new OutboundRequestError("refused", refusal);

    const addresses = await this.resolve(hostname);
    if (addresses.length === 0) throw new OutboundRequestError("failed", `"${hostname}" has no addresses`);
    entry.address = addresses[0]!.address;
    // Every address is checked, not only the one used: a name must not mix public and private answers.
    for (const { address } of addresses) {
      const range = privateRangeOf(address);
      if (range !== null && !rules.grantsPrivate(hostname, port, address)) {
        entry.address = address;
        throw new OutboundRequestError(
          "refused",
          `refusing to connect to ${hostname} (${address}): ${range} is not a public address; private, ` +
            "loopback, link-local and reserved addresses need a private grant (the plugin's egress policy, " +
            "PAPERCLIP_PLUGIN_ALLOWED_HOSTS, or the company config's paperclipAllowedHosts)",
        );
      }
    }
    const pinned = addresses[0]!;
    // Connect to the address that was checked, whatever DNS says a moment later.
    const lookup: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) {
        (callback as unknown as (err: null, list: ResolvedAddress[]) => void)(null, [pinned]);
      } else callback(null, pinned.address, pinned.family);
    };
    return this.exchange(url, path, method, headers, body, lookup, rules, entry);
  }

  private async resolve(hostname: string): Promise<ResolvedAddress[]> {
    if (isIP(hostname)) return [{ address: hostname, family: isIP(hostname) }];
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new OutboundRequestError(
              "failed",
              `DNS lookup of "${hostname}" timed out after ${this.dnsTimeoutMs} ms`,
            ),
          ),
        this.dnsTimeoutMs,
      );
    });
    try {
      const answers = await Promise.race([this.resolver(hostname), deadline]);
      return answers.filter((answer) => isIP(answer.address) !== 0);
    } catch (error) {
      if (error instanceof OutboundRequestError) throw error;
      throw new OutboundRequestError(
        "failed",
        `could not resolve "${hostname}": ${(error as Error).message}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  private exchange(
    url: URL,
    path: string,
    method: string,
    init: Record<string, string>,
    body: Buffer | undefined,
    lookup: LookupFunction,
    rules: OutboundRules,
    entry: OutboundCallRecord,
  ): Promise<FetchResult> {
    const timeoutMs = rules.timeoutMs ?? this.timeoutMs;
    const maxBytes = rules.maxResponseBytes ?? this.maxResponseBytes;
    const transport = url.protocol === "https:" ? https : http;
    const headers: Record<string, string> = { ...init };
    if (body && !Object.keys(headers).some((h) => h.toLowerCase() === "content-length")) {
      headers["content-length"] = String(body.length);
    }
    const where = `${method} ${url.origin}${path}`;
    return new Promise<FetchResult>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | null, result?: FetchResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(result!);
      };
      const tooLarge = () =>
        new OutboundRequestError("failed", `the response from ${url.host} is larger than ${maxBytes} bytes`);
      const request = transport.request(
        {
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
          port: url.port || undefined,
          // The normalized path the rules checked, never the raw one.
          path: `${path}${url.search}`,
          method,
          headers,
          lookup,
          servername: isIP(url.hostname.replace(/^\[(.*)\]$/, "$1")) ? undefined : url.hostname,
          auth: url.username
            ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
            : undefined,
          agent: false,
        },
        (response) => {
          const declared = Number(response.headers["content-length"]);
          if (Number.isFinite(declared) && declared > maxBytes) {
            request.destroy();
            finish(tooLarge());
            return;
          }
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => {
            entry.responseBytes += chunk.length;
            if (entry.responseBytes > maxBytes) {
              request.destroy();
              finish(tooLarge());
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
            finish(new OutboundRequestError("failed", `reading the response failed: ${error.message}`)),
          );
        },
      );
      const timer = setTimeout(() => {
        request.destroy();
        finish(new OutboundRequestError("failed", `${where} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      request.on("socket", (socket) => {
        socket.on("connect", () => {
          // The address really connected to (it can only be the pinned one).
          if (socket.remoteAddress) entry.address = socket.remoteAddress;
        });
      });
      request.on("error", (error) =>
        finish(new OutboundRequestError("failed", `${where} failed: ${error.message}`)),
      );
      if (body) request.end(body);
      else request.end();
    });
  }
}

/** Header names and values Node would reject, and a Host header naming another host than the URL. */
function checkHeaders(headers: Record<string, string>, url: URL): string | null {
  for (const [name, value] of Object.entries(headers)) {
    try {
      http.validateHeaderName(name);
      http.validateHeaderValue(name, value);
    } catch {
      return `request header "${name.slice(0, 100)}" is not a valid HTTP header`;
    }
    // Another Host would let an allowed address serve a host the policy never allowed (shared CDNs).
    if (name.toLowerCase() === "host" && value.trim().toLowerCase() !== url.host) {
      return `the Host header must name the URL's host (${url.host}), not "${value.slice(0, 100)}"`;
    }
  }
  return null;
}
