// The UI contributions the board receives from `GET /api/plugins/ui-contributions` (reference §10.2) and
// pure helpers to pick the slots and launchers of one surface, in a stable order (manifest `order`, then
// display name, then plugin).
import type { PluginLauncherDeclaration, PluginUiSlotDeclaration } from "@paperclipai/plugin-sdk/types";

export interface PluginUiContribution {
  pluginId: string;
  pluginKey: string;
  displayName: string;
  version: string;
  updatedAt: string;
  /** Changes with the bundle's content only (server: plugins/ui/contributions.ts); absent on older hosts. */
  uiBuild?: string;
  uiEntryFile: string;
  slots: PluginUiSlotDeclaration[];
  launchers: PluginLauncherDeclaration[];
  /** How to mount it: imported into the board, or in a sandboxed iframe (sandbox/, docs/plugin-ui-sandbox.md). */
  uiIsolation?: PluginUiIsolationMode;
}

/** What names the bundle's build: a new value loads fresh code (and remounts the plugin's UI). */
export function uiBuildOf(contribution: PluginUiContribution): string {
  return contribution.uiBuild || contribution.updatedAt || contribution.version;
}

export type PluginUiIsolationMode = "same-origin" | "sandboxed";

export interface SlotMount {
  contribution: PluginUiContribution;
  slot: PluginUiSlotDeclaration;
}

export interface LauncherMount {
  contribution: PluginUiContribution;
  launcher: PluginLauncherDeclaration;
}

function byOrder<T extends { order?: number; displayName: string }>(
  a: { item: T; plugin: string },
  b: { item: T; plugin: string },
): number {
  const orderA = a.item.order ?? Number.MAX_SAFE_INTEGER;
  const orderB = b.item.order ?? Number.MAX_SAFE_INTEGER;
  if (orderA !== orderB) return orderA - orderB;
  return a.item.displayName.localeCompare(b.item.displayName) || a.plugin.localeCompare(b.plugin);
}

/** Slots of `type` (for `entityType` when given: slots without `entityTypes` match any entity). */
export function slotsOfType(
  contributions: readonly PluginUiContribution[],
  type: PluginUiSlotDeclaration["type"],
  entityType?: string | null,
): SlotMount[] {
  const found: { item: PluginUiSlotDeclaration; plugin: string; contribution: PluginUiContribution }[] = [];
  for (const contribution of contributions) {
    for (const slot of contribution.slots) {
      if (slot.type !== type) continue;
      if (entityType && slot.entityTypes && !(slot.entityTypes as readonly string[]).includes(entityType))
        continue;
      found.push({ item: slot, plugin: contribution.pluginKey, contribution });
    }
  }
  return found.sort(byOrder).map(({ item, contribution }) => ({ contribution, slot: item }));
}

/** Launchers placed in `zone` (entity filtering as for slots). */
export function launchersInZone(
  contributions: readonly PluginUiContribution[],
  zone: PluginLauncherDeclaration["placementZone"],
  entityType?: string | null,
): LauncherMount[] {
  const found: { item: PluginLauncherDeclaration; plugin: string; contribution: PluginUiContribution }[] = [];
  for (const contribution of contributions) {
    for (const launcher of contribution.launchers) {
      if (launcher.placementZone !== zone) continue;
      if (
        entityType &&
        launcher.entityTypes &&
        !(launcher.entityTypes as readonly string[]).includes(entityType)
      )
        continue;
      found.push({ item: launcher, plugin: contribution.pluginKey, contribution });
    }
  }
  return found.sort(byOrder).map(({ item, contribution }) => ({ contribution, launcher: item }));
}

/** The `plugin.ui.updated` live event (reference §10.2). */
export interface PluginUiUpdatedEvent {
  type: "plugin.ui.updated";
  payload: {
    pluginId: string;
    action: "installed" | "uninstalled" | "enabled" | "disabled" | "upgraded" | string;
  };
}

export function isPluginUiUpdatedEvent(value: unknown): value is PluginUiUpdatedEvent {
  if (typeof value !== "object" || value === null) return false;
  const { type, payload } = value as { type?: unknown; payload?: { pluginId?: unknown } };
  return type === "plugin.ui.updated" && typeof payload?.pluginId === "string";
}
