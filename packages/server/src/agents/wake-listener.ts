// On a real PostgreSQL, other host nodes commit too (a cancel, a wakeup): LISTEN on the outbox channel wakes the
// executor for those that touch agents or runs. One dedicated connection, replaced after a short delay when it
// drops (the poll covers gaps).
import type pg from "pg";
import type { Logger } from "pino";
import type { Database } from "../db/database.js";
import { DOMAIN_EVENTS_CHANNEL, RUNS_CHANGED } from "../domain/notifier.js";

export class OutboxListener {
  private client: pg.PoolClient | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Database,
    private readonly onCommit: () => void,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.db.kind === "postgres") await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners("notification");
      client.release(true); // never return a LISTENing connection to the pool
    }
  }

  private async connect(): Promise<void> {
    let client: pg.PoolClient | null = null;
    try {
      client = await this.db.pool.connect();
      // Only commits that touch agents or runs concern the executor (the writer says so in the payload).
      client.on("notification", (message) => {
        if (message.payload === RUNS_CHANGED) this.onCommit();
      });
      client.on("error", (error) => this.dropped(error));
      await client.query(`LISTEN ${DOMAIN_EVENTS_CHANNEL}`);
      if (this.stopped) {
        client.release(true);
        return;
      }
      this.client = client;
      this.onCommit();
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
      `Run executor lost its LISTEN connection: ${error.message}; reconnecting`,
    );
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, 1_000);
  }
}
