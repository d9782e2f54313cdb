/**
 * Plugin host services: the capability and company-scope gate, the invocation registry and every
 * worker→host service this host serves (reference §3.6). See docs/plugin-scopes.md.
 */
export type { HostCall, HostMethodTable, InvocationScope, NamespaceMethods, PluginIdentity } from "./call.js";
export { HostCallError, MethodNotHostedError } from "./errors.js";
export type { EventSubscription } from "./event-subscriptions.js";
export {
  ALLOWED_HOSTS_ENV,
  createPluginHostServicesFactory,
  type HostServicesFactoryDeps,
  LOG_RETENTION_ENV,
  type PluginHostServicesFactory,
} from "./factory.js";
export { DEFAULT_INVOCATION_GRACE_MS, type InvocationHandle, InvocationRegistry } from "./invocations.js";
export { MAX_CHANNEL_LENGTH, readStreamNotification, streamParamsProblem } from "./methods/streams.js";
export { isPrivateAddress, NetworkAllowList } from "./network-policy.js";
export { PluginEventFeed, type PluginEventSink } from "./plugin-events.js";
export type { PluginHostServices } from "./plugin-services.js";
export type {
  PluginHostSinks,
  StreamMethod,
  StreamNotification,
  WorkerLogLevel,
  WorkerLogLine,
} from "./sinks.js";
