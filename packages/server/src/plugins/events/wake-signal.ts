// How a stream's loop waits: until something happened (new events, an acknowledgement it waits for, stop) or a
// timeout. A signal that arrives while the loop is busy is kept, so no wake-up is lost between two waits.
import { performance } from "node:perf_hooks";

export class WakeSignal {
  private signalled = false;
  private waiter: (() => void) | null = null;

  /** `stopped()` ends every wait and sleep at once. */
  constructor(private readonly stopped: () => boolean) {}

  signal(): void {
    this.signalled = true;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  /** Until signalled or `ms` passed. */
  wait(ms: number): Promise<void> {
    if (this.signalled || this.stopped()) {
      this.signalled = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiter = null;
        this.signalled = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiter = done;
    });
  }

  /** Sleep `ms` whatever is signalled meanwhile; false when stopped. */
  async sleep(ms: number): Promise<boolean> {
    const until = performance.now() + ms;
    while (!this.stopped()) {
      const left = until - performance.now();
      if (left <= 0) return true;
      await this.wait(left);
    }
    return false;
  }
}
