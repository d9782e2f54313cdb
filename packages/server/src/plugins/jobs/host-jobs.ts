// The jobs part of a host process, wired in one place: the scheduler over this node's runtime and the service
// the job routes (HTTP layer) and the CLI use. host-plugins.ts creates it after the runtime
// (whose host-services factory got `runLogs.sinks`), starts it once plugins are active, and stops it
// around the runtime.
import type { Logger } from "pino";
import type { Database } from "../../db/database.js";
import type { PluginRuntime } from "../runtime/index.js";
import { JobService } from "./job-service.js";
import type { RunLogCapture } from "./run-logs.js";
import { jobDirectoryFromRuntime, jobGatewayFromRuntime } from "./runtime-gateway.js";
import { JobScheduler, type JobSchedulerOptions, type JobWorkerGateway } from "./scheduler.js";
import { jobDefaultsFromEnv, shutdownGraceFromEnv } from "./settings.js";

export interface HostJobsOptions {
  db: Database;
  logger: Logger;
  runtime: PluginRuntime;
  runLogs: RunLogCapture;
  env?: NodeJS.ProcessEnv;
  /** Overrides for tests (clock, intervals, node id). */
  scheduler?: Partial<JobSchedulerOptions>;
  /** The host's metrics of job runs (src/observability); none when absent. */
  observer?: JobRunObserver;
}

/** What the host's metrics see of job runs on this node. */
export interface JobRunObserver {
  jobRunFinished(pluginId: string, jobKey: string, status: "succeeded" | "failed", seconds: number): void;
}

export interface HostJobs {
  readonly scheduler: JobScheduler;
  readonly service: JobService;
  start(): Promise<void>;
  /** Stop claiming; runs still going after the grace period are recorded failed. Before the runtime stops. */
  stop(): Promise<void>;
  /** Wait for the last run results (after the runtime stopped, before the database closes). */
  drain(): Promise<void>;
}

export function createHostJobs(options: HostJobsOptions): HostJobs {
  const gateway = observedGateway(jobGatewayFromRuntime(options.runtime), options.observer);
  const directory = jobDirectoryFromRuntime(options.runtime);
  const scheduler = new JobScheduler({
    db: options.db,
    gateway,
    directory,
    logger: options.logger.child({ component: "jobs" }),
    defaults: jobDefaultsFromEnv(options.env),
    shutdownGraceMs: shutdownGraceFromEnv(options.env),
    runLogs: options.runLogs,
    ...options.scheduler,
  });
  const service = new JobService({ scheduler, directory, gateway });
  return {
    scheduler,
    service,
    start: () => scheduler.start(),
    stop: () => scheduler.stop(),
    drain: () => scheduler.drain(),
  };
}

/** The gateway with each runJob timed and its outcome told to the observer. */
function observedGateway(gateway: JobWorkerGateway, observer: JobRunObserver | undefined): JobWorkerGateway {
  if (!observer) return gateway;
  return {
    ...gateway,
    async runJob(pluginId, job, options) {
      const started = performance.now();
      let status: "succeeded" | "failed" = "failed";
      try {
        await gateway.runJob(pluginId, job, options);
        status = "succeeded";
      } finally {
        observer.jobRunFinished(pluginId, job.jobKey, status, (performance.now() - started) / 1000);
      }
    },
  };
}
