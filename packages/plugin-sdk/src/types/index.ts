/**
 * `@paperclipai/plugin-sdk/types` — every type of the plugin API, the constant
 * vocabularies and the manifest validator, without pulling in the worker runtime.
 */
export * from "../constants.js";
export {
  formatManifestErrors,
  getNeededManifestCapabilities,
  getRequiredManifestCapabilities,
  type ManifestRule,
  type ManifestValidationIssue,
  type ManifestValidationResult,
  pluginManifestV1Schema,
  validateManifest,
} from "../manifest/index.js";
export type * from "../protocol/methods.js";
export type * from "./access-clients.js";
export type * from "./context.js";
export type * from "./domain.js";
export type * from "./hooks.js";
export type * from "./interactions.js";
export type * from "./issues-client.js";
export type * from "./manifest.js";
export type * from "./records.js";
export type * from "./summaries.js";
export type { PluginSpan, PluginTracer } from "./tracer.js";
export { NOOP_PLUGIN_SPAN, NOOP_PLUGIN_TRACER } from "./tracer.js";
