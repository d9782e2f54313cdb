// Small helpers shared by the benchmarks: percentiles, tables, result files.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(benchDir, "..");

export function percentile(sortedValues, p) {
  if (sortedValues.length === 0) return Number.NaN;
  const index = Math.min(sortedValues.length - 1, Math.floor((p / 100) * sortedValues.length));
  return sortedValues[index];
}

export function printTable(title, rows) {
  console.log(`\n${title}`);
  console.table(rows);
}

export function writeResults(name, data) {
  const dir = join(benchDir, "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, ...data }, null, 2)}\n`,
  );
  console.log(`results written to ${file}`);
}

export const round = (value, digits = 2) => Number(value.toFixed(digits));
