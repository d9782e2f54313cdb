/**
 * Plugin installer: parse an install request, install the package into its own folder per
 * version (or use a local folder in place), read its manifest in a child process, and validate
 * it for this host. The HTTP route and the CLI call these; nothing here touches the database.
 */
export {
  InstallError,
  type InstallStep,
  ManifestLoadError,
  type ManifestLoadErrorCode,
  PluginSpecError,
} from "./errors.js";
export {
  type InstalledPluginPackage,
  type InstallPluginPackageOptions,
  installPluginPackage,
} from "./install.js";
export {
  INSTALL_RECORD_FILE,
  type InstallRecord,
  type InstallSource,
  readInstallRecord,
  STAGING_DIR_NAME,
  sanitisePackageName,
  versionDirectory,
} from "./layout.js";
export {
  type LoadedPluginManifest,
  type PluginPackageJson,
  type ReadPluginManifestOptions,
  readPackageJson,
  readPluginManifest,
  resolveManifestPath,
} from "./manifest-loader.js";
export type { InstallProgressListener, ProgressStream } from "./npm-runner.js";
export {
  computePackageDigest,
  diffPackageFiles,
  digestRootOf,
  type PackageDigest,
  type PackageFileChange,
  type PackageFileEntries,
} from "./package-digest.js";
export type { ExistingPlugin } from "./route-checks.js";
export {
  ALLOWED_SCOPES_SETTING,
  checkPackageScope,
  parseAllowedScopes,
  scopeOf,
  UNSCOPED_ENTRY,
} from "./scope-policy.js";
export { compareSemver, isSemverRange, parseSemver, type SemverVersion } from "./semver.js";
export {
  formatNpmSpec,
  type ParsePluginSpecOptions,
  type PluginSpec,
  type PluginSpecInput,
  parsePluginSpec,
} from "./spec.js";
export {
  type PluginPackageValidation,
  SUPPORTED_PLUGIN_API_VERSIONS,
  type ValidatePluginPackageInput,
  validatePluginPackage,
} from "./validate.js";
export {
  formatPluginValidationIssues,
  type HostValidationRule,
  type PluginValidationIssue,
} from "./validation-issues.js";
