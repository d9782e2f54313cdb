// GET /api/plugins/:id/health and /dashboard. The original derives health from the database row alone, so a
// dead worker still reads "healthy"; here the checks also look at the real worker (its supervisor state and a
// live `health` ping) and at the database.
import type { Database } from "../../db/database.js";
import type { PluginLogStats } from "../logs/index.js";
import type { PluginRecord } from "../registry/index.js";
import type { WorkerDiagnostics, WorkerStatus } from "../supervisor/index.js";
import type { PluginWorkers } from "./plugin-workers.js";

export type HealthCheckName =
  | "registry"
  | "manifest"
  | "status"
  | "error_state"
  | "worker"
  | "worker_ping"
  | "database"
  | "config";

export interface HealthCheck {
  name: HealthCheckName;
  passed: boolean;
  message: string;
}

export interface PluginHealthReport extends PluginLiveStatus {
  pluginId: string;
  status: PluginRecord["status"];
  healthy: boolean;
  checks: HealthCheck[];
  lastError?: string;
  /** The plugin's log accounting on this node: caps, stored, dropped (over the caps), trimmed. */
  logs?: PluginLogStats;
}

/**
 * What the plugin list and record add to the stored status (which keeps the six values of reference §12.1):
 * the worker as this node's supervisor sees it. A `ready` plugin whose worker is restarting, hung or answering
 * its health pings with a failure is `degraded`.
 */
export interface PluginLiveStatus {
  /** This node's worker (reference §12.2 statuses), or null when no worker is supervised here. */
  workerStatus: WorkerStatus | null;
  /** `ready` with its worker running, answering its health pings, and the last answer `ok`. */
  healthy: boolean;
  /** `ready` but not healthy: the worker is in backoff, starting, hung or reports itself unhealthy. */
  degraded: boolean;
  /** Why it is not healthy, and things to look at (logs dropped over the caps, …). */
  warnings: string[];
}

/** How long after its last drop a plugin's log cap stays a warning. */
export const LOG_DROP_WARNING_MS = 15 * 60_000;

export interface WorkerSummary {
  status: WorkerDiagnostics["status"];
  pid: number | null;
  /** ms since the worker answered initialize */
  uptime: number | null;
  consecutiveCrashes: number;
  totalCrashes: number;
  pendingRequests: number;
  /** epoch ms */
  lastCrashAt: number | null;
  /** epoch ms */
  nextRestartAt: number | null;
  startedAt: number | null;
  lastExitCode: number | null;
  lastSignal: string | null;
  lastError: string | null;
  lastHealthAt: number | null;
  missedHealthPings: number;
  /** The worker's heap cap in MB (`--max-old-space-size`), or null for none. */
  heapLimitMb: number | null;
  supportedMethods: string[];
  stderrTail: string[];
  /** Worker→host notifications (e.g. log lines) dropped by the flood limit (20 000/s) since the host started. */
  droppedNotifications: number;
}

export interface PluginDashboard {
  pluginId: string;
  worker: WorkerSummary | null;
  /** The 10 latest job runs and webhook deliveries, newest first. */
  recentJobRuns: unknown[];
  recentWebhookDeliveries: unknown[];
  health: PluginHealthReport;
  checkedAt: string;
}

export interface HealthOptions {
  /** A supervisor ping younger than this is used instead of pinging again. Default 5 000 ms. */
  freshPingMs?: number;
  /** Deadline of a live ping. Default 2 000 ms. */
  pingTimeoutMs?: number;
  /** The plugin's 10 latest job runs and webhook deliveries (wired by host-plugins.ts; empty lists without it). */
  recentActivity?(pluginId: string): Promise<{ jobRuns: unknown[]; webhookDeliveries: unknown[] }>;
  /** The plugin's log accounting (wired by host-plugins.ts). */
  logStats?(pluginId: string): PluginLogStats;
}

/** The worker-derived status of one plugin, from supervisor diagnostics only (no ping: cheap enough for lists). */
export function pluginLiveStatus(
  record: Pick<PluginRecord, "status">,
  diagnostics: WorkerDiagnostics | null,
  logStats: PluginLogStats | null,
  now = Date.now(),
): PluginLiveStatus {
  const warnings: string[] = [];
  const workerStatus = diagnostics?.status ?? null;
  let healthy = false;
  if (record.status === "ready") {
    if (!diagnostics) {
      warnings.push("No worker is supervised for this plugin on this host");
    } else if (diagnostics.status !== "running") {
      const restart =
        diagnostics.nextRestartAt !== null
          ? `; next restart at ${new Date(diagnostics.nextRestartAt).toISOString()}`
          : "";
      warnings.push(
        `Worker is ${diagnostics.status}${diagnostics.lastError ? `: ${diagnostics.lastError}` : ""}${restart}`,
      );
    } else if (diagnostics.missedHealthPings > 0) {
      warnings.push(
        `Worker missed its last ${diagnostics.missedHealthPings} health ping(s): it may be hung (it is restarted ` +
          "when it misses too many in a row)",
      );
    } else if (healthAnswerFailed(diagnostics.lastHealth)) {
      warnings.push(`Worker's health check answered: ${describeAnswer(diagnostics.lastHealth)}`);
    } else {
      healthy = true;
    }
  }
  if (logStats?.lastDroppedAt && now - Date.parse(logStats.lastDroppedAt) < LOG_DROP_WARNING_MS) {
    warnings.push(
      `Log cap reached: ${logStats.droppedLines} log lines (${logStats.droppedBytes} bytes) dropped since the host ` +
        `started, last at ${logStats.lastDroppedAt} (caps: ${logStats.limits.linesPerMinute} lines and ` +
        `${logStats.limits.bytesPerMinute} bytes per minute)`,
    );
  }
  return { workerStatus, healthy, degraded: record.status === "ready" && !healthy, warnings };
}

/** A health answer that is there and is not `status: "ok"` (null: no ping answered yet). */
function healthAnswerFailed(answer: unknown): boolean {
  if (answer === null || answer === undefined) return false;
  return (answer as { status?: unknown }).status !== "ok";
}

function describeAnswer(answer: unknown): string {
  const status = (answer as { status?: unknown; message?: unknown; error?: { message?: unknown } }) ?? {};
  if (status.error && typeof status.error.message === "string") return `error: ${status.error.message}`;
  const text = typeof status.status === "string" ? status.status : JSON.stringify(answer);
  return typeof status.message === "string" ? `${text} (${status.message})` : text;
}

export async function pluginHealth(
  record: PluginRecord,
  workers: PluginWorkers,
  db: Database,
  options: HealthOptions = {},
): Promise<PluginHealthReport> {
  const checks: HealthCheck[] = [
    { name: "registry", passed: true, message: `Registered as ${record.pluginKey} (${record.id})` },
    manifestCheck(record),
    {
      name: "status",
      passed: record.status === "ready",
      message: record.status === "ready" ? "Status is ready" : `Status is ${record.status}, not ready`,
    },
    {
      name: "error_state",
      passed: record.status !== "error",
      message:
        record.status === "error"
          ? `In error: ${record.lastError ?? "no reason recorded"}`
          : "No error recorded",
    },
  ];
  const diagnostics = workers.diagnostics(record.id);
  if (record.status === "ready" || diagnostics) {
    checks.push(workerCheck(diagnostics));
    checks.push(await pingCheck(record, workers, diagnostics, options));
  }
  const config = await configCheck(record, db);
  if (config) checks.push(config);
  checks.push(await databaseCheck(db));
  const logs = options.logStats?.(record.id) ?? null;
  const live = pluginLiveStatus(record, diagnostics, logs);
  const healthy = checks.every((check) => check.passed);
  const warnings = healthy ? live.warnings.filter((warning) => warning.startsWith("Log cap")) : live.warnings;
  const report: PluginHealthReport = {
    pluginId: record.id,
    status: record.status,
    healthy,
    workerStatus: live.workerStatus,
    degraded: record.status === "ready" && !healthy,
    warnings,
    checks,
  };
  if (logs) report.logs = logs;
  if (record.lastError) report.lastError = record.lastError;
  return report;
}

export async function pluginDashboard(
  record: PluginRecord,
  workers: PluginWorkers,
  db: Database,
  options: HealthOptions = {},
): Promise<PluginDashboard> {
  const [health, recent] = await Promise.all([
    pluginHealth(record, workers, db, options),
    options.recentActivity?.(record.id) ?? { jobRuns: [], webhookDeliveries: [] },
  ]);
  const diagnostics = workers.diagnostics(record.id);
  return {
    pluginId: record.id,
    worker: diagnostics ? summarise(diagnostics) : null,
    recentJobRuns: recent.jobRuns,
    recentWebhookDeliveries: recent.webhookDeliveries,
    health,
    checkedAt: new Date().toISOString(),
  };
}

function summarise(d: WorkerDiagnostics): WorkerSummary {
  return {
    status: d.status,
    pid: d.pid,
    uptime: d.uptimeMs,
    consecutiveCrashes: d.consecutiveCrashes,
    totalCrashes: d.totalCrashes,
    pendingRequests: d.pendingRequests,
    lastCrashAt: d.lastCrashAt,
    nextRestartAt: d.nextRestartAt,
    startedAt: d.startedAt,
    lastExitCode: d.lastExitCode,
    lastSignal: d.lastSignal,
    lastError: d.lastError,
    lastHealthAt: d.lastHealthAt,
    missedHealthPings: d.missedHealthPings,
    heapLimitMb: d.heapLimitMb,
    supportedMethods: d.supportedMethods,
    stderrTail: d.stderrTail,
    droppedNotifications: d.droppedNotifications,
  };
}

function manifestCheck(record: PluginRecord): HealthCheck {
  const manifest = record.manifestJson;
  if (!manifest || typeof manifest !== "object") {
    return { name: "manifest", passed: false, message: "No manifest stored" };
  }
  if (manifest.id !== record.pluginKey) {
    return {
      name: "manifest",
      passed: false,
      message: `Stored manifest id ${String(manifest.id)} does not match plugin key ${record.pluginKey}`,
    };
  }
  return { name: "manifest", passed: true, message: `Manifest ${manifest.id}@${manifest.version}` };
}

function workerCheck(diagnostics: WorkerDiagnostics | null): HealthCheck {
  if (!diagnostics) return { name: "worker", passed: false, message: "No worker process is supervised" };
  if (diagnostics.status === "running") {
    const uptime = diagnostics.uptimeMs === null ? "" : `, up ${Math.round(diagnostics.uptimeMs / 1000)} s`;
    return { name: "worker", passed: true, message: `Worker running (pid ${diagnostics.pid}${uptime})` };
  }
  const restart =
    diagnostics.nextRestartAt !== null
      ? `; next restart at ${new Date(diagnostics.nextRestartAt).toISOString()}`
      : "";
  return {
    name: "worker",
    passed: false,
    message: `Worker is ${diagnostics.status}${diagnostics.lastError ? `: ${diagnostics.lastError}` : ""}${restart}`,
  };
}

async function pingCheck(
  record: PluginRecord,
  workers: PluginWorkers,
  diagnostics: WorkerDiagnostics | null,
  options: HealthOptions,
): Promise<HealthCheck> {
  if (diagnostics?.status !== "running") {
    return { name: "worker_ping", passed: false, message: "Worker not running, so it cannot be pinged" };
  }
  const freshPingMs = options.freshPingMs ?? 5_000;
  if (diagnostics.lastHealthAt !== null && Date.now() - diagnostics.lastHealthAt < freshPingMs) {
    return answerCheck(diagnostics.lastHealth, Date.now() - diagnostics.lastHealthAt);
  }
  const started = Date.now();
  try {
    const answer = await workers.call(record.id, "health", {}, null, {
      timeoutMs: options.pingTimeoutMs ?? 2_000,
    });
    return answerCheck(answer, 0, Date.now() - started);
  } catch (error) {
    return { name: "worker_ping", passed: false, message: `health ping failed: ${(error as Error).message}` };
  }
}

function answerCheck(answer: unknown, ageMs: number, tookMs?: number): HealthCheck {
  const status = (answer as { status?: unknown } | null)?.status;
  const message = (answer as { message?: unknown } | null)?.message;
  const when =
    tookMs !== undefined ? `answered in ${tookMs} ms` : `answered ${Math.round(ageMs / 1000)} s ago`;
  const text = `health ${when}: ${typeof status === "string" ? status : JSON.stringify(answer)}${
    typeof message === "string" ? ` (${message})` : ""
  }`;
  return { name: "worker_ping", passed: status === "ok", message: text };
}

async function databaseCheck(db: Database): Promise<HealthCheck> {
  try {
    await db.query("plugin_health_db", "SELECT 1 AS ok", []);
    return { name: "database", passed: true, message: `Database (${db.kind}) answers` };
  } catch (error) {
    return {
      name: "database",
      passed: false,
      message: `Database (${db.kind}) failed: ${(error as Error).message}`,
    };
  }
}

/** Only when some company's saved config is not applied (held back, or refused by the worker): which, and why. */
async function configCheck(record: PluginRecord, db: Database): Promise<HealthCheck | null> {
  try {
    const rows = await db.query(
      "plugin_health_config",
      `SELECT company_id, last_error, held_back FROM plugin_config
       WHERE plugin_id = $1 AND last_error IS NOT NULL ORDER BY company_id LIMIT 20`,
      [record.id],
    );
    if (rows.length === 0) return null;
    const lines = rows.map(
      (row) =>
        `company ${String(row.company_id)}${row.held_back === true ? " (config held back)" : ""}: ${String(row.last_error)}`,
    );
    return { name: "config", passed: false, message: `Saved config not applied for ${lines.join("; ")}` };
  } catch {
    return null;
  }
}
