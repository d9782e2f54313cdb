/**
 * NDJSON framing on raw Buffers: finds newlines with indexOf and decodes each complete line once.
 * No readline, no regex: this sits on the hot path of every RPC message.
 */
import { EnvelopeScanner, type OversizeEnvelope } from "./envelope-scan.js";

const NEWLINE = 0x0a;

/** Default ceiling for one line; longer lines are discarded without being buffered whole. */
export const DEFAULT_MAX_LINE_BYTES = 128 * 1024 * 1024;

export interface LineSplitterOptions {
  /** Called once per complete line (without the newline). */
  onLine(line: string): void;
  /** Called once when a line grows past `maxLineBytes`; its bytes are dropped up to the next newline. */
  onOversizeLine?(bytes: number): void;
  /**
   * Called once per oversize line, as soon as its envelope (top-level `id` and kind) is known — usually when
   * the limit is crossed, long before the line ends — or at the latest when the line ends. `bytesSoFar` is at
   * least `maxLineBytes + 1`. Lets the RPC peer fail the call the line answered without waiting for the rest.
   */
  onOversizeMessage?(envelope: OversizeEnvelope, bytesSoFar: number): void;
  maxLineBytes?: number;
}

export class LineSplitter {
  private readonly onLine: (line: string) => void;
  private readonly onOversizeLine: (bytes: number) => void;
  private readonly onOversizeMessage: ((envelope: OversizeEnvelope, bytesSoFar: number) => void) | null;
  private readonly maxLineBytes: number;
  /** Reads the envelope of the oversize line being discarded, until it is known and reported. */
  private scanner: EnvelopeScanner | null = null;
  /** Chunks of the line still waiting for its newline. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** True while skipping the rest of an oversize line. */
  private discarding = false;
  private discardedBytes = 0;

  constructor(options: LineSplitterOptions) {
    this.onLine = options.onLine;
    this.onOversizeLine = options.onOversizeLine ?? (() => {});
    this.onOversizeMessage = options.onOversizeMessage ?? null;
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
        this.scan(chunk, start, newline);
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
      if (this.onOversizeMessage) {
        const scanner = new EnvelopeScanner();
        scanner.push(buffer, start, end);
        this.onOversizeMessage(scanner.result(true), end - start);
      }
      this.onOversizeLine(end - start);
      return;
    }
    this.onLine(buffer.toString("utf8", start, end));
  }

  private hold(rest: Buffer): void {
    if (this.discarding) {
      this.discardedBytes += rest.length;
      this.scan(rest, 0, rest.length);
      return;
    }
    if (this.pendingBytes + rest.length > this.maxLineBytes) {
      // Stop buffering: a peer must not make us hold an unbounded line in memory.
      this.discarding = true;
      this.discardedBytes = this.pendingBytes + rest.length;
      if (this.onOversizeMessage) {
        this.scanner = new EnvelopeScanner();
        for (const piece of this.pending) this.scanner.push(piece);
        this.scan(rest, 0, rest.length);
      }
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    // Copy: the stream may reuse the chunk's memory.
    this.pending.push(Buffer.from(rest));
    this.pendingBytes += rest.length;
  }

  /** Feed the envelope scanner of the line being discarded; report as soon as it knows the envelope. */
  private scan(bytes: Buffer, start: number, end: number): void {
    const scanner = this.scanner;
    if (!scanner) return;
    if (scanner.push(bytes, start, end)) {
      this.scanner = null;
      this.onOversizeMessage?.(scanner.result(false), this.discardedBytes);
    }
  }

  private finishDiscard(tailBytes: number): void {
    this.discarding = false;
    const total = this.discardedBytes + tailBytes;
    this.discardedBytes = 0;
    const scanner = this.scanner;
    this.scanner = null;
    if (scanner) this.onOversizeMessage?.(scanner.result(true), total);
    this.onOversizeLine(total);
  }
}
