/** The plugin registry: the `plugins` table, its records and the lifecycle transition table. */
export {
  type NewPluginRow,
  type PluginPatch,
  PluginRegistry,
  type Queryable,
} from "./plugin-registry.js";
export { type PluginInstallSpec, type PluginRecord, type PluginRow, toPluginRecord } from "./records.js";
export {
  assertTransition,
  canTransition,
  isPluginStatus,
  PLUGIN_STATUSES,
  type PluginStatus,
  VALID_TRANSITIONS,
} from "./statuses.js";
