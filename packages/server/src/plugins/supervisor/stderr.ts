/**
 * Worker stderr: split into lines, each cut to a bounded length; the last N lines (across restarts)
 * are kept for crash reports. Memory stays bounded however much a worker writes.
 */

import { StringDecoder } from "node:string_decoder";

/** The most recent lines, oldest first, at most `limit` of them. */
export class LineTail {
  private readonly kept: string[] = [];

  constructor(private readonly limit: number) {}

  push(line: string): void {
    this.kept.push(line);
    if (this.kept.length > this.limit) this.kept.shift();
  }

  lines(): string[] {
    return [...this.kept];
  }
}

export interface StderrSplitterOptions {
  maxLineChars: number;
  onLine(line: string): void;
}

/** Splits one process's stderr into lines. */
export class StderrSplitter {
  private partial = "";
  private partialTruncated = false;
  /** Keeps a multi-byte character split across chunks intact. */
  private readonly decoder = new StringDecoder("utf8");

  constructor(private readonly options: StderrSplitterOptions) {}

  push(chunk: Buffer | string): void {
    const text = typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    let start = 0;
    let newline = text.indexOf("\n", start);
    while (newline !== -1) {
      this.append(text.slice(start, newline));
      this.finishLine();
      start = newline + 1;
      newline = text.indexOf("\n", start);
    }
    if (start < text.length) this.append(text.slice(start));
  }

  /** Emit an unterminated last line (the stream ended). */
  flush(): void {
    this.append(this.decoder.end());
    if (this.partial.length > 0 || this.partialTruncated) this.finishLine();
  }

  private append(piece: string): void {
    const room = this.options.maxLineChars - this.partial.length;
    if (piece.length <= room) {
      this.partial += piece;
    } else {
      this.partial += piece.slice(0, Math.max(0, room));
      this.partialTruncated = true;
    }
  }

  private finishLine(): void {
    let line = this.partial.endsWith("\r") ? this.partial.slice(0, -1) : this.partial;
    if (this.partialTruncated) line += " …[truncated]";
    this.partial = "";
    this.partialTruncated = false;
    this.options.onLine(line);
  }
}
