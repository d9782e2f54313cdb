/** Plugin UI plumbing: `GET /api/plugins/ui-contributions` and `GET /_plugins/:pluginId/ui/*`. See docs/plugin-bridge.md. */
export { contentTypeOf } from "./content-types.js";
export { type PluginUiContribution, uiContributionOf } from "./contributions.js";
export { registerUiRoutes } from "./routes.js";
export {
  cacheControlOf,
  etagOf,
  IMMUTABLE_CACHE,
  matchesEtag,
  REVALIDATE_CACHE,
  resolveUiFile,
  type UiFileResolution,
} from "./static-files.js";
