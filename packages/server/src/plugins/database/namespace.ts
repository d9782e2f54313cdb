// The PostgreSQL schema a plugin's `manifest.database` gets (reference §1.3): `plugin_<slug>_<sha256(key)[0:10]>`,
// the slug taken from `namespaceSlug` or the plugin key, sanitized to [a-z0-9_] and cut to 36 characters. Published
// plugins hard-code this name in their migration files, so it must match the original exactly.
import { createHash } from "node:crypto";
import type { PaperclipPluginManifestV1 } from "@paperclipai/plugin-sdk/types";

export const NAMESPACE_SLUG_MAX = 36;

export function sanitizeNamespaceSlug(value: string): string {
  const slug = value
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, NAMESPACE_SLUG_MAX)
    .replace(/_+$/g, "");
  return slug === "" ? "plugin" : slug;
}

export function derivePluginDatabaseNamespace(pluginKey: string, namespaceSlug?: string | null): string {
  const hash = createHash("sha256").update(pluginKey).digest("hex").slice(0, 10);
  return `plugin_${sanitizeNamespaceSlug(namespaceSlug || pluginKey)}_${hash}`;
}

/** The namespace of a manifest that declares `database`, else null (sent as `databaseNamespace` in initialize). */
export function databaseNamespaceOf(manifest: PaperclipPluginManifestV1): string | null {
  const declared = manifest.database;
  if (!declared) return null;
  return derivePluginDatabaseNamespace(manifest.id, declared.namespaceSlug);
}

/** `"name"` with embedded quotes doubled: the only way this host puts a schema or role name into SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
