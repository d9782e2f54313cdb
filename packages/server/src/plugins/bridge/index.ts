/**
 * The plugin UI bridge (data/actions) and what the delivery routes share: cached plugin records, company
 * access, the bridge error mapping. See docs/plugin-bridge.md.
 */
export {
  isWorkerUnavailable,
  notReadyError,
  type PluginBridgeError,
  rpcCodeOf,
  toBridgeError,
} from "./bridge-errors.js";
export {
  CompanyAccess,
  type CompanyAccessOptions,
  requireBoard,
  requireInstanceAdmin,
} from "./company-access.js";
export {
  createPluginHttpContext,
  type DeliveryRuntime,
  type PluginHttpContext,
  type PluginHttpContextOptions,
  type WorkerCalls,
} from "./context.js";
export {
  type DeliveryRoutes,
  type DeliveryRoutesOptions,
  registerPluginDeliveryRoutes,
} from "./delivery-routes.js";
export { PluginCatalog, type PluginCatalogOptions, type PluginRecordSource } from "./plugin-catalog.js";
export { type BridgeCallInput, KEY_REQUIRED, parseBridgeBody } from "./request-body.js";
export { actorContextOf, registerBridgeRoutes } from "./routes.js";
export { callReadyPlugin, type WorkerCallOutcome } from "./worker-call.js";
