// Text output of `paperclip plugin …` (the --json flag prints the API's answers instead).

export interface PluginSummary {
  id: string;
  pluginKey: string;
  version: string;
  status: string;
  source?: string;
  packageName: string;
  lastError: string | null;
  /** The worker as the host sees it (absent from older hosts). */
  workerStatus?: string | null;
  degraded?: boolean;
  warnings?: string[];
}

export function formatPluginTable(plugins: PluginSummary[]): string {
  if (plugins.length === 0) return "No plugins installed.\n";
  const rows = [
    ["KEY", "VERSION", "STATUS", "SOURCE", "ID"],
    ...plugins.map((p) => [p.pluginKey, p.version, p.status, p.source ?? "", p.id]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join("  ")
      .trimEnd(),
  );
  const problems = [
    ...plugins
      .filter((p) => p.lastError && p.status !== "ready")
      .map((p) => `\n${p.pluginKey}: ${p.lastError}`),
    ...plugins
      .filter((p) => (p.warnings?.length ?? 0) > 0)
      .map(
        (p) =>
          `\n${p.pluginKey}${p.degraded ? ` is degraded (worker ${p.workerStatus ?? "not running"})` : ""}: ` +
          (p.warnings ?? []).join("\n  "),
      ),
  ];
  return `${lines.join("\n")}\n${problems.join("\n")}${problems.length ? "\n" : ""}`;
}

export function formatPluginLine(verb: string, plugin: PluginSummary): string {
  const degraded = plugin.degraded ? `, degraded: worker ${plugin.workerStatus ?? "not running"}` : "";
  const line = `${verb} ${plugin.pluginKey}@${plugin.version}: status ${plugin.status}${degraded} (id ${plugin.id})\n`;
  if (!plugin.lastError || plugin.status === "ready" || plugin.status === "uninstalled") return line;
  return `${line}${plugin.status === "disabled" ? "Reason" : "Last error"}: ${plugin.lastError}\n`;
}

export function formatLogs(rows: unknown[]): string {
  if (rows.length === 0) return "No log entries.\n";
  return rows
    .map((row) => {
      const entry = row as { createdAt?: string; level?: string; message?: string; meta?: unknown };
      const meta =
        entry.meta && Object.keys(entry.meta as object).length > 0 ? ` ${JSON.stringify(entry.meta)}` : "";
      return `${entry.createdAt ?? ""} ${(entry.level ?? "").toUpperCase().padEnd(5)} ${entry.message ?? ""}${meta}\n`;
    })
    .join("");
}

export function formatHealth(report: {
  pluginId: string;
  status: string;
  healthy: boolean;
  checks: Array<{ name: string; passed: boolean; message: string }>;
  lastError?: string;
  warnings?: string[];
}): string {
  const lines = [
    `${report.healthy ? "Healthy" : "Unhealthy"} (status ${report.status}, id ${report.pluginId})`,
  ];
  for (const check of report.checks)
    lines.push(`  ${check.passed ? "ok  " : "FAIL"} ${check.name}: ${check.message}`);
  for (const warning of report.warnings ?? []) lines.push(`  warn ${warning}`);
  return `${lines.join("\n")}\n`;
}
