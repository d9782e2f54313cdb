/**
 * Install-time capability consistency (inventory §2.3): every declared feature, UI slot
 * type and launcher placement zone needs a capability. The host calls
 * `getRequiredManifestCapabilities` before installing and refuses a manifest that lacks any.
 */
import {
  PLUGIN_FEATURE_CAPABILITIES,
  PLUGIN_LAUNCHER_ZONE_CAPABILITIES,
  PLUGIN_UI_SLOT_CAPABILITIES,
  type PluginCapability,
  type PluginCapabilityFeature,
} from "../constants.js";
import type { PaperclipPluginManifestV1 } from "../types/manifest.js";

/** Every capability the manifest's declarations need, in first-needed order, without repeats. */
export function getNeededManifestCapabilities(manifest: PaperclipPluginManifestV1): PluginCapability[] {
  const needed = new Set<PluginCapability>();
  for (const feature of Object.keys(PLUGIN_FEATURE_CAPABILITIES) as PluginCapabilityFeature[]) {
    const value = manifest[feature];
    const declared = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
    if (!declared) continue;
    for (const capability of PLUGIN_FEATURE_CAPABILITIES[feature]) needed.add(capability);
  }
  for (const slot of manifest.ui?.slots ?? []) {
    const capability = PLUGIN_UI_SLOT_CAPABILITIES[slot.type];
    if (capability) needed.add(capability);
  }
  for (const launcher of [...(manifest.launchers ?? []), ...(manifest.ui?.launchers ?? [])]) {
    const capability = PLUGIN_LAUNCHER_ZONE_CAPABILITIES[launcher.placementZone];
    if (capability) needed.add(capability);
  }
  return [...needed];
}

/**
 * The capabilities the manifest's declared features, slots and launchers need but its
 * `capabilities` list does not grant. Empty when the manifest is consistent.
 */
export function getRequiredManifestCapabilities(manifest: PaperclipPluginManifestV1): PluginCapability[] {
  const granted = new Set<string>(manifest.capabilities);
  return getNeededManifestCapabilities(manifest).filter((capability) => !granted.has(capability));
}
