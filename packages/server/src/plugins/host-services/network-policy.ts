// Which addresses a plugin's http.fetch may reach. Public addresses always; private, loopback, link-local,
// CGNAT, multicast and reserved ranges (also inside IPv4-mapped, NAT64 and 6to4 IPv6) only when an allow-list
// entry grants them: a host name, "host:port", an IP address or a CIDR range.
import { BlockList, isIP } from "node:net";

const blocked = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
  ["100::", 64],
] as const) {
  blocked.addSubnet(network, prefix, "ipv6");
}

/** The 16 bytes of an IPv6 address (accepts "::" and a trailing dotted quad), or null. */
function ipv6Bytes(address: string): number[] | null {
  let text = address.split("%")[0]!.toLowerCase();
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const quad = dotted[1]!.split(".").map(Number);
    tail.push(...quad);
    text = `${text.slice(0, -dotted[1]!.length)}0:0`;
  }
  const [head, rest] = text.includes("::") ? text.split("::") : [text, null];
  const groups = (part: string | undefined) => (part ? part.split(":").filter((g) => g !== "") : []);
  const left = groups(head);
  const right = rest === null ? [] : groups(rest);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (rest === null && missing !== 0)) return null;
  const all = [...left, ...Array(missing).fill("0"), ...right];
  const bytes: number[] = [];
  for (const group of all) {
    const value = Number.parseInt(group, 16);
    if (Number.isNaN(value)) return null;
    bytes.push(value >> 8, value & 0xff);
  }
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes.length === 16 ? bytes : null;
}

/** The IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16). */
function embeddedIpv4(address: string): string | null {
  const b = ipv6Bytes(address);
  if (!b) return null;
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return b.slice(12).join(".");
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12))
    return b.slice(12).join(".");
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6).join(".");
  return null;
}

/** True for every address a plugin may not reach without a grant. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4) return blocked.check(v4, "ipv4");
    return blocked.check(address, "ipv6");
  }
  return true;
}

/** A compiled allow-list. */
export class NetworkAllowList {
  private readonly hosts = new Set<string>();
  private readonly ranges = new BlockList();
  private hasRanges = false;

  constructor(entries: Iterable<string>) {
    for (const raw of entries) this.add(raw);
  }

  get size(): number {
    return this.hosts.size + (this.hasRanges ? 1 : 0);
  }

  private add(raw: string): void {
    const entry = raw.trim().toLowerCase();
    if (!entry) return;
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
    if (cidr && isIP(cidr[1]!)) {
      const family = isIP(cidr[1]!) === 4 ? "ipv4" : "ipv6";
      this.ranges.addSubnet(cidr[1]!, Number(cidr[2]), family);
      this.hasRanges = true;
      return;
    }
    const bare = entry.replace(/^\[(.*)\]$/, "$1");
    if (isIP(bare)) {
      this.ranges.addAddress(bare, isIP(bare) === 4 ? "ipv4" : "ipv6");
      this.hasRanges = true;
      return;
    }
    this.hosts.add(entry);
  }

  /** Does an entry grant `hostname` (optionally at `port`) resolving to `address`? */
  grants(hostname: string, port: number, address: string): boolean {
    const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
    if (this.hosts.has(host) || this.hosts.has(`${host}:${port}`)) return true;
    if (!this.hasRanges) return false;
    const family = isIP(address);
    return family !== 0 && this.ranges.check(address, family === 4 ? "ipv4" : "ipv6");
  }
}

/**
 * Instance allow-list entries from PAPERCLIP_PLUGIN_ALLOWED_HOSTS (comma separated). An entry may be limited
 * to one plugin as "<pluginKey>=<entry>".
 */
export function instanceAllowEntries(pluginKey: string, configured: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of configured) {
    const entry = raw.trim();
    if (!entry) continue;
    const eq = entry.indexOf("=");
    if (eq === -1) out.push(entry);
    else if (entry.slice(0, eq).trim() === pluginKey) out.push(entry.slice(eq + 1));
  }
  return out;
}
