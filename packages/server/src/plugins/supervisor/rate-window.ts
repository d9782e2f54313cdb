/** A fixed one-second window counter: cheap enough to sit on every incoming message. */
export class RateWindow {
  private windowStart = 0;
  private count = 0;
  private overflow = 0;

  constructor(
    private readonly limitPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Count one event. Returns true while within the limit. `onWindowClosed` reports how many were
   * refused in the window that just ended, so the caller can log one summary instead of one line each.
   */
  admit(onWindowClosed?: (refused: number) => void): boolean {
    const now = this.now();
    if (now - this.windowStart >= 1_000) {
      if (this.overflow > 0) onWindowClosed?.(this.overflow);
      this.windowStart = now;
      this.count = 0;
      this.overflow = 0;
    }
    if (this.count < this.limitPerSecond) {
      this.count++;
      return true;
    }
    this.overflow++;
    return false;
  }

  /** Refused so far in the current window. */
  get refusedInWindow(): number {
    return this.overflow;
  }
}
