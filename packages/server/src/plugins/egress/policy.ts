// A plugin's egress policy: what an operator may write (validated strictly, each problem a 400 naming the entry)
// and what it means for one http.fetch (EgressRules, the OutboundRules the outbound client applies).
//
// - mode "any-public" (the default, as before this policy existed): any public address; "allow-list": only the
//   hosts listed, optionally limited to path prefixes.
// - allow entries: "api.example.com", "*.example.com" (any subdomain, not the apex), "host:8443", with an
//   optional path prefix "api.example.com/v1" (matching /v1 and /v1/…, never /v10).
// - private grants: an IP address, a CIDR range, a host name or "host:port" the plugin may reach although it
//   resolves to a private, loopback, link-local or reserved address. They add to the instance's grants
//   (PAPERCLIP_PLUGIN_ALLOWED_HOSTS) and the company config's paperclipAllowedHosts.
import { isIP } from "node:net";
import { badRequest } from "../../errors.js";
import { hostMatches, NetworkAllowList } from "../host-services/network-policy.js";
import { normalizePath, type OutboundRules, type OutboundTarget } from "../host-services/outbound-http.js";

export const EGRESS_MODES = ["any-public", "allow-list"] as const;
export type EgressMode = (typeof EGRESS_MODES)[number];

export interface EgressPolicy {
  mode: EgressMode;
  /** Normalized allow entries: host pattern, optional ":port", optional path prefix. */
  allow: string[];
  /** Normalized private grants: IP, CIDR, host pattern or "host:port". */
  privateGrants: string[];
  /** This plugin's deadline per call (null: the host default). */
  timeoutMs: number | null;
  /** This plugin's response size cap (null: the host default). */
  maxResponseBytes: number | null;
}

export const DEFAULT_EGRESS_POLICY: Readonly<EgressPolicy> = Object.freeze({
  mode: "any-public",
  allow: [],
  privateGrants: [],
  timeoutMs: null,
  maxResponseBytes: null,
});

export const MAX_POLICY_ENTRIES = 200;
const MAX_ENTRY_CHARS = 300;
/** The worker's own deadline for a worker→host call is 30 s: a longer host deadline would never be reached. */
export const TIMEOUT_RANGE = { min: 100, max: 30_000 } as const;
export const RESPONSE_BYTES_RANGE = { min: 1_024, max: 100 * 1024 * 1024 } as const;

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

interface AllowEntry {
  host: string;
  port: number | null;
  /** Normalized, starts with "/"; null: every path. */
  prefix: string | null;
}

/** The canonical host of `text` as a request URL would carry it (lower case, punycode, IPv4 spelled out). */
function canonicalHost(text: string): string | null {
  try {
    const host = new URL(`http://${text}/`).hostname.replace(/^\[(.*)\]$/, "$1");
    if (isIP(host)) return host;
    const name = host.replace(/\.$/, "");
    if (name.length === 0 || name.length > 253 || !name.split(".").every((label) => LABEL.test(label))) {
      return null;
    }
    return name;
  } catch {
    return null;
  }
}

/** "host", "*.host", "[v6]" or an IPv4 address, with an optional ":port"; an error message when it is not one. */
function parseHostPort(text: string): { host: string; port: number | null } | string {
  let hostText = text;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    if (isIP(bracketed[1]!) !== 6) return `"[${bracketed[1]}]" is not an IPv6 address`;
    hostText = bracketed[1]!;
    portText = bracketed[2];
  } else if (isIP(text) === 6) {
    return `write IPv6 addresses in brackets: "[${text}]"`;
  } else {
    const withPort = /^([^:]+):([^:]*)$/.exec(text);
    if (withPort) {
      hostText = withPort[1]!;
      portText = withPort[2];
    } else if (text.includes(":")) {
      return "is not a host name, an IP address or host:port";
    }
  }
  let port: number | null = null;
  if (portText !== undefined) {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : 0;
    if (port < 1 || port > 65_535) return `port "${portText}" must be a number from 1 to 65535`;
  }
  if (isIP(hostText) === 6) return { host: compactV6(hostText), port };
  const wildcard = hostText.startsWith("*.");
  const rest = wildcard ? hostText.slice(2) : hostText;
  if (rest.includes("*")) return "a wildcard may only be the first label, as in *.example.com";
  const host = canonicalHost(rest);
  if (host === null) return `"${rest}" is not a valid host name`;
  if (wildcard) {
    if (isIP(host)) return "a wildcard cannot cover an IP address";
    if (!host.includes("."))
      return `"*.${host}" would cover a whole top-level domain; name a domain under it`;
    return { host: `*.${host}`, port };
  }
  return { host, port };
}

function parsePrefix(text: string): string {
  if (/%(2f|5c)/i.test(text) || text.includes("\\")) {
    throw new Error("path prefixes may not contain (encoded) slashes or backslashes other than /");
  }
  const segments = text.split("/").map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw new Error(`"${text}" is not a valid percent-encoded path`);
    }
  });
  if (segments.some((segment) => segment === "." || segment === "..")) {
    throw new Error('path prefixes may not contain "." or ".." segments');
  }
  return normalizePath(new URL(`http://h${text}`).pathname);
}

function formatEntry(entry: AllowEntry): string {
  const host = isIP(entry.host) === 6 ? `[${entry.host}]` : entry.host;
  return `${host}${entry.port === null ? "" : `:${entry.port}`}${entry.prefix ?? ""}`;
}

/** One allow entry, normalized; throws Error with the reason when it is not valid. */
export function parseAllowEntry(raw: string): AllowEntry {
  const text = raw.trim();
  if (!text) throw new Error("is empty");
  if (text.length > MAX_ENTRY_CHARS) throw new Error(`is longer than ${MAX_ENTRY_CHARS} characters`);
  if (SCHEME.test(text)) throw new Error('leave out the scheme: write "api.example.com/v1", not a URL');
  if (/\s/.test(text)) throw new Error("may not contain spaces");
  if (/[?#]/.test(text)) throw new Error("may not contain a query string or fragment (only host and path)");
  if (text.includes("@")) throw new Error("may not contain user names or passwords");
  const slash = text.indexOf("/");
  const hostPart = slash === -1 ? text : text.slice(0, slash);
  const parsed = parseHostPort(hostPart);
  if (typeof parsed === "string") throw new Error(parsed);
  const prefix = slash === -1 ? null : parsePrefix(text.slice(slash));
  return { ...parsed, prefix: prefix === "/" ? null : prefix };
}

/** One private grant, normalized; throws Error with the reason when it is not valid. */
export function parsePrivateGrant(raw: string): string {
  const text = raw.trim();
  if (!text) throw new Error("is empty");
  if (text.length > MAX_ENTRY_CHARS) throw new Error(`is longer than ${MAX_ENTRY_CHARS} characters`);
  if (SCHEME.test(text) || /[\s/?#@]/.test(text.replace(/\/\d{1,3}$/, ""))) {
    throw new Error("give an IP address, a CIDR range (10.0.0.0/8), a host name or host:port, not a URL");
  }
  const cidr = /^(.+)\/(\d{1,3})$/.exec(text);
  if (cidr) {
    const network = cidr[1]!.replace(/^\[(.*)\]$/, "$1");
    const family = isIP(network);
    if (family === 0) throw new Error(`"${cidr[1]}" is not an IP address`);
    const prefix = Number(cidr[2]);
    const bits = family === 4 ? 32 : 128;
    if (prefix > bits) throw new Error(`the prefix length must be from 0 to ${bits}`);
    const canonical = networkOf(network, prefix);
    if (canonical !== (family === 4 ? network : compactV6(network))) {
      throw new Error(`host bits are set: did you mean ${canonical}/${prefix}?`);
    }
    return `${canonical}/${prefix}`;
  }
  if (isIP(text) === 6) return compactV6(text);
  const parsed = parseHostPort(text);
  if (typeof parsed === "string") throw new Error(parsed);
  if (parsed.port === null && isIP(parsed.host) === 6) return parsed.host;
  return formatEntry({ ...parsed, prefix: null });
}

/** The network address of `address`/`prefix` in canonical text. */
function networkOf(address: string, prefix: number): string {
  const family = isIP(address);
  if (family === 4) {
    const value = address.split(".").reduce((sum, part) => sum * 256 + Number(part), 0);
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const network = (value & mask) >>> 0;
    return [24, 16, 8, 0].map((shift) => (network >>> shift) & 0xff).join(".");
  }
  const url = new URL(`http://[${address}]/`);
  const groups = expandV6(url.hostname.slice(1, -1));
  let remaining = prefix;
  const masked = groups.map((group) => {
    const keep = Math.max(0, Math.min(16, remaining));
    remaining -= 16;
    const mask = keep === 0 ? 0 : (0xffff << (16 - keep)) & 0xffff;
    return group & mask;
  });
  return compactV6(masked.map((group) => group.toString(16)).join(":"));
}

function expandV6(text: string): number[] {
  const [head, tail] = text.includes("::") ? text.split("::") : [text, ""];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const middle = Array(8 - left.length - right.length).fill("0");
  return [...left, ...middle, ...right].map((group) => Number.parseInt(group, 16));
}

/** An IPv6 address as the URL parser prints it (RFC 5952). */
function compactV6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

function listOf(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest(`${field} must be an array of strings`, { field });
  if (value.length > MAX_POLICY_ENTRIES) {
    throw badRequest(`${field} may hold at most ${MAX_POLICY_ENTRIES} entries (got ${value.length})`, {
      field,
    });
  }
  return value.map((item, index) => {
    if (typeof item !== "string")
      throw badRequest(`${field}[${index}] must be a string`, { field: `${field}[${index}]` });
    return item;
  });
}

function limitOf(
  value: unknown,
  field: string,
  range: { min: number; max: number },
  unit: string,
): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw badRequest(
      `${field} must be an integer from ${range.min} to ${range.max} ${unit}, or null for the host default (got ${JSON.stringify(value)})`,
      { field },
    );
  }
  return value;
}

/** Validate and normalize a policy an operator sent (PUT …/egress); duplicates are dropped. */
export function validateEgressPolicy(input: Record<string, unknown>): EgressPolicy {
  const mode = input.mode;
  if (!EGRESS_MODES.includes(mode as EgressMode)) {
    throw badRequest(`mode must be one of: ${EGRESS_MODES.join(", ")} (got ${JSON.stringify(mode)})`, {
      field: "mode",
    });
  }
  const each = (field: string, parse: (raw: string) => string) => {
    const out: string[] = [];
    listOf(input[field], field).forEach((raw, index) => {
      let entry: string;
      try {
        entry = parse(raw);
      } catch (error) {
        throw badRequest(`${field}[${index}] "${raw.slice(0, 100)}": ${(error as Error).message}`, {
          field: `${field}[${index}]`,
        });
      }
      if (!out.includes(entry)) out.push(entry);
    });
    return out;
  };
  return {
    mode: mode as EgressMode,
    allow: each("allow", (raw) => formatEntry(parseAllowEntry(raw))),
    privateGrants: each("privateGrants", parsePrivateGrant),
    timeoutMs: limitOf(input.timeoutMs, "timeoutMs", TIMEOUT_RANGE, "ms"),
    maxResponseBytes: limitOf(input.maxResponseBytes, "maxResponseBytes", RESPONSE_BYTES_RANGE, "bytes"),
  };
}

/** Does the normalized request path fall under `prefix` ("/v1" covers /v1 and /v1/…; "/v1/" only /v1/…)? */
export function pathUnder(prefix: string, path: string): boolean {
  if (!path.startsWith(prefix)) return false;
  return prefix.endsWith("/") || path.length === prefix.length || path[prefix.length] === "/";
}

/** The rules one http.fetch runs under: the plugin's policy plus the grants of the instance and company config. */
export class EgressRules implements OutboundRules {
  private readonly entries: AllowEntry[];
  private readonly grants: NetworkAllowList;
  readonly timeoutMs: number | null;
  readonly maxResponseBytes: number | null;

  constructor(
    private readonly policy: EgressPolicy,
    otherGrants: readonly string[] = [],
  ) {
    // Stored entries were validated when written; one that no longer parses is skipped, never widened.
    this.entries = policy.allow.flatMap((raw) => {
      try {
        return [parseAllowEntry(raw)];
      } catch {
        return [];
      }
    });
    this.grants = new NetworkAllowList([...policy.privateGrants, ...otherGrants]);
    this.timeoutMs = policy.timeoutMs;
    this.maxResponseBytes = policy.maxResponseBytes;
  }

  refusal(target: OutboundTarget): string | null {
    if (this.policy.mode === "any-public") return null;
    const host = target.hostname.toLowerCase();
    const matching = this.entries.filter(
      (entry) => (entry.port === null || entry.port === target.port) && hostMatches(entry.host, host),
    );
    if (matching.length === 0) {
      return (
        `refused by the plugin's egress policy: ${target.url.host} is not on its allow-list ` +
        "(an operator adds hosts on the plugin's Network tab or with PUT /api/plugins/:pluginId/egress)"
      );
    }
    if (matching.some((entry) => entry.prefix === null)) return null;
    if (/%(2F|5C)/.test(target.path)) {
      return (
        `refused by the plugin's egress policy: the path of ${target.url.host} contains an encoded slash or ` +
        "backslash, which servers may decode differently, and this host is allowed for some paths only"
      );
    }
    if (matching.some((entry) => pathUnder(entry.prefix!, target.path))) return null;
    const prefixes = matching.map((entry) => entry.prefix).join(", ");
    return (
      `refused by the plugin's egress policy: path "${target.path}" of ${target.url.host} is outside the ` +
      `allowed path prefixes (${prefixes})`
    );
  }

  grantsPrivate(hostname: string, port: number, address: string): boolean {
    return this.grants.grants(hostname, port, address);
  }
}
