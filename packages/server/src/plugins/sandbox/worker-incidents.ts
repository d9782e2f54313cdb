// Telling the operator when a running worker was killed or died: a blocked event loop (missed health pings), a
// memory cap reached, an unexpected exit. The supervisor already restarts it per its crash policy and the plugin
// reads `degraded` meanwhile; this adds the lasting record: one activity row per company (`plugin.worker.crashed`,
// with the cause and whether a restart follows) and an error line in the host log.
import type { Logger } from "pino";
import { SYSTEM_ACTOR } from "../../domain/actor.js";
import type { DomainServices } from "../../domain/services.js";
import { allCompanyIds, writePluginActivity } from "../lifecycle/activity.js";
import type { PluginRecord } from "../registry/index.js";
import type { WorkerCrashInfo } from "../supervisor/types.js";

/** What the operator should do about each cause, added to the activity row. */
const ADVICE: Partial<Record<WorkerCrashInfo["cause"], string>> = {
  hung:
    "Its event loop was blocked (synchronous work without awaits): the host killed and restarted it. Other plugins " +
    "were not affected.",
  out_of_memory:
    "It reached its memory cap and was killed; raise memoryLimitMb in its settings only if it really needs more.",
};

export class WorkerIncidents {
  constructor(
    private readonly deps: {
      services: DomainServices;
      findPlugin(pluginId: string): Promise<PluginRecord | null>;
      logger: Logger;
    },
  ) {}

  /** Record one crash of a running worker; never throws (a failed write is logged). */
  async crashed(pluginId: string, info: WorkerCrashInfo): Promise<void> {
    try {
      const record = await this.deps.findPlugin(pluginId);
      if (!record) return;
      const advice = ADVICE[info.cause];
      this.deps.logger.error(
        { pluginId, pluginKey: record.pluginKey, cause: info.cause, willRestart: info.willRestart },
        `Worker of plugin ${record.pluginKey} ${info.reason}${advice ? `. ${advice}` : ""}`,
      );
      const companyIds = await allCompanyIds(this.deps.services);
      if (companyIds.length === 0) return;
      await this.deps.services.runner.run(SYSTEM_ACTOR, async (m) => {
        writePluginActivity(m, companyIds, record, {
          action: "plugin.worker.crashed",
          details: {
            cause: info.cause,
            reason: info.reason,
            ...(advice ? { advice } : {}),
            willRestart: info.willRestart,
            restartDelayMs: info.restartDelayMs,
            consecutiveCrashes: info.consecutiveCrashes,
          },
        });
      });
    } catch (error) {
      this.deps.logger.warn(
        { pluginId, err: error },
        `Could not record the crash of plugin ${pluginId}'s worker in the activity log`,
      );
    }
  }
}
