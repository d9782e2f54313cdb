// Which addresses a plugin's http.fetch may reach without a grant, and the grants themselves. Public addresses
// always; private, loopback, link-local, CGNAT, multicast, documentation and reserved ranges only when a
// private grant covers them. IPv6 addresses that carry an IPv4 one (v4-mapped, SIIT, NAT64 64:ff9b::/96, 6to4)
// are judged by the address they carry, so ::ffff:127.0.0.1 is loopback and 64:ff9b::808:808 is public.
import { BlockList, isIP } from "node:net";
import { domainToASCII } from "node:url";

interface Range {
  network: string;
  prefix: number;
  what: string;
}

const IPV4_RANGES: Range[] = [
  { network: "0.0.0.0", prefix: 8, what: "this-network" },
  { network: "10.0.0.0", prefix: 8, what: "private (RFC 1918)" },
  { network: "100.64.0.0", prefix: 10, what: "carrier-grade NAT (RFC 6598)" },
  { network: "127.0.0.0", prefix: 8, what: "loopback" },
  { network: "169.254.0.0", prefix: 16, what: "link-local" },
  { network: "172.16.0.0", prefix: 12, what: "private (RFC 1918)" },
  { network: "192.0.0.0", prefix: 24, what: "IETF protocol assignments" },
  { network: "192.0.2.0", prefix: 24, what: "documentation" },
  { network: "192.88.99.0", prefix: 24, what: "6to4 relay anycast" },
  { network: "192.168.0.0", prefix: 16, what: "private (RFC 1918)" },
  { network: "198.18.0.0", prefix: 15, what: "benchmarking" },
  { network: "198.51.100.0", prefix: 24, what: "documentation" },
  { network: "203.0.113.0", prefix: 24, what: "documentation" },
  { network: "224.0.0.0", prefix: 4, what: "multicast" },
  { network: "240.0.0.0", prefix: 4, what: "reserved or broadcast" },
];

const IPV6_RANGES: Range[] = [
  // ::/128 and ::1/128 sit inside: unspecified, loopback, and the deprecated IPv4-compatible ::a.b.c.d.
  { network: "::", prefix: 96, what: "unspecified, loopback or IPv4-compatible" },
  { network: "64:ff9b:1::", prefix: 48, what: "local-use NAT64 (RFC 8215)" },
  { network: "100::", prefix: 64, what: "discard-only" },
  { network: "2001::", prefix: 23, what: "IETF protocol assignments (Teredo, benchmarking, ORCHID)" },
  { network: "2001:db8::", prefix: 32, what: "documentation" },
  { network: "3fff::", prefix: 20, what: "documentation" },
  { network: "5f00::", prefix: 16, what: "segment routing (SRv6)" },
  { network: "fc00::", prefix: 7, what: "unique local (ULA)" },
  { network: "fe80::", prefix: 10, what: "link-local" },
  { network: "fec0::", prefix: 10, what: "site-local (deprecated)" },
  { network: "ff00::", prefix: 8, what: "multicast" },
];

/** One BlockList per range, so a match can say which range it was. */
const compiled = [
  ...IPV4_RANGES.map((range) => ({ ...range, family: "ipv4" as const })),
  ...IPV6_RANGES.map((range) => ({ ...range, family: "ipv6" as const })),
].map((range) => {
  const list = new BlockList();
  list.addSubnet(range.network, range.prefix, range.family);
  return { ...range, list };
});

/** The 16 bytes of an IPv6 address (accepts "::", a zone and a trailing dotted quad), or null. */
function ipv6Bytes(address: string): number[] | null {
  let text = address.split("%")[0]!.toLowerCase();
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail.push(...dotted[1]!.split(".").map(Number));
    text = `${text.slice(0, -dotted[1]!.length)}0:0`;
  }
  const [head, rest] = text.includes("::") ? text.split("::") : [text, null];
  const groups = (part: string | undefined) => (part ? part.split(":").filter((g) => g !== "") : []);
  const left = groups(head);
  const right = rest === null ? [] : groups(rest);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (rest === null && missing !== 0)) return null;
  const bytes: number[] = [];
  for (const group of [...left, ...Array(missing).fill("0"), ...right]) {
    if (!/^[0-9a-f]{1,4}$/.test(group)) return null;
    const value = Number.parseInt(group, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes.length === 16 ? bytes : null;
}

/**
 * The IPv4 address an IPv6 one carries: v4-mapped ::ffff:a.b.c.d, SIIT ::ffff:0:a.b.c.d, the well-known NAT64
 * prefix 64:ff9b::/96 and 6to4 2002::/16. (Local-use NAT64 64:ff9b:1::/48 is refused as a whole instead: its
 * operators choose where the IPv4 address sits.)
 */
function embeddedIpv4(address: string): string | null {
  const b = ipv6Bytes(address);
  if (!b) return null;
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return b.slice(12).join(".");
  if (zeros(0, 8) && b[8] === 0xff && b[9] === 0xff && zeros(10, 12)) return b.slice(12).join(".");
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12))
    return b.slice(12).join(".");
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6).join(".");
  return null;
}

/**
 * Which non-public range `address` is in ("loopback (127.0.0.0/8)", "unique local (ULA) (fc00::/7)"), or null
 * for a public address. Anything that is not an IP address counts as non-public.
 */
export function privateRangeOf(address: string): string | null {
  const bare = address.split("%")[0]!;
  const family = isIP(bare);
  if (family === 0) return "not an IP address";
  if (family === 6) {
    const v4 = embeddedIpv4(bare);
    if (v4) {
      const inner = privateRangeOf(v4);
      return inner === null ? null : `${inner}, carried in ${bare}`;
    }
  }
  const type = family === 4 ? "ipv4" : "ipv6";
  const hit = compiled.find((range) => range.family === type && range.list.check(bare, type));
  return hit ? `${hit.what} (${hit.network}/${hit.prefix})` : null;
}

/** True for every address a plugin may not reach without a grant. */
export function isPrivateAddress(address: string): boolean {
  return privateRangeOf(address) !== null;
}

/** A host name as compared everywhere: lower case, punycode, no trailing dot, no IPv6 brackets. */
export function normalizeHostName(host: string): string {
  const bare = host
    .trim()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
  if (isIP(bare)) return bare.toLowerCase();
  return domainToASCII(bare.toLowerCase()) || bare.toLowerCase();
}

/** Does the host pattern ("api.example.com", or "*.example.com" for any subdomain) match `host`? */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return pattern === host;
}

/**
 * Private grants, compiled: a host name ("intranet.local", "*.corp.example"), "host:port", an IP address or a
 * CIDR range. A host grant allows whatever that name resolves to; an address or range grant allows those
 * addresses under any name.
 */
export class NetworkAllowList {
  private readonly hosts: Array<{ pattern: string; port: number | null }> = [];
  private readonly ranges = new BlockList();
  private rangeCount = 0;

  constructor(entries: Iterable<string>) {
    for (const raw of entries) this.add(raw);
  }

  private add(raw: string): void {
    const entry = raw.trim().toLowerCase();
    if (!entry) return;
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
    if (cidr && isIP(cidr[1]!)) {
      const family = isIP(cidr[1]!) === 4 ? "ipv4" : "ipv6";
      const prefix = Number(cidr[2]);
      if (prefix > (family === "ipv4" ? 32 : 128)) return;
      this.ranges.addSubnet(cidr[1]!, prefix, family);
      this.rangeCount++;
      return;
    }
    const bare = entry.replace(/^\[(.*)\]$/, "$1");
    if (isIP(bare)) {
      this.ranges.addAddress(bare, isIP(bare) === 4 ? "ipv4" : "ipv6");
      this.rangeCount++;
      return;
    }
    const withPort = /^(.*):(\d{1,5})$/.exec(entry);
    if (withPort && !withPort[1]!.includes(":")) {
      this.hosts.push({ pattern: normalizeHostName(withPort[1]!), port: Number(withPort[2]) });
    } else {
      this.hosts.push({ pattern: normalizeHostName(entry), port: null });
    }
  }

  /** Does an entry grant `hostname` (at `port`) resolving to `address`? */
  grants(hostname: string, port: number, address: string): boolean {
    const host = normalizeHostName(hostname);
    if (this.hosts.some((h) => (h.port === null || h.port === port) && hostMatches(h.pattern, host))) {
      return true;
    }
    if (this.rangeCount === 0) return false;
    const bare = address.split("%")[0]!;
    const family = isIP(bare);
    if (family === 0) return false;
    if (this.ranges.check(bare, family === 4 ? "ipv4" : "ipv6")) return true;
    // A grant of 127.0.0.1 also covers ::ffff:127.0.0.1.
    const v4 = family === 6 ? embeddedIpv4(bare) : null;
    return v4 !== null && this.ranges.check(v4, "ipv4");
  }
}

/**
 * Instance grants from PAPERCLIP_PLUGIN_ALLOWED_HOSTS (comma separated). An entry may be limited to one plugin
 * as "<pluginKey>=<entry>".
 */
export function instanceAllowEntries(pluginKey: string, configured: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of configured) {
    const entry = raw.trim();
    if (!entry) continue;
    const eq = entry.indexOf("=");
    if (eq === -1) out.push(entry);
    else if (entry.slice(0, eq).trim() === pluginKey) out.push(entry.slice(eq + 1).trim());
  }
  return out;
}
