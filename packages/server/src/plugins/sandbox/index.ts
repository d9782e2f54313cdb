// The worker sandbox (docs/sandbox.md): Node's permission model, a network namespace per worker, a data folder per
// plugin, operator grants, and the records that tell the operator when a worker was killed.
export {
  GRANT_RISKS,
  NO_GRANTS,
  SANDBOX_GRANTS,
  type SandboxGrant,
  type SandboxGrants,
  validateGrants,
} from "./grants.js";
export {
  describeHostSandbox,
  type HostSandboxStatus,
  hostSandboxStatus,
  type SandboxStatusLine,
} from "./host-status.js";
export { type NetworkIsolation, networkIsolation, probeNetworkIsolation } from "./network-isolation.js";
export { describePermissionModel, permissionModel } from "./node-permissions.js";
export {
  type PluginSandboxOptions,
  PluginSandboxService,
  type PluginSandboxView,
  type SandboxRuntime,
  type SandboxUpdate,
  type SandboxUpdateResult,
} from "./sandbox-service.js";
export { PLUGIN_DATA_DIR_ENV, type WorkerSandboxReport, type WorkerSandboxSettings } from "./types.js";
export { WorkerIncidents } from "./worker-incidents.js";
export { resolveWorkerSandbox, SandboxError, temporaryDataDir } from "./worker-sandbox.js";
