/**
 * Plugin worker supervisor: one WorkerSupervisor per plugin worker process.
 * See docs/plugin-supervisor.md.
 */
export { restartDelayMs } from "./backoff.js";
export {
  DEFAULT_CRASH_POLICY,
  DEFAULT_LIMITS,
  DEFAULT_MEMORY_LIMIT_MB,
  DEFAULT_METHOD_TIMEOUTS,
  DEFAULT_TIMEOUTS,
} from "./defaults.js";
export { HostMethodNotFoundError } from "./errors.js";
export { measureSpawnToReady } from "./measure.js";
export { buildExecArgv, buildWorkerEnv, heapLimitMbOf, spawnWorker, WORKER_ENV_KEYS } from "./spawn.js";
export { createWorkerSupervisor, WorkerSupervisor, type WorkerSupervisorEvents } from "./supervisor.js";
export type * from "./types.js";
