// What the instance admin does with the nodes (GET /api/instance/nodes, POST …/:nodeId/drain): list every node with
// its status and what it holds, and drain one — this node directly, another node by marking its row and telling it
// over the cluster bus (it also notices on its next heartbeat if the message is lost). docs/scale-out.md.
import type { Logger } from "pino";
import type { Database } from "../db/database.js";
import { conflict, notFound } from "../errors.js";
import type { ClusterBus } from "./bus.js";
import type { NodeDrain } from "./drain.js";
import {
  type ClusterNodeRecord,
  type ClusterNodeStatus,
  NODE_CHANGED_TOPIC,
  type NodeChange,
  type NodeRegistry,
} from "./node-registry.js";
import { type NodeWork, readNodeWork, workOf } from "./node-work.js";

/** Bus topic: `{nodeId}` should drain (sent by the node whose API was asked). */
export const NODE_DRAIN_TOPIC = "node.drain";

export interface NodeView extends ClusterNodeRecord, NodeWork {
  /** This is the node that answered. */
  self: boolean;
}

export interface NodeList {
  /** The node that answered. */
  nodeId: string;
  nodes: NodeView[];
}

export interface NodeAdminOptions {
  registry: Pick<NodeRegistry, "nodeId" | "list" | "get" | "requestDrain">;
  drain: Pick<NodeDrain, "begin">;
  cluster: Pick<ClusterBus, "publish" | "subscribe">;
  /** Where the leases, claims and workers are read from. */
  db: Database;
  logger: Logger;
}

const WHY_NOT_DRAINABLE: Record<Exclude<ClusterNodeStatus, "active">, string> = {
  draining: "it is already draining",
  stopped: "it has stopped",
  unreachable: "its heartbeat is too old (it crashed or lost the database); nothing there claims work",
};

export class NodeAdmin {
  constructor(private readonly options: NodeAdminOptions) {}

  /**
   * Drain this node when another node asks (bus topic node.drain), and log the other nodes' starts, drains and
   * stops (node.changed) so each node's log tells the cluster's story. Returns the unsubscribe function.
   */
  listen(): () => void {
    const { cluster, registry, logger } = this.options;
    const self = registry.nodeId;
    const offDrain = cluster.subscribe<{ nodeId?: unknown }>(NODE_DRAIN_TOPIC, (payload, from) => {
      if (payload?.nodeId === self) void this.options.drain.begin(`requested through node ${from}`);
    });
    const offChanged = cluster.subscribe<NodeChange>(NODE_CHANGED_TOPIC, (change) => {
      logger.info(
        { node: change.nodeId, status: change.status },
        `Node ${change.nodeId} is ${change.status}`,
      );
    });
    return () => {
      offDrain();
      offChanged();
    };
  }

  async list(): Promise<NodeList> {
    const self = this.options.registry.nodeId;
    const [records, work] = await Promise.all([this.options.registry.list(), readNodeWork(this.options.db)]);
    return {
      nodeId: self,
      nodes: records.map((record) => ({
        ...record,
        self: record.nodeId === self,
        ...workOf(work, record.nodeId),
      })),
    };
  }

  /** Drain `nodeId`: 404 when unknown, 409 when it is not active. Answers once it is marked draining. */
  async drain(nodeId: string, requestedBy: string): Promise<NodeView> {
    const { registry, logger } = this.options;
    const record = await registry.get(nodeId);
    if (!record)
      throw notFound(`No node "${nodeId}" has run on this database (GET /api/instance/nodes lists them)`);
    if (record.status !== "active") {
      throw conflict(`Node "${nodeId}" cannot be drained: ${WHY_NOT_DRAINABLE[record.status]}`, {
        nodeId,
        status: record.status,
      });
    }
    logger.info({ node: nodeId, requestedBy }, `Drain of node ${nodeId} requested by ${requestedBy}`);
    if (nodeId === registry.nodeId) {
      await this.options.drain.begin(`requested by ${requestedBy}`);
    } else {
      const marked = await registry.requestDrain(nodeId);
      if (!marked) throw conflict(`Node "${nodeId}" cannot be drained: it stopped being active meanwhile`);
      await this.options.cluster.publish(NODE_DRAIN_TOPIC, { nodeId }).catch((error: Error) => {
        logger.warn(
          { err: error, node: nodeId },
          `Could not tell node ${nodeId} to drain (its heartbeat will)`,
        );
      });
    }
    const view = (await this.list()).nodes.find((node) => node.nodeId === nodeId);
    if (!view) throw notFound(`Node "${nodeId}" is gone`);
    return view;
  }
}
