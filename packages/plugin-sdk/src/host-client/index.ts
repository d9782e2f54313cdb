export {
  getRequiredCapability,
  isWorkerToHostMethod,
  METHOD_CAPABILITY_MAP,
  WORKER_TO_HOST_METHOD_NAMES,
} from "./capability-map.js";
export { CapabilityDeniedError, InvocationScopeDeniedError } from "./errors.js";
export { createHostClientHandlers } from "./handlers.js";
export {
  InvocationScopeGuard,
  type RequestedCompanyScope,
  requestedCompanyScope,
} from "./invocation-scope.js";
export type { HostClientFactoryOptions, HostClientHandlers, HostServices } from "./services.js";
