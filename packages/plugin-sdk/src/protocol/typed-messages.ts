import type { JsonRpcRequest, JsonRpcSuccessResponse } from "./messages.js";
import type {
  HostToWorkerMethodName,
  HostToWorkerMethods,
  WorkerToHostMethodName,
  WorkerToHostMethods,
} from "./methods.js";

/** A request for one host→worker method, with its params typed. */
export type HostToWorkerRequest<M extends HostToWorkerMethodName> = JsonRpcRequest<
  M,
  HostToWorkerMethods[M][0]
>;
/** A success response to one host→worker method, with its result typed. */
export type HostToWorkerResponse<M extends HostToWorkerMethodName> = JsonRpcSuccessResponse<
  HostToWorkerMethods[M][1]
>;
/** A request for one worker→host method, with its params typed. */
export type WorkerToHostRequest<M extends WorkerToHostMethodName> = JsonRpcRequest<
  M,
  WorkerToHostMethods[M][0]
>;
/** A success response to one worker→host method, with its result typed. */
export type WorkerToHostResponse<M extends WorkerToHostMethodName> = JsonRpcSuccessResponse<
  WorkerToHostMethods[M][1]
>;
