// One claimed run, start to end: build the adapter's context, stream its output into run events (batched, in
// order), enforce the time limit, keep the lease alive, and finish: cost event, status transition, the terminal
// status event last, run token revoked.
import type { Logger } from "pino";
import { SYSTEM_ACTOR } from "../domain/actor.js";
import type { RunLeases } from "../domain/run-leases.js";
import type { Run, RunStatusInput } from "../domain/runs.js";
import type { DomainServices } from "../domain/services.js";
import type {
  AbortCause,
  AdapterResult,
  AdapterRunContext,
  AdapterUsage,
  AgentAdapter,
} from "./adapters/types.js";
import type { AgentKeys } from "./agent-keys.js";
import { loadAgent, promptOf, timeoutMsOf, workingFolder } from "./run-context.js";
import type { NewRunEvent, RunEventStore } from "./run-events.js";

export const HOST_LOST_REASON = "the host running this run stopped before it finished";

export interface ExecutionDeps {
  services: DomainServices;
  leases: RunLeases;
  events: RunEventStore;
  keys: AgentKeys;
  logger: Logger;
  dataDir: string | null;
  apiUrl: () => string;
  adapter: (type: string) => AgentAdapter | undefined;
  owner: string;
  leaseMs: number;
}

const FLUSH_EVENTS = 200;

export class RunExecution {
  private readonly abort = new AbortController();
  private buffer: NewRunEvent[] = [];
  private writing: Promise<void> = Promise.resolve();
  /** A flush is scheduled: it runs once the write before it committed, taking every line buffered meanwhile. */
  private flushQueued = false;
  /** Set once the executor itself finishes the run: later run events from the outbox are its own. */
  finishing = false;

  constructor(
    private readonly deps: ExecutionDeps,
    readonly run: Run,
  ) {}

  /** Stop the run (cancel, timeout, host stop, lease lost); the first cause wins. */
  stop(cause: AbortCause | "lease_lost"): void {
    if (!this.abort.signal.aborted) this.abort.abort(cause);
  }

  async execute(): Promise<Run> {
    const { run, deps } = this;
    const renew = setInterval(() => void this.renew(), Math.max(50, Math.floor(deps.leaseMs / 3)));
    renew.unref();
    let timer: NodeJS.Timeout | null = null;
    let result: AdapterResult;
    let timeoutMs = 0;
    try {
      this.emit({
        eventType: "status",
        stream: "system",
        level: "info",
        message: "running",
        payload: { status: "running" },
      });
      const agent = await loadAgent(deps.services.db, run.agentId);
      const adapter = agent ? deps.adapter(agent.adapterType) : undefined;
      if (!agent) result = { status: "failed", error: "The run's agent no longer exists" };
      else if (!adapter) {
        result = {
          status: "failed",
          error: `Unknown adapter type "${agent.adapterType}": this host has no adapter of that type`,
          errorCode: "adapter_unknown",
        };
      } else {
        timeoutMs = timeoutMsOf(agent);
        if (timeoutMs > 0) timer = setTimeout(() => this.stop("timed_out"), timeoutMs);
        const context = (run.contextSnapshot ?? {}) as Record<string, unknown>;
        const token = await deps.keys.issueRunToken(run);
        const adapterContext: AdapterRunContext = {
          run: {
            id: run.id,
            companyId: run.companyId,
            agentId: run.agentId,
            issueId: run.issueId,
            wakeReason: typeof context.wakeReason === "string" ? context.wakeReason : null,
            prompt: promptOf(context),
            context,
          },
          agent: {
            id: agent.id,
            name: agent.name,
            adapterType: agent.adapterType,
            adapterConfig: agent.adapterConfig ?? {},
            runtimeConfig: agent.runtimeConfig ?? {},
          },
          cwd: await workingFolder(deps.services.db, run, deps.dataDir),
          apiUrl: deps.apiUrl(),
          token,
          signal: this.abort.signal,
          logger: deps.logger.child({ runId: run.id, agentId: run.agentId }),
          line: (stream, text) =>
            this.emit({
              eventType: "chunk",
              stream,
              level: stream === "stderr" ? "warn" : "info",
              message: text,
            }),
          event: (event) =>
            this.emit(event.eventType === "status" ? { ...event, eventType: "system" } : event),
        };
        result = await adapter.execute(adapterContext);
      }
    } catch (error) {
      result = {
        status: "failed",
        error: (error as Error).message || String(error),
        errorCode: "adapter_error",
      };
    } finally {
      clearInterval(renew);
      if (timer) clearTimeout(timer);
    }
    return this.finish(result, timeoutMs);
  }

  private async finish(result: AdapterResult, timeoutMs: number): Promise<Run> {
    const { run, deps } = this;
    this.finishing = true;
    await this.flush();
    const cause = this.abort.signal.reason as AbortCause | "lease_lost" | undefined;
    const input: RunStatusInput = this.statusInput(result, cause, timeoutMs);
    let finished = run;
    try {
      if (result.usage && cause !== "lease_lost") await this.reportUsage(result.usage);
      finished = await deps.leases.finishClaimed(SYSTEM_ACTOR, run.id, deps.owner, input);
      // A lost lease means whoever failed the run also wrote its terminal event.
      if (cause !== "lease_lost") {
        await deps.events.append(run, [
          {
            eventType: "status",
            stream: "system",
            level: finished.status === "succeeded" ? "info" : "error",
            message: finished.error ? `${finished.status}: ${finished.error}` : finished.status,
            payload: {
              status: finished.status,
              ...(finished.error ? { error: finished.error } : {}),
              ...(finished.exitCode !== null ? { exitCode: finished.exitCode } : {}),
              ...(typeof result.finalText === "string" ? { finalText: result.finalText } : {}),
            },
          },
        ]);
      }
    } catch (error) {
      deps.logger.error(
        { err: error, runId: run.id },
        `Could not record the end of run ${run.id}: ${(error as Error).message}`,
      );
    } finally {
      await deps.keys.revokeRunTokens(run.id).catch(() => {});
    }
    return finished;
  }

  private statusInput(
    result: AdapterResult,
    cause: AbortCause | "lease_lost" | undefined,
    timeoutMs: number,
  ): RunStatusInput {
    const resultJson = typeof result.finalText === "string" ? { finalText: result.finalText } : null;
    const base = {
      exitCode: result.exitCode ?? null,
      usageJson: result.usage ? { ...result.usage } : null,
      resultJson,
    };
    if (cause === "cancelled") return { ...base, status: "cancelled" };
    if (cause === "timed_out") {
      return {
        ...base,
        status: "timed_out",
        error: `Timed out after ${timeoutMs / 1000}s`,
        errorCode: "timeout",
      };
    }
    if (cause === "host_stopping" || cause === "lease_lost") {
      return { ...base, status: "failed", error: HOST_LOST_REASON, errorCode: "host_lost" };
    }
    if (result.status === "succeeded") return { ...base, status: "succeeded" };
    return {
      ...base,
      status: "failed",
      error: result.error ?? "The agent failed",
      errorCode: result.errorCode ?? null,
    };
  }

  private async reportUsage(usage: AdapterUsage): Promise<void> {
    const { run, deps } = this;
    try {
      await deps.services.costs.create(SYSTEM_ACTOR, run.companyId, {
        agentId: run.agentId,
        heartbeatRunId: run.id,
        issueId: run.issueId,
        provider: usage.provider ?? "unknown",
        model: usage.model ?? "unknown",
        costCents: usage.costCents ?? 0,
        inputTokens: usage.inputTokens ?? 0,
        outputTokens: usage.outputTokens ?? 0,
        cachedInputTokens: usage.cachedInputTokens ?? 0,
        costStatus: usage.costCents === undefined ? "unpriced" : "reported",
        occurredAt: new Date().toISOString(),
      });
    } catch (error) {
      deps.logger.warn(
        { err: error, runId: run.id },
        `Could not record the usage of run ${run.id}: ${(error as Error).message}`,
      );
    }
  }

  private async renew(): Promise<void> {
    try {
      const status = await this.deps.leases.renewLease(this.run.id, this.deps.owner, this.deps.leaseMs);
      if (status === null) this.stop("lease_lost");
      // Stopped elsewhere (a cancel whose notification did not reach this node, a status report).
      else if (status !== "running" && !this.finishing) this.stop("cancelled");
    } catch (error) {
      this.deps.logger.warn(
        { err: error, runId: this.run.id },
        `Could not renew the lease of run ${this.run.id}`,
      );
    }
  }

  private emit(event: NewRunEvent): void {
    this.buffer.push(event);
    if (this.buffer.length >= FLUSH_EVENTS) void this.flush();
    else if (!this.flushQueued) {
      // The first line goes out at once (no fixed delay: a session waits for it); lines arriving while a write
      // is in flight are batched into the next one, so a chatty process costs one write per commit, not per line.
      this.flushQueued = true;
      void this.writing.then(() => setImmediate(() => void this.flush()));
    }
  }

  /** Writes are chained, so events commit in the order they were emitted. */
  private flush(): Promise<void> {
    this.flushQueued = false;
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length > 0) {
      this.writing = this.writing.then(() =>
        this.deps.events.append(this.run, batch).then(
          () => {},
          (error: Error) =>
            this.deps.logger.warn(
              { err: error, runId: this.run.id },
              `Could not store output of run ${this.run.id}: ${error.message}`,
            ),
        ),
      );
    }
    return this.writing;
  }
}
