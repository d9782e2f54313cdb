/**
 * Reads the top-level `id` and message kind of a JSON-RPC line without parsing it: for lines too large to be
 * parsed (over the line limit), so the peer can still fail the one call that line answered, or answer the
 * one request it carried, at once instead of letting it wait for its timeout.
 *
 * It walks the bytes once, tracking strings and nesting, and records the keys of the outer object. Both SDKs
 * write `{"jsonrpc":"2.0","id":…,"result":…}` (id first), so it normally stops within the first 40 bytes; if
 * `id` comes after a huge `result` it keeps walking until it finds it (linear, no buffering).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/** Keys and short values longer than this are not captured (no id or method of ours is that long). */
const MAX_CAPTURE_BYTES = 512;

export type OversizeMessageKind = "request" | "notification" | "response" | "unknown";

/** What could be read of an oversize line's envelope. */
export interface OversizeEnvelope {
  /** The top-level `id` (string or number), or null when the line has none or it could not be read. */
  id: string | number | null;
  kind: OversizeMessageKind;
  /** The top-level `method`, for requests and notifications whose method name could be read. */
  method: string | null;
}

type Capture = "none" | "key" | "id" | "method";

export class EnvelopeScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** At depth 1: true between a key's colon and the comma that ends its value. */
  private inValue = false;
  private key: string | null = null;
  private capture: Capture = "none";
  private captured: number[] = [];
  private captureOverflow = false;
  /** Bytes of a bare (number/literal) id value being read. */
  private bareId: number[] | null = null;
  private broken = false;
  private done = false;

  private id: string | number | null = null;
  /** The value of the top-level `id` was read. */
  private idRead = false;
  private method: string | null = null;
  private methodSeen = false;
  private methodValueRead = false;
  private responseKeySeen = false;

  /** True once id and kind are known (nothing more to learn from later bytes). */
  get decided(): boolean {
    return this.done;
  }

  /** Feed the next bytes of the line; returns true once decided. */
  push(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
    if (this.done || this.broken) return this.done;
    for (let i = start; i < end; i++) {
      this.step(bytes[i] as number);
      if (this.done || this.broken) break;
    }
    return this.done;
  }

  /** The result so far; at the end of the line this is final. */
  result(lineEnded = true): OversizeEnvelope {
    if (lineEnded) this.finishBareId();
    let kind: OversizeMessageKind = "unknown";
    if (!this.broken || this.done) {
      if (this.methodSeen) kind = this.idRead ? "request" : lineEnded ? "notification" : "unknown";
      else if (this.responseKeySeen && this.idRead) kind = "response";
    }
    return { id: this.idRead ? this.id : null, kind, method: this.method };
  }

  private step(byte: number): void {
    if (this.inString) {
      if (this.escaped) {
        this.escaped = false;
        this.keep(byte);
      } else if (byte === BACKSLASH) {
        this.escaped = true;
        this.keep(byte);
      } else if (byte === QUOTE) {
        this.inString = false;
        this.endString();
      } else {
        this.keep(byte);
      }
      return;
    }
    if (this.depth === 0) {
      if (byte === OPEN_BRACE) this.depth = 1;
      else if (!isSpace(byte)) this.broken = true;
      return;
    }
    if (this.bareId !== null) {
      if (byte === COMMA || byte === CLOSE_BRACE || isSpace(byte)) this.finishBareId();
      else {
        if (this.bareId.length < MAX_CAPTURE_BYTES) this.bareId.push(byte);
        return;
      }
    }
    switch (byte) {
      case QUOTE:
        this.inString = true;
        this.captured = [];
        this.captureOverflow = false;
        if (this.depth !== 1) this.capture = "none";
        else if (!this.inValue) this.capture = "key";
        else if (this.key === "id") this.capture = "id";
        else if (this.key === "method") this.capture = "method";
        else this.capture = "none";
        return;
      case OPEN_BRACE:
      case OPEN_BRACKET:
        this.depth++;
        return;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        this.depth--;
        if (this.depth <= 0) this.done = true;
        return;
      case COLON:
        if (this.depth === 1) this.inValue = true;
        return;
      case COMMA:
        if (this.depth === 1) {
          this.inValue = false;
          this.key = null;
        }
        return;
      default:
        if (this.depth === 1 && this.inValue && this.key === "id" && !isSpace(byte) && !this.idRead) {
          this.bareId = [byte];
        }
    }
  }

  private keep(byte: number): void {
    if (this.capture === "none") return;
    if (this.captured.length < MAX_CAPTURE_BYTES) this.captured.push(byte);
    else this.captureOverflow = true;
  }

  private endString(): void {
    const capture = this.capture;
    this.capture = "none";
    if (capture === "none") return;
    const text = this.captureOverflow ? null : decodeJsonString(this.captured);
    if (capture === "key") {
      this.key = text;
      if (text === "method") this.methodSeen = true;
      else if (text === "result" || text === "error") this.responseKeySeen = true;
    } else if (capture === "id") {
      this.id = text;
      this.idRead = true;
    } else if (capture === "method") {
      this.method = text;
      this.methodValueRead = true;
    }
    this.checkDecided();
  }

  private finishBareId(): void {
    if (this.bareId === null) return;
    const text = Buffer.from(this.bareId).toString("latin1");
    this.bareId = null;
    const value = Number(text);
    this.id = text !== "" && Number.isFinite(value) ? value : null;
    this.idRead = true;
    this.checkDecided();
  }

  /** Stop as soon as the id and the kind are both known. */
  private checkDecided(): void {
    if (!this.idRead) return;
    if (this.responseKeySeen || (this.methodSeen && this.methodValueRead)) this.done = true;
  }
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

function decodeJsonString(bytes: number[]): string | null {
  try {
    return JSON.parse(`"${Buffer.from(bytes).toString("utf8")}"`) as string;
  } catch {
    return null;
  }
}

/** Scan a whole line held in memory. */
export function scanEnvelope(line: Uint8Array, start = 0, end = line.length): OversizeEnvelope {
  const scanner = new EnvelopeScanner();
  scanner.push(line, start, end);
  return scanner.result(true);
}
