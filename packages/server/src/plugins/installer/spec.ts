/**
 * Turns the install request `{packageName, version?, isLocalPath?}` into one of three kinds of
 * source: a registry package (name + range or dist-tag), a tarball file, or a local folder.
 * Everything is checked here so npm is only ever handed a spec we understand (the original
 * derived the install folder from the raw spec and broke on `@scope/name@1.0.0`).
 */
import { homedir } from "node:os";
import path from "node:path";
import { PluginSpecError } from "./errors.js";
import { isSemverRange } from "./semver.js";

export interface PluginSpecInput {
  /** npm name (optionally with `@range`/`@tag`), a tarball path, or a folder path. */
  packageName: string;
  /** Version range or dist-tag for a registry package. */
  version?: string | undefined;
  /** The caller says `packageName` is a path on this machine. */
  isLocalPath?: boolean | undefined;
}

export type PluginSpec =
  | { kind: "registry"; name: string; versionRange: string; tag?: undefined }
  | { kind: "registry"; name: string; tag: string; versionRange?: undefined }
  | { kind: "tarball"; path: string }
  | { kind: "local"; path: string };

export interface ParsePluginSpecOptions {
  /** Folder that relative paths are resolved against (default: the process's working directory). */
  baseDir?: string;
}

const MAX_NAME_LENGTH = 214;
const RESERVED_NAMES = new Set(["node_modules", "favicon.ico"]);
const TARBALL_SUFFIXES = [".tgz", ".tar.gz", ".tar"];
const UNSUPPORTED_PROTOCOLS =
  /^(?:git\+|git:|github:|gitlab:|bitbucket:|gist:|https?:|npm:|link:|workspace:)/i;
const DIST_TAG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Parses and checks an install request. Throws {@link PluginSpecError} naming the field and the rule. */
export function parsePluginSpec(input: PluginSpecInput, options: ParsePluginSpecOptions = {}): PluginSpec {
  if (input === null || typeof input !== "object") {
    throw new PluginSpecError("packageName", "Install request must be an object with a packageName");
  }
  const { packageName, version, isLocalPath } = input;
  if (typeof packageName !== "string" || packageName.trim() === "") {
    throw new PluginSpecError("packageName", "packageName is required and must be a non-empty string");
  }
  if (version !== undefined && version !== null && typeof version !== "string") {
    throw new PluginSpecError("version", "version must be a string (a semver range or a dist-tag)");
  }
  if (isLocalPath !== undefined && isLocalPath !== null && typeof isLocalPath !== "boolean") {
    throw new PluginSpecError("isLocalPath", "isLocalPath must be a boolean");
  }
  const raw = packageName.trim();
  const baseDir = options.baseDir ?? process.cwd();

  if (isLocalPath === true || looksLikePath(raw)) {
    if (version !== undefined && version !== null && version.trim() !== "") {
      throw new PluginSpecError(
        "version",
        `version "${version}" cannot be combined with the path "${raw}": versions apply to registry packages only`,
      );
    }
    const resolved = resolveUserPath(raw, baseDir);
    return isTarballPath(resolved) ? { kind: "tarball", path: resolved } : { kind: "local", path: resolved };
  }

  if (UNSUPPORTED_PROTOCOLS.test(raw)) {
    throw new PluginSpecError(
      "packageName",
      `packageName "${raw}": git, URL and alias specs are not supported; use an npm package name ` +
        "(optionally name@version), a tarball file (.tgz) or a local folder path",
    );
  }
  if (isTarballPath(raw)) {
    throw new PluginSpecError(
      "packageName",
      `packageName "${raw}" looks like a tarball file; give it as a path (./${raw} or an absolute path)`,
    );
  }

  const { name, embeddedVersion } = splitNameAndVersion(raw);
  checkPackageName(name, raw);
  if (embeddedVersion !== undefined && version !== undefined && version !== null && version.trim() !== "") {
    throw new PluginSpecError(
      "version",
      `packageName "${raw}" already names a version ("${embeddedVersion}"); do not pass version "${version}" as well`,
    );
  }
  const wanted = embeddedVersion ?? (version?.trim() || undefined);
  if (wanted === undefined) return { kind: "registry", name, tag: "latest" };
  const field = embeddedVersion === undefined ? "version" : "packageName";
  if (wanted === "") {
    throw new PluginSpecError(field, `${field} "${raw}": the version after "@" is empty`);
  }
  if (isSemverRange(wanted)) return { kind: "registry", name, versionRange: wanted };
  if (DIST_TAG.test(wanted)) return { kind: "registry", name, tag: wanted };
  throw new PluginSpecError(
    field,
    `${field} "${wanted}" is neither a semver range (e.g. 1.2.3, ^1.2.0) nor a dist-tag ` +
      "(letters, digits, '.', '_' and '-', starting with a letter or digit)",
  );
}

/** The spec string handed to `npm pack`: `name@range`, `name@tag` or an absolute tarball path. */
export function formatNpmSpec(spec: PluginSpec): string {
  switch (spec.kind) {
    case "registry":
      return `${spec.name}@${spec.versionRange ?? spec.tag}`;
    case "tarball":
    case "local":
      return spec.path;
  }
}

function looksLikePath(raw: string): boolean {
  return (
    raw.startsWith("./") ||
    raw.startsWith("../") ||
    raw === "." ||
    raw === ".." ||
    raw.startsWith("/") ||
    raw.startsWith("~/") ||
    raw.startsWith("file:") ||
    raw.includes("\\") ||
    /^[A-Za-z]:[\\/]/.test(raw)
  );
}

function resolveUserPath(raw: string, baseDir: string): string {
  let value = raw.startsWith("file:") ? raw.slice("file:".length) : raw;
  if (value.startsWith("//")) value = value.slice(2); // file:///abs → /abs
  if (value === "~" || value.startsWith("~/")) value = path.join(homedir(), value.slice(1));
  if (value === "") throw new PluginSpecError("packageName", `packageName "${raw}": the path is empty`);
  return path.resolve(baseDir, value);
}

function isTarballPath(value: string): boolean {
  const lower = value.toLowerCase();
  return TARBALL_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

function splitNameAndVersion(raw: string): { name: string; embeddedVersion?: string } {
  // The version separator is the first "@" that is not the scope marker at position 0.
  const at = raw.indexOf("@", raw.startsWith("@") ? 1 : 0);
  if (at === -1) return { name: raw };
  return { name: raw.slice(0, at), embeddedVersion: raw.slice(at + 1).trim() };
}

/** npm's naming rules for new packages (the ones `npm publish` enforces today). */
function checkPackageName(name: string, raw: string): void {
  const fail = (rule: string): never => {
    throw new PluginSpecError("packageName", `packageName "${raw}": package name "${name}" ${rule}`);
  };
  if (name === "") fail("is empty");
  if (name.length > MAX_NAME_LENGTH) fail(`is longer than ${MAX_NAME_LENGTH} characters`);
  if (name !== name.trim() || /\s/.test(name)) fail("must not contain spaces");
  if (name.startsWith(".") || name.startsWith("_")) fail("must not start with '.' or '_'");
  if (name.startsWith("-")) fail("must not start with '-'");
  if (name !== name.toLowerCase()) fail("must be lowercase");
  if (/[~'!()*]/.test(name)) fail("must not contain any of the characters ~'!()*");
  if (RESERVED_NAMES.has(name)) fail("is a reserved name");

  if (name.startsWith("@")) {
    const scoped = /^@([^/]+)\/([^/]+)$/.exec(name);
    if (!scoped) fail("is not a valid scoped name (expected @scope/name)");
    const [, scope, bare] = scoped as RegExpExecArray;
    if (!isUrlSafe(scope as string) || !isUrlSafe(bare as string))
      fail("must contain only URL-safe characters");
    if ((bare as string).startsWith(".") || (bare as string).startsWith("_")) {
      fail("must not start with '.' or '_' after the scope");
    }
    return;
  }
  if (name.includes("/")) {
    fail("contains '/': GitHub shorthands (owner/repo) are not supported; scoped names start with '@'");
  }
  if (!isUrlSafe(name)) fail("must contain only URL-safe characters");
}

function isUrlSafe(part: string): boolean {
  return encodeURIComponent(part) === part;
}
