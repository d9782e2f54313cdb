/**
 * Capability consistency (inventory §2.3): every declared feature, UI slot and launcher needs a
 * capability. The SDK's `getRequiredManifestCapabilities` is the authority on a valid manifest;
 * here each missing capability is attributed to the first declaration that needs it, so the
 * error names a field. On a manifest that failed other rules the same attribution runs on the
 * raw data, so an author sees the capability problems in the same report.
 */
import {
  getRequiredManifestCapabilities,
  type PaperclipPluginManifestV1,
  PLUGIN_FEATURE_CAPABILITIES,
  PLUGIN_LAUNCHER_ZONE_CAPABILITIES,
  PLUGIN_UI_SLOT_CAPABILITIES,
} from "@paperclipai/plugin-sdk/types";
import {
  asArray,
  asRecord,
  asString,
  issue,
  type PluginValidationIssue,
  uiSlotsOf,
} from "./validation-issues.js";

interface CapabilityNeed {
  capability: string;
  /** The declaration that needs it, e.g. `jobs` or `ui.slots[0]`. */
  path: string;
  what: string;
}

export function checkCapabilityConsistency(
  raw: unknown,
  validManifest: PaperclipPluginManifestV1 | null,
  alreadyReported: readonly PluginValidationIssue[],
): PluginValidationIssue[] {
  const needs = capabilityNeeds(raw);
  let missing: string[];
  if (validManifest) {
    missing = getRequiredManifestCapabilities(validManifest);
  } else {
    const granted = new Set(
      asArray(asRecord(raw)?.capabilities).filter((value) => typeof value === "string"),
    );
    missing = [...new Set(needs.map((need) => need.capability))].filter(
      (capability) => !granted.has(capability),
    );
  }
  // The SDK's schema already reports some features (jobs, tools, …); do not say it twice.
  const reported = (capability: string) =>
    alreadyReported.some(
      (entry) => entry.rule === "capability_required" && entry.message.includes(`"${capability}"`),
    );
  return missing
    .filter((capability) => !reported(capability))
    .map((capability) => {
      const need = needs.find((candidate) => candidate.capability === capability);
      return issue(
        need?.path ?? "capabilities",
        "capability_required",
        `${need ? `${need.path} (${need.what})` : "a declaration"} needs capability "${capability}", ` +
          "which is missing from capabilities",
      );
    });
}

/** Every capability the declarations in `raw` need, with the first declaration needing each. */
function capabilityNeeds(raw: unknown): CapabilityNeed[] {
  const record = asRecord(raw);
  if (!record) return [];
  const needs: CapabilityNeed[] = [];
  for (const [feature, capabilities] of Object.entries(PLUGIN_FEATURE_CAPABILITIES)) {
    const value = record[feature];
    const declared = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
    if (!declared) continue;
    for (const capability of capabilities)
      needs.push({ capability, path: feature, what: `declares ${feature}` });
  }
  const slotCapabilities = PLUGIN_UI_SLOT_CAPABILITIES as Readonly<Record<string, string | undefined>>;
  for (const { path, slot } of uiSlotsOf(raw)) {
    const type = asString(slot.type);
    const capability = type === undefined ? undefined : slotCapabilities[type];
    if (capability) needs.push({ capability, path, what: `a ${type} slot` });
  }
  const zoneCapabilities = PLUGIN_LAUNCHER_ZONE_CAPABILITIES as Readonly<Record<string, string | undefined>>;
  const launcherLists: [string, unknown][] = [
    ["launchers", record.launchers],
    ["ui.launchers", asRecord(record.ui)?.launchers],
  ];
  for (const [listPath, list] of launcherLists) {
    asArray(list).forEach((launcher, index) => {
      const zone = asString(asRecord(launcher)?.placementZone);
      const capability = zone === undefined ? undefined : zoneCapabilities[zone];
      if (capability)
        needs.push({ capability, path: `${listPath}[${index}]`, what: `a launcher in the ${zone} zone` });
    });
  }
  return needs;
}
