// GET /api/plugins/:id/health and /dashboard. The original derives health from the database row alone, so a
// dead worker still reads "healthy"; here the checks also look at the real worker (its supervisor state and a
// live `health` ping) and at the database.
import type { Database } from "../../db/database.js";
import type { PluginRecord } from "../registry/index.js";
import type { WorkerDiagnostics } from "../supervisor/index.js";
import type { PluginWorkers } from "./plugin-workers.js";

export type HealthCheckName =
  | "registry"
  | "manifest"
  | "status"
  | "error_state"
  | "worker"
  | "worker_ping"
  | "database";

export interface HealthCheck {
  name: HealthCheckName;
  passed: boolean;
  message: string;
}

export interface PluginHealthReport {
  pluginId: string;
  status: PluginRecord["status"];
  healthy: boolean;
  checks: HealthCheck[];
  lastError?: string;
}

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
  supportedMethods: string[];
  stderrTail: string[];
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
  checks.push(await databaseCheck(db));
  const report: PluginHealthReport = {
    pluginId: record.id,
    status: record.status,
    healthy: checks.every((check) => check.passed),
    checks,
  };
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
    supportedMethods: d.supportedMethods,
    stderrTail: d.stderrTail,
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
