import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  compareSemver,
  formatNpmSpec,
  isSemverRange,
  PluginSpecError,
  type PluginSpecInput,
  parsePluginSpec,
  parseSemver,
} from "../../src/plugins/installer/index.js";

const BASE = "/srv/plugins-src";

function parse(input: PluginSpecInput) {
  return parsePluginSpec(input, { baseDir: BASE });
}

function specError(input: PluginSpecInput): PluginSpecError {
  try {
    parse(input);
  } catch (error) {
    expect(error).toBeInstanceOf(PluginSpecError);
    return error as PluginSpecError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe("parsePluginSpec: registry packages", () => {
  it("defaults a bare name to the latest tag", () => {
    expect(parse({ packageName: "paperclip-plugin-slack" })).toEqual({
      kind: "registry",
      name: "paperclip-plugin-slack",
      tag: "latest",
    });
  });

  it("reads an exact version or a range written after the name", () => {
    expect(parse({ packageName: "paperclip-plugin-slack@1.2.3" })).toEqual({
      kind: "registry",
      name: "paperclip-plugin-slack",
      versionRange: "1.2.3",
    });
    expect(parse({ packageName: "paperclip-plugin-slack@^1.2.0" })).toMatchObject({ versionRange: "^1.2.0" });
  });

  it("splits a scoped name from its tag at the second @", () => {
    expect(parse({ packageName: "@acme/plugin-linear@beta" })).toEqual({
      kind: "registry",
      name: "@acme/plugin-linear",
      tag: "beta",
    });
    expect(parse({ packageName: "@acme/plugin-linear" })).toEqual({
      kind: "registry",
      name: "@acme/plugin-linear",
      tag: "latest",
    });
  });

  it("takes the version from the separate version field", () => {
    expect(parse({ packageName: "@acme/plugin-linear", version: ">=1.0.0 <2" })).toMatchObject({
      versionRange: ">=1.0.0 <2",
    });
    expect(parse({ packageName: "@acme/plugin-linear", version: "next" })).toMatchObject({ tag: "next" });
  });

  it("formats the spec npm is given", () => {
    expect(formatNpmSpec(parse({ packageName: "@acme/plugin-linear@1.0.0" }))).toBe(
      "@acme/plugin-linear@1.0.0",
    );
    expect(formatNpmSpec(parse({ packageName: "paperclip-plugin-x" }))).toBe("paperclip-plugin-x@latest");
  });
});

describe("parsePluginSpec: paths", () => {
  it("treats a relative .tgz as a tarball resolved against the base folder", () => {
    expect(parse({ packageName: "./dist/plugin-1.0.0.tgz" })).toEqual({
      kind: "tarball",
      path: path.join(BASE, "dist/plugin-1.0.0.tgz"),
    });
  });

  it("treats an absolute folder as a local path and honours isLocalPath", () => {
    expect(parse({ packageName: "/opt/plugins/slack" })).toEqual({
      kind: "local",
      path: "/opt/plugins/slack",
    });
    expect(parse({ packageName: "plugins/slack", isLocalPath: true })).toEqual({
      kind: "local",
      path: path.join(BASE, "plugins/slack"),
    });
  });

  it("accepts file: specs", () => {
    expect(parse({ packageName: "file:../x.tar.gz" })).toEqual({
      kind: "tarball",
      path: path.resolve(BASE, "../x.tar.gz"),
    });
  });
});

describe("parsePluginSpec: malformed requests name the field and the rule", () => {
  const cases: [string, PluginSpecInput, "packageName" | "version" | "isLocalPath", RegExp][] = [
    ["empty name", { packageName: "  " }, "packageName", /packageName is required/],
    ["uppercase", { packageName: "Paperclip-Plugin" }, "packageName", /must be lowercase/],
    ["space", { packageName: "paperclip plugin" }, "packageName", /must not contain spaces/],
    ["leading dot", { packageName: ".hidden" }, "packageName", /must not start with '\.' or '_'/],
    ["leading underscore", { packageName: "_private" }, "packageName", /must not start with '\.' or '_'/],
    ["leading dash", { packageName: "-flag" }, "packageName", /must not start with '-'/],
    ["special characters", { packageName: "plugin!" }, "packageName", /~'!\(\)\*/],
    ["not URL-safe", { packageName: "plugin#1" }, "packageName", /URL-safe/],
    ["reserved", { packageName: "node_modules" }, "packageName", /reserved name/],
    ["too long", { packageName: "a".repeat(215) }, "packageName", /longer than 214/],
    ["bad scope", { packageName: "@acme" }, "packageName", /valid scoped name/],
    ["scope with extra slash", { packageName: "@acme/a/b" }, "packageName", /valid scoped name/],
    ["github shorthand", { packageName: "acme/plugin" }, "packageName", /GitHub shorthands/],
    ["git url", { packageName: "git+https://example.test/x.git" }, "packageName", /git, URL and alias specs/],
    ["npm alias", { packageName: "npm:other@1.0.0" }, "packageName", /git, URL and alias specs/],
    ["bare tarball name", { packageName: "plugin.tgz" }, "packageName", /looks like a tarball/],
    ["empty version after @", { packageName: "plugin@" }, "packageName", /version after "@" is empty/],
    ["bad version", { packageName: "plugin@1.2.3 ???" }, "packageName", /neither a semver range/],
    ["bad version field", { packageName: "plugin", version: "!!" }, "version", /version "!!" is neither/],
    [
      "version twice",
      { packageName: "plugin@1.0.0", version: "2.0.0" },
      "version",
      /already names a version/,
    ],
    ["version with path", { packageName: "./x.tgz", version: "1.0.0" }, "version", /registry packages only/],
    [
      "non-string version",
      { packageName: "plugin", version: 3 as unknown as string },
      "version",
      /must be a string/,
    ],
    [
      "non-boolean isLocalPath",
      { packageName: "plugin", isLocalPath: "yes" as unknown as boolean },
      "isLocalPath",
      /boolean/,
    ],
  ];
  for (const [label, input, field, message] of cases) {
    it(`rejects ${label}`, () => {
      const error = specError(input);
      expect(error.field).toBe(field);
      expect(error.message).toMatch(message);
    });
  }
});

describe("semver helpers", () => {
  it("tells ranges from tags", () => {
    for (const range of [
      "1.2.3",
      "^1.2.0",
      "~1.2",
      "1.x",
      "*",
      ">=1.0.0 <2.0.0",
      "1 || 2",
      "1.2.3 - 2.0.0",
      ">= 1.2.3",
      "v1",
    ]) {
      expect(isSemverRange(range), range).toBe(true);
    }
    for (const tag of ["latest", "beta", "next-2", "canary.1"]) expect(isSemverRange(tag), tag).toBe(false);
  });

  it("compares versions with prerelease precedence", () => {
    const order = [
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0",
      "1.0.1",
      "1.10.0",
      "2.0.0",
    ];
    for (let index = 1; index < order.length; index++) {
      const lower = parseSemver(order[index - 1] as string);
      const higher = parseSemver(order[index] as string);
      expect(lower && higher && compareSemver(lower, higher), `${order[index - 1]} < ${order[index]}`).toBe(
        -1,
      );
    }
    expect(compareSemver(parseSemver("1.0.0+build.1")!, parseSemver("1.0.0")!)).toBe(0);
    expect(parseSemver("1.0")).toBeNull();
    expect(parseSemver("01.0.0")).toBeNull();
  });
});
