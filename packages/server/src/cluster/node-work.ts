// What each host node holds right now, read from the tables that record it (the nodes page, docs/scale-out.md):
// the plugin workers it runs (plugin_node_workers), the event-delivery leases it owns (plugin_event_cursors), the
// webhook deliveries it is handling and the job runs it is running. Leases and claims name the node by its id.
import type { Database } from "../db/database.js";

export interface NodeWorker {
  pluginId: string;
  pluginKey: string;
  status: string;
  pid: number | null;
  version: string | null;
}

export interface NodeEventLease {
  pluginId: string;
  pluginKey: string;
  expiresAt: string;
}

export interface NodeWork {
  workers: NodeWorker[];
  leases: {
    /** Plugins whose event stream this node delivers (an unexpired lease). */
    events: NodeEventLease[];
    /** Stored webhook deliveries being handled here (an unexpired claim). */
    webhookDeliveries: number;
    /** Job runs running here. */
    jobRuns: number;
  };
}

const emptyWork = (): NodeWork => ({ workers: [], leases: { events: [], webhookDeliveries: 0, jobRuns: 0 } });

function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/** Every node's work, by node id (a node holding nothing is absent). */
export async function readNodeWork(db: Database): Promise<Map<string, NodeWork>> {
  const [workers, eventLeases, deliveries, runs] = await Promise.all([
    db.query(
      "cluster_node_workers",
      `SELECT w.node_id, w.plugin_id, p.plugin_key, w.status, w.pid, w.version
       FROM plugin_node_workers w JOIN plugins p ON p.id = w.plugin_id
       WHERE w.status <> 'stopped' ORDER BY p.plugin_key`,
      [],
    ),
    db.query(
      "cluster_node_event_leases",
      `SELECT c.lease_owner AS node_id, c.plugin_id, p.plugin_key, c.lease_expires_at
       FROM plugin_event_cursors c JOIN plugins p ON p.id = c.plugin_id
       WHERE c.lease_owner IS NOT NULL AND c.lease_expires_at > now() ORDER BY p.plugin_key`,
      [],
    ),
    db.query<{ node_id: string; count: number }>(
      "cluster_node_webhook_claims",
      `SELECT node_id, count(*)::int AS count FROM plugin_webhook_deliveries
       WHERE status = 'pending' AND node_id IS NOT NULL AND lease_expires_at > now() GROUP BY node_id`,
      [],
    ),
    db.query<{ node_id: string; count: number }>(
      "cluster_node_job_runs",
      `SELECT node_id, count(*)::int AS count FROM plugin_job_runs
       WHERE status = 'running' AND node_id IS NOT NULL GROUP BY node_id`,
      [],
    ),
  ]);
  const byNode = new Map<string, NodeWork>();
  const of = (nodeId: unknown) => {
    const key = String(nodeId);
    let work = byNode.get(key);
    if (!work) {
      work = emptyWork();
      byNode.set(key, work);
    }
    return work;
  };
  for (const row of workers) {
    of(row.node_id).workers.push({
      pluginId: row.plugin_id as string,
      pluginKey: row.plugin_key as string,
      status: row.status as string,
      pid: row.pid === null ? null : Number(row.pid),
      version: (row.version as string | null) ?? null,
    });
  }
  for (const row of eventLeases) {
    of(row.node_id).leases.events.push({
      pluginId: row.plugin_id as string,
      pluginKey: row.plugin_key as string,
      expiresAt: iso(row.lease_expires_at),
    });
  }
  for (const row of deliveries) of(row.node_id).leases.webhookDeliveries = row.count;
  for (const row of runs) of(row.node_id).leases.jobRuns = row.count;
  return byNode;
}

export function workOf(byNode: Map<string, NodeWork>, nodeId: string): NodeWork {
  return byNode.get(nodeId) ?? emptyWork();
}
