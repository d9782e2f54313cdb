/**
 * Route checks across and within plugins. Page routes (`/:company/<routePath>`) share one
 * namespace for every installed plugin, so a routePath may be claimed by one plugin only.
 * Scoped API routes are mounted per plugin (`/api/plugins/:pluginId/api/*`), so they cannot
 * collide with another plugin's; within one plugin two routes whose paths differ only in
 * parameter names (`/items/:id` vs `/items/:itemId`) would match the same requests.
 */
import {
  asArray,
  asRecord,
  asString,
  issue,
  type PluginValidationIssue,
  uiSlotsOf,
} from "./validation-issues.js";

/** An installed plugin, as the registry knows it. */
export interface ExistingPlugin {
  pluginKey: string;
  /** Its stored manifest (read defensively: an older record may not match today's rules). */
  manifest: unknown;
}

/** Slot types whose routePath names a route that may exist once per plugin. */
const ROUTED_SLOT_TYPES = ["page", "routeSidebar"];

export function checkPageRoutes(
  manifest: unknown,
  pluginKey: string | undefined,
  existingPlugins: readonly ExistingPlugin[],
): PluginValidationIssue[] {
  const issues: PluginValidationIssue[] = [];
  const slots = uiSlotsOf(manifest);

  // Within the plugin: one page and one routeSidebar per routePath.
  for (const slotType of ROUTED_SLOT_TYPES) {
    const seen = new Map<string, string>();
    for (const { path, slot } of slots) {
      const routePath = asString(slot.routePath);
      if (slot.type !== slotType || routePath === undefined) continue;
      const first = seen.get(routePath);
      if (first === undefined) {
        seen.set(routePath, path);
        continue;
      }
      issues.push(
        issue(
          `${path}.routePath`,
          "route_path_duplicate",
          `${path}.routePath "${routePath}" is already used by ${first} (a plugin may declare one ${slotType} ` +
            "slot per routePath)",
        ),
      );
    }
  }

  // Across plugins: a page routePath belongs to one plugin. The plugin itself (same key: a
  // reinstall or upgrade) does not collide with its own earlier version.
  const claimed = new Map<string, string>();
  for (const existing of existingPlugins) {
    if (existing.pluginKey === pluginKey) continue;
    for (const { slot } of uiSlotsOf(existing.manifest)) {
      const routePath = asString(slot.routePath);
      if (slot.type === "page" && routePath !== undefined && !claimed.has(routePath)) {
        claimed.set(routePath, existing.pluginKey);
      }
    }
  }
  for (const { path, slot } of slots) {
    const routePath = asString(slot.routePath);
    if (slot.type !== "page" || routePath === undefined) continue;
    const owner = claimed.get(routePath);
    if (owner !== undefined) {
      issues.push(
        issue(
          `${path}.routePath`,
          "route_path_collision",
          `${path}.routePath "${routePath}" is already the page route of installed plugin "${owner}"`,
        ),
      );
    }
  }
  return issues;
}

/** Routes of one plugin that would match the same requests (same method, same shape). */
export function checkApiRoutes(manifest: unknown): PluginValidationIssue[] {
  const issues: PluginValidationIssue[] = [];
  const seen = new Map<string, { path: string; routePath: string }>();
  asArray(asRecord(manifest)?.apiRoutes).forEach((entry, index) => {
    const route = asRecord(entry);
    const method = asString(route?.method);
    const routePath = asString(route?.path);
    if (method === undefined || routePath === undefined) return;
    const shape = `${method} ${routeShape(routePath)}`;
    const first = seen.get(shape);
    if (first === undefined) {
      seen.set(shape, { path: `apiRoutes[${index}]`, routePath });
      return;
    }
    // Identical `METHOD path` pairs are the SDK rule's duplicate_key; report only the subtler case.
    if (first.routePath === routePath) return;
    issues.push(
      issue(
        `apiRoutes[${index}].path`,
        "api_route_ambiguous",
        `apiRoutes[${index}].path "${method} ${routePath}" matches the same requests as ${first.path} ` +
          `("${method} ${first.routePath}"); parameter names do not distinguish routes`,
      ),
    );
  });
  return issues;
}

/** `/items/:id/` → `/items/:/`: parameter names and a trailing slash do not change what matches. */
function routeShape(routePath: string): string {
  const trimmed = routePath.length > 1 ? routePath.replace(/\/+$/, "") : routePath;
  return trimmed
    .split("/")
    .map((segment) => (segment.startsWith(":") ? ":" : segment))
    .join("/");
}
