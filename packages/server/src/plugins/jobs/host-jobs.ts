// The jobs part of a host process, wired in one place: the scheduler over this node's runtime, the service the
// routes and the CLI use, and the routes. host-plugins.ts creates it after the runtime (whose host-services
// factory it wrapped with `runLogs`), starts it once plugins are active, and stops it around the runtime.
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { Database } from "../../db/database.js";
import type { PluginRuntime } from "../runtime/index.js";
import { registerPluginJobRoutes } from "./job-routes.js";
import { JobService } from "./job-service.js";
import type { RunLogCapture } from "./run-logs.js";
import { jobDirectoryFromRuntime, jobGatewayFromRuntime } from "./runtime-gateway.js";
import { JobScheduler, type JobSchedulerOptions } from "./scheduler.js";
import { jobDefaultsFromEnv, shutdownGraceFromEnv } from "./settings.js";

export interface HostJobsOptions {
  db: Database;
  logger: Logger;
  runtime: PluginRuntime;
  runLogs: RunLogCapture;
  env?: NodeJS.ProcessEnv;
  /** Overrides for tests (clock, intervals, node id). */
  scheduler?: Partial<JobSchedulerOptions>;
}

export interface HostJobs {
  readonly scheduler: JobScheduler;
  readonly service: JobService;
  registerRoutes(app: FastifyInstance): void;
  start(): Promise<void>;
  /** Stop claiming; runs still going after the grace period are recorded failed. Before the runtime stops. */
  stop(): Promise<void>;
  /** Wait for the last run results (after the runtime stopped, before the database closes). */
  drain(): Promise<void>;
}

export function createHostJobs(options: HostJobsOptions): HostJobs {
  const gateway = jobGatewayFromRuntime(options.runtime);
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
    registerRoutes: (app) => registerPluginJobRoutes(app, { jobs: service }),
    start: () => scheduler.start(),
    stop: () => scheduler.stop(),
    drain: () => scheduler.drain(),
  };
}
