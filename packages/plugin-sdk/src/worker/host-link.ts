/**
 * The worker's outgoing half: worker→host requests and notifications over the RPC peer, each
 * stamped with the current invocation id. Every ctx namespace talks to the host through this, and
 * both directions are typed from the wire contract in ../protocol/methods.ts: a misspelt method or
 * a params object of the wrong shape does not compile.
 */
import type {
  RpcPeer,
  WorkerToHostMethodName,
  WorkerToHostMethods,
  WorkerToHostNotificationName,
  WorkerToHostNotifications,
} from "../protocol/index.js";
import type { InvocationTracker } from "./invocation.js";

/** The params a worker→host method takes on the wire. */
export type HostCallParams<M extends WorkerToHostMethodName> = WorkerToHostMethods[M][0];
/** The result a worker→host method answers with on the wire. */
export type HostCallResult<M extends WorkerToHostMethodName> = WorkerToHostMethods[M][1];

export interface HostLink {
  /** Send a request and await its result; rejects with JsonRpcCallError on an error response. */
  call<M extends WorkerToHostMethodName>(
    method: M,
    params: HostCallParams<M>,
    timeoutMs?: number,
  ): Promise<HostCallResult<M>>;
  /** Fire-and-forget notification. */
  notify<N extends WorkerToHostNotificationName>(method: N, params: WorkerToHostNotifications[N]): void;
  /** The invocation the caller is running inside, if any. */
  readonly invocations: InvocationTracker;
}

export function createHostLink(
  peer: RpcPeer,
  invocations: InvocationTracker,
  isRunning: () => boolean,
): HostLink {
  return {
    invocations,
    call<M extends WorkerToHostMethodName>(method: M, params: HostCallParams<M>, timeoutMs?: number) {
      if (!isRunning()) {
        return Promise.reject(new Error(`Cannot call "${method}" — worker RPC host is not running`));
      }
      const envelope = invocations.envelope();
      // The trust boundary: the peer hands back the host's parsed JSON, which the contract says is
      // this method's result type. Nothing on the worker side re-validates it (nor did it before).
      return peer.call<HostCallResult<M>>(method, params, {
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        ...(envelope === undefined ? {} : { envelope }),
      });
    },
    notify(method, params) {
      if (!isRunning()) return;
      peer.notify(method, params, invocations.envelope());
    },
  };
}
