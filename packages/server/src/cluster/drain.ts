// Graceful drain of one host node (docs/scale-out.md): it marks itself `draining`, stops claiming new work (job
// ticks, stored webhook deliveries, event-delivery leases), lets the work in flight finish and gives its leases up so
// another node takes over at once instead of waiting for them to expire. HTTP keeps answering and the plugin workers
// keep running (bridge calls still work); a stop (SIGTERM) drains first, then shuts the rest down.
import { performance } from "node:perf_hooks";
import type { Logger } from "pino";

/** One loop that claims work on this node; `stop` stops claiming, waits for what is in flight, releases leases. */
export interface DrainStep {
  /** What stops claiming, for the log ("job ticks"). */
  name: string;
  stop(): Promise<void>;
}

export interface NodeDrainOptions {
  nodeId: string;
  logger: Logger;
  /** Writes `draining` to the node's row and announces it. */
  markDraining(): Promise<void>;
  /** In order. */
  steps: readonly DrainStep[];
}

export class NodeDrain {
  private marked: Promise<void> | null = null;
  private finished: Promise<void> | null = null;

  constructor(private readonly options: NodeDrainOptions) {}

  /** True from the moment a drain began: nothing new is claimed here. */
  get draining(): boolean {
    return this.marked !== null;
  }

  /**
   * Begin draining (once; later calls join it). Resolves when the node is marked `draining`; `drain()` resolves when
   * every step finished.
   */
  begin(reason: string): Promise<void> {
    if (!this.marked) {
      const { nodeId, logger } = this.options;
      logger.info({ node: nodeId, reason }, `Node ${nodeId} draining (${reason}): claiming no new work`);
      this.marked = this.options.markDraining().catch((error: Error) => {
        logger.warn({ err: error }, `Could not mark node ${nodeId} draining: ${error.message}`);
      });
      this.finished = this.marked.then(() => this.runSteps());
    }
    return this.marked;
  }

  /** Drain and wait until the work in flight finished and the leases are released. */
  async drain(reason: string): Promise<void> {
    await this.begin(reason);
    await this.finished;
  }

  private async runSteps(): Promise<void> {
    const { nodeId, logger, steps } = this.options;
    const started = performance.now();
    for (const step of steps) {
      const stepStarted = performance.now();
      try {
        await step.stop();
        logger.info(
          { node: nodeId, step: step.name, ms: Math.round(performance.now() - stepStarted) },
          `Node ${nodeId} drain: ${step.name} stopped (in-flight work finished, leases released)`,
        );
      } catch (error) {
        logger.error(
          { err: error, node: nodeId, step: step.name },
          `Node ${nodeId} drain: stopping ${step.name} failed: ${(error as Error).message}`,
        );
      }
    }
    logger.info(
      { node: nodeId, ms: Math.round(performance.now() - started) },
      `Node ${nodeId} drained: it claims no work; HTTP and plugin workers keep running until it stops`,
    );
  }
}
