// `paperclip plugin doctor <plugin>`: one report of what stands between a plugin and a healthy worker — its
// manifest, capabilities waiting for approval, the worker's status and last error, the health ping, and errors
// it logged recently — each problem with the command or edit that fixes it.
import type { PaperclipPluginManifestV1 } from "@paperclipai/plugin-sdk/types";
import {
  formatManifestErrors,
  getRequiredManifestCapabilities,
  validateManifest,
} from "@paperclipai/plugin-sdk/types";
import { HostRequestError, type PluginApiClient } from "./plugin-client.js";

/** How far back "recent errors" looks. */
export const RECENT_ERRORS_WINDOW_MS = 60 * 60 * 1000;
const RECENT_ERRORS_SHOWN = 5;

export type DoctorCheck = "manifest" | "capabilities" | "worker" | "health" | "recent errors";

export interface DoctorFinding {
  check: DoctorCheck;
  ok: boolean;
  message: string;
  /** What to do about it (only for problems). */
  fix?: string;
}

export interface DoctorReport {
  pluginId: string;
  pluginKey: string;
  version: string;
  status: string;
  ok: boolean;
  findings: DoctorFinding[];
}

interface PluginView {
  id: string;
  pluginKey: string;
  version: string;
  status: string;
  source?: string;
  packagePath?: string | null;
  lastError: string | null;
  manifestJson: PaperclipPluginManifestV1 | null;
}

interface CapabilityView {
  approved: string[];
  requested: string[];
  added: string[];
  awaitingApproval: boolean;
}

interface DashboardView {
  worker: {
    status: string;
    consecutiveCrashes?: number;
    lastError?: string | null;
    nextRestartAt?: number | string | null;
  } | null;
  health: { checks: Array<{ name: string; passed: boolean; message: string }> };
}

interface LogRow {
  createdAt?: string;
  message?: string;
  meta?: Record<string, unknown> | null;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function manifestFinding(plugin: PluginView): DoctorFinding {
  const manifest = plugin.manifestJson;
  const rebuild =
    plugin.source === "local"
      ? `fix src/manifest.ts, rebuild (npm run build in ${plugin.packagePath ?? "the plugin folder"}), then paperclip plugin enable ${plugin.pluginKey}`
      : `fix the manifest, publish a new version, then paperclip plugin upgrade ${plugin.pluginKey}`;
  if (!manifest) return { check: "manifest", ok: false, message: "The host holds no manifest", fix: rebuild };
  const result = validateManifest(manifest);
  if (!result.ok) {
    return { check: "manifest", ok: false, message: formatManifestErrors(result.errors), fix: rebuild };
  }
  if (manifest.id !== plugin.pluginKey) {
    return {
      check: "manifest",
      ok: false,
      message: `manifest id ${manifest.id} differs from the installed key ${plugin.pluginKey}`,
      fix: `put id "${plugin.pluginKey}" back in the manifest, or install it as a new plugin`,
    };
  }
  const missing = getRequiredManifestCapabilities(manifest);
  if (missing.length > 0) {
    return {
      check: "manifest",
      ok: false,
      message: `declares features whose capabilities it does not request: ${missing.join(", ")}`,
      fix: `add ${missing.map((c) => `"${c}"`).join(", ")} to manifest.capabilities; ${rebuild}`,
    };
  }
  return {
    check: "manifest",
    ok: true,
    message: `${manifest.id}@${manifest.version} is valid (${plural(manifest.capabilities.length, "capability", "capabilities")})`,
  };
}

function capabilityFinding(plugin: PluginView, change: CapabilityView): DoctorFinding {
  if (change.awaitingApproval || change.added.length > 0) {
    return {
      check: "capabilities",
      ok: false,
      message: `requests capabilities an operator has not approved: ${change.added.join(", ")}`,
      fix: `review them, then paperclip plugin enable ${plugin.pluginKey} approves them (or remove them from the manifest)`,
    };
  }
  return { check: "capabilities", ok: true, message: "every requested capability is approved" };
}

/** A fix for the usual reasons a worker does not start, read from its error. */
function workerFix(plugin: PluginView, error: string): string {
  const folder = plugin.packagePath ?? "the plugin folder";
  if (/Cannot find module|ERR_MODULE_NOT_FOUND|entrypoint|no such worker/i.test(error)) {
    return plugin.source === "local"
      ? `build it (npm run build in ${folder}) and check package.json paperclipPlugin points at dist/, then paperclip plugin enable ${plugin.pluginKey}`
      : `reinstall it: paperclip plugin upgrade ${plugin.pluginKey}`;
  }
  if (/initialize|exited|crash|signal/i.test(error)) {
    return `run its worker by hand (node <worker entry>) to see why it exits, fix setup(), then paperclip plugin enable ${plugin.pluginKey}`;
  }
  return `fix the cause above, then paperclip plugin enable ${plugin.pluginKey}`;
}

function workerFinding(plugin: PluginView, dashboard: DashboardView): DoctorFinding {
  const enable = `paperclip plugin enable ${plugin.pluginKey}`;
  switch (plugin.status) {
    case "disabled":
      return {
        check: "worker",
        ok: false,
        message: `disabled${plugin.lastError ? `: ${plugin.lastError}` : ""}`,
        fix: `${enable} starts it`,
      };
    case "installed":
    case "upgrade_pending":
      return {
        check: "worker",
        ok: false,
        message: `status ${plugin.status}: no worker runs`,
        fix: `${enable} starts it`,
      };
    case "uninstalled":
      return {
        check: "worker",
        ok: false,
        message: "uninstalled",
        fix: "paperclip plugin install <its package or folder> installs it again",
      };
    case "error": {
      const error = plugin.lastError ?? dashboard.worker?.lastError ?? "no reason recorded";
      return {
        check: "worker",
        ok: false,
        message: `failed to start: ${error}`,
        fix: workerFix(plugin, error),
      };
    }
  }
  const worker = dashboard.worker;
  if (worker?.status !== "running") {
    const error = worker?.lastError ?? "no worker process";
    const crashes = worker?.consecutiveCrashes ? `, ${worker.consecutiveCrashes} crashes in a row` : "";
    return {
      check: "worker",
      ok: false,
      message: `worker ${worker?.status ?? "not running"}${crashes}: ${error}`,
      fix: workerFix(plugin, error),
    };
  }
  return { check: "worker", ok: true, message: `worker running (status ${plugin.status})` };
}

function healthFinding(plugin: PluginView, dashboard: DashboardView): DoctorFinding {
  const failed = dashboard.health.checks.filter(
    (check) =>
      !check.passed && (check.name === "worker_ping" || check.name === "config" || check.name === "database"),
  );
  const ping = dashboard.health.checks.find((check) => check.name === "worker_ping");
  if (failed.length === 0) {
    return {
      check: "health",
      ok: true,
      message: ping ? `health ping: ${ping.message}` : "no worker to ping",
    };
  }
  const fixes: Record<string, string> = {
    worker_ping:
      "the worker's onHealth() answered this (or did not answer in time): fix what it reports, or a blocked event loop",
    config: `open the plugin's settings in the board and save the config again (paperclip plugin logs ${plugin.pluginKey} shows why it was refused)`,
    database: "the host's database does not answer: run paperclip doctor",
  };
  return {
    check: "health",
    ok: false,
    message: failed.map((check) => `${check.name}: ${check.message}`).join("; "),
    fix: failed.map((check) => fixes[check.name]).join("; "),
  };
}

function errorsFinding(plugin: PluginView, rows: LogRow[]): DoctorFinding {
  if (rows.length === 0)
    return { check: "recent errors", ok: true, message: "no errors logged in the last hour" };
  const lines = rows.map((row) => `${row.createdAt ?? ""} ${row.message ?? ""}`.trim());
  return {
    check: "recent errors",
    ok: false,
    message: `${rows.length === RECENT_ERRORS_SHOWN ? "at least " : ""}${rows.length} in the last hour:\n${lines.join("\n")}`,
    fix: `paperclip plugin logs ${plugin.pluginKey} --level error shows them with their details; the handler named in each threw`,
  };
}

/** Reads the plugin from the host (record, capabilities, dashboard, recent error logs) and diagnoses it. */
export async function diagnosePlugin(
  client: PluginApiClient,
  plugin: string,
  now: () => number = Date.now,
): Promise<DoctorReport> {
  const base = `/api/plugins/${encodeURIComponent(plugin)}`;
  const record = await client.get<PluginView>(base).catch((error: unknown) => {
    if (error instanceof HostRequestError && error.status === 404) {
      throw new HostRequestError(
        404,
        `no plugin "${plugin}" on ${client.baseUrl}: paperclip plugin list shows the installed ones`,
      );
    }
    throw error;
  });
  const since = new Date(now() - RECENT_ERRORS_WINDOW_MS).toISOString();
  const [change, dashboard, errors] = await Promise.all([
    client.get<CapabilityView>(`${base}/capabilities`),
    client.get<DashboardView>(`${base}/dashboard`),
    client.get<LogRow[]>(
      `${base}/logs?level=error&limit=${RECENT_ERRORS_SHOWN}&since=${encodeURIComponent(since)}`,
    ),
  ]);
  const findings = [
    manifestFinding(record),
    capabilityFinding(record, change),
    workerFinding(record, dashboard),
    healthFinding(record, dashboard),
    errorsFinding(record, errors),
  ];
  return {
    pluginId: record.id,
    pluginKey: record.pluginKey,
    version: record.version,
    status: record.status,
    ok: findings.every((finding) => finding.ok),
    findings,
  };
}

export function formatDoctor(report: DoctorReport): string {
  const width = Math.max(...report.findings.map((finding) => finding.check.length));
  const indent = " ".repeat(width + 10);
  const lines = [
    `Doctor: ${report.pluginKey}@${report.version} (status ${report.status}, id ${report.pluginId})`,
  ];
  for (const finding of report.findings) {
    const message = finding.message.split("\n").join(`\n${indent}`);
    lines.push(`  ${finding.ok ? "ok  " : "FAIL"}  ${finding.check.padEnd(width)}  ${message}`);
    if (finding.fix) lines.push(`${indent}fix: ${finding.fix}`);
  }
  const problems = report.findings.filter((finding) => !finding.ok).length;
  lines.push(problems === 0 ? "No problems found." : `${plural(problems, "problem", "problems")} found.`);
  return `${lines.join("\n")}\n`;
}
