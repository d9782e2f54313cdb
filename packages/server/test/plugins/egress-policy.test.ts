// Egress units, table-driven: which addresses are private (and which range says so), private grants, allow
// entries and path prefixes as the operator writes them (normalized, or refused naming the problem), and what
// the rules decide for a URL.
import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/errors.js";
import {
  EgressRules,
  parseAllowEntry,
  parsePrivateGrant,
  validateEgressPolicy,
} from "../../src/plugins/egress/index.js";
import {
  isPrivateAddress,
  NetworkAllowList,
  privateRangeOf,
} from "../../src/plugins/host-services/network-policy.js";
import { normalizePath, type OutboundTarget } from "../../src/plugins/host-services/outbound-http.js";

describe("private address ranges", () => {
  const privateCases: Array<[string, RegExp]> = [
    ["127.0.0.1", /^loopback \(127\.0\.0\.0\/8\)/],
    ["127.255.255.254", /^loopback/],
    ["10.1.2.3", /RFC 1918/],
    ["172.16.0.1", /RFC 1918/],
    ["172.31.255.255", /RFC 1918/],
    ["192.168.1.1", /RFC 1918/],
    ["169.254.169.254", /^link-local/],
    ["100.64.0.1", /carrier-grade NAT/],
    ["100.127.255.255", /carrier-grade NAT/],
    ["0.0.0.0", /this-network/],
    ["0.1.2.3", /this-network/],
    ["224.0.0.1", /multicast/],
    ["239.255.255.250", /multicast/],
    ["255.255.255.255", /broadcast/],
    ["240.0.0.1", /reserved/],
    ["192.0.0.170", /IETF protocol/],
    ["192.0.2.10", /documentation/],
    ["198.51.100.7", /documentation/],
    ["203.0.113.9", /documentation/],
    ["198.18.0.1", /benchmarking/],
    ["192.88.99.1", /6to4 relay/],
    ["::1", /unspecified, loopback/],
    ["::", /unspecified, loopback/],
    ["::7f00:1", /IPv4-compatible/],
    ["fc00::1", /unique local/],
    ["fd12:3456::1", /unique local/],
    ["fe80::1", /^link-local/],
    ["fe80::1%eth0", /^link-local/],
    ["fec0::1", /site-local/],
    ["ff02::1", /multicast/],
    ["2001:db8::1", /documentation/],
    ["3fff::1", /documentation/],
    ["100::1", /discard/],
    ["2001::1", /Teredo/],
    ["64:ff9b:1::a00:1", /local-use NAT64/],
    // IPv6 that carries a private IPv4 address is judged by it
    ["::ffff:127.0.0.1", /loopback .*carried in ::ffff:127\.0\.0\.1/],
    ["::ffff:7f00:1", /loopback/],
    ["::ffff:a00:1", /RFC 1918/],
    ["::ffff:169.254.169.254", /link-local/],
    ["::ffff:0:7f00:1", /loopback/],
    ["64:ff9b::7f00:1", /loopback/],
    ["64:ff9b::10.0.0.1", /RFC 1918/],
    ["2002:c0a8:0101::1", /RFC 1918/],
    ["2002:7f00:1::", /loopback/],
    ["not-an-ip", /not an IP address/],
  ];
  for (const [address, range] of privateCases) {
    it(`${address} is private: ${range.source}`, () => {
      expect(privateRangeOf(address)).toMatch(range);
      expect(isPrivateAddress(address)).toBe(true);
    });
  }

  const publicCases = [
    "8.8.8.8",
    "1.1.1.1",
    "100.63.255.255",
    "100.128.0.0",
    "172.15.255.255",
    "172.32.0.0",
    "192.167.255.255",
    "11.0.0.1",
    "223.255.255.255",
    "2606:4700:4700::1111",
    "2a00:1450:4001::1",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
  ];
  for (const address of publicCases) {
    it(`${address} is public`, () => {
      expect(privateRangeOf(address)).toBeNull();
      expect(isPrivateAddress(address)).toBe(false);
    });
  }
});

describe("private grants (NetworkAllowList)", () => {
  const allow = new NetworkAllowList([
    "intranet.local",
    "db.local:5432",
    "*.corp.example",
    "10.0.0.0/8",
    "fd00::/8",
    "127.0.0.1",
    "[::1]",
  ]);
  const cases: Array<[string, number, string, boolean]> = [
    ["intranet.local", 80, "192.168.0.2", true],
    ["INTRANET.local.", 443, "192.168.0.2", true],
    ["db.local", 5432, "192.168.0.3", true],
    ["db.local", 80, "192.168.0.3", false],
    ["a.corp.example", 80, "192.168.0.9", true],
    ["corp.example", 80, "192.168.0.9", false],
    ["anything", 80, "10.9.8.7", true],
    ["anything", 80, "::ffff:10.9.8.7", true],
    ["anything", 80, "fd12::1", true],
    ["anything", 80, "127.0.0.1", true],
    ["anything", 80, "::ffff:127.0.0.1", true],
    ["anything", 80, "127.0.0.2", false],
    ["[::1]", 80, "::1", true],
    ["other.local", 80, "192.168.0.4", false],
  ];
  for (const [host, port, address, granted] of cases) {
    it(`${host}:${port} at ${address} → ${granted ? "granted" : "not granted"}`, () => {
      expect(allow.grants(host, port, address)).toBe(granted);
    });
  }
});

describe("allow entries as an operator writes them", () => {
  const normalized: Array<[string, string]> = [
    ["api.example.com", "api.example.com"],
    ["  API.Example.COM.  ", "api.example.com"],
    ["*.example.com", "*.example.com"],
    ["api.example.com:8443", "api.example.com:8443"],
    ["api.example.com/v1", "api.example.com/v1"],
    ["api.example.com/v1/", "api.example.com/v1/"],
    ["api.example.com/", "api.example.com"],
    ["api.example.com/%7Euser/%2a", "api.example.com/~user/%2A"],
    ["bücher.example", "xn--bcher-kva.example"],
    ["203.0.113.7", "203.0.113.7"],
    ["[2001:DB8:0::1]:8080/x", "[2001:db8::1]:8080/x"],
    ["intranet", "intranet"],
  ];
  for (const [raw, expected] of normalized) {
    it(`"${raw}" → "${expected}"`, () => {
      expect(validateEgressPolicy({ mode: "allow-list", allow: [raw] }).allow).toEqual([expected]);
    });
  }

  const refused: Array<[string, RegExp]> = [
    ["", /is empty/],
    ["https://api.example.com", /leave out the scheme/],
    ["api.example.com/v1?key=1", /query string/],
    ["api.example.com/#x", /fragment/],
    ["user@api.example.com", /user names or passwords/],
    ["api example.com", /spaces/],
    ["a.*.example.com", /wildcard may only be the first label/],
    ["*.com", /whole top-level domain/],
    ["*.10.0.0.1", /cannot cover an IP address/],
    ["api.example.com:0", /port "0" must be a number from 1 to 65535/],
    ["api.example.com:99999", /port/],
    ["api.example.com:http", /port "http"/],
    ["2001:db8::1", /brackets/],
    ["[zz::1]", /not an IPv6 address/],
    ["-bad-.example.com", /not a valid host name/],
    ["api.example.com/v1/../admin", /"\." or "\.\." segments/],
    ["api.example.com/v1/%2e%2e/admin", /"\." or "\.\." segments/],
    ["api.example.com/v1%2Fadmin", /encoded\) slashes/],
    ["api.example.com/a\\b", /encoded\) slashes/],
    [`${"a".repeat(64)}.example.com`, /not a valid host name/],
    [`x.com/${"a".repeat(300)}`, /longer than 300/],
  ];
  for (const [raw, reason] of refused) {
    it(`refuses "${raw.slice(0, 40)}": ${reason.source}`, () => {
      expect(() => parseAllowEntry(raw)).toThrow(reason);
      const error = captured(() =>
        validateEgressPolicy({ mode: "allow-list", allow: ["ok.example.com", raw] }),
      );
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe("bad_request");
      expect((error as DomainError).message).toMatch(/^allow\[1\] "/);
      expect((error as DomainError).details).toEqual({ field: "allow[1]" });
    });
  }
});

describe("private grants as an operator writes them", () => {
  const normalized: Array<[string, string]> = [
    ["10.0.0.0/8", "10.0.0.0/8"],
    ["127.0.0.1", "127.0.0.1"],
    ["FD00::/8", "fd00::/8"],
    ["fd00:0::1", "fd00::1"],
    ["[::1]", "::1"],
    ["[::1]:8080", "[::1]:8080"],
    ["Intranet.Local", "intranet.local"],
    ["db.local:5432", "db.local:5432"],
    ["*.corp.example", "*.corp.example"],
  ];
  for (const [raw, expected] of normalized) {
    it(`"${raw}" → "${expected}"`, () => expect(parsePrivateGrant(raw)).toBe(expected));
  }
  const refused: Array<[string, RegExp]> = [
    ["10.0.0.1/8", /host bits are set: did you mean 10\.0\.0\.0\/8\?/],
    ["fd00::1/8", /did you mean fd00::\/8\?/],
    ["10.0.0.0/33", /prefix length must be from 0 to 32/],
    ["nonsense/8", /is not an IP address/],
    ["http://10.0.0.1/", /not a URL/],
    ["10.0.0.1/x", /not a URL/],
    ["", /is empty/],
  ];
  for (const [raw, reason] of refused) {
    it(`refuses "${raw}": ${reason.source}`, () => expect(() => parsePrivateGrant(raw)).toThrow(reason));
  }
});

describe("policy validation", () => {
  const refused: Array<[Record<string, unknown>, RegExp]> = [
    [{}, /mode must be one of: any-public, allow-list \(got undefined\)/],
    [{ mode: "open" }, /mode must be one of/],
    [{ mode: "allow-list", allow: "x.com" }, /allow must be an array of strings/],
    [{ mode: "allow-list", allow: [1] }, /allow\[0\] must be a string/],
    [{ mode: "allow-list", allow: Array(201).fill("x.com") }, /at most 200 entries \(got 201\)/],
    [{ mode: "any-public", timeoutMs: 50 }, /timeoutMs must be an integer from 100 to 30000 ms/],
    [{ mode: "any-public", timeoutMs: 1.5 }, /timeoutMs must be an integer/],
    [{ mode: "any-public", maxResponseBytes: 10 }, /maxResponseBytes must be an integer from 1024/],
    [{ mode: "any-public", privateGrants: ["10.0.0.1/8"] }, /privateGrants\[0\] "10\.0\.0\.1\/8": host bits/],
  ];
  for (const [input, reason] of refused) {
    it(`refuses ${JSON.stringify(input).slice(0, 60)}`, () => {
      expect(() => validateEgressPolicy(input)).toThrow(reason);
    });
  }

  it("drops duplicates after normalizing and keeps null limits", () => {
    expect(
      validateEgressPolicy({
        mode: "allow-list",
        allow: ["API.example.com", "api.example.com.", "x.example.com"],
        privateGrants: ["10.0.0.0/8", "10.0.0.0/8"],
      }),
    ).toEqual({
      mode: "allow-list",
      allow: ["api.example.com", "x.example.com"],
      privateGrants: ["10.0.0.0/8"],
      timeoutMs: null,
      maxResponseBytes: null,
    });
  });
});

describe("what the rules decide for a URL", () => {
  const target = (raw: string): OutboundTarget => {
    const url = new URL(raw);
    return {
      url,
      hostname: url.hostname.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, ""),
      port: url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80,
      path: normalizePath(url.pathname),
    };
  };
  const rules = new EgressRules(
    validateEgressPolicy({
      mode: "allow-list",
      allow: [
        "api.example.com/v1",
        "files.example.com/pub/",
        "*.cdn.example",
        "ports.example:8443",
        "[2001:db8::5]",
      ],
    }),
  );
  const cases: Array<[string, RegExp | null]> = [
    ["https://api.example.com/v1", null],
    ["https://api.example.com/v1/users?page=2", null],
    ["https://API.EXAMPLE.COM./v1/users", null],
    ["https://api.example.com/v1/../admin", /path "\/admin" .* outside the allowed path prefixes \(\/v1\)/],
    ["https://api.example.com/v1/%2e%2e/admin", /path "\/admin"/],
    ["https://api.example.com/v1/..%2fadmin", /encoded slash/],
    ["https://api.example.com/v1%2Fadmin", /encoded slash/],
    ["https://api.example.com/v10", /outside the allowed path prefixes/],
    ["https://api.example.com/%76%31/x", null],
    ["https://api.example.com/", /outside the allowed path prefixes/],
    ["https://files.example.com/pub/a.txt", null],
    ["https://files.example.com/pub", /outside/],
    ["https://img.cdn.example/a.png", null],
    ["https://a.b.cdn.example/a.png", null],
    ["https://cdn.example/a.png", /cdn\.example is not on its allow-list/],
    ["https://ports.example:8443/", null],
    ["https://ports.example/", /not on its allow-list/],
    ["http://[2001:db8::5]/x", null],
    ["https://evil.example.net/v1", /evil\.example\.net is not on its allow-list/],
    ["https://api.example.com.evil.net/v1", /not on its allow-list/],
  ];
  for (const [url, refusal] of cases) {
    it(`${url} → ${refusal ? "refused" : "allowed"}`, () => {
      const outcome = rules.refusal(target(url));
      if (refusal === null) expect(outcome).toBeNull();
      else expect(outcome).toMatch(refusal);
    });
  }

  it("lets any URL through in any-public mode (addresses are still checked)", () => {
    const open = new EgressRules(validateEgressPolicy({ mode: "any-public", allow: ["only.example"] }));
    expect(open.refusal(target("https://anything.example.org/x"))).toBeNull();
  });

  it("adds the instance's and the company config's grants to the policy's own", () => {
    const withGrants = new EgressRules(
      validateEgressPolicy({ mode: "any-public", privateGrants: ["10.0.0.0/8"] }),
      ["127.0.0.1"],
    );
    expect(withGrants.grantsPrivate("a", 80, "10.1.1.1")).toBe(true);
    expect(withGrants.grantsPrivate("a", 80, "127.0.0.1")).toBe(true);
    expect(withGrants.grantsPrivate("a", 80, "192.168.0.1")).toBe(false);
  });
});

function captured(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}
