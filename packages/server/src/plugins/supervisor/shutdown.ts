/**
 * The graceful stop sequence for one worker process: `shutdown` RPC (the worker runs onShutdown and
 * exits) raced with the exit, then SIGTERM, then SIGKILL — each step only if the previous one did not
 * end the process in time. Calls already in flight may finish meanwhile (the drain).
 */
import type { SupervisorLogger, SupervisorTimeouts } from "./types.js";
import type { WorkerProcess } from "./worker-process.js";

export type ShutdownTimeouts = Pick<
  SupervisorTimeouts,
  "shutdownMs" | "exitGraceMs" | "sigtermGraceMs" | "sigkillWaitMs"
>;

/** Resolves once the process is gone (or abandoned after SIGKILL); never rejects. */
export async function shutdownWorkerProcess(
  proc: WorkerProcess,
  pluginKey: string,
  timeouts: ShutdownTimeouts,
  logger: SupervisorLogger,
): Promise<void> {
  proc.stopRequested = true;
  proc.clearTimers();
  // A worker still in its handshake has no onShutdown to run yet: go straight to signals.
  if (proc.alive && proc.initialized && !proc.peer.isClosed) {
    const answered = proc.peer.call("shutdown", {}, { timeoutMs: timeouts.shutdownMs }).then(
      () => true,
      () => false,
    );
    await Promise.race([answered, proc.exited]);
    if (proc.alive) await proc.waitForExit(timeouts.exitGraceMs);
  }
  if (proc.alive) {
    proc.kill("SIGTERM");
    await proc.waitForExit(timeouts.sigtermGraceMs);
  }
  if (proc.alive) {
    logger.warn(
      { pluginKey, pid: proc.pid },
      `Worker of plugin "${pluginKey}" ignored shutdown and SIGTERM; sending SIGKILL`,
    );
    await killAndReap(proc, pluginKey, timeouts.sigkillWaitMs, logger);
  }
  proc.closeConnection(`Worker for plugin "${pluginKey}" was stopped`);
}

/** SIGKILL and wait for the exit; a process that survives even that is logged and abandoned. */
export async function killAndReap(
  proc: WorkerProcess,
  pluginKey: string,
  waitMs: number,
  logger: SupervisorLogger,
): Promise<void> {
  proc.kill("SIGKILL");
  if (await proc.waitForExit(waitMs)) return;
  logger.error(
    { pluginKey, pid: proc.pid },
    `Worker of plugin "${pluginKey}" (pid ${proc.pid}) did not exit ${waitMs}ms after SIGKILL; abandoning it`,
  );
}
