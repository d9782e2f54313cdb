// Browser tests: `npm run e2e`. Specs are e2e/**/*.e2e.ts (the root `npm test` never picks them up). They run
// one file after another in a single forked worker, so one Chromium serves the whole run and hosts never compete
// for the two cores.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    include: ["e2e/**/*.e2e.ts"],
    globalSetup: ["e2e/support/global-setup.ts"],
    pool: "forks",
    fileParallelism: false,
    maxWorkers: 1,
    // One worker for every file: the worker-scoped browser fixture is launched once per run.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});
