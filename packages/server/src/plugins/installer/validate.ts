/**
 * Install-time validation of a plugin package: the SDK's manifest rules (every rule of the
 * manifest schema) plus the host's own checks — supported apiVersion, minimum host version,
 * capability consistency, route collisions, job schedules (croner) and entrypoint files inside the package.
 * Every problem is reported at once, each naming the field.
 */
import {
  type PaperclipPluginManifestV1,
  PLUGIN_API_VERSION,
  validateManifest,
} from "@paperclipai/plugin-sdk/types";
import { findJsonProblem, formatJsonPath, MAX_JSON_DEPTH } from "../../json-values.js";
import { checkCapabilityConsistency } from "./capability-checks.js";
import { checkEntrypoints, checkPackageJsonPaths } from "./entrypoint-checks.js";
import { checkHostFeatures } from "./host-feature-checks.js";
import type { PluginPackageJson } from "./manifest-loader.js";
import { checkApiRoutes, checkPageRoutes, type ExistingPlugin } from "./route-checks.js";
import { checkJobSchedules } from "./schedule-checks.js";
import { compareSemver, parseSemver } from "./semver.js";
import { asRecord, asString, issue, type PluginValidationIssue } from "./validation-issues.js";

/** Manifest API versions this host runs. */
export const SUPPORTED_PLUGIN_API_VERSIONS: readonly number[] = [PLUGIN_API_VERSION];

export interface ValidatePluginPackageInput {
  /** The manifest as loaded by readPluginManifest (not yet trusted). */
  manifest: unknown;
  packageJson: PluginPackageJson;
  /** The package folder: entrypoints are resolved against it. */
  packageDir: string;
  /** This host's version (semver). Always compared, including 0.0.0. */
  hostVersion: string;
  /** Plugins already installed, for route collision checks; the same pluginKey is skipped. */
  existingPlugins: readonly ExistingPlugin[];
}

export type PluginPackageValidation =
  | { ok: true; manifest: PaperclipPluginManifestV1 }
  | { ok: false; errors: PluginValidationIssue[] };

export async function validatePluginPackage(
  input: ValidatePluginPackageInput,
): Promise<PluginPackageValidation> {
  const hostVersion = parseSemver(input.hostVersion);
  if (!hostVersion) {
    // A host without a usable version must not silently skip minimumHostVersion checks.
    throw new TypeError(`validatePluginPackage: hostVersion "${input.hostVersion}" is not a semver version`);
  }
  const raw = input.manifest;
  // Checked first and alone: the rules below, the manifest's storage and Ajv all walk it recursively.
  const tooDeep = findJsonProblem(raw, { checkStrings: false });
  if (tooDeep) {
    const where =
      tooDeep.path.length === 0 ? "manifest" : formatJsonPath(tooDeep.path, "").replace(/^\./, "");
    return {
      ok: false,
      errors: [issue(where, "manifest_too_deep", `${where} is nested deeper than ${MAX_JSON_DEPTH} levels`)],
    };
  }
  const schema = validateManifest(raw);
  const errors: PluginValidationIssue[] = [];

  const apiVersionIssue = checkApiVersion(raw);
  // The host's message says what it supports; it replaces the schema's generic literal error.
  const schemaErrors = schema.ok
    ? []
    : schema.errors.filter((e) => !(apiVersionIssue && e.path === "apiVersion"));
  errors.push(...schemaErrors);
  if (apiVersionIssue) errors.push(apiVersionIssue);

  errors.push(...checkMinimumHostVersion(raw, input.hostVersion));
  errors.push(...checkCapabilityConsistency(raw, schema.ok ? schema.manifest : null, schemaErrors));
  const pluginKey = asString(asRecord(raw)?.id);
  errors.push(...checkPageRoutes(raw, pluginKey, input.existingPlugins));
  errors.push(...checkApiRoutes(raw));
  errors.push(...checkJobSchedules(raw, new Set(schemaErrors.map((e) => e.path))));
  errors.push(...(await checkEntrypoints(raw, input.packageDir)));
  errors.push(...(await checkPackageJsonPaths(input.packageJson ?? {}, input.packageDir)));
  errors.push(...(await checkHostFeatures(raw, input.packageDir)));

  if (errors.length > 0 || !schema.ok) return { ok: false, errors };
  return { ok: true, manifest: schema.manifest };
}

function checkApiVersion(manifest: unknown): PluginValidationIssue | null {
  const apiVersion = asRecord(manifest)?.apiVersion;
  if (apiVersion === undefined) return null; // "required" comes from the schema
  if (typeof apiVersion === "number" && SUPPORTED_PLUGIN_API_VERSIONS.includes(apiVersion)) return null;
  return issue(
    "apiVersion",
    "api_version_unsupported",
    `apiVersion ${JSON.stringify(apiVersion)} is not supported by this host (supported: ` +
      `${SUPPORTED_PLUGIN_API_VERSIONS.join(", ")})`,
  );
}

function checkMinimumHostVersion(manifest: unknown, hostVersionText: string): PluginValidationIssue[] {
  const hostVersion = parseSemver(hostVersionText);
  const record = asRecord(manifest);
  const issues: PluginValidationIssue[] = [];
  if (!hostVersion || !record) return issues;
  // minimumPaperclipVersion is the legacy alias; the schema checks the two agree, we check both.
  for (const field of ["minimumHostVersion", "minimumPaperclipVersion"] as const) {
    const wanted = asString(record[field]);
    const minimum = wanted === undefined ? null : parseSemver(wanted);
    if (!minimum) continue; // absent, or malformed (the schema's "semver" rule reports that)
    if (compareSemver(hostVersion, minimum) < 0) {
      issues.push(
        issue(
          field,
          "host_version_too_low",
          `${field} "${wanted}" is higher than this host's version ${hostVersionText}; upgrade the host ` +
            "or install an older version of the plugin",
        ),
      );
    }
  }
  return issues;
}
