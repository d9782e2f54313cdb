// The run executor of one host node: claims queued runs in the database (a lease per run, so nodes sharing one
// PostgreSQL never run a run twice), executes them through their adapters, and reacts to what other callers do to
// its runs. Woken by commits that touch agents or runs (this process's notifier, LISTEN for other nodes) with a
// poll as safety net; a pass reads the run events of the outbox (cancels stop the process at once), fails runs
// whose host died, then claims while slots are free (per agent: runtimeConfig.maxConcurrentRuns, default 1; per
// node: maxConcurrentRuns).
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import { SYSTEM_ACTOR } from "../domain/actor.js";
import { touchesRuns } from "../domain/notifier.js";
import type { RunLeases } from "../domain/run-leases.js";
import { findRun, type Run, runIsActive } from "../domain/runs.js";
import type { DomainServices } from "../domain/services.js";
import type { AdapterRegistry } from "./adapters/registry.js";
import type { AgentKeys } from "./agent-keys.js";
import type { RunEventStore } from "./run-events.js";
import { HOST_LOST_REASON, RunExecution } from "./run-execution.js";
import { OutboxListener } from "./wake-listener.js";

export interface RunExecutorOptions {
  /** Runs this node executes at once (default 8). */
  maxConcurrentRuns?: number;
  /** How long a claim holds without renewal (default 30 s; renewed every third of it). */
  leaseMs?: number;
  /** Safety-net poll (default 2 s). */
  pollMs?: number;
  /** Lease owner name of this node; default `<hostname>:<pid>:<random>`. */
  nodeId?: string;
  /**
   * No other host uses this database (default: true for the embedded PGlite, whose folder one host locks): at start,
   * every leased run still `running` was left by a stopped host and is failed at once, not after its lease expires.
   */
  exclusiveDatabase?: boolean;
}

const RUN_END_EVENTS = ["agent.run.cancelled", "agent.run.failed", "agent.run.finished"];
const OUTBOX_PAGE = 500;
/** A burst of commits costs one pass per this many ms, not one per commit (the first repeat runs at once). */
const MIN_PASS_GAP_MS = 50;

export interface RunExecutorDeps {
  services: DomainServices;
  leases: RunLeases;
  events: RunEventStore;
  keys: AgentKeys;
  adapters: AdapterRegistry;
  logger: Logger;
  dataDir: string | null;
  apiUrl: () => string;
}

export class RunExecutor {
  readonly nodeId: string;
  private readonly cap: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly exclusive: boolean;
  private readonly active = new Map<string, RunExecution>();
  private readonly finished = new Set<Promise<unknown>>();
  private readonly listener: OutboxListener;
  private cursor = 0;
  private state: "idle" | "started" | "stopping" = "idle";
  private passing: Promise<void> | null = null;
  private again = false;
  private claimWanted = true;
  private lastAbandonedCheck = 0;
  private unsubscribe: (() => void) | null = null;
  private pollTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: RunExecutorDeps,
    options: RunExecutorOptions = {},
  ) {
    this.nodeId = options.nodeId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.cap = Math.max(1, options.maxConcurrentRuns ?? 8);
    this.leaseMs = Math.max(300, options.leaseMs ?? 30_000);
    this.pollMs = Math.max(50, options.pollMs ?? 2_000);
    this.exclusive = options.exclusiveDatabase ?? deps.services.db.kind === "pglite";
    this.listener = new OutboxListener(deps.services.db, () => this.wake(), deps.logger);
  }

  /** Runs executing on this node. */
  get running(): number {
    return this.active.size;
  }

  async start(): Promise<void> {
    if (this.state !== "idle") return;
    this.state = "started";
    this.cursor = await this.deps.services.outbox.head();
    await this.failAbandoned(this.exclusive);
    // Commits that cannot change what runs (an issue, a plugin's events) do not cost a pass.
    this.unsubscribe = this.deps.services.notifier.subscribe((commit) => {
      if (commit.events.some(touchesRuns)) this.wake();
    });
    await this.listener.start();
    this.pollTimer = setInterval(() => {
      this.claimWanted = true;
      this.wake();
    }, this.pollMs);
    this.pollTimer.unref();
    this.wake();
  }

  /** Stops claiming, stops every run of this node (they fail: the host stopped), waits for them to be recorded. */
  async stop(): Promise<void> {
    if (this.state !== "started") return;
    this.state = "stopping";
    this.unsubscribe?.();
    if (this.pollTimer) clearInterval(this.pollTimer);
    await this.listener.stop();
    await this.passing;
    for (const execution of this.active.values()) execution.stop("host_stopping");
    await Promise.allSettled([...this.finished]);
  }

  wake(): void {
    if (this.state !== "started") return;
    if (this.passing) {
      this.again = true;
      return;
    }
    this.passing = (async () => {
      let repeats = 0;
      do {
        this.again = false;
        try {
          await this.pass();
        } catch (error) {
          this.deps.logger.warn({ err: error }, `Run executor pass failed: ${(error as Error).message}`);
        }
        if (this.again && ++repeats > 1) await new Promise((resolve) => setTimeout(resolve, MIN_PASS_GAP_MS));
      } while (this.again && this.state === "started");
      this.passing = null;
    })();
  }

  private async pass(): Promise<void> {
    if (await this.readRunEnds()) this.claimWanted = true;
    if (Date.now() - this.lastAbandonedCheck >= this.leaseMs / 2) await this.failAbandoned(false);
    if (!this.claimWanted) return;
    this.claimWanted = false;
    while (this.state === "started" && this.active.size < this.cap) {
      const run = await this.deps.leases.claimNext(SYSTEM_ACTOR, this.nodeId, this.leaseMs);
      if (!run) break;
      this.launch(run);
    }
  }

  private launch(run: Run): void {
    const { services, leases, events, keys, adapters, logger, dataDir, apiUrl } = this.deps;
    const execution = new RunExecution(
      {
        services,
        leases,
        events,
        keys,
        logger,
        dataDir,
        apiUrl,
        adapter: (type) => adapters.get(type),
        owner: this.nodeId,
        leaseMs: this.leaseMs,
      },
      run,
    );
    this.active.set(run.id, execution);
    const done = execution
      .execute()
      .catch((error: Error) =>
        logger.error({ err: error, runId: run.id }, `Run ${run.id} crashed: ${error.message}`),
      )
      .finally(() => {
        this.active.delete(run.id);
        this.finished.delete(done);
        this.claimWanted = true;
        this.wake();
      });
    this.finished.add(done);
    // A cancel committed between the claim and now is in the outbox already: look at once.
    this.wake();
  }

  /** Reads the outbox's run-end events since the cursor; true when there were any (slots may have freed). */
  private async readRunEnds(): Promise<boolean> {
    const { outbox } = this.deps.services;
    let any = false;
    for (;;) {
      const head = await outbox.head();
      if (head <= this.cursor) return any;
      any = true; // any commit may have queued a run
      const page = await outbox.read({
        afterSeq: this.cursor,
        eventTypes: RUN_END_EVENTS,
        limit: OUTBOX_PAGE,
      });
      for (const event of page) if (event.entityId) await this.runEnded(event.entityId);
      if (page.length < OUTBOX_PAGE) {
        this.cursor = Math.max(head, page.at(-1)?.seq ?? 0);
        return any;
      }
      this.cursor = page.at(-1)!.seq;
    }
  }

  private async runEnded(runId: string): Promise<void> {
    const execution = this.active.get(runId);
    if (execution) {
      // Someone else ended a run this node executes (a cancel): kill it now.
      if (!execution.finishing) execution.stop("cancelled");
      return;
    }
    // A run no executor held (a queued run cancelled, an external runner's report): its terminal event, once.
    const run = await findRun(this.deps.services.db.orm, runId).catch(() => null);
    if (!run || runIsActive(run.status) || run.leaseOwner !== null) return;
    await this.deps.events.append(run, [
      {
        eventType: "status",
        stream: "system",
        level: run.status === "succeeded" ? "info" : "error",
        message: run.error ? `${run.status}: ${run.error}` : run.status,
        payload: { status: run.status, ...(run.error ? { error: run.error } : {}) },
      },
    ]);
  }

  private async failAbandoned(all: boolean): Promise<void> {
    this.lastAbandonedCheck = Date.now();
    const failed = await this.deps.leases.failAbandoned(SYSTEM_ACTOR, HOST_LOST_REASON, { all });
    for (const run of failed) {
      this.deps.logger.warn(
        { runId: run.id, agentId: run.agentId },
        `Run ${run.id} failed: ${HOST_LOST_REASON}`,
      );
      await this.deps.keys.revokeRunTokens(run.id);
      await this.deps.events.append(run, [
        {
          eventType: "status",
          stream: "system",
          level: "error",
          message: `failed: ${HOST_LOST_REASON}`,
          payload: { status: "failed", error: HOST_LOST_REASON },
        },
      ]);
    }
  }
}
