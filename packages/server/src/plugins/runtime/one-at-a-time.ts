// Exact attribution for workers that do not echo invocation ids (SDKs up to 2026.4xx). Such a worker's calls back
// to the host name no invocation, so the host can only tell which company a call belongs to when exactly one
// host→worker call is in flight. This gate makes that always true for them: their host→worker calls run one at a
// time, in arrival order. A worker that has echoed an id once is a current SDK and is never queued.
// Cost: a legacy worker serves one request at a time (no overlap of its handlers); see docs/plugin-scopes.md.
import { JsonRpcCallError, PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";

export class OneAtATime {
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;

  /** Calls waiting or running. */
  get depth(): number {
    return this.queued;
  }

  /**
   * Run `task` once every earlier task settled. A task that cannot start within `waitLimitMs` fails with TIMEOUT,
   * saying why it waited, instead of waiting behind a hung handler for ever.
   */
  run<T>(task: () => Promise<T>, waitLimitMs: number, pluginKey: string): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.queued++;
    const settle = () => {
      this.queued--;
      release();
    };
    return new Promise<T>((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        reject(
          new JsonRpcCallError({
            code: PLUGIN_RPC_ERROR_CODES.TIMEOUT,
            message:
              `Plugin ${pluginKey} did not get to this call within ${waitLimitMs} ms: its SDK does not tag its ` +
              "calls to the host with invocation ids, so the host runs its requests one at a time, and earlier " +
              "requests are still running",
          }),
        );
      }, waitLimitMs);
      timer.unref?.();
      previous.then(() => {
        clearTimeout(timer);
        if (timedOut) {
          settle();
          return;
        }
        task().then(resolve, reject).finally(settle);
      });
    });
  }
}
