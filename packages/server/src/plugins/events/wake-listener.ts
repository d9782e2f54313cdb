// On a real PostgreSQL, other host nodes commit events too: LISTEN on the outbox channel (every outbox commit
// sends pg_notify in its transaction) and on the stream channel (replays queued, leases released), and wake the local streams. One dedicated
// connection; when it drops, it is replaced after a short delay (the streams' safety-net poll covers the gap).
import type pg from "pg";
import type { Logger } from "pino";
import type { Database } from "../../db/database.js";
import { DOMAIN_EVENTS_CHANNEL } from "../../domain/notifier.js";

/**
 * pg_notify channel whose payload is a plugin id whose stream needs a look on every node: a dead letter was
 * queued for replay, or the lease was released (another node may take the stream over now).
 */
export const EVENT_STREAM_CHANNEL = "paperclip_plugin_event_stream";

export interface WakeHandlers {
  onEvents(): void;
  onStream(pluginId: string): void;
}

export class WakeListener {
  private client: pg.PoolClient | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Database,
    private readonly handlers: WakeHandlers,
    private readonly logger: Logger,
    private readonly reconnectMs = 1_000,
  ) {}

  async start(): Promise<void> {
    if (this.db.kind !== "postgres") return;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners("notification");
      // Destroy rather than return a LISTENing connection to the pool.
      client.release(true);
    }
  }

  private async connect(): Promise<void> {
    let client: pg.PoolClient | null = null;
    try {
      client = await this.db.pool.connect();
      client.on("notification", (message) => {
        if (message.channel === DOMAIN_EVENTS_CHANNEL) this.handlers.onEvents();
        else if (message.channel === EVENT_STREAM_CHANNEL && message.payload)
          this.handlers.onStream(message.payload);
      });
      client.on("error", (error) => this.dropped(error));
      await client.query(`LISTEN ${DOMAIN_EVENTS_CHANNEL}`);
      await client.query(`LISTEN ${EVENT_STREAM_CHANNEL}`);
      if (this.stopped) {
        client.release(true);
        return;
      }
      this.client = client;
      // Commits made while we were not listening.
      this.handlers.onEvents();
    } catch (error) {
      client?.release(true);
      this.dropped(error as Error);
    }
  }

  private dropped(error: Error): void {
    if (this.stopped) return;
    if (this.client) {
      this.client.removeAllListeners("notification");
      this.client.release(true);
      this.client = null;
    }
    this.logger.warn(
      { err: error },
      `Event wake-up listener lost its connection: ${error.message}; reconnecting`,
    );
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, this.reconnectMs);
  }
}
