/**
 * `pluginManifestV1Schema` — the runtime validator of `PaperclipPluginManifestV1` — and the
 * friendly `validateManifest` wrapper that reports every broken rule with its path.
 *
 * Unknown top-level keys are stripped, not rejected, like the original host.
 */
import { z } from "zod";
import { PLUGIN_CAPABILITIES, PLUGIN_CATEGORIES, type PluginCapability } from "../constants.js";
import type { PaperclipPluginManifestV1 } from "../types/manifest.js";
import {
  pluginApiRouteDeclarationSchema,
  pluginDatabaseDeclarationSchema,
  pluginEnvironmentDriverDeclarationSchema,
  pluginJobDeclarationSchema,
  pluginLocalFolderDeclarationSchema,
  pluginObjectReferenceProviderDeclarationSchema,
  pluginToolDeclarationSchema,
  pluginWebhookDeclarationSchema,
} from "./declarations.js";
import { type ManifestValidationIssue, toManifestIssues } from "./issues.js";
import {
  pluginManagedAgentDeclarationSchema,
  pluginManagedProjectDeclarationSchema,
  pluginManagedRoutineDeclarationSchema,
  pluginManagedSkillDeclarationSchema,
} from "./managed-declarations.js";
import {
  addRuleIssue,
  jsonSchemaSchema,
  PLUGIN_ID_PATTERN,
  patternString,
  reportDuplicates,
  semverString,
  text,
} from "./rules.js";
import { pluginLauncherDeclarationSchema, pluginUiSlotDeclarationSchema } from "./ui-declarations.js";

const manifestShape = z.object({
  id: text().pipe(
    patternString(
      PLUGIN_ID_PATTERN,
      "id_format",
      "must start with a lowercase letter or digit and contain only lowercase letters, digits, dots, hyphens or underscores",
    ),
  ),
  apiVersion: z.literal(1),
  version: text().pipe(semverString),
  displayName: text(100),
  description: text(500),
  author: text(200),
  categories: z.array(z.enum(PLUGIN_CATEGORIES)).min(1),
  minimumHostVersion: semverString.optional(),
  minimumPaperclipVersion: semverString.optional(),
  capabilities: z.array(z.enum(PLUGIN_CAPABILITIES)).min(1),
  entrypoints: z.object({ worker: text(), ui: text().optional() }),
  instanceConfigSchema: jsonSchemaSchema.optional(),
  jobs: z.array(pluginJobDeclarationSchema).optional(),
  webhooks: z.array(pluginWebhookDeclarationSchema).optional(),
  tools: z.array(pluginToolDeclarationSchema).optional(),
  database: pluginDatabaseDeclarationSchema.optional(),
  apiRoutes: z.array(pluginApiRouteDeclarationSchema).optional(),
  environmentDrivers: z.array(pluginEnvironmentDriverDeclarationSchema).optional(),
  agents: z.array(pluginManagedAgentDeclarationSchema).optional(),
  projects: z.array(pluginManagedProjectDeclarationSchema).optional(),
  routines: z.array(pluginManagedRoutineDeclarationSchema).optional(),
  skills: z.array(pluginManagedSkillDeclarationSchema).optional(),
  localFolders: z.array(pluginLocalFolderDeclarationSchema).optional(),
  objectReferences: z.array(pluginObjectReferenceProviderDeclarationSchema).optional(),
  launchers: z.array(pluginLauncherDeclarationSchema).optional(),
  ui: z
    .object({
      slots: z.array(pluginUiSlotDeclarationSchema).min(1).optional(),
      launchers: z.array(pluginLauncherDeclarationSchema).optional(),
    })
    .optional(),
});

type ParsedManifest = z.output<typeof manifestShape>;

/**
 * Capabilities the manifest schema itself demands for declared features. The list keys
 * count as declared when non-empty; `database` when present.
 */
const SCHEMA_FEATURE_CAPABILITIES: ReadonlyArray<{
  feature: keyof ParsedManifest;
  label: string;
  capabilities: readonly PluginCapability[];
}> = [
  { feature: "tools", label: "tools are", capabilities: ["agent.tools.register"] },
  {
    feature: "environmentDrivers",
    label: "environmentDrivers are",
    capabilities: ["environment.drivers.register"],
  },
  { feature: "agents", label: "managed agents are", capabilities: ["agents.managed"] },
  { feature: "projects", label: "managed projects are", capabilities: ["projects.managed"] },
  { feature: "routines", label: "managed routines are", capabilities: ["routines.managed"] },
  { feature: "skills", label: "managed skills are", capabilities: ["skills.managed"] },
  { feature: "localFolders", label: "localFolders are", capabilities: ["local.folders"] },
  { feature: "jobs", label: "jobs are", capabilities: ["jobs.schedule"] },
  { feature: "webhooks", label: "webhooks are", capabilities: ["webhooks.receive"] },
  { feature: "apiRoutes", label: "apiRoutes are", capabilities: ["api.routes.register"] },
  {
    feature: "objectReferences",
    label: "objectReferences are",
    capabilities: ["external.objects.detect", "external.objects.read"],
  },
  {
    feature: "database",
    label: "a database is",
    capabilities: ["database.namespace.migrate", "database.namespace.read"],
  },
];

function isDeclared(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  return Array.isArray(value) ? value.length > 0 : true;
}

function checkFeatureCapabilities(manifest: ParsedManifest, ctx: z.RefinementCtx): void {
  const granted = new Set<string>(manifest.capabilities);
  for (const { feature, label, capabilities } of SCHEMA_FEATURE_CAPABILITIES) {
    if (!isDeclared(manifest[feature])) continue;
    for (const capability of capabilities) {
      if (!granted.has(capability)) {
        addRuleIssue(ctx, "capability_required", `must include "${capability}" because ${label} declared`, [
          "capabilities",
        ]);
      }
    }
  }
}

function checkCrossReferences(manifest: ParsedManifest, ctx: z.RefinementCtx): void {
  const hasUi = (manifest.ui?.slots?.length ?? 0) > 0 || (manifest.ui?.launchers?.length ?? 0) > 0;
  if (hasUi && !manifest.entrypoints.ui) {
    addRuleIssue(ctx, "ui_entrypoint_required", "is required when ui.slots or ui.launchers are declared", [
      "entrypoints",
      "ui",
    ]);
  }

  const { minimumHostVersion, minimumPaperclipVersion } = manifest;
  if (minimumHostVersion && minimumPaperclipVersion && minimumHostVersion !== minimumPaperclipVersion) {
    addRuleIssue(
      ctx,
      "minimum_version_mismatch",
      `must equal minimumPaperclipVersion, its legacy alias, when both are declared ("${minimumHostVersion}" vs "${minimumPaperclipVersion}")`,
      ["minimumHostVersion"],
    );
  }

  const webhookKeys = new Set((manifest.webhooks ?? []).map((webhook) => webhook.endpointKey));
  manifest.objectReferences?.forEach((provider, providerIndex) => {
    provider.webhookEndpointKeys?.forEach((endpointKey, keyIndex) => {
      if (!webhookKeys.has(endpointKey)) {
        addRuleIssue(
          ctx,
          "webhook_endpoint_unknown",
          `must name a webhook declared in webhooks ("${endpointKey}" is not declared)`,
          ["objectReferences", providerIndex, "webhookEndpointKeys", keyIndex],
        );
      }
    });
  });
}

function checkUniqueKeys(manifest: ParsedManifest, ctx: z.RefinementCtx): void {
  const unique = <T>(
    items: readonly T[] | undefined,
    listPath: Array<string | number>,
    keyField: string,
    keyOf: (item: T) => string,
  ) => reportDuplicates(ctx, items, keyOf, { listPath, keyField, label: keyField });

  unique(manifest.jobs, ["jobs"], "jobKey", (job) => job.jobKey);
  unique(manifest.webhooks, ["webhooks"], "endpointKey", (webhook) => webhook.endpointKey);
  unique(manifest.tools, ["tools"], "name", (tool) => tool.name);
  unique(manifest.apiRoutes, ["apiRoutes"], "routeKey", (route) => route.routeKey);
  reportDuplicates(ctx, manifest.apiRoutes, (route) => `${route.method} ${route.path}`, {
    listPath: ["apiRoutes"],
    keyField: "path",
    label: "route",
  });
  unique(manifest.environmentDrivers, ["environmentDrivers"], "driverKey", (driver) => driver.driverKey);
  unique(manifest.localFolders, ["localFolders"], "folderKey", (folder) => folder.folderKey);
  unique(manifest.agents, ["agents"], "agentKey", (agent) => agent.agentKey);
  unique(manifest.projects, ["projects"], "projectKey", (project) => project.projectKey);
  unique(manifest.routines, ["routines"], "routineKey", (routine) => routine.routineKey);
  unique(manifest.skills, ["skills"], "skillKey", (skill) => skill.skillKey);
  unique(manifest.objectReferences, ["objectReferences"], "providerKey", (provider) => provider.providerKey);
  unique(manifest.ui?.slots, ["ui", "slots"], "id", (slot) => slot.id);
  reportDuplicates(ctx, manifest.database?.coreReadTables, (table) => table, {
    listPath: ["database", "coreReadTables"],
    label: "table",
  });

  // Launcher ids are unique across the legacy top-level list and ui.launchers together.
  const seen = new Map<string, string>();
  const launcherLists: Array<[Array<string | number>, ParsedManifest["launchers"]]> = [
    [["launchers"], manifest.launchers],
    [["ui", "launchers"], manifest.ui?.launchers],
  ];
  for (const [listPath, launchers] of launcherLists) {
    launchers?.forEach((launcher, index) => {
      const here = [...listPath, index];
      const earlier = seen.get(launcher.id);
      if (earlier !== undefined) {
        addRuleIssue(
          ctx,
          "duplicate_key",
          `must be unique: launcher id "${launcher.id}" is already used by ${earlier}`,
          [...here, "id"],
        );
      } else {
        seen.set(launcher.id, `${listPath.join(".")}[${index}]`);
      }
    });
  }
}

/** The zod schema of a version-1 plugin manifest, implementing every published rule. */
export const pluginManifestV1Schema = manifestShape.superRefine((manifest, ctx) => {
  checkFeatureCapabilities(manifest, ctx);
  checkCrossReferences(manifest, ctx);
  checkUniqueKeys(manifest, ctx);
});

export type ManifestValidationResult =
  | { ok: true; manifest: PaperclipPluginManifestV1 }
  | { ok: false; errors: ManifestValidationIssue[] };

/**
 * Validate an untrusted manifest value. On success the manifest is returned with unknown
 * keys stripped and defaults applied; on failure every problem is listed.
 */
export function validateManifest(input: unknown): ManifestValidationResult {
  const parsed = pluginManifestV1Schema.safeParse(input);
  if (parsed.success) {
    const manifest: PaperclipPluginManifestV1 = parsed.data;
    return { ok: true, manifest };
  }
  return { ok: false, errors: toManifestIssues(parsed.error.issues, input) };
}
