export type * from "./extension-hook-types.js";
export {
  isWorkerEntrypoint,
  type RunWorkerOptions,
  runWorker,
  startWorkerRpcHost,
  type WorkerRpcHost,
  type WorkerRpcHostOptions,
} from "./rpc-host.js";
