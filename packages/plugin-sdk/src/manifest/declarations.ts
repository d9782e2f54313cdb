/**
 * Schemas of the manifest's integration declarations: jobs, webhooks, tools, local folders,
 * database, scoped API routes, external-object providers and environment drivers.
 */
import { z } from "zod";
import {
  PLUGIN_API_ROUTE_AUTH_MODES,
  PLUGIN_API_ROUTE_CHECKOUT_POLICIES,
  PLUGIN_API_ROUTE_METHODS,
  PLUGIN_DATABASE_CORE_READ_TABLES,
} from "../constants.js";
import {
  API_ROUTE_PATH_PATTERN,
  addRuleIssue,
  cronRangeProblem,
  isFiveFieldCron,
  isSafeRelativePath,
  jsonSchemaSchema,
  NAMESPACE_SLUG_PATTERN,
  PLUGIN_ID_PATTERN,
  patternString,
  reportDuplicates,
  resourceKey,
  ruleError,
  text,
} from "./rules.js";

export const pluginJobDeclarationSchema = z.object({
  jobKey: text(),
  displayName: text(),
  description: z.string().optional(),
  schedule: z
    .string()
    .refine(
      isFiveFieldCron,
      ruleError(
        "cron_five_fields",
        'must be a 5-field cron expression using digits, "*", "/", "-" and "," (e.g. "*/15 * * * *")',
      ),
    )
    .superRefine((schedule, ctx) => {
      if (!isFiveFieldCron(schedule)) return;
      const problem = cronRangeProblem(schedule);
      if (problem) addRuleIssue(ctx, "cron_range", `"${schedule}" can never run: ${problem}`, []);
    })
    .optional(),
});

export const pluginWebhookDeclarationSchema = z.object({
  endpointKey: text(),
  displayName: text(),
  description: z.string().optional(),
});

export const pluginToolDeclarationSchema = z.object({
  name: text(),
  displayName: text(),
  description: text(),
  parametersSchema: jsonSchemaSchema,
});

const relativePathSchema = text(500).pipe(
  z
    .string()
    .refine(
      isSafeRelativePath,
      ruleError(
        "relative_path",
        'must be a relative path without a leading "/", "..", backslashes, or empty or "." segments',
      ),
    ),
);

export const pluginLocalFolderDeclarationSchema = z.object({
  folderKey: resourceKey,
  displayName: text(100),
  description: z.string().max(500).optional(),
  access: z.enum(["read", "readWrite"]).optional(),
  requiredDirectories: z.array(relativePathSchema).optional(),
  requiredFiles: z.array(relativePathSchema).optional(),
});

export const pluginDatabaseDeclarationSchema = z.object({
  namespaceSlug: z
    .string()
    .max(40)
    .pipe(
      patternString(
        NAMESPACE_SLUG_PATTERN,
        "namespace_slug_format",
        "must start with a lowercase letter or digit and contain only lowercase letters, digits or underscores",
      ),
    )
    .optional(),
  migrationsDir: text().pipe(
    z
      .string()
      .refine(
        (dir) => !dir.startsWith("/") && !dir.includes("..") && !dir.includes("\\"),
        ruleError(
          "relative_path",
          'must be a package-relative path without a leading "/", ".." or backslashes',
        ),
      ),
  ),
  coreReadTables: z.array(z.enum(PLUGIN_DATABASE_CORE_READ_TABLES)).optional(),
});

/** Scoped API routes live under `/api/plugins/:id/api`; they may not shadow host namespaces. */
function staysInPluginApiNamespace(path: string): boolean {
  return (
    !path.includes("..") &&
    !path.includes("//") &&
    path !== "/api" &&
    !path.startsWith("/api/") &&
    path !== "/plugins" &&
    !path.startsWith("/plugins/")
  );
}

export const pluginApiRouteDeclarationSchema = z.object({
  routeKey: resourceKey,
  method: z.enum(PLUGIN_API_ROUTE_METHODS),
  path: text()
    .pipe(
      patternString(
        API_ROUTE_PATH_PATTERN,
        "api_route_path_format",
        'must start with "/" and contain only letters, digits, ":", "_", ".", "/" and "-"',
      ),
    )
    .pipe(
      z
        .string()
        .refine(
          staysInPluginApiNamespace,
          ruleError(
            "api_route_path_namespace",
            'must stay inside the plugin API namespace (no "..", "//", or /api or /plugins prefix)',
          ),
        ),
    ),
  auth: z.enum(PLUGIN_API_ROUTE_AUTH_MODES),
  capability: z.literal("api.routes.register"),
  checkoutPolicy: z.enum(PLUGIN_API_ROUTE_CHECKOUT_POLICIES).optional(),
  companyResolution: z
    .discriminatedUnion("from", [
      z.object({ from: z.literal("body"), key: text() }),
      z.object({ from: z.literal("query"), key: text() }),
      z.object({ from: z.literal("issue"), param: text() }),
    ])
    .optional(),
});

// ---------------------------------------------------------------------------
// External-object providers (declared for compatibility)
// ---------------------------------------------------------------------------

const providerKeySchema = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .pipe(
    patternString(
      /^[a-z][a-z0-9_.-]*$/,
      "key_format",
      "must start with a lowercase letter and contain only lowercase letters, digits, underscores, dots or hyphens",
    ),
  );

const objectTypeSchema = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .pipe(
    patternString(
      /^[a-z][a-z0-9_]*$/,
      "key_format",
      "must start with a lowercase letter and contain only lowercase letters, digits or underscores",
    ),
  );

export const pluginObjectReferenceProviderDeclarationSchema = z
  .object({
    providerKey: providerKeySchema,
    displayName: text(100),
    objectTypes: z.array(objectTypeSchema).min(1),
    urlPatterns: z.array(z.string().trim().min(1).max(500)).optional(),
    refreshPolicy: z
      .object({
        defaultTtlSeconds: z.number().int().positive().max(86_400).optional(),
        staleAfterSeconds: z.number().int().positive().max(604_800).optional(),
      })
      .superRefine((policy, ctx) => {
        if (
          policy.defaultTtlSeconds !== undefined &&
          policy.staleAfterSeconds !== undefined &&
          policy.staleAfterSeconds < policy.defaultTtlSeconds
        ) {
          addRuleIssue(ctx, "refresh_policy_order", "must be greater than or equal to defaultTtlSeconds", [
            "staleAfterSeconds",
          ]);
        }
      })
      .optional(),
    webhookEndpointKeys: z.array(text()).optional(),
  })
  .superRefine((provider, ctx) => {
    reportDuplicates(ctx, provider.objectTypes, (type) => type, {
      listPath: ["objectTypes"],
      label: "objectType",
    });
    reportDuplicates(ctx, provider.webhookEndpointKeys, (key) => key, {
      listPath: ["webhookEndpointKeys"],
      label: "webhookEndpointKey",
    });
  });

// ---------------------------------------------------------------------------
// Environment drivers (declared for compatibility; strict objects like the original)
// ---------------------------------------------------------------------------

const templateConfigField = text(100)
  .pipe(
    patternString(
      /^[A-Za-z_][A-Za-z0-9_-]*$/,
      "key_format",
      "must be a top-level config key using letters, digits, underscores or hyphens",
    ),
  )
  .pipe(
    z
      .string()
      .refine(
        (field) => field !== "provider",
        ruleError("template_binding", 'must not replace the "provider" key'),
      ),
  );

const templateConfigBindingSchema = z
  .strictObject({
    field: templateConfigField,
    unsetFields: z.array(templateConfigField).max(20).optional(),
  })
  .superRefine((binding, ctx) => {
    (binding.unsetFields ?? []).forEach((field, index) => {
      if (field === binding.field) {
        addRuleIssue(ctx, "template_binding", "must not unset the field the binding sets", [
          "unsetFields",
          index,
        ]);
      }
    });
    reportDuplicates(ctx, binding.unsetFields, (field) => field, {
      listPath: ["unsetFields"],
      label: "field",
    });
  });

const sandboxCapabilitiesSchema = z.strictObject({
  reusableLeases: z.boolean().optional(),
  nativeSyncIn: z.boolean().optional(),
  nativeSyncOut: z.boolean().optional(),
  persistentProcessSessions: z.boolean().optional(),
  independentControlCommands: z.boolean().optional(),
  incrementalSessionOutput: z.boolean().optional(),
  concurrentSyncOperations: z.boolean().optional(),
  duplexCommandStream: z.boolean().optional(),
  runnerWebSocketIngress: z.boolean().optional(),
});

export const pluginEnvironmentDriverDeclarationSchema = z
  .strictObject({
    driverKey: text().pipe(
      patternString(
        PLUGIN_ID_PATTERN,
        "key_format",
        "must start with a lowercase letter or digit and contain only lowercase letters, digits, dots, hyphens or underscores",
      ),
    ),
    kind: z.enum(["environment_driver", "sandbox_provider"]).optional(),
    displayName: text(100),
    description: z.string().max(500).optional(),
    supportsReusableLeases: z.boolean().optional(),
    sandboxCapabilities: sandboxCapabilitiesSchema.optional(),
    supportsInteractiveSetup: z.boolean().optional(),
    interactiveSetupConnectionTypes: z.array(text(100)).max(10).optional(),
    supportsTemplateCapture: z.boolean().optional(),
    templateRefKind: text(100).optional(),
    templateConfigBinding: templateConfigBindingSchema.optional(),
    templateIdentityPaths: z.array(text(200)).max(20).optional(),
    supportsTemplateDelete: z.boolean().optional(),
    supportsLoginPty: z.boolean().optional(),
    supportsSetupTokenLogin: z.boolean().optional(),
    configSchema: jsonSchemaSchema,
  })
  .superRefine((driver, ctx) => {
    if (
      driver.supportsLoginPty !== undefined &&
      driver.supportsSetupTokenLogin !== undefined &&
      driver.supportsLoginPty !== driver.supportsSetupTokenLogin
    ) {
      addRuleIssue(
        ctx,
        "alias_conflict",
        "must equal supportsSetupTokenLogin (its deprecated alias) when both are given",
        ["supportsLoginPty"],
      );
    }
  })
  // The deprecated alias is folded into supportsLoginPty and dropped.
  .transform(({ supportsSetupTokenLogin, ...driver }) => {
    const supportsLoginPty = driver.supportsLoginPty ?? supportsSetupTokenLogin;
    return supportsLoginPty === undefined ? driver : { ...driver, supportsLoginPty };
  });
