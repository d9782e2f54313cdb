/**
 * The operator's allow-list of npm scopes for plugin packages (docs/supply-chain.md). When it is set, only packages
 * whose name is in a listed scope (`@acme/…`) may be installed or upgraded to — whatever the source: a registry name
 * is checked before anything is fetched, and every package (registry, tarball, local folder) again by the name in
 * its own package.json once it is on disk. `unscoped` in the list allows names without a scope.
 */
import { forbidden } from "../../errors.js";

/** Where the operator sets the list, named in every refusal. */
export const ALLOWED_SCOPES_SETTING = "PAPERCLIP_PLUGIN_ALLOWED_SCOPES (pluginAllowedScopes in config.json)";
/** The list entry that allows package names without a scope. */
export const UNSCOPED_ENTRY = "unscoped";

const SCOPE = /^@[a-z0-9][a-z0-9._~-]*$/;

/**
 * The list from a comma-separated string or an array: trimmed, lower-cased, duplicates dropped. Throws an Error
 * naming the first entry that is neither `@scope` nor `unscoped`, or when nothing is left.
 */
export function parseAllowedScopes(value: string | readonly string[]): string[] {
  const entries = (typeof value === "string" ? value.split(",") : [...value])
    .map((entry) => String(entry).trim().toLowerCase())
    .filter((entry) => entry !== "");
  for (const entry of entries) {
    if (entry !== UNSCOPED_ENTRY && !SCOPE.test(entry)) {
      throw new Error(
        `"${entry}" is not an npm scope: write each entry as @scope (for example @acme), or ${UNSCOPED_ENTRY} ` +
          "to allow package names without a scope",
      );
    }
  }
  if (entries.length === 0) {
    throw new Error("the list is empty: name at least one scope, or remove the setting to allow any package");
  }
  return [...new Set(entries)];
}

/** `@acme` for `@acme/plugin-x`, null for an unscoped name. */
export function scopeOf(packageName: string): string | null {
  if (!packageName.startsWith("@")) return null;
  const slash = packageName.indexOf("/");
  return (slash === -1 ? packageName : packageName.slice(0, slash)).toLowerCase();
}

/**
 * Refuses (403, naming the scope and the setting) a package outside the allow-list; `allowedScopes` null or
 * undefined allows every package. `where` says which name was checked ("npm name", "package.json name").
 */
export function checkPackageScope(
  packageName: string,
  allowedScopes: readonly string[] | null | undefined,
  where = "package",
): void {
  if (!allowedScopes) return;
  const scope = scopeOf(packageName);
  if (scope === null ? allowedScopes.includes(UNSCOPED_ENTRY) : allowedScopes.includes(scope)) return;
  const listed = allowedScopes.join(", ");
  const what =
    scope === null
      ? `${where} "${packageName}" has no npm scope, and unscoped packages are not allowed`
      : `${where} "${packageName}" is in the scope ${scope}, which is not allowed`;
  throw forbidden(
    `Plugin install refused: ${what}. Allowed scopes: ${listed} (set by ${ALLOWED_SCOPES_SETTING})`,
    { packageName, scope, allowedScopes: [...allowedScopes], setting: "PAPERCLIP_PLUGIN_ALLOWED_SCOPES" },
  );
}
