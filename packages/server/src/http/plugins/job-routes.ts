// Job routes (reference §11): list jobs, list a job's runs, trigger a job; plus what this host adds: one job,
// one run, a job's settings (PATCH), and re-running a failed run. `:pluginId` is a uuid or plugin key; `:jobId`
// a job uuid or its jobKey. Reads need a board user, changes the instance admin. Errors are `{error}`.
import type { FastifyInstance } from "fastify";
import { requireBoardUser, requireInstanceAdmin } from "../../domain/authorization.js";
import { badRequest } from "../../errors.js";
import type { JobService } from "../../plugins/jobs/job-service.js";
import { JOB_STATUSES, type JobStatus } from "../../plugins/jobs/records.js";
import { type JobSettingsPatch, jobSettingsBodySchema } from "../../plugins/jobs/settings.js";
import { nonEmpty, obj } from "../../schema/schema-helpers.js";

export const DEFAULT_RUN_LIMIT = 25;
export const MAX_RUN_LIMIT = 500;

const tags = ["plugin jobs"];
const pluginParams = obj({ pluginId: nonEmpty(500) }, ["pluginId"]);
const jobParams = obj({ pluginId: nonEmpty(500), jobId: nonEmpty(500) }, ["pluginId", "jobId"]);
const runParams = obj({ pluginId: nonEmpty(500), jobId: nonEmpty(500), runId: nonEmpty(100) }, [
  "pluginId",
  "jobId",
  "runId",
]);
const textQuery = (names: string[]) =>
  obj(Object.fromEntries(names.map((name) => [name, { type: "string", maxLength: 40 }])));

type JobParams = { pluginId: string; jobId: string };
type RunParams = JobParams & { runId: string };

export function parseRunLimit(raw: string | undefined): number {
  if (raw === undefined || raw === "") return DEFAULT_RUN_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RUN_LIMIT) {
    throw badRequest(`limit must be an integer from 1 to ${MAX_RUN_LIMIT} (got "${raw}")`, {
      field: "limit",
    });
  }
  return limit;
}

export function parseJobStatus(raw: string | undefined): JobStatus | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (!JOB_STATUSES.includes(raw as JobStatus)) {
    throw badRequest(`status must be one of: ${JOB_STATUSES.join(", ")} (got "${raw}")`, { field: "status" });
  }
  return raw as JobStatus;
}

export function registerPluginJobRoutes(app: FastifyInstance, deps: { jobs: JobService }): void {
  const { jobs } = deps;

  app.get(
    "/api/plugins/:pluginId/jobs",
    { schema: { tags, params: pluginParams, querystring: textQuery(["status"]) } },
    async (request) => {
      requireBoardUser(request.actor);
      const { status } = request.query as { status?: string };
      return jobs.listJobs((request.params as { pluginId: string }).pluginId, parseJobStatus(status));
    },
  );

  app.get("/api/plugins/:pluginId/jobs/:jobId", { schema: { tags, params: jobParams } }, async (request) => {
    requireBoardUser(request.actor);
    const { pluginId, jobId } = request.params as JobParams;
    return jobs.getJob(pluginId, jobId);
  });

  app.patch(
    "/api/plugins/:pluginId/jobs/:jobId",
    { schema: { tags, params: jobParams, body: jobSettingsBodySchema } },
    async (request) => {
      requireInstanceAdmin(request.actor);
      const { pluginId, jobId } = request.params as JobParams;
      return jobs.updateSettings(pluginId, jobId, request.body as JobSettingsPatch);
    },
  );

  app.get(
    "/api/plugins/:pluginId/jobs/:jobId/runs",
    { schema: { tags, params: jobParams, querystring: textQuery(["limit"]) } },
    async (request) => {
      requireBoardUser(request.actor);
      const { pluginId, jobId } = request.params as JobParams;
      return jobs.listRuns(pluginId, jobId, parseRunLimit((request.query as { limit?: string }).limit));
    },
  );

  app.get(
    "/api/plugins/:pluginId/jobs/:jobId/runs/:runId",
    { schema: { tags, params: runParams } },
    async (request) => {
      requireBoardUser(request.actor);
      const { pluginId, jobId, runId } = request.params as RunParams;
      return jobs.getRun(pluginId, jobId, runId);
    },
  );

  app.post(
    "/api/plugins/:pluginId/jobs/:jobId/trigger",
    { schema: { tags, params: jobParams } },
    async (request) => {
      requireInstanceAdmin(request.actor);
      const { pluginId, jobId } = request.params as JobParams;
      return jobs.trigger(pluginId, jobId);
    },
  );

  app.post(
    "/api/plugins/:pluginId/jobs/:jobId/runs/:runId/retry",
    { schema: { tags, params: runParams } },
    async (request) => {
      requireInstanceAdmin(request.actor);
      const { pluginId, jobId, runId } = request.params as RunParams;
      return jobs.retry(pluginId, jobId, runId);
    },
  );
}
