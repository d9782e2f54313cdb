// `GET /api/plugins/ui-contributions` (reference §10.2): what the board needs to load each ready plugin's UI
// bundle and mount it — its slots and launchers (legacy top-level `launchers` first, then `ui.launchers`).
import { createHash } from "node:crypto";
import type { PluginLauncherDeclaration, PluginUiSlotDeclaration } from "@paperclipai/plugin-sdk/types";
import type { PluginRecord } from "../registry/index.js";
import { DEFAULT_UI_ISOLATION, type UiIsolationMode } from "./isolation.js";

export interface PluginUiContribution {
  pluginId: string;
  pluginKey: string;
  displayName: string;
  version: string;
  updatedAt: string;
  /**
   * Names the UI bundle's build: it changes when the package's content does (an upgrade, a reinstall, a dev-mode
   * rebuild), not when the row does (a status write, a recorded error). The board keys its module URL and its
   * sandboxed frame on it, so a running plugin UI keeps its state across unrelated writes — the published board
   * keys on `updatedAt` and remounts the plugin's UI on every one.
   */
  uiBuild: string;
  /** Always `index.js` inside `entrypoints.ui` (the board loads `/_plugins/<id>/ui/index.js?v=<uiBuild>`). */
  uiEntryFile: "index.js";
  slots: PluginUiSlotDeclaration[];
  launchers: PluginLauncherDeclaration[];
  /** How the board mounts it: in the board (`same-origin`) or in a sandboxed iframe (isolation.ts). */
  uiIsolation: UiIsolationMode;
}

/** The contribution of a ready plugin, or null when it declares no slot and no launcher. */
export function uiContributionOf(
  record: PluginRecord,
  uiIsolation: UiIsolationMode = DEFAULT_UI_ISOLATION,
  /** The package digest recorded for its files (lifecycle/package-integrity.ts), when there is one. */
  packageDigest: string | null = null,
): PluginUiContribution | null {
  if (record.status !== "ready") return null;
  const manifest = record.manifestJson;
  const slots = manifest.ui?.slots ?? [];
  const launchers = [...(manifest.launchers ?? []), ...(manifest.ui?.launchers ?? [])];
  if (slots.length === 0 && launchers.length === 0) return null;
  return {
    pluginId: record.id,
    pluginKey: record.pluginKey,
    displayName: manifest.displayName,
    version: record.version,
    updatedAt: record.updatedAt,
    uiBuild: packageDigest
      ? `${record.version}-${createHash("sha256").update(packageDigest).digest("hex").slice(0, 12)}`
      : record.updatedAt,
    uiEntryFile: "index.js",
    slots,
    launchers,
    uiIsolation,
  };
}
