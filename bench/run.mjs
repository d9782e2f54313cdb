// `npm run bench`: runs every bench/*.bench.mjs (or those named on the command line) one after another.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((name) => name.endsWith(".bench.mjs"))
  .filter((name) => wanted.length === 0 || wanted.some((w) => name.startsWith(w)))
  .sort();

let failed = 0;
for (const bench of benches) {
  console.log(`\n▶ ${bench}`);
  const run = spawnSync(process.execPath, [join(here, bench)], { stdio: "inherit" });
  if (run.status !== 0) {
    failed++;
    console.error(`✗ ${bench} exited with ${run.status ?? run.signal}`);
  }
}
console.log(
  `\n${benches.length - failed} of ${benches.length} benchmarks completed; JSON results in bench/results/`,
);
process.exit(failed ? 1 : 0);
