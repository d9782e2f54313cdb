/**
 * NDJSON framing on raw Buffers: finds newlines with indexOf and decodes each complete line once.
 * No readline, no regex: this sits on the hot path of every RPC message.
 */

const NEWLINE = 0x0a;

/** Default ceiling for one line; longer lines are discarded without being buffered whole. */
export const DEFAULT_MAX_LINE_BYTES = 128 * 1024 * 1024;

export interface LineSplitterOptions {
  /** Called once per complete line (without the newline). */
  onLine(line: string): void;
  /** Called once when a line grows past `maxLineBytes`; its bytes are dropped up to the next newline. */
  onOversizeLine?(bytes: number): void;
  maxLineBytes?: number;
}

export class LineSplitter {
  private readonly onLine: (line: string) => void;
  private readonly onOversizeLine: (bytes: number) => void;
  private readonly maxLineBytes: number;
  /** Chunks of the line still waiting for its newline. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** True while skipping the rest of an oversize line. */
  private discarding = false;
  private discardedBytes = 0;

  constructor(options: LineSplitterOptions) {
    this.onLine = options.onLine;
    this.onOversizeLine = options.onOversizeLine ?? (() => {});
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  /** Bytes held for an unfinished line. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  push(chunk: Buffer): void {
    let start = 0;
    let newline = chunk.indexOf(NEWLINE, start);
    while (newline !== -1) {
      if (this.discarding) {
        this.finishDiscard(newline - start);
      } else if (this.pendingBytes > 0) {
        this.pending.push(chunk.subarray(start, newline));
        const whole = Buffer.concat(this.pending, this.pendingBytes + newline - start);
        this.pending = [];
        this.pendingBytes = 0;
        this.emit(whole, 0, whole.length);
      } else {
        this.emit(chunk, start, newline);
      }
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) this.hold(chunk.subarray(start));
  }

  private emit(buffer: Buffer, start: number, end: number): void {
    if (end - start > this.maxLineBytes) {
      this.onOversizeLine(end - start);
      return;
    }
    this.onLine(buffer.toString("utf8", start, end));
  }

  private hold(rest: Buffer): void {
    if (this.discarding) {
      this.discardedBytes += rest.length;
      return;
    }
    if (this.pendingBytes + rest.length > this.maxLineBytes) {
      // Stop buffering: a peer must not make us hold an unbounded line in memory.
      this.discarding = true;
      this.discardedBytes = this.pendingBytes + rest.length;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    // Copy: the stream may reuse the chunk's memory.
    this.pending.push(Buffer.from(rest));
    this.pendingBytes += rest.length;
  }

  private finishDiscard(tailBytes: number): void {
    this.discarding = false;
    const total = this.discardedBytes + tailBytes;
    this.discardedBytes = 0;
    this.onOversizeLine(total);
  }
}
