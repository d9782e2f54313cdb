// The host nodes sharing this database (docs/scale-out.md), for the instance admin: the list the board's Nodes page
// shows (status, heartbeat age, version, uptime, plugin workers, leases) and the drain of one node.
import type { FastifyInstance } from "fastify";
import type { NodeList, NodeView } from "../../cluster/index.js";
import { bool, idParam, int, nullable, obj } from "../../schema/schema-helpers.js";
import type { RouteAccess } from "../auth/route-access.js";

/** What the routes call (the host's NodeAdmin). */
export interface NodeRouteDeps {
  list(): Promise<NodeList>;
  drain(nodeId: string, requestedBy: string): Promise<NodeView>;
}

const ADMIN: RouteAccess = { caller: "admin" };
const TAGS = ["instance"];
const text = { type: "string" };
const time = { type: "string", format: "date-time" };
const count = int(0);

const workerView = obj(
  {
    pluginId: text,
    pluginKey: text,
    status: text,
    pid: nullable(int(0)),
    version: nullable(text),
  },
  ["pluginId", "pluginKey", "status", "pid", "version"],
);

const nodeView = obj(
  {
    nodeId: text,
    self: bool,
    hostName: text,
    pid: int(0),
    version: text,
    url: nullable(text),
    status: { type: "string", enum: ["active", "draining", "stopped", "unreachable"] },
    heartbeatIntervalMs: int(1),
    startedAt: time,
    lastHeartbeatAt: time,
    stoppedAt: nullable(time),
    heartbeatAgeMs: { type: "number", minimum: 0 },
    uptimeMs: { type: ["number", "null"], minimum: 0 },
    workers: { type: "array", items: workerView },
    leases: obj(
      {
        events: {
          type: "array",
          items: obj({ pluginId: text, pluginKey: text, expiresAt: time }, [
            "pluginId",
            "pluginKey",
            "expiresAt",
          ]),
        },
        webhookDeliveries: count,
        jobRuns: count,
      },
      ["events", "webhookDeliveries", "jobRuns"],
    ),
  },
  [
    "nodeId",
    "self",
    "hostName",
    "pid",
    "version",
    "url",
    "status",
    "heartbeatIntervalMs",
    "startedAt",
    "lastHeartbeatAt",
    "stoppedAt",
    "heartbeatAgeMs",
    "uptimeMs",
    "workers",
    "leases",
  ],
);

export function registerNodeRoutes(app: FastifyInstance, nodes: NodeRouteDeps): void {
  app.get(
    "/api/instance/nodes",
    {
      config: { access: ADMIN },
      schema: {
        tags: TAGS,
        summary: "The host nodes sharing this database: status, heartbeat, version, uptime, workers, leases",
        response: {
          200: obj(
            {
              nodeId: { ...text, description: "the node that answered" },
              nodes: { type: "array", items: nodeView },
            },
            ["nodeId", "nodes"],
          ),
        },
      },
    },
    async () => nodes.list(),
  );
  app.post(
    "/api/instance/nodes/:nodeId/drain",
    {
      config: { access: ADMIN },
      schema: {
        tags: TAGS,
        summary:
          "Drain a node: it stops claiming job ticks, webhook deliveries and event leases, finishes what is in " +
          "flight and releases its leases; it keeps serving HTTP. 409 when the node is not active",
        params: idParam("nodeId"),
        response: { 202: nodeView },
      },
    },
    async (request, reply) => {
      const { nodeId } = request.params as { nodeId: string };
      const actor = request.actor;
      const view = await nodes.drain(nodeId, `${actor.type} ${actor.id}`);
      return reply.code(202).send(view);
    },
  );
}
