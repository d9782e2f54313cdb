/**
 * `create-paperclip-plugin` — scaffold a Paperclip plugin project (manifest, worker, optional React UI, harness
 * tests, esbuild build, README) that installs, builds and passes its tests straight away.
 *
 * ```ts
 * import { scaffoldPlugin } from "create-paperclip-plugin";
 * const result = await scaffoldPlugin({ name: "@acme/plugin-sync", template: "connector" });
 * ```
 */
export { type CreateIo, runCreatePlugin } from "./cli.js";
export { displayNameFor, manifestIdFor, packageNameProblem, ScaffoldError } from "./naming.js";
export {
  CATEGORIES,
  createHelp,
  type PluginCategory,
  parseCreateArgs,
  type ScaffoldOptions,
  TEMPLATES,
  type TemplateName,
} from "./options.js";
export { DEV_DEPENDENCIES } from "./project-files.js";
export { type ScaffoldResult, scaffoldPlugin } from "./scaffold.js";
