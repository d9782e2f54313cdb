// Text output of `paperclip plugin verify <plugin> [--accept]`: whether the plugin's installed files still match
// the digest recorded at install (docs/supply-chain.md), and which files changed.

export interface IntegritySummary {
  pluginKey: string;
  state: "intact" | "changed" | "unrecorded";
  rootDir: string;
  digest: string | null;
  recordedDigest: string | null;
  recordedReason: string | null;
  recordedAt: string | null;
  fileCount: number;
  totalBytes: number;
  changeCount: number;
  changes: Array<{ path: string; change: string }>;
  problem: string | null;
  checkedMs: number;
}

export function formatIntegrity(report: IntegritySummary, accepted: boolean): string {
  const files = `${report.fileCount} file(s), ${formatBytes(report.totalBytes)} under ${report.rootDir}`;
  const lines: string[] = [];
  if (accepted) {
    lines.push(
      `Accepted the current files of ${report.pluginKey} as trusted: ${files}`,
      `  digest ${report.digest}`,
    );
    if (report.changeCount > 0) lines.push(`  (${report.changeCount} change(s) since the previous record)`);
  } else if (report.state === "intact") {
    lines.push(
      `${report.pluginKey}: package files match the digest recorded at ${report.recordedReason} ` +
        `(${report.recordedAt}): ${files}`,
    );
  } else if (report.state === "unrecorded") {
    lines.push(
      `${report.pluginKey}: no digest recorded yet (installed before integrity checks); its next start records ` +
        `the current ${files}`,
    );
  } else {
    lines.push(
      `${report.pluginKey}: package files CHANGED since ${report.recordedReason} (${report.recordedAt}); its worker ` +
        "will not start",
    );
    if (report.problem) lines.push(`  ${report.problem}`);
    for (const change of report.changes) lines.push(`  ${change.change.padEnd(8)} ${change.path}`);
    const unlisted = report.changeCount - report.changes.length;
    if (unlisted > 0) lines.push(`  … and ${unlisted} more`);
    lines.push(
      "Reinstall the plugin, or if the change is yours (e.g. a rebuilt local folder) trust the current files with",
      `  paperclip plugin verify ${report.pluginKey} --accept`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
