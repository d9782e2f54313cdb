/**
 * What the plugin delivery routes (bridge, streams, UI files, tools, scoped API) read on every
 * request without touching the database: cached plugin records and company access. See docs/plugin-bridge.md.
 */
export { CompanyAccess, type CompanyAccessOptions } from "./company-access.js";
export { PluginCatalog, type PluginCatalogOptions, type PluginRecordSource } from "./plugin-catalog.js";
