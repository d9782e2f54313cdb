// The host nodes sharing one database (hand-written migration 0710): one row per node id, its heartbeat and
// status. The node registry (src/cluster/node-registry.ts) writes it; the nodes page and `paperclip doctor` read it.
// docs/scale-out.md.
import { sql } from "drizzle-orm";
import { check, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { ts } from "./schema-columns.js";

/** What a node writes about itself; `unreachable` is computed when reading (a heartbeat too old). */
export const CLUSTER_NODE_STATUSES = ["active", "draining", "stopped"] as const;
export type ClusterNodeStoredStatus = (typeof CLUSTER_NODE_STATUSES)[number];

export const clusterNodes = pgTable(
  "cluster_nodes",
  {
    nodeId: text("node_id").primaryKey(),
    incarnation: uuid("incarnation").notNull(),
    hostName: text("host_name").notNull(),
    pid: integer("pid").notNull(),
    version: text("version").notNull(),
    url: text("url"),
    status: text("status").$type<ClusterNodeStoredStatus>().notNull(),
    heartbeatIntervalMs: integer("heartbeat_interval_ms").notNull(),
    startedAt: ts("started_at").notNull().defaultNow(),
    lastHeartbeatAt: ts("last_heartbeat_at").notNull().defaultNow(),
    stoppedAt: ts("stopped_at"),
  },
  (t) => [
    check("cluster_nodes_status_check", sql`${t.status} IN ('active', 'draining', 'stopped')`),
    check("cluster_nodes_heartbeat_interval_ms_check", sql`${t.heartbeatIntervalMs} > 0`),
  ],
);
