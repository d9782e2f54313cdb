/**
 * The shape of one validation problem, shared by the SDK's manifest rules and the host's own
 * install-time checks, plus small readers for a manifest that has not passed validation yet.
 */

/** Rule codes of the host's install-time checks (the SDK's manifest rules add their own). */
export type HostValidationRule =
  | "api_version_unsupported"
  | "host_version_too_low"
  | "capability_required"
  | "route_path_duplicate"
  | "route_path_collision"
  | "api_route_ambiguous"
  | "entrypoint_outside_package"
  | "worker_entrypoint_missing"
  | "worker_entrypoint_not_file"
  | "ui_entrypoint_missing"
  | "ui_entrypoint_not_folder"
  | "cron_schedule_invalid"
  | "cron_schedule_never_fires"
  | "manifest_too_deep";

export interface PluginValidationIssue {
  /** The manifest field at fault, e.g. `entrypoints.worker` or `ui.slots[2].routePath`. */
  path: string;
  /** Short machine code of the broken rule. */
  rule: string;
  /** One sentence naming the field and the rule. */
  message: string;
}

export function issue(path: string, rule: HostValidationRule, message: string): PluginValidationIssue {
  return { path, rule, message };
}

/** A readable multi-line report, for logs, API error bodies and CLI output. */
export function formatPluginValidationIssues(
  packageLabel: string,
  issues: readonly PluginValidationIssue[],
): string {
  if (issues.length === 0) return `${packageLabel} is a valid Paperclip plugin.`;
  const heading = `${packageLabel} cannot be installed (${issues.length} problem${issues.length === 1 ? "" : "s"}):`;
  return [heading, ...issues.map((entry) => `  - ${entry.message} [${entry.rule}]`)].join("\n");
}

// --- readers for unvalidated input: each returns undefined when the value has another shape ---

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Every UI slot of a manifest with its path, e.g. `ui.slots[2]`. */
export function uiSlotsOf(manifest: unknown): { path: string; slot: Record<string, unknown> }[] {
  const slots = asArray(asRecord(asRecord(manifest)?.ui)?.slots);
  const result: { path: string; slot: Record<string, unknown> }[] = [];
  slots.forEach((slot, index) => {
    const record = asRecord(slot);
    if (record) result.push({ path: `ui.slots[${index}]`, slot: record });
  });
  return result;
}
