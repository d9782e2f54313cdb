import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  findRun,
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
import { RunEventStream } from "../run-event-stream.js";
import { DEFAULT_KEEP_ALIVE_MS, keepAliveFromEnv, SseConnection } from "../sse-connection.js";

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
const seqQuery = int(0, 2_147_483_647);
const eventsQuery = obj({
  afterSeq: seqQuery,
  limit: {
    type: "integer",
    minimum: 1,
    description: "page size, default 200; larger values are clamped to 1000",
  },
});
const logQuery = obj({
  offset: int(0, Number.MAX_SAFE_INTEGER),
  limitBytes: {
    type: "integer",
    minimum: 1,
    description: "default 256000; larger values are clamped to 1 MiB",
  },
});
const liveQuery = obj({
  limit: { type: "integer", minimum: 1, description: "default and maximum 50" },
  minCount: {
    type: "integer",
    minimum: 0,
    description: "pad with recent finished runs up to this many (max 50)",
  },
});

export function registerRunRoutes(app: FastifyInstance): void {
  const { runs, db } = app.paperclip.services;
  const { events } = app.agentRuntime;
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
  app.get(
    "/api/companies/:companyId/live-runs",
    { schema: { tags, params: idParam("companyId"), querystring: liveQuery } },
    async (request) => {
      const query = request.query as { limit?: number; minCount?: number };
      return runs.liveRuns(
        (request.params as P).companyId,
        Math.min(query.limit ?? 50, 50),
        Math.min(query.minCount ?? 0, 50),
      );
    },
  );
  app.get(
    "/api/heartbeat-runs/:runId/events",
    {
      schema: {
        tags,
        summary: "A run's events, ascending by seq",
        params: idParam("runId"),
        querystring: eventsQuery,
      },
    },
    async (request) => {
      const { runId } = request.params as P;
      await findRun(db.orm, runId);
      const query = request.query as { afterSeq?: number; limit?: number };
      return events.list(runId, { afterSeq: query.afterSeq ?? 0, limit: Math.min(query.limit ?? 200, 1000) });
    },
  );
  app.get(
    "/api/heartbeat-runs/:runId/log",
    {
      schema: {
        tags,
        summary: "A run's stdout/stderr as text, by byte offset",
        params: idParam("runId"),
        querystring: logQuery,
      },
    },
    async (request, reply) => {
      const query = request.query as { offset?: number; limitBytes?: number };
      const page = await events.readLog((request.params as P).runId, query);
      reply.header("Cache-Control", "no-store");
      return page;
    },
  );
  registerRunEventStream(app);
  // Extension: an external runner may report the lifecycle of a run it executes itself (not claimed by a host).
  app.post(
    "/api/heartbeat-runs/:runId/status",
    { schema: { tags, params: idParam("runId"), body: statusBody } },
    async (request) =>
      runs.setStatus(request.actor, (request.params as P).runId, request.body as RunStatusInput),
  );
}

function registerRunEventStream(app: FastifyInstance): void {
  const { db } = app.paperclip.services;
  const { events, hub } = app.agentRuntime;
  const keepAliveMs = keepAliveFromEnv() ?? DEFAULT_KEEP_ALIVE_MS;
  const open = new Set<SseConnection>();
  // Open streams would hold the server open: end them before it stops accepting.
  app.addHook("preClose", (done) => {
    for (const connection of [...open]) connection.end();
    done();
  });
  app.get(
    "/api/heartbeat-runs/:runId/events/stream",
    {
      exposeHeadRoute: false,
      schema: {
        tags,
        summary: "A run's events live (Server-Sent Events)",
        description:
          "text/event-stream: the events after `afterSeq` (or Last-Event-ID), then live ones; each is `id: <seq>`, " +
          "`event: run.event`, `data: <RunEvent JSON>`. Ends after the run's terminal status event. " +
          "A `: keep-alive` comment every 15 s.",
        params: idParam("runId"),
        querystring: obj({ afterSeq: seqQuery }),
      },
    },
    async (request, reply) => {
      const { runId } = request.params as P;
      await findRun(db.orm, runId);
      const header = request.headers["last-event-id"];
      const fromHeader = typeof header === "string" && /^\d{1,9}$/.test(header) ? Number(header) : 0;
      const afterSeq = (request.query as { afterSeq?: number }).afterSeq ?? fromHeader;
      let stream: RunEventStream | null = null;
      const connection = new SseConnection(reply.raw, {
        keepAliveMs,
        maxPendingBytes: 8 * 1024 * 1024,
        onClose: () => {
          stream?.close();
          open.delete(connection);
        },
      });
      reply.hijack();
      if (connection.isClosed) return;
      open.add(connection);
      connection.open();
      stream = new RunEventStream(runId, afterSeq, events, hub, connection, async () =>
        findRun(db.orm, runId).catch(() => null),
      );
      stream.start();
    },
  );
}
