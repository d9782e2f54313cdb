export { type EntityQuery, type EntityRecord, type EntityUpsert, PluginEntityStore } from "./entity-store.js";
export { STATE_SCOPE_KINDS, type StateScopeKind } from "./scope-kinds.js";
export { DEFAULT_NAMESPACE, PluginStateStore, type StateEntry, type StateKey } from "./state-store.js";
