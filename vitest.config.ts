import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "examples/*/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two suites at a time: most of a suite's time is its host, worker and CLI processes, so a second suite
    // fills the cores while the first waits on them (measured: 204 s of suites in 169 s on 2 cores).
    maxWorkers: 2,
    // A migrated PGlite snapshot and PostgreSQL template, made once: each suite's database starts as a copy.
    globalSetup: ["packages/server/test/support/global-setup.ts"],
  },
});
