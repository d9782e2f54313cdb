// The webhook retry loop of one host node: deliveries stored while the worker was unavailable (and deliveries
// whose node died mid-handling) are claimed in the database and handed to the worker once it runs here.
import type { Logger } from "pino";
import { type Clock, systemClock } from "../../domain/actor.js";
import type { WebhookService, WebhookWorkerGateway } from "./webhook-service.js";

export interface DeliveryWorkerOptions {
  service: WebhookService;
  gateway: WebhookWorkerGateway;
  logger: Logger;
  clock?: Clock;
  /** Time between passes; 0 = no timer (tests call tick()). Default 1 000. */
  pollIntervalMs?: number;
  /** Deliveries handled at once on this node. Default 4. */
  concurrency?: number;
  /** Lease of a claimed delivery. Default 5 min. */
  leaseMs?: number;
}

export class WebhookDeliveryWorker {
  private readonly clock: Clock;
  private readonly pollIntervalMs: number;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly inFlight = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<number> | null = null;
  private running = false;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.clock = options.clock ?? systemClock;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.concurrency = options.concurrency ?? 4;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stop claiming; wait for the deliveries being handled (their worker calls settle or fail). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.pass?.catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
  }

  /** One pass: claim due deliveries of plugins running here and start handling them. Returns how many. */
  tick(): Promise<number> {
    this.pass ??= this.runPass().finally(() => {
      this.pass = null;
    });
    return this.pass;
  }

  /** Resolves when no claimed delivery is being handled (tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private schedule(delay: number): void {
    if (!this.running || this.pollIntervalMs <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick().finally(() => this.schedule(this.pollIntervalMs));
    }, delay);
    this.timer.unref();
  }

  private async runPass(): Promise<number> {
    const free = this.concurrency - this.inFlight.size;
    if (free <= 0) return 0;
    try {
      const now = this.clock.now();
      const claimed = await this.options.service.store.claimDue(
        this.options.gateway.runningPluginIds(),
        now,
        free,
        this.options.service.nodeId,
        new Date(now.getTime() + this.leaseMs),
      );
      for (const row of claimed) {
        const work: Promise<unknown> = this.options.service
          .process(row)
          .then((result) => {
            this.options.logger.info(
              { deliveryId: row.id, pluginId: row.plugin_id, status: result.body.status },
              `Stored webhook delivery ${row.id} (${row.webhook_key}) handed to the worker: ${result.body.status}`,
            );
          })
          .catch((error: Error) => {
            this.options.logger.error(
              { deliveryId: row.id, err: error },
              `Handling webhook delivery ${row.id} failed`,
            );
          })
          .finally(() => this.inFlight.delete(work));
        this.inFlight.add(work);
      }
      return claimed.length;
    } catch (error) {
      this.options.logger.error({ err: error }, `Webhook retry pass failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
