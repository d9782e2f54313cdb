/**
 * The worker's outgoing half: worker→host requests and notifications over the RPC peer, each
 * stamped with the current invocation id. Every ctx namespace talks to the host through this.
 */
import type { RpcPeer } from "../protocol/index.js";
import type { InvocationTracker } from "./invocation.js";

export interface HostLink {
  /** Send a request and await its result; rejects with JsonRpcCallError on an error response. */
  call(method: string, params: unknown, timeoutMs?: number): Promise<any>;
  /** Fire-and-forget notification. */
  notify(method: string, params: unknown): void;
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
    call(method, params, timeoutMs) {
      if (!isRunning()) {
        return Promise.reject(new Error(`Cannot call "${method}" — worker RPC host is not running`));
      }
      const envelope = invocations.envelope();
      return peer.call(method, params, {
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
