/** Manifest validation: the zod schema, the friendly wrapper and capability consistency. */
export { getNeededManifestCapabilities, getRequiredManifestCapabilities } from "./capabilities.js";
export {
  pluginApiRouteDeclarationSchema,
  pluginDatabaseDeclarationSchema,
  pluginEnvironmentDriverDeclarationSchema,
  pluginJobDeclarationSchema,
  pluginLocalFolderDeclarationSchema,
  pluginObjectReferenceProviderDeclarationSchema,
  pluginToolDeclarationSchema,
  pluginWebhookDeclarationSchema,
} from "./declarations.js";
export { formatIssuePath, formatManifestErrors, type ManifestValidationIssue } from "./issues.js";
export {
  pluginManagedAgentDeclarationSchema,
  pluginManagedProjectDeclarationSchema,
  pluginManagedRoutineDeclarationSchema,
  pluginManagedSkillDeclarationSchema,
} from "./managed-declarations.js";
export { isFiveFieldCron, jsonSchemaSchema, type ManifestRule } from "./rules.js";
export {
  pluginLauncherActionDeclarationSchema,
  pluginLauncherDeclarationSchema,
  pluginLauncherRenderDeclarationSchema,
  pluginUiSlotDeclarationSchema,
} from "./ui-declarations.js";
export { type ManifestValidationResult, pluginManifestV1Schema, validateManifest } from "./validator.js";
