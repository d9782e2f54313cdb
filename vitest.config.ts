import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "examples/*/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // A migrated PGlite snapshot and PostgreSQL template, made once: each suite's database starts as a copy.
    globalSetup: ["packages/server/test/support/global-setup.ts"],
  },
});
