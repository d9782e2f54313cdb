// Prints the plain closing line CI reads ("N passed, N failed") from Vitest's JSON reports.
// Usage: node scripts/test-summary.mjs [label=]report.json …  — one line per report, then the total last.
// Exits 1 when a report is missing or unreadable, any test failed, or no test passed at all.
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
if (args.length === 0) {
  console.error("test summary: usage: node scripts/test-summary.mjs [label=]report.json …");
  process.exit(1);
}

let ok = true;
const total = { passed: 0, failed: 0, skipped: 0 };
for (const arg of args) {
  const split = arg.indexOf("=");
  const label = split > 0 ? arg.slice(0, split) : "Vitest";
  const file = split > 0 ? arg.slice(split + 1) : arg;
  let report;
  try {
    report = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    console.error(`test summary: ${label}: cannot read ${file}: ${error.message}`);
    ok = false;
    continue;
  }
  const passed = report.numPassedTests ?? 0;
  const failed = report.numFailedTests ?? 0;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A file that failed to load (syntax error, failing hook) counts no failed test: report it as a failure.
  const brokenFiles = (report.testResults ?? []).filter(
    (file) =>
      file.status === "failed" && !(file.assertionResults ?? []).some((test) => test.status === "failed"),
  ).length;
  total.passed += passed;
  total.failed += failed;
  total.skipped += skipped;
  if (failed > 0 || brokenFiles > 0 || passed === 0 || report.success === false) ok = false;
  const extra = [
    skipped ? `${skipped} skipped` : "",
    brokenFiles ? `${brokenFiles} file(s) could not run` : "",
  ]
    .filter(Boolean)
    .join(", ");
  // Not the closing-line format on purpose (the label has several words): only the total below is read.
  if (args.length > 1)
    console.log(`${label} — ${passed} passed, ${failed} failed${extra ? `, ${extra}` : ""}`);
}
console.log(
  `Tests: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`,
);
process.exit(ok && total.passed > 0 ? 0 : 1);
