// The host nodes sharing one database (table cluster_nodes, docs/scale-out.md). Each node claims its row at start,
// writes a heartbeat every few seconds, marks itself `draining` and `stopped` on a graceful stop; readers call a node
// `unreachable` when its heartbeat is older than three of its own intervals (the database's clock decides, so clock
// skew between machines does not matter). The same heartbeat reads back the row's status: a drain asked for on
// another node reaches this one even when the bus message was lost.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import { ConfigError } from "../config.js";
import type { Database } from "../db/database.js";
import type { ClusterNodeStoredStatus } from "../db/nodes-schema.js";

/** How a node looks to a reader: what it wrote about itself, or `unreachable` when its heartbeat is too old. */
export type ClusterNodeStatus = ClusterNodeStoredStatus | "unreachable";

export interface ClusterNodeRecord {
  nodeId: string;
  hostName: string;
  pid: number;
  version: string;
  url: string | null;
  status: ClusterNodeStatus;
  heartbeatIntervalMs: number;
  startedAt: string;
  lastHeartbeatAt: string;
  stoppedAt: string | null;
  /** Milliseconds since the last heartbeat, by the database's clock. */
  heartbeatAgeMs: number;
  /** Milliseconds since the node started; null once it stopped or became unreachable. */
  uptimeMs: number | null;
}

/** A node change announced on the bus (topic NODE_CHANGED_TOPIC) and to local listeners. */
export interface NodeChange {
  nodeId: string;
  status: ClusterNodeStoredStatus;
}

export const NODE_CHANGED_TOPIC = "node.changed";
export const DEFAULT_HEARTBEAT_MS = 5_000;
/** A heartbeat older than this many intervals makes the node unreachable. */
export const MISSED_HEARTBEATS = 3;
/** Rows of nodes stopped or unreachable for longer than this are deleted. */
export const NODE_RETENTION_MS = 7 * 24 * 60 * 60_000;
const PRUNE_EVERY_MS = 60 * 60_000;

/** Another live process holds this node id. */
export class NodeIdInUseError extends Error {
  constructor(
    readonly nodeId: string,
    holder: { hostName: string; pid: number; heartbeatAgeMs: number } | null,
  ) {
    const who = holder
      ? ` (pid ${holder.pid} on ${holder.hostName}, last heartbeat ${Math.round(holder.heartbeatAgeMs / 1000)} s ago)`
      : "";
    super(
      `Node id "${nodeId}" is in use by a running host${who}. Give this host its own --node-id ` +
        "(PAPERCLIP_NODE_ID), or stop the other one first (docs/scale-out.md)",
    );
    this.name = "NodeIdInUseError";
  }
}

/** PAPERCLIP_NODE_HEARTBEAT_MS, else 5 000. */
export function heartbeatIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PAPERCLIP_NODE_HEARTBEAT_MS;
  if (raw === undefined || raw === "") return DEFAULT_HEARTBEAT_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 100 || value > 600_000) {
    throw new ConfigError(
      `PAPERCLIP_NODE_HEARTBEAT_MS must be a whole number of milliseconds between 100 and 600000 (got "${raw}")`,
    );
  }
  return value;
}

export interface NodeRegistryOptions {
  db: Database;
  logger: Logger;
  nodeId: string;
  version: string;
  /** Default: PAPERCLIP_NODE_HEARTBEAT_MS, else 5 s. */
  heartbeatMs?: number;
  /** Told when this node starts, drains or stops (the host publishes it on the cluster bus). */
  announce?: (change: NodeChange) => void;
  /** The row says `draining` but this process is not: a drain was asked for on another node. */
  onDrainRequested?: () => void;
  /** This machine's name (tests). */
  hostName?: string;
}

/** Incarnations held by registries of this process: a row naming this pid on this host may be one of them. */
const liveIncarnations = new Set<string>();

const STATUS_SQL = `CASE WHEN status <> 'stopped'
        AND last_heartbeat_at < now() - heartbeat_interval_ms * ${MISSED_HEARTBEATS} * interval '1 millisecond'
      THEN 'unreachable' ELSE status END`;

const RECORD_COLUMNS = `node_id, host_name, pid, version, url, ${STATUS_SQL} AS status, heartbeat_interval_ms,
  started_at, last_heartbeat_at, stopped_at,
  (extract(epoch FROM now() - last_heartbeat_at) * 1000)::float8 AS heartbeat_age_ms,
  (extract(epoch FROM now() - started_at) * 1000)::float8 AS running_ms`;

type RecordRow = Record<string, unknown>;

function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

function recordOf(row: RecordRow): ClusterNodeRecord {
  const status = row.status as ClusterNodeStatus;
  const live = status === "active" || status === "draining";
  return {
    nodeId: row.node_id as string,
    hostName: row.host_name as string,
    pid: Number(row.pid),
    version: row.version as string,
    url: (row.url as string | null) ?? null,
    status,
    heartbeatIntervalMs: Number(row.heartbeat_interval_ms),
    startedAt: iso(row.started_at),
    lastHeartbeatAt: iso(row.last_heartbeat_at),
    stoppedAt: row.stopped_at ? iso(row.stopped_at) : null,
    heartbeatAgeMs: Math.max(0, Math.round(Number(row.heartbeat_age_ms))),
    uptimeMs: live ? Math.max(0, Math.round(Number(row.running_ms))) : null,
  };
}

/** Every node the database knows, by node id (`paperclip doctor` reads it without a registry). */
export async function readClusterNodes(db: Database): Promise<ClusterNodeRecord[]> {
  const rows = await db.query(
    "cluster_nodes_list",
    `SELECT ${RECORD_COLUMNS} FROM cluster_nodes ORDER BY node_id`,
    [],
  );
  return rows.map(recordOf);
}

/** True when `pid` names no process on this machine. */
function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

export class NodeRegistry {
  readonly nodeId: string;
  readonly heartbeatMs: number;
  private readonly incarnation = randomUUID();
  private readonly hostName: string;
  private registered: Promise<void> | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private beating: Promise<void> | null = null;
  private status: ClusterNodeStoredStatus | null = null;
  private lostRow = false;

  constructor(private readonly options: NodeRegistryOptions) {
    this.nodeId = options.nodeId;
    this.heartbeatMs = options.heartbeatMs ?? heartbeatIntervalFromEnv();
    this.hostName = options.hostName ?? hostname();
  }

  /** This node's status as it last wrote it (null before register()). */
  get localStatus(): ClusterNodeStoredStatus | null {
    return this.status;
  }

  /**
   * Claim this node's row (`active`) and start the heartbeat. Refused with NodeIdInUseError while another live
   * process holds the id; a row that is stopped, stale, or left by a dead process on this machine is taken over.
   * Calling it again does nothing (the URL of a later call is written).
   */
  register(url: string | null = null): Promise<void> {
    this.registered ??= this.claim(url, true).catch((error) => {
      this.registered = null;
      throw error;
    });
    return this.registered.then(() => (url === null ? undefined : this.setUrl(url)));
  }

  private async claim(url: string | null, retryRace: boolean): Promise<void> {
    const { db, logger } = this.options;
    const [existing] = await db.query(
      "cluster_node_peek",
      `SELECT incarnation, host_name, pid, ${STATUS_SQL} AS status,
         (extract(epoch FROM now() - last_heartbeat_at) * 1000)::float8 AS heartbeat_age_ms
       FROM cluster_nodes WHERE node_id = $1`,
      [this.nodeId],
    );
    if (existing) {
      const holder = {
        hostName: existing.host_name as string,
        pid: Number(existing.pid),
        heartbeatAgeMs: Number(existing.heartbeat_age_ms),
      };
      const live = existing.status === "active" || existing.status === "draining";
      // Same machine: a dead pid (or this pid, not held in this process) is a crashed run of this node.
      const crashedHere =
        holder.hostName === this.hostName &&
        (holder.pid === process.pid
          ? !liveIncarnations.has(existing.incarnation as string)
          : processGone(holder.pid));
      if (live && (!crashedHere || !retryRace)) throw new NodeIdInUseError(this.nodeId, holder);
      if (live) {
        logger.warn(
          { node: this.nodeId, pid: holder.pid },
          `Node ${this.nodeId}: taking over the row of process ${holder.pid}, which is gone (it did not stop cleanly)`,
        );
      }
    }
    // Compare-and-set on the incarnation seen above: two processes racing for a free id cannot both win.
    const rows = await db.query(
      "cluster_node_claim",
      `INSERT INTO cluster_nodes AS n (node_id, incarnation, host_name, pid, version, url, status,
         heartbeat_interval_ms, started_at, last_heartbeat_at, stopped_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, now(), now(), NULL)
       ON CONFLICT (node_id) DO UPDATE SET incarnation = EXCLUDED.incarnation, host_name = EXCLUDED.host_name,
         pid = EXCLUDED.pid, version = EXCLUDED.version, url = EXCLUDED.url, status = 'active',
         heartbeat_interval_ms = EXCLUDED.heartbeat_interval_ms, started_at = now(), last_heartbeat_at = now(),
         stopped_at = NULL
       WHERE n.incarnation = $8::uuid
       RETURNING node_id`,
      [
        this.nodeId,
        this.incarnation,
        this.hostName,
        process.pid,
        this.options.version,
        url,
        this.heartbeatMs,
        existing ? (existing.incarnation as string) : null,
      ],
    );
    // Another process claimed the row since the look above: look again (it is live now, so this refuses).
    if (rows.length === 0) {
      if (retryRace) return this.claim(url, false);
      throw new NodeIdInUseError(this.nodeId, null);
    }
    liveIncarnations.add(this.incarnation);
    this.status = "active";
    logger.info(
      { node: this.nodeId, heartbeatMs: this.heartbeatMs },
      `Node ${this.nodeId} registered (heartbeat every ${this.heartbeatMs} ms)`,
    );
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.heartbeatMs);
    this.heartbeatTimer.unref();
    void this.prune();
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
    this.options.announce?.({ nodeId: this.nodeId, status: "active" });
  }

  private async setUrl(url: string): Promise<void> {
    await this.options.db.query(
      "cluster_node_url",
      "UPDATE cluster_nodes SET url = $3 WHERE node_id = $1 AND incarnation = $2",
      [this.nodeId, this.incarnation, url],
    );
  }

  /** Write `draining` (this node stops claiming work) and announce it. */
  async markDraining(): Promise<void> {
    if (this.status !== "active") return;
    await this.writeStatus("draining");
  }

  /** Write `stopped`, stop the heartbeat and announce it (the last thing a graceful stop does with the row). */
  async markStopped(): Promise<void> {
    this.stopTimers();
    await this.beating?.catch(() => undefined);
    if (this.status === null || this.status === "stopped") return;
    await this.writeStatus("stopped");
    liveIncarnations.delete(this.incarnation);
  }

  private async writeStatus(status: ClusterNodeStoredStatus): Promise<void> {
    this.status = status;
    await this.options.db.query(
      "cluster_node_status",
      `UPDATE cluster_nodes SET status = $3, last_heartbeat_at = now(),
         stopped_at = CASE WHEN $3 = 'stopped' THEN now() ELSE NULL END
       WHERE node_id = $1 AND incarnation = $2`,
      [this.nodeId, this.incarnation, status],
    );
    this.options.announce?.({ nodeId: this.nodeId, status });
  }

  /** One heartbeat now (the timer calls it; tests too). */
  heartbeat(): Promise<void> {
    this.beating ??= this.beat().finally(() => {
      this.beating = null;
    });
    return this.beating;
  }

  private async beat(): Promise<void> {
    if (this.status === null || this.status === "stopped") return;
    const { db, logger } = this.options;
    try {
      const [row] = await db.query<{ status: ClusterNodeStoredStatus }>(
        "cluster_node_heartbeat",
        `UPDATE cluster_nodes SET last_heartbeat_at = now() WHERE node_id = $1 AND incarnation = $2
         RETURNING status`,
        [this.nodeId, this.incarnation],
      );
      if (!row) {
        if (!this.lostRow) {
          logger.error(
            { node: this.nodeId },
            `Node ${this.nodeId}: another process took over this node id (this one's heartbeats were late); ` +
              "it no longer appears on the nodes page. Restart it under its own --node-id",
          );
        }
        this.lostRow = true;
        return;
      }
      if (row.status === "draining" && this.status === "active") this.options.onDrainRequested?.();
    } catch (error) {
      logger.warn({ err: error, node: this.nodeId }, `Node heartbeat failed: ${(error as Error).message}`);
    }
  }

  /** Every node this database knows, by node id. */
  list(): Promise<ClusterNodeRecord[]> {
    return readClusterNodes(this.options.db);
  }

  async get(nodeId: string): Promise<ClusterNodeRecord | null> {
    const [row] = await this.options.db.query(
      "cluster_node_get",
      `SELECT ${RECORD_COLUMNS} FROM cluster_nodes WHERE node_id = $1`,
      [nodeId],
    );
    return row ? recordOf(row) : null;
  }

  /**
   * Mark another node `draining` (it notices on its next heartbeat, or at once through the bus). Null when it is not
   * active any more (stopped, draining, or its heartbeat is too old).
   */
  async requestDrain(nodeId: string): Promise<ClusterNodeRecord | null> {
    const rows = await this.options.db.query(
      "cluster_node_request_drain",
      `UPDATE cluster_nodes SET status = 'draining'
       WHERE node_id = $1 AND status = 'active'
         AND last_heartbeat_at >= now() - heartbeat_interval_ms * ${MISSED_HEARTBEATS} * interval '1 millisecond'
       RETURNING node_id`,
      [nodeId],
    );
    return rows.length > 0 ? this.get(nodeId) : null;
  }

  private async prune(): Promise<void> {
    const { db, logger } = this.options;
    try {
      const rows = await db.query(
        "cluster_nodes_prune",
        `DELETE FROM cluster_nodes WHERE node_id <> $1 AND last_heartbeat_at < now() - $2::float8 * interval '1 millisecond'
         RETURNING node_id`,
        [this.nodeId, NODE_RETENTION_MS],
      );
      if (rows.length > 0) {
        logger.info(
          { nodes: rows.map((row) => row.node_id) },
          `Forgot ${rows.length} node(s) gone for more than 7 days: ${rows.map((row) => row.node_id).join(", ")}`,
        );
      }
    } catch (error) {
      logger.debug({ err: error }, "Pruning old node rows failed");
    }
  }

  private stopTimers(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.heartbeatTimer = null;
    this.pruneTimer = null;
  }
}
