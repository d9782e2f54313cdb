// Each host node's worker for each plugin (hand-written migration 0720), written by the node that runs it.
// GET /api/plugins/:id/nodes and the nodes page read it. docs/scale-out.md.
import { sql } from "drizzle-orm";
import { check, foreignKey, index, integer, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { plugins } from "./plugin-schema.js";
import { ts, updatedAt } from "./schema-columns.js";

/** The states a node's worker moves through; `stopped` also marks the rows of a node that shut down. */
export const NODE_WORKER_STATUSES = [
  "starting",
  "ready",
  "error",
  "stopped",
  "crashed",
  "restarting",
] as const;
export type NodeWorkerStatus = (typeof NODE_WORKER_STATUSES)[number];

export const pluginNodeWorkers = pgTable(
  "plugin_node_workers",
  {
    pluginId: uuid("plugin_id").notNull(),
    nodeId: text("node_id").notNull(),
    status: text("status").$type<NodeWorkerStatus>().notNull(),
    pid: integer("pid"),
    version: text("version"),
    startedAt: ts("started_at"),
    lastError: text("last_error"),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: "plugin_node_workers_pkey", columns: [t.pluginId, t.nodeId] }),
    foreignKey({
      name: "plugin_node_workers_plugin_id_fkey",
      columns: [t.pluginId],
      foreignColumns: [plugins.id],
    }).onDelete("cascade"),
    check(
      "plugin_node_workers_status_check",
      sql`${t.status} IN ('starting', 'ready', 'error', 'stopped', 'crashed', 'restarting')`,
    ),
    index("plugin_node_workers_node_idx").on(t.nodeId),
  ],
);
