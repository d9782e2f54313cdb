// Scaffold → tests passing, install excluded (issue 13, goal ≤ 20 s): for each template, create a project outside
// the repository (SDK packed into it) and install it once, untimed; then time `npm run build` + `npm test` as an
// author runs them, and the scaffold step on its own. Repeats BENCH_SCAFFOLD_RUNS times (default 3) per template
// on the same installed project (a fresh dist/ each time). Needs `npx tsc -b` first (the scaffolder and SDK dist).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { percentile, printTable, repoRoot, round, writeResults } from "./lib.mjs";

const { scaffoldPlugin, TEMPLATES } = await import(
  join(repoRoot, "packages/create-paperclip-plugin/dist/index.js")
);
const RUNS = Number(process.env.BENCH_SCAFFOLD_RUNS ?? 3);
const GOAL_S = 20;
const run = promisify(execFile);
// As an author's shell: without what an enclosing `npm run bench` injected.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("npm_")));
const npm = (args, cwd) => run("npm", args, { cwd, env, maxBuffer: 16 * 1024 * 1024 });
const median = (values) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

const root = mkdtempSync(join(tmpdir(), "pc-bench-scaffold-"));
const rows = [];
try {
  for (const template of TEMPLATES) {
    const scaffoldMs = [];
    const buildTestMs = [];
    const totalMs = [];
    let projectDir = null;
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const result = await scaffoldPlugin({
        name: `bench-${template}-${i}`,
        template,
        outputDir: join(root, `${template}-${i}`),
      });
      const scaffolded = performance.now() - started;
      if (projectDir === null) {
        // Installed once (untimed). Later runs time a fresh scaffold, then build and test this first project
        // again from a clean dist/: the same generated sources, without a second install.
        await npm(["install", "--prefer-offline", "--no-audit", "--no-fund"], result.projectDir);
        projectDir = result.projectDir;
      } else {
        rmSync(join(projectDir, "dist"), { recursive: true, force: true });
      }
      const buildStarted = performance.now();
      await npm(["run", "build"], projectDir);
      await npm(["test"], projectDir);
      const buildTest = performance.now() - buildStarted;
      scaffoldMs.push(scaffolded);
      buildTestMs.push(buildTest);
      totalMs.push(scaffolded + buildTest);
    }
    rows.push({
      template,
      runs: RUNS,
      "scaffold median ms": round(median(scaffoldMs), 0),
      "build+test median ms": round(median(buildTestMs), 0),
      "scaffold→tests passing median s": round(median(totalMs) / 1000, 2),
      "worst s": round(Math.max(...totalMs) / 1000, 2),
      [`goal ≤ ${GOAL_S} s`]: Math.max(...totalMs) / 1000 <= GOAL_S ? "met" : "MISSED",
    });
  }
  printTable("Scaffold → tests passing (install excluded)", rows);
  writeResults("scaffold", { goalSeconds: GOAL_S, runsPerTemplate: RUNS, templates: rows });
} finally {
  rmSync(root, { recursive: true, force: true });
}
