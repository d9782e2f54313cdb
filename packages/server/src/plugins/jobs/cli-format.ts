// Text output of `paperclip plugin jobs` and `paperclip plugin job-run` (--json prints the API's answers).
import type { PluginJobRecord, PluginJobRunRecord } from "./records.js";

export type JobSummary = Pick<
  PluginJobRecord,
  "jobKey" | "status" | "schedule" | "timeZone" | "nextRunAt" | "lastRunAt" | "lastError"
>;

export type RunSummary = Pick<
  PluginJobRunRecord,
  "id" | "jobKey" | "status" | "trigger" | "attempt" | "durationMs" | "error" | "logs"
>;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function formatJobTable(jobs: JobSummary[]): string {
  if (jobs.length === 0) return "This plugin declares no jobs.\n";
  const rows = [
    ["JOB", "STATUS", "SCHEDULE", "TIME ZONE", "NEXT RUN", "LAST RUN"],
    ...jobs.map((job) => [
      job.jobKey,
      job.status,
      job.schedule || "(manual)",
      job.timeZone,
      job.nextRunAt ?? "-",
      job.lastRunAt ?? "-",
    ]),
  ];
  const problems = jobs.filter((job) => job.lastError).map((job) => `\n${job.jobKey}: ${job.lastError}`);
  return `${table(rows)}\n${problems.join("")}${problems.length ? "\n" : ""}`;
}

export function formatRun(run: RunSummary): string {
  const duration = run.durationMs === null ? "" : ` in ${run.durationMs} ms`;
  let text = `Run ${run.id} of job ${run.jobKey} (${run.trigger}, attempt ${run.attempt}): ${run.status}${duration}\n`;
  if (run.error) text += `Error: ${run.error}\n`;
  for (const line of run.logs) text += `  ${line}\n`;
  return text;
}
