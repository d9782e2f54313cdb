/**
 * The host stamps each host→worker request or notification with a `paperclipInvocation`
 * (id + company scope). Every worker→host message made while handling it, however deep in async
 * work, must echo that id so the host can scope the call. AsyncLocalStorage carries it across
 * awaits, timers and promise chains without the plugin author passing anything around.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { JsonRpcInvocationContext } from "../protocol/index.js";

export class InvocationTracker {
  private readonly storage = new AsyncLocalStorage<JsonRpcInvocationContext>();

  /** Run `work` as part of `invocation`; without one, run it unscoped. */
  run<T>(invocation: JsonRpcInvocationContext | undefined, work: () => T): T {
    return invocation ? this.storage.run(invocation, work) : work();
  }

  /** The invocation the current async context belongs to, if any. */
  current(): JsonRpcInvocationContext | undefined {
    return this.storage.getStore();
  }

  /**
   * Top-level fields for an outgoing message: only the id, never the scope; the worker must not
   * author its own company scope.
   */
  envelope(): { paperclipInvocationId: string } | undefined {
    const invocation = this.storage.getStore();
    return invocation ? { paperclipInvocationId: invocation.id } : undefined;
  }
}

/** Read the `paperclipInvocation` field of an incoming message when it is well formed. */
export function invocationOf(message: object): JsonRpcInvocationContext | undefined {
  const value = (message as { paperclipInvocation?: unknown }).paperclipInvocation;
  if (typeof value !== "object" || value === null) return undefined;
  const id = (value as { id?: unknown }).id;
  return typeof id === "string" && id.length > 0 ? (value as JsonRpcInvocationContext) : undefined;
}
