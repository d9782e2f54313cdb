// A Server-Sent Events client for the multi-node tests and the cluster bench's shape: reads a real HTTP response
// body and splits it into frames (id, event, data), ignoring comments.

export interface SseFrame {
  id: string | null;
  event: string;
  data: string;
  /** performance.now() when the frame was parsed. */
  receivedAt: number;
}

export class SseClient {
  readonly frames: SseFrame[] = [];
  private readonly abort = new AbortController();
  private waiters: { test: () => boolean; resolve: () => void }[] = [];
  private ended = false;
  status = 0;

  private constructor(readonly url: string) {}

  /** Connect and resolve once the response headers arrived (the stream is subscribed). */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient(url);
    const response = await fetch(url, {
      headers: { accept: "text/event-stream", ...headers },
      signal: client.abort.signal,
    });
    client.status = response.status;
    if (!response.ok || !response.body) {
      throw new Error(`SSE ${url} answered ${response.status}: ${await response.text()}`);
    }
    void client.read(response.body);
    return client;
  }

  /** Frames of one event type (`message` for plain data frames). */
  of(event: string): SseFrame[] {
    return this.frames.filter((frame) => frame.event === event);
  }

  /** Wait until `test` holds (checked on every frame), or fail after `timeoutMs` naming what was seen. */
  async waitFor(test: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    if (test()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.resolve !== done);
        reject(
          new Error(`SSE ${this.url}: timed out waiting for ${what}; got ${this.frames.length} frame(s)`),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ test, resolve: done });
    });
  }

  close(): void {
    this.ended = true;
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end !== -1) {
          this.parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
        }
        this.wake();
      }
    } catch (error) {
      if (!this.ended) throw error;
    }
  }

  private parse(block: string): void {
    let id: string | null = null;
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") id = value;
      else if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (data.length === 0 && id === null) return;
    this.frames.push({ id, event, data: data.join("\n"), receivedAt: performance.now() });
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (waiter.test()) waiter.resolve();
      else this.waiters.push(waiter);
    }
  }
}
