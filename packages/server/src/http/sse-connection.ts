// One Server-Sent Events response. Frames arriving in the same tick (a worker's burst arrives as a few stdout
// chunks, each holding hundreds of lines) are joined and written once on the next turn of the event loop: one
// write per burst, not one syscall per event. A client that stops reading is cut off once its unsent data
// passes `maxPendingBytes` (it reconnects with Last-Event-ID and resumes from the channel buffer), so a slow
// browser can never grow the host's memory without bound.
import type { ServerResponse } from "node:http";
import type { StreamListener } from "../plugins/streams/stream-bus.js";

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream",
  "Cache-Control": "no-cache",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
} as const;

/** Keep-alive comments of every SSE route (plugin streams, company events), unless configured. */
export const DEFAULT_KEEP_ALIVE_MS = 15_000;
export const KEEP_ALIVE_ENV = "PAPERCLIP_SSE_KEEPALIVE_MS";

/** The keep-alive interval an operator set in the environment, if any (checked: a whole number of ms ≥ 0). */
export function keepAliveFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[KEEP_ALIVE_ENV];
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${KEEP_ALIVE_ENV} must be a whole number of milliseconds ≥ 0 (got "${raw}")`);
  }
  return value;
}

export interface SseConnectionOptions {
  /** Interval of `: keep-alive` comments (proxies close silent connections). 0 turns them off. */
  keepAliveMs: number;
  /** Unsent bytes tolerated before the connection is dropped as too slow. */
  maxPendingBytes: number;
  /** Called once when the connection ended, for whatever reason. */
  onClose(reason: "client" | "slow" | "server"): void;
}

export class SseConnection implements StreamListener {
  private pending: string[] = [];
  private scheduled = false;
  private closed = false;
  private keepAlive: NodeJS.Timeout | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: SseConnectionOptions,
  ) {
    res.on("close", () => this.finish("client"));
  }

  /** Status line, headers and the `:ok` comment, written at once so the client sees the stream open. */
  open(): void {
    this.res.socket?.setNoDelay(true);
    this.res.writeHead(200, SSE_HEADERS);
    this.res.write(":ok\n\n");
    if (this.options.keepAliveMs > 0) {
      this.keepAlive = setInterval(() => this.write(": keep-alive\n\n"), this.options.keepAliveMs);
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  deliver(frame: string): void {
    if (this.closed) return;
    this.pending.push(frame);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  /** A comment line (`: text`), sent with the next batch. */
  comment(text: string): void {
    this.deliver(`: ${text.replace(/[\r\n]+/g, " ")}\n\n`);
  }

  /** End the response (host shutdown). */
  end(): void {
    if (this.closed) return;
    this.flush();
    this.res.end();
    this.finish("server");
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.closed || this.pending.length === 0) return;
    const chunk = this.pending.length === 1 ? this.pending[0]! : this.pending.join("");
    this.pending = [];
    this.write(chunk);
  };

  private write(chunk: string): void {
    if (this.closed) return;
    this.res.write(chunk);
    if (this.res.writableLength > this.options.maxPendingBytes) {
      this.res.destroy();
      this.finish("slow");
    }
  }

  private finish(reason: "client" | "slow" | "server"): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.options.onClose(reason);
  }
}
