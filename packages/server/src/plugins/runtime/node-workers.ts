// Each host node's worker for each plugin (plugin_node_workers, migration 0720): this node writes its own rows
// when its workers change state (starting, ready, error, crashed, restarting, stopped), and marks them all
// stopped when it shuts down. GET /api/plugins/:id/nodes and the nodes page read them, with each node's liveness
// from cluster_nodes (docs/scale-out.md).
import type { Logger } from "pino";
import type { Database } from "../../db/database.js";
import type { NodeWorkerStatus } from "../../db/node-workers-schema.js";

export interface NodeWorkerReport {
  status: NodeWorkerStatus;
  pid?: number | null;
  version?: string | null;
  lastError?: string | null;
}

/** One node's worker for a plugin, as GET /api/plugins/:id/nodes lists it. */
export interface NodeWorkerView {
  nodeId: string;
  /** This node (the one that answered) */
  self: boolean;
  status: NodeWorkerStatus;
  pid: number | null;
  version: string | null;
  /** When the running worker started (null unless ready). */
  startedAt: string | null;
  lastError: string | null;
  updatedAt: string;
  /** The node's liveness (cluster_nodes: active, draining, stopped, unreachable); null when it has no row. */
  nodeStatus: string | null;
  /** The node's last heartbeat, else this row's updated_at: when the node was last known alive. */
  lastSeenAt: string;
}

interface ViewRow extends Record<string, unknown> {
  node_id: string;
  status: NodeWorkerStatus;
  pid: number | null;
  version: string | null;
  started_at: Date | string | null;
  last_error: string | null;
  updated_at: Date | string;
  node_status: string | null;
  last_seen_at: Date | string;
}

const iso = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();

export class NodeWorkerStates {
  /** Per plugin, the write in flight: rows are written in report order. */
  private readonly writes = new Map<string, Promise<void>>();
  private nodesTable: Promise<boolean> | null = null;

  constructor(
    private readonly db: Database,
    readonly nodeId: string,
    private readonly logger: Logger,
  ) {}

  /** Record this node's worker state for a plugin (in the background, in order per plugin). */
  report(pluginId: string, report: NodeWorkerReport): void {
    const previous = this.writes.get(pluginId) ?? Promise.resolve();
    const next = previous.then(() => this.write(pluginId, report));
    this.writes.set(pluginId, next);
    void next.finally(() => {
      if (this.writes.get(pluginId) === next) this.writes.delete(pluginId);
    });
  }

  /** Wait for the writes reported so far. */
  async flush(): Promise<void> {
    await Promise.all([...this.writes.values()]);
  }

  /** This node is stopping: every row of it says stopped. */
  async markAllStopped(): Promise<void> {
    await this.flush();
    await this.db.query(
      "plugin_node_workers_stop_node",
      `UPDATE plugin_node_workers SET status = 'stopped', pid = NULL, started_at = NULL, updated_at = now()
       WHERE node_id = $1 AND status <> 'stopped'`,
      [this.nodeId],
    );
  }

  /** Every node's worker row for the plugin, this node first, then by node id. */
  async list(pluginId: string): Promise<NodeWorkerView[]> {
    const withNodes = await this.hasNodesTable();
    const rows = await this.db.query<ViewRow>(
      withNodes ? "plugin_node_workers_list_nodes" : "plugin_node_workers_list",
      withNodes
        ? `SELECT w.*, CASE
             WHEN n.node_id IS NULL THEN NULL
             WHEN n.status <> 'stopped'
               AND n.last_heartbeat_at < now() - (3 * n.heartbeat_interval_ms) * interval '1 millisecond'
               THEN 'unreachable'
             ELSE n.status END AS node_status,
             COALESCE(n.last_heartbeat_at, w.updated_at) AS last_seen_at
           FROM plugin_node_workers w LEFT JOIN cluster_nodes n ON n.node_id = w.node_id
           WHERE w.plugin_id = $1 ORDER BY w.node_id`
        : `SELECT w.*, NULL AS node_status, w.updated_at AS last_seen_at FROM plugin_node_workers w
           WHERE w.plugin_id = $1 ORDER BY w.node_id`,
      [pluginId],
    );
    const views = rows.map((row) => ({
      nodeId: row.node_id,
      self: row.node_id === this.nodeId,
      status: row.status,
      pid: row.pid,
      version: row.version,
      startedAt: row.started_at === null ? null : iso(row.started_at),
      lastError: row.last_error,
      updatedAt: iso(row.updated_at),
      nodeStatus: row.node_status,
      lastSeenAt: iso(row.last_seen_at),
    }));
    return views.sort((a, b) => Number(b.self) - Number(a.self));
  }

  private async write(pluginId: string, report: NodeWorkerReport): Promise<void> {
    try {
      await this.db.query(
        "plugin_node_workers_upsert",
        `INSERT INTO plugin_node_workers (plugin_id, node_id, status, pid, version, started_at, last_error, updated_at)
         SELECT $1, $2, $3, $4, $5, CASE WHEN $3 = 'ready' THEN now() END, $6, now()
         WHERE EXISTS (SELECT 1 FROM plugins WHERE id = $1)
         ON CONFLICT (plugin_id, node_id) DO UPDATE SET status = EXCLUDED.status, pid = EXCLUDED.pid,
           version = COALESCE(EXCLUDED.version, plugin_node_workers.version),
           started_at = CASE
             WHEN EXCLUDED.status <> 'ready' THEN NULL
             WHEN plugin_node_workers.status = 'ready' AND plugin_node_workers.pid IS NOT DISTINCT FROM EXCLUDED.pid
               THEN plugin_node_workers.started_at
             ELSE now() END,
           last_error = EXCLUDED.last_error, updated_at = now()`,
        [
          pluginId,
          this.nodeId,
          report.status,
          report.pid ?? null,
          report.version ?? null,
          report.lastError ?? null,
        ],
      );
    } catch (error) {
      // The plugin was purged meanwhile, or the database is going away at shutdown: nothing left to describe.
      this.logger.debug({ pluginId, err: error }, "Could not record this node's worker state");
    }
  }

  private hasNodesTable(): Promise<boolean> {
    this.nodesTable ??= this.db
      .query<{ found: boolean }>(
        "plugin_node_workers_nodes_table",
        "SELECT to_regclass('cluster_nodes') IS NOT NULL AS found",
        [],
      )
      .then(([row]) => row?.found === true)
      .catch(() => false);
    return this.nodesTable;
  }
}
