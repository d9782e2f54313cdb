import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  RUN_SOURCES,
  RUN_STATUSES,
  RUN_TRIGGERS,
  type RunFilter,
  type RunStatusInput,
  type WakeupInput,
} from "../../domain/runs.js";
import {
  enumOf,
  idParam,
  int,
  LIMITS,
  nullable,
  nullableRecord,
  obj,
  pageQuery,
  str,
  uuid,
} from "../../schema/schema-helpers.js";

const wakeBody = obj({
  source: enumOf(RUN_SOURCES),
  triggerDetail: enumOf(RUN_TRIGGERS),
  reason: nullable(str(LIMITS.shortText)),
  payload: nullableRecord,
  idempotencyKey: nullable(str(255)),
  forceFreshSession: { type: "boolean" },
});
const statusBody = obj(
  {
    status: enumOf(RUN_STATUSES),
    error: nullable(str(LIMITS.text)),
    errorCode: nullable(str(LIMITS.key)),
    exitCode: nullable(int(-2_147_483_648)),
    usageJson: nullableRecord,
    resultJson: nullableRecord,
  },
  ["status"],
);
const tags = ["runs"];
type P = { companyId: string; id: string; runId: string };

export function registerRunRoutes(app: FastifyInstance): void {
  const { runs } = app.paperclip.services;
  const wake = async (request: FastifyRequest, reply: FastifyReply) =>
    reply
      .status(202)
      .send(await runs.wakeup(request.actor, (request.params as P).id, (request.body ?? {}) as WakeupInput));
  app.post("/api/agents/:id/wakeup", { schema: { tags, params: idParam("id"), body: wakeBody } }, wake);
  // The original skips validation on this alias; here both paths validate the same body.
  app.post(
    "/api/agents/:id/heartbeat/invoke",
    { schema: { tags, params: idParam("id"), body: wakeBody } },
    wake,
  );
  app.get(
    "/api/companies/:companyId/heartbeat-runs",
    {
      schema: {
        tags,
        params: idParam("companyId"),
        querystring: obj({ ...pageQuery(1000), agentId: uuid, status: enumOf(RUN_STATUSES) }),
      },
    },
    async (request) => runs.list((request.params as P).companyId, request.query as RunFilter),
  );
  app.get("/api/heartbeat-runs/:runId", { schema: { tags, params: idParam("runId") } }, async (request) =>
    runs.get((request.params as P).runId),
  );
  app.post(
    "/api/heartbeat-runs/:runId/cancel",
    { schema: { tags, params: idParam("runId") } },
    async (request) => runs.cancel(request.actor, (request.params as P).runId),
  );
  // Extension: whoever executes the agent reports the run's lifecycle here (this host runs no adapters).
  app.post(
    "/api/heartbeat-runs/:runId/status",
    { schema: { tags, params: idParam("runId"), body: statusBody } },
    async (request) =>
      runs.setStatus(request.actor, (request.params as P).runId, request.body as RunStatusInput),
  );
}
