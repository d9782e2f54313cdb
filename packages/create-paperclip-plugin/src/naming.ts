// Package names, manifest ids and labels derived from the name the author types.

const UNSCOPED_NAME = /^[a-z0-9._-]+$/;
const SCOPED_NAME = /^@[a-z0-9_-]+\/[a-z0-9._-]+$/;
/** The host's manifest id rule (reference §1.2). */
const MANIFEST_ID = /^[a-z0-9][a-z0-9._-]*$/;
const NPM_NAME_MAX = 214;

export class ScaffoldError extends Error {
  override readonly name = "ScaffoldError";
}

/**
 * Why `name` cannot be a plugin's package name, or null when it can. The message names the rule and an example
 * that passes it.
 */
export function packageNameProblem(name: string): string | null {
  const fix = 'use lowercase letters, digits, ".", "_" and "-", e.g. "acme-sync" or "@acme/plugin-sync"';
  if (name.length === 0) return `the plugin name is empty: ${fix}`;
  if (name.length > NPM_NAME_MAX) return `"${name}" is longer than npm's ${NPM_NAME_MAX} characters`;
  if (!UNSCOPED_NAME.test(name) && !SCOPED_NAME.test(name)) {
    return `"${name}" is not a valid plugin package name: ${fix}`;
  }
  const bare = unscopedName(name);
  if (bare.startsWith(".") || bare.startsWith("_")) {
    return `"${name}" starts with "${bare[0]}", which npm refuses: ${fix}`;
  }
  const id = manifestIdFor(name);
  if (!MANIFEST_ID.test(id)) {
    return `"${name}" gives the manifest id "${id}", which must start with a lowercase letter or digit: ${fix}`;
  }
  return null;
}

/** The name without its `@scope/`. */
export function unscopedName(name: string): string {
  return name.startsWith("@") ? name.slice(name.indexOf("/") + 1) : name;
}

/** The manifest id: the package name, with `@scope/x` written `scope.x` (reference §13.4). */
export function manifestIdFor(name: string): string {
  return name.startsWith("@") ? name.slice(1).replace("/", ".") : name;
}

/** "acme-sync" → "Acme Sync": the default display name. */
export function displayNameFor(name: string): string {
  const words = unscopedName(name)
    .replace(/^(paperclip-)?plugin-/, "")
    .split(/[._-]+/)
    .filter(Boolean);
  return words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join(" ") || "My Plugin";
}

/** One lowercase URL segment for the UI template's page, unique per plugin id. */
export function routePathFor(id: string): string {
  return id.replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "plugin";
}
