// The scope kinds are the SDK's, under the host's names.
export {
  PLUGIN_STATE_SCOPE_KINDS as STATE_SCOPE_KINDS,
  type PluginStateScopeKind as StateScopeKind,
} from "@paperclipai/plugin-sdk/types";
export { type EntityQuery, type EntityRecord, type EntityUpsert, PluginEntityStore } from "./entity-store.js";
export { DEFAULT_NAMESPACE, PluginStateStore, type StateEntry, type StateKey } from "./state-store.js";
