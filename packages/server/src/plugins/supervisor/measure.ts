/** Timing helper for bench/: how long from spawning a worker until it answered `initialize`. */
import { WorkerSupervisor } from "./supervisor.js";
import type { WorkerSupervisorOptions } from "./types.js";

/** Start a supervisor, read its spawn→ready time (ms), stop it. */
export async function measureSpawnToReady(options: WorkerSupervisorOptions): Promise<number> {
  const supervisor = new WorkerSupervisor(options);
  try {
    await supervisor.start();
    const measured = supervisor.diagnostics().spawnToReadyMs;
    if (measured === null)
      throw new Error(`Worker for plugin "${supervisor.pluginKey}" reported no ready time`);
    return measured;
  } finally {
    await supervisor.stop();
  }
}
